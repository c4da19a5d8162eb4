import StitchAPI

/// The JSON types a column's schema may declare, other than "null".
public enum ColumnKind: String, Sendable, Hashable, CaseIterable {
    case integer, number, boolean, string, object, array
}

/// What a column takes: its declared types (schema order), whether null is allowed, and its format
/// (`date-time` is the one the Import API acts on, spec §4.3).
public struct ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// Empty: no type declared, any JSON value fits.
    public var kinds: [ColumnKind]
    public var isNullable: Bool
    public var format: String?

    public init(_ kinds: [ColumnKind], isNullable: Bool = true, format: String? = nil) {
        var unique: [ColumnKind] = []
        for kind in kinds where !unique.contains(kind) { unique.append(kind) }
        self.kinds = unique
        self.isNullable = isNullable
        self.format = format
    }

    public static let integer = ColumnType([.integer])
    public static let number = ColumnType([.number])
    public static let boolean = ColumnType([.boolean])
    public static let string = ColumnType([.string])
    public static let dateTime = ColumnType([.string], format: "date-time")
    public static let object = ColumnType([.object])
    public static let array = ColumnType([.array])
    public static let any = ColumnType([])

    public var isDateTime: Bool { format == "date-time" && kinds.contains(.string) }

    /// "integer or null", "date-time", "string, integer or null": how messages name it.
    public var description: String {
        var names = kinds.map { $0 == .string && isDateTime ? "date-time" : $0.rawValue }
        if names.isEmpty { return "any JSON value" }
        if isNullable { names.append("null") }
        guard names.count > 1 else { return names[0] }
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }

    /// The `type` (and `format`) members of a property schema for this type.
    var schemaMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        var names = kinds.map { JSONValue.string($0.rawValue) }
        if isNullable && !names.isEmpty { names.insert("null", at: 0) }
        if names.count == 1 { members.append(("type", names[0])) } else if !names.isEmpty { members.append(("type", .array(names))) }
        if let format { members.append(("format", .string(format))) }
        return members
    }

    /// Read from a property schema: `type` (a name or a list) or the `anyOf` idiom, as the
    /// loader of a destination reads it (`JSONSchema.nonNullTypes`).
    init(property: JSONValue) {
        if let schema = try? JSONSchema(property) {
            self.init(schema.nonNullTypes.compactMap(ColumnKind.init(rawValue:)),
                      isNullable: schema.nonNullTypes.isEmpty || schema.isNullable, format: schema.format)
        } else {
            self.init([], isNullable: true, format: property["format"]?.stringValue)
        }
    }

    /// Whether a cell's value is of a declared type (the full schema, with its other keywords, is
    /// the validator's job; this is what typing a cell checks).
    public func accepts(_ value: CellValue) -> Bool {
        switch value {
        case .absent: return true
        case .null: return isNullable
        case _ where kinds.isEmpty: return true
        case .boolean: return kinds.contains(.boolean)
        case .integer: return kinds.contains(.integer) || kinds.contains(.number)
        case .number(let number):
            if kinds.contains(.number) { return number.isFinite }
            return kinds.contains(.integer) && Self.int64(exactly: number) != nil
        case .string(let text): return kinds.contains(.string) && (!isDateTime || DateTimeValue(parsing: text) != nil)
        case .dateTime(let text): return kinds.contains(.string) && DateTimeValue(parsing: text) != nil
        case .json(.object): return kinds.contains(.object)
        case .json(.array): return kinds.contains(.array)
        case .json(let other): return accepts(CellValue(other, dateTime: isDateTime))
        }
    }

    /// The Int64 a whole Double stands for, if it is within Int64's bounds.
    static func int64(exactly number: Double) -> Int64? {
        guard number.isFinite, number.rounded() == number, number >= -9.223372036854775808e18,
              number < 9.223372036854775808e18 else { return nil }
        return Int64(number)
    }

    /// The cell a person's text stands for in a column of this type: the first declared type it
    /// reads as (integer before number before boolean, nested JSON, then string). Empty text is
    /// an empty string in a string column, else null where null is allowed.
    ///
    /// - Throws: `CellInputError` saying what the column takes when the text fits none of it.
    public func cell(from text: String) throws(CellInputError) -> CellValue {
        if kinds.isEmpty {
            if let value = try? JSONParser.parse(text) { return CellValue(value) }
            return .string(text)
        }
        if text.isEmpty {
            if kinds.contains(.string) && !isDateTime { return .string("") }
            if isNullable { return .null }
            throw CellInputError(text: text, type: self, reason: "a value is needed: the column does not take null")
        }
        let trimmed = text.trimmingSpaces
        let parsed = try? JSONParser.parse(trimmed)
        var reason: String?
        for kind in kinds {
            switch (kind, parsed) {
            case (.integer, .integer(let value)?): return .integer(value)
            case (.integer, .number(let value)?):
                if trimmed.allSatisfy({ $0 == "-" || $0.isASCII && $0.isNumber }) {
                    reason = "it is outside the int64 range (-9223372036854775808 to 9223372036854775807)"
                }
            case (.number, .integer(let value)?): return .integer(value)
            case (.number, .number(let value)?): return .number(value)
            case (.boolean, .bool(let value)?): return .boolean(value)
            // CSV and spreadsheets write TRUE/False.
            case (.boolean, _) where trimmed.lowercased() == "true": return .boolean(true)
            case (.boolean, _) where trimmed.lowercased() == "false": return .boolean(false)
            case (.object, .object?), (.array, .array?): return .json(parsed ?? .null)
            default: break
            }
        }
        if isNullable && !kinds.contains(.string) && trimmed == "null" { return .null }
        if kinds.contains(.string) {
            if !isDateTime { return .string(text) }
            if DateTimeValue(parsing: trimmed) != nil { return .dateTime(trimmed) }
            reason = reason ?? "it is not an RFC 3339 date-time such as 2026-01-31T12:00:00Z"
        }
        throw CellInputError(text: text, type: self, reason: reason)
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
