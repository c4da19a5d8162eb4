import StitchAPI

/// Why one record cannot be loaded; it goes to `_sdc_rejected` with this reason (spec §4.9).
struct LoadRejection: Error, Sendable, Hashable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One row a record contributes to one table, before columns are assigned.
struct ShreddedRow: Sendable, Hashable {
    struct Field: Sendable, Hashable {
        /// The flattened, canonical field name: `attributes__color`, or `value` for a scalar element.
        var name: String
        /// Never `.null`: absent and null fields are simply not listed.
        var value: CellValue
    }

    var table: String
    /// 0 for the record's own table, n for a table n arrays deep.
    var depth: Int
    /// The positions of this row and its ancestors in their arrays (`_sdc_level_N_id`).
    var levelIDs: [Int64]
    var fields: [Field] = []
}

/// Turns one record into rows (spec §4.4, §4.5): objects flatten into `parent__child` fields,
/// arrays become rows of `<table>__<field>` child tables, scalars are typed by the schema.
struct RecordShredder {
    let names: ObjectNames
    let rootTable: String
    let guide: FieldGuide?
    /// Name rules are applied once per distinct name in a batch, not once per record.
    private let memo = NameMemo()

    init(names: ObjectNames, rootTable: String, guide: FieldGuide?) {
        self.names = names
        self.rootTable = rootTable
        self.guide = guide
    }

    /// What the name rules say about names already seen. A class so a `let` shredder can
    /// remember; it lives and dies inside one planning, on one thread.
    private final class NameMemo {
        var parts: [String: Result<String, LoadRejection>] = [:]
        /// Per name: the key collisions are found by, and whether it is a loader column.
        var claims: [String: (key: String, isLoaderColumn: Bool)] = [:]
    }

    /// The record's own row, then its child rows, parents before children.
    func shred(_ data: JSONObject) throws(LoadRejection) -> [ShreddedRow] {
        var root = ShreddedRow(table: rootTable, depth: 0, levelIDs: [])
        var children: [ShreddedRow] = []
        var seen: [String: String] = [:]
        try flatten(data, guide: guide, prefix: nil, into: &root, children: &children, seen: &seen)
        return [root] + children
    }

    private func flatten(_ object: JSONObject, guide: FieldGuide?, prefix: String?, into row: inout ShreddedRow,
                         children: inout [ShreddedRow], seen: inout [String: String]) throws(LoadRejection) {
        for (raw, value) in object.members {
            let part = try self.part(raw).get()
            let name = prefix.map { $0 + "__" + part } ?? part
            try add(value, name: name, guide: guide?.propertiesByName[raw], into: &row, children: &children, seen: &seen)
        }
    }

    private func add(_ value: JSONValue, name: String, guide: FieldGuide?, into row: inout ShreddedRow,
                     children: inout [ShreddedRow], seen: inout [String: String]) throws(LoadRejection) {
        switch value {
        case .null:
            // [?] A null makes no column: Stitch creates columns from values, and a table needs a
            // non-null column before it exists (§4.1). Rows that lack a column read NULL anyway.
            return
        case .object(let object):
            try flatten(object, guide: guide, prefix: name, into: &row, children: &children, seen: &seen)
        case .array(let elements):
            try claim(name, in: row, seen: &seen)
            let table = row.table + "__" + name
            guard ObjectNames.length(table) <= names.maxTableNameLength else {
                throw LoadRejection("Table name \(table) is longer than \(names.maxTableNameLength) characters")
            }
            let itemGuide = guide?.items
            for (index, element) in elements.enumerated() {
                var child = ShreddedRow(table: table, depth: row.depth + 1, levelIDs: row.levelIDs + [Int64(index)])
                var grandchildren: [ShreddedRow] = []
                var childSeen: [String: String] = [:]
                // Scalar elements go to a column named `value` [?]: the docs do not name it, but
                // Stitch's other loaders use `value` and the docs show `value__st` splits (§4.5).
                // [?] An array element that is itself an array makes a grandchild table `<child>__value`.
                // [?] A null element still makes a row, so the level ids keep the array's positions.
                if case .object(let object) = element {
                    try flatten(object, guide: itemGuide, prefix: nil, into: &child, children: &grandchildren, seen: &childSeen)
                } else {
                    try add(element, name: "value", guide: itemGuide, into: &child, children: &grandchildren, seen: &childSeen)
                }
                children.append(child)
                children += grandchildren
            }
        case .bool, .integer, .number, .string:
            try claim(name, in: row, seen: &seen)
            guard ObjectNames.length(name) <= names.maxColumnNameLength else {
                throw LoadRejection("Column name \(name) is longer than \(names.maxColumnNameLength) characters")
            }
            row.fields.append(.init(name: name, value: try Self.cell(for: value, guide: guide, field: name)))
        }
    }

    /// A field name as one part of a column name, or why it cannot be one.
    ///
    /// [?] A name left empty by the rules (`123`), or ending in a split suffix Stitch reserves
    /// (`age__st`, which would be mistaken for a split column), rejects the record.
    private func part(_ raw: String) -> Result<String, LoadRejection> {
        if let known = memo.parts[raw] { return known }
        let result: Result<String, LoadRejection>
        if let part = ObjectNames.canonical(raw) {
            result = ObjectNames.hasReservedSuffix(part)
                ? .failure(LoadRejection("Field name \(part) ends with a suffix reserved for split columns "
                                             + "(\(ColumnType.reservedSuffixes.joined(separator: " ")))"))
                : .success(part)
        } else {
            result = .failure(LoadRejection("Field name \"\(raw)\" has no letters, digits or underscores left after removing special characters"))
        }
        memo.parts[raw] = result
        return result
    }

    /// Two fields that end up with one name cannot both load: Stitch rejects the record with
    /// "Field collision on …" (§4.3, §4.9). On SQLite, which folds case, `id` and `ID` collide too.
    /// [?] A field named like a column the loader writes itself (`_sdc_sequence`) collides the same way.
    private func claim(_ name: String, in row: ShreddedRow, seen: inout [String: String]) throws(LoadRejection) {
        let claim: (key: String, isLoaderColumn: Bool)
        if let known = memo.claims[name] {
            claim = known
        } else {
            claim = (names.key(name), SystemColumns.isLoaderColumn(name))
            memo.claims[name] = claim
        }
        guard seen[claim.key] == nil, !claim.isLoaderColumn else {
            throw LoadRejection("Field collision on \(name)")
        }
        seen[claim.key] = name
    }

    /// A scalar as its column will store it (spec §4.2). With one declared type the schema
    /// decides (an integer for a `number` field is a double); with a union, or no type at all,
    /// each value goes by its own JSON type, which is what splits columns (§4.6).
    static func cell(for value: JSONValue, guide: FieldGuide?, field: String) throws(LoadRejection) -> CellValue {
        let types = guide?.types ?? []
        switch value {
        case .bool(let flag):
            return .boolean(flag)
        case .integer(let number):
            return types.contains("number") && !types.contains("integer") ? .real(Double(number)) : .integer(number)
        case .number(let number):
            guard number.isFinite else { throw LoadRejection("Value of field \(field) is out of range for double precision") }
            if types.contains("integer") && !types.contains("number") && number.rounded() == number {
                // A whole number too large for Int64 passes the gate's `integer` check; bigint cannot hold it.
                guard let exact = Int64(exactly: number) else {
                    throw LoadRejection("Value \(number) of field \(field) is out of range for bigint")
                }
                return .integer(exact)
            }
            return .real(number)
        case .string(let text):
            guard !text.unicodeScalars.contains("\u{0}") else {
                // PostgreSQL text cannot hold NUL; SQLite rejects it too, so both destinations agree [?].
                throw LoadRejection("Value of field \(field) contains a NUL character")
            }
            guard guide?.format == "date-time" else { return .text(text) }
            guard let parsed = DateTimeValue(parsing: text) else {
                // [?] Not a date-time at all (the gate checks the format, so only an unchecked body gets
                // here): kept as the string it is, in a `__st` column if need be.
                return .text(text)
            }
            // PostgreSQL has no year 0 and the UTC text has four-digit years: out of range (§4.9).
            guard let utc = parsed.utcText, !utc.hasPrefix("0000") else {
                throw LoadRejection("Value \(text) of field \(field) is out of range for timestamp")
            }
            return .timestamp(utc)
        case .null, .array, .object:
            return .null
        }
    }
}
