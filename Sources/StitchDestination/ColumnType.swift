import StitchAPI

/// The logical type of a destination column, from the batch's JSON Schema (spec §4.2).
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
    case integer
    case number
    case boolean
    case string
    /// `string` with `format: date-time`; stored as UTC ISO-8601 text.
    case dateTime
    /// Nested objects and arrays, stored as JSON text until issue 3 flattens them.
    case json
    /// No usable `type` in the schema: values are stored as they come.
    case untyped

    /// The SQLite declared type. Booleans get `BOOLEAN` (numeric affinity, 0/1) so readers can
    /// tell them from integers; untyped columns get none, so SQLite converts nothing.
    public var sqlType: String {
        switch self {
        case .integer: "INTEGER"
        case .number: "REAL"
        case .boolean: "BOOLEAN"
        case .string, .dateTime, .json: "TEXT"
        case .untyped: ""
        }
    }

    /// The column type a property's JSON Schema asks for.
    ///
    /// `["null", T]` and `anyOf`/`oneOf` with a null branch mean a nullable `T` (spec §4.2).
    /// Unions of several non-null types are undocumented [?]: the first one listed wins here,
    /// and issue 3's column splitting will refine it.
    public init(schema: JSONValue?) {
        guard let object = schema?.objectValue else { self = .untyped; return }
        var types: [String] = []
        switch object["type"] {
        case .string(let name): types = [name]
        case .array(let names): types = names.compactMap(\.stringValue)
        default: break
        }
        let nonNull = types.filter { $0 != "null" }
        if let first = nonNull.first {
            switch first {
            case "integer": self = .integer
            case "number": self = .number
            case "boolean": self = .boolean
            case "string": self = object["format"]?.stringValue == "date-time" ? .dateTime : .string
            case "object", "array": self = .json
            default: self = .untyped
            }
            return
        }
        if types.isEmpty {
            for combinator in ["anyOf", "oneOf"] {
                guard let branches = object[combinator]?.arrayValue else { continue }
                for branch in branches {
                    let type = ColumnType(schema: branch)
                    if type != .untyped { self = type; return }
                }
            }
        }
        self = .untyped
    }

    /// The column type for a value that no schema describes (fields sent beyond `properties`).
    init(value: JSONValue) {
        switch value {
        case .integer: self = .integer
        case .number(let number): self = number.rounded() == number ? .integer : .number
        case .bool: self = .boolean
        case .string: self = .string
        case .array, .object: self = .json
        case .null: self = .untyped
        }
    }
}
