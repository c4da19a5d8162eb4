import Foundation
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
    /// Name rules, collision keys and schema guides are worked out once per distinct field
    /// path in a batch, not once per record: records of a batch mostly share their fields.
    private let memo = Memo()

    init(names: ObjectNames, rootTable: String, guide: FieldGuide?) {
        self.names = names
        self.rootTable = rootTable
        self.guide = guide
        memo.root = ObjectContext(table: rootTable, prefix: nil, guide: guide)
    }

    /// What is known about the fields of one object position (the record, a nested object, an
    /// array's elements), reached by raw field names from the record. A class so a `let`
    /// shredder can remember; it lives and dies inside one planning, on one thread.
    private final class ObjectContext {
        let table: String
        let prefix: String?
        let guide: FieldGuide?
        var fields: [String: ResolvedField] = [:]
        /// The fields by member position in the last object seen here: objects of a batch mostly
        /// list the same members in the same order, and comparing a name is cheaper than hashing it.
        var fieldsByPosition: [ResolvedField] = []
        /// The `value` field of an array's scalar elements.
        var valueField: ResolvedField?

        init(table: String, prefix: String?, guide: FieldGuide?) {
            self.table = table
            self.prefix = prefix
            self.guide = guide
        }
    }

    /// One field at one position: its column name, the key collisions are found by, and where
    /// its objects and arrays lead.
    private final class ResolvedField {
        /// The name as the record spells it.
        let raw: String
        /// The flattened name, or why the raw name cannot be part of one.
        let name: Result<String, LoadRejection>
        let guide: FieldGuide?
        /// Numbers the collision key within its table, for `Memo.claimStamps`.
        let claimSlot: Int
        let isLoaderColumn: Bool
        let isNameTooLong: Bool
        /// `<table>__<name>`, the table an array of this field fills.
        let arrayTable: String
        let isArrayTableTooLong: Bool
        var objectContext: ObjectContext?
        var elementContext: ObjectContext?

        init(raw: String, name: Result<String, LoadRejection>, guide: FieldGuide?, table: String, names: ObjectNames, memo: Memo) {
            self.raw = raw
            self.name = name
            self.guide = guide
            let spelled = (try? name.get()) ?? ""
            let key = names.key(spelled)
            claimSlot = memo.slot(table: table, key: key)
            isLoaderColumn = SystemColumns.isLoaderColumn(spelled)
            isNameTooLong = ObjectNames.length(spelled) > names.maxColumnNameLength
            arrayTable = table + "__" + spelled
            isArrayTableTooLong = ObjectNames.length(arrayTable) > names.maxTableNameLength
        }
    }

    private final class Memo {
        var root: ObjectContext?
        var parts: [String: Result<String, LoadRejection>] = [:]
        /// Collision keys, numbered per table (`table NUL key`).
        var slots: [String: Int] = [:]
        /// Per slot: the row that last claimed it. A row claims a key once; a second claim in the
        /// same row is a collision. Rows are numbered, so nothing is cleared between them.
        var claimStamps: [Int] = []
        var rowCount = 0

        func slot(table: String, key: String) -> Int {
            let id = table + "\u{0}" + key
            if let slot = slots[id] { return slot }
            let slot = claimStamps.count
            slots[id] = slot
            claimStamps.append(-1)
            return slot
        }

        func newRow() -> Int {
            rowCount += 1
            return rowCount
        }
    }

    /// The record's own row, then its child rows, parents before children.
    func shred(_ data: JSONObject) throws(LoadRejection) -> [ShreddedRow] {
        guard let context = memo.root else { return [] }
        var root = ShreddedRow(table: rootTable, depth: 0, levelIDs: [])
        var children: [ShreddedRow] = []
        let stamp = memo.newRow()
        try flatten(data, context: context, into: &root, stamp: stamp, children: &children)
        return [root] + children
    }

    private func flatten(_ object: JSONObject, context: ObjectContext, into row: inout ShreddedRow, stamp: Int,
                         children: inout [ShreddedRow]) throws(LoadRejection) {
        for (position, (raw, value)) in object.members.enumerated() {
            let field: ResolvedField
            if position < context.fieldsByPosition.count, context.fieldsByPosition[position].raw == raw {
                field = context.fieldsByPosition[position]
            } else {
                field = resolve(raw, in: context)
                if position < context.fieldsByPosition.count {
                    context.fieldsByPosition[position] = field
                } else if position == context.fieldsByPosition.count {
                    context.fieldsByPosition.append(field)
                }
            }
            _ = try field.name.get()
            try add(value, field: field, into: &row, stamp: stamp, children: &children)
        }
    }

    private func resolve(_ raw: String, in context: ObjectContext) -> ResolvedField {
        if let known = context.fields[raw] { return known }
        let name = part(raw).map { part in context.prefix.map { $0 + "__" + part } ?? part }
        let field = ResolvedField(raw: raw, name: name, guide: context.guide?.propertiesByName[raw], table: context.table,
                                  names: names, memo: memo)
        context.fields[raw] = field
        return field
    }

    private func valueField(in context: ObjectContext) -> ResolvedField {
        if let known = context.valueField { return known }
        let field = ResolvedField(raw: "value", name: .success("value"), guide: context.guide, table: context.table, names: names, memo: memo)
        context.valueField = field
        return field
    }

    private func add(_ value: JSONValue, field: ResolvedField, into row: inout ShreddedRow, stamp: Int,
                     children: inout [ShreddedRow]) throws(LoadRejection) {
        switch value {
        case .null:
            // [?] A null makes no column: Stitch creates columns from values, and a table needs a
            // non-null column before it exists (§4.1). Rows that lack a column read NULL anyway.
            return
        case .object(let object):
            let context: ObjectContext
            if let known = field.objectContext {
                context = known
            } else {
                context = ObjectContext(table: row.table, prefix: try field.name.get(), guide: field.guide)
                field.objectContext = context
            }
            try flatten(object, context: context, into: &row, stamp: stamp, children: &children)
        case .array(let elements):
            let name = try field.name.get()
            try claim(field, name: name, stamp: stamp)
            guard !field.isArrayTableTooLong else {
                throw LoadRejection("Table name \(field.arrayTable) is longer than \(names.maxTableNameLength) characters")
            }
            let context: ObjectContext
            if let known = field.elementContext {
                context = known
            } else {
                context = ObjectContext(table: field.arrayTable, prefix: nil, guide: field.guide?.items)
                field.elementContext = context
            }
            for (index, element) in elements.enumerated() {
                var child = ShreddedRow(table: field.arrayTable, depth: row.depth + 1, levelIDs: row.levelIDs + [Int64(index)])
                var grandchildren: [ShreddedRow] = []
                let childStamp = memo.newRow()
                // Scalar elements go to a column named `value` [?]: the docs do not name it, but
                // Stitch's other loaders use `value` and the docs show `value__st` splits (§4.5).
                // [?] An array element that is itself an array makes a grandchild table `<child>__value`.
                // [?] A null element still makes a row, so the level ids keep the array's positions.
                if case .object(let object) = element {
                    try flatten(object, context: context, into: &child, stamp: childStamp, children: &grandchildren)
                } else {
                    try add(element, field: valueField(in: context), into: &child, stamp: childStamp, children: &grandchildren)
                }
                children.append(child)
                children += grandchildren
            }
        case .bool, .integer, .number, .string:
            let name = try field.name.get()
            try claim(field, name: name, stamp: stamp)
            guard !field.isNameTooLong else {
                throw LoadRejection("Column name \(name) is longer than \(names.maxColumnNameLength) characters")
            }
            row.fields.append(.init(name: name, value: try Self.cell(for: value, guide: field.guide, field: name)))
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
    private func claim(_ field: ResolvedField, name: String, stamp: Int) throws(LoadRejection) {
        guard memo.claimStamps[field.claimSlot] != stamp, !field.isLoaderColumn else {
            throw LoadRejection("Field collision on \(name)")
        }
        memo.claimStamps[field.claimSlot] = stamp
    }

    /// A scalar as its column will store it (spec §4.2). With one declared type the schema
    /// decides (an integer for a `number` field is a double); with a union, or no type at all,
    /// each value goes by its own JSON type, which is what splits columns (§4.6).
    static func cell(for value: JSONValue, guide: FieldGuide?, field: String) throws(LoadRejection) -> CellValue {
        switch value {
        case .bool(let flag):
            return .boolean(flag)
        case .integer(let number):
            return guide?.isNumberNotInteger == true ? .real(Double(number)) : .integer(number)
        case .number(let number):
            guard number.isFinite else { throw LoadRejection("Value of field \(field) is out of range for double precision") }
            if guide?.isIntegerNotNumber == true && number.rounded() == number {
                // A whole number too large for Int64 passes the gate's `integer` check; bigint cannot hold it.
                // The parser makes every integer literal within Int64 `.integer`, so a `.number` at
                // exactly -2^63 is a literal below Int64.min that rounded up to it (-9223372036854775809):
                // out of range like one above Int64.max. [?] `-9223372036854775808.0` is rejected too:
                // as a Double it cannot be told apart, and the record keeps its text in `_sdc_rejected`.
                guard number != -0x1p63, let exact = Int64(exactly: number) else {
                    throw LoadRejection("Value \(number) of field \(field) is out of range for bigint")
                }
                return .integer(exact)
            }
            return .real(number)
        case .string(let text):
            guard !Self.containsNUL(text) else {
                // PostgreSQL text cannot hold NUL; SQLite rejects it too, so both destinations agree [?].
                throw LoadRejection("Value of field \(field) contains a NUL character")
            }
            guard guide?.isDateTime == true else { return .text(text) }
            guard let parsed = DateTimeValue(parsing: text) else {
                // [?] Not a date-time at all (the gate checks the format, so only an unchecked body gets
                // here): kept as the string it is, in a `__st` column if need be.
                return .text(text)
            }
            // PostgreSQL has no year 0 and the UTC text has four-digit years: out of range (§4.9).
            guard let utc = UTCTimestamp.destinationText(of: parsed), !utc.hasPrefix("0000") else {
                throw LoadRejection("Value \(text) of field \(field) is out of range for timestamp")
            }
            return .timestamp(utc)
        case .null, .array, .object:
            return .null
        }
    }

    /// NUL is the only character whose UTF-8 holds a zero byte; `memchr` finds one fastest.
    private static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        } ?? text.utf8.contains(0)
    }
}
