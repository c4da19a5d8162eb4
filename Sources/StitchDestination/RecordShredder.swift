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
        /// The flattened, canonical field name (`attributes__color`, or `value` for a scalar
        /// element) in its table, as a number: `RecordShredder.name(of:)` spells it. One number per
        /// table and spelling, so rows compare and find their columns without touching strings.
        var id: Int
        /// Never NULL: absent and null fields are simply not listed. Packed, its text in the
        /// shredder's arena (`RecordShredder.arena`), so rows hold no references.
        var cell: PackedCell
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
        /// How many of `fieldsByPosition`'s first fields are known to have distinct names: an object
        /// whose members all matched them has no repeated key (the tape walk's check, see `TapeStop`).
        var uniquePrefix = 0
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
        /// Its UTF-8, compared with a tape's key bytes.
        let rawUTF8: [UInt8]
        /// The flattened name, or why the raw name cannot be part of one.
        let name: Result<String, LoadRejection>
        let guide: FieldGuide?
        /// Numbers the collision key within its table, for `Memo.claimStamps`.
        let claimSlot: Int
        /// The flattened name in its table as a `ShreddedRow.Field.id` (-1 when there is none).
        let id: Int
        let isLoaderColumn: Bool
        let isNameTooLong: Bool
        /// `<table>__<name>`, the table an array of this field fills.
        let arrayTable: String
        let isArrayTableTooLong: Bool
        var objectContext: ObjectContext?
        /// Where this field's array elements lead, made when an array is first met here.
        lazy var elementContext = ObjectContext(table: arrayTable, prefix: nil, guide: guide?.items)

        init(raw: String, name: Result<String, LoadRejection>, guide: FieldGuide?, table: String, names: ObjectNames, memo: Memo) {
            self.raw = raw
            rawUTF8 = Array(raw.utf8)
            self.name = name
            self.guide = guide
            let spelled = (try? name.get()) ?? ""
            let key = names.key(spelled)
            claimSlot = memo.slot(table: table, key: key)
            id = (try? name.get()) == nil ? -1 : memo.fieldID(table: table, name: spelled)
            isLoaderColumn = SystemColumns.isLoaderColumn(spelled)
            isNameTooLong = ObjectNames.length(spelled) > names.maxColumnNameLength
            arrayTable = table + "__" + spelled
            isArrayTableTooLong = ObjectNames.length(arrayTable) > names.maxTableNameLength
        }
    }

    /// Read and written once or more per value, so the properties skip the dynamic exclusivity
    /// checks a class's stored properties get: a `Memo` is used by one planning on one thread, and
    /// no access to one of them overlaps another (none is passed `inout` or held across a call).
    private final class Memo {
        var root: ObjectContext?
        var parts: [String: Result<String, LoadRejection>] = [:]
        /// Collision keys, numbered per table (`table NUL key`).
        var slots: [String: Int] = [:]
        /// Per slot: the row that last claimed it. A row claims a key once; a second claim in the
        /// same row is a collision. Rows are numbered, so nothing is cleared between them.
        @exclusivity(unchecked) var claimStamps: [Int] = []
        @exclusivity(unchecked) var rowCount = 0
        /// Field ids by `table NUL name` (spelled as is), and their names by id.
        var fieldIDs: [String: Int] = [:]
        var fieldNames: [String] = []
        /// How many fields the last record's own row had.
        @exclusivity(unchecked) var lastRootFieldCount = 0
        /// The UTF-8 of every text value shredded, which `PackedCell`s point into.
        @exclusivity(unchecked) var arena: [UInt8] = []

        func fieldID(table: String, name: String) -> Int {
            let key = table + "\u{0}" + name
            if let id = fieldIDs[key] { return id }
            let id = fieldNames.count
            fieldIDs[key] = id
            fieldNames.append(name)
            return id
        }

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

    /// The name of a `ShreddedRow.Field.id`.
    func name(of id: Int) -> String { memo.fieldNames[id] }

    /// The bytes the rows' packed texts point into.
    var arena: [UInt8] { memo.arena }

    /// A packed cell as a value (its text read from the arena).
    func value(of cell: PackedCell) -> CellValue { cell.value(in: memo.arena) }

    /// A value packed as rows hold it (its text appended to the arena).
    func pack(_ value: CellValue) -> PackedCell { PackedCell(value, arena: &memo.arena) }

    /// The id fields named `name` in `table` get (the key columns' ids, to find them in a row).
    func fieldID(table: String, name: String) -> Int { memo.fieldID(table: table, name: name) }

    /// The record's own row, then its child rows, parents before children.
    ///
    /// `sizeBound`: at least the length of the record's JSON text, worked out on the same walk
    /// (`Planner.sizeBound(of:)` gives the same figure), so a record is walked once.
    func shred(_ data: JSONObject, sizeBound: inout Int) throws(LoadRejection) -> [ShreddedRow] {
        guard let context = memo.root else { return [] }
        var rows = [ShreddedRow(table: rootTable, depth: 0, levelIDs: [])]
        // Records of a batch mostly have as many fields as the one before.
        rows[0].fields.reserveCapacity(memo.lastRootFieldCount)
        var children: [ShreddedRow] = []
        let stamp = memo.newRow()
        try flatten(data, context: context, into: &rows[0], stamp: stamp, children: &children, bound: &sizeBound)
        memo.lastRootFieldCount = rows[0].fields.count
        if !children.isEmpty { rows += children }
        return rows
    }

    private func flatten(_ object: JSONObject, context: ObjectContext, into row: inout ShreddedRow, stamp: Int,
                         children: inout [ShreddedRow], bound: inout Int) throws(LoadRejection) {
        bound += 2
        for (position, (raw, value)) in object.members.enumerated() {
            bound += raw.utf8.count * 6 + 4
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
            try add(value, field: field, into: &row, stamp: stamp, children: &children, bound: &bound)
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
                     children: inout [ShreddedRow], bound: inout Int) throws(LoadRejection) {
        switch value {
        case .null:
            bound += 5
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
            try flatten(object, context: context, into: &row, stamp: stamp, children: &children, bound: &bound)
        case .array(let elements):
            bound += 2 + elements.count
            let name = try field.name.get()
            try claim(field, name: name, stamp: stamp)
            guard !field.isArrayTableTooLong else {
                throw LoadRejection("Table name \(field.arrayTable) is longer than \(names.maxTableNameLength) characters")
            }
            let context = field.elementContext
            for (index, element) in elements.enumerated() {
                var child = ShreddedRow(table: field.arrayTable, depth: row.depth + 1, levelIDs: row.levelIDs + [Int64(index)])
                var grandchildren: [ShreddedRow] = []
                let childStamp = memo.newRow()
                // Scalar elements go to a column named `value` [?]: the docs do not name it, but
                // Stitch's other loaders use `value` and the docs show `value__st` splits (§4.5).
                // [?] An array element that is itself an array makes a grandchild table `<child>__value`.
                // [?] A null element still makes a row, so the level ids keep the array's positions.
                if case .object(let object) = element {
                    try flatten(object, context: context, into: &child, stamp: childStamp, children: &grandchildren, bound: &bound)
                } else {
                    try add(element, field: valueField(in: context), into: &child, stamp: childStamp, children: &grandchildren,
                            bound: &bound)
                }
                children.append(child)
                children += grandchildren
            }
        case .bool, .integer, .number, .string:
            switch value {
            case .bool: bound += 5
            case .string(let text): bound += text.utf8.count * 6 + 2
            default: bound += 32
            }
            let name = try field.name.get()
            try claim(field, name: name, stamp: stamp)
            guard !field.isNameTooLong else {
                throw LoadRejection("Column name \(name) is longer than \(names.maxColumnNameLength) characters")
            }
            row.fields.append(.init(id: field.id, cell: try packedCell(for: value, guide: field.guide, field: name)))
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

    /// `cell(for:guide:field:)` packed; a plain string goes from the parsed JSON to the arena
    /// without a `CellValue` in between.
    private func packedCell(for value: JSONValue, guide: FieldGuide?, field: String) throws(LoadRejection) -> PackedCell {
        if case .string(let text) = value {
            guard !Self.containsNUL(text) else { throw LoadRejection("Value of field \(field) contains a NUL character") }
            // A date-time goes into the arena as its UTC text, formatted there; the rest as `cell` says.
            if guide?.isDateTime == true, let parsed = DateTimeValue(parsing: text) {
                let start = memo.arena.count
                // Year 0 is out of range too: PostgreSQL has none (as in `cell(for:)`).
                guard UTCTimestamp.appendDestinationText(of: parsed, to: &memo.arena),
                      memo.arena[start ..< start + 4] != [0x30, 0x30, 0x30, 0x30] else {
                    throw LoadRejection("Value \(text) of field \(field) is out of range for timestamp")
                }
                return PackedCell(tag: .timestamp, length: Int32(memo.arena.count - start), payload: Int64(start))
            }
            if guide?.isDateTime != true { return PackedCell(text: text, tag: .text, arena: &memo.arena) }
        }
        return PackedCell(try Self.cell(for: value, guide: guide, field: field), arena: &memo.arena)
    }

    // MARK: Shredding from a tape

    /// Why the tape walk gave a record up: the tree-based walk (`shred(_:sizeBound:)`) then does
    /// it again from scratch, so a rejection's reason and a repeated key's meaning (first position,
    /// last value) come from one place.
    private struct TapeStop: Error {}

    /// `shred(_:sizeBound:)` for the record at `token` in `tape` (an object), without a `JSONValue`
    /// tree: the same rows, cells and size bound, or nil when the record is rejected or has a
    /// repeated key, which the caller then shreds from its tree for the same result.
    func shred(_ tape: BatchTape, object token: Int, sizeBound: inout Int) -> [ShreddedRow]? {
        guard let context = memo.root else { return [] }
        var rows = [ShreddedRow(table: rootTable, depth: 0, levelIDs: [])]
        rows[0].fields.reserveCapacity(memo.lastRootFieldCount)
        var children: [ShreddedRow] = []
        let stamp = memo.newRow()
        var bound = 0
        do throws(TapeStop) {
            try flatten(tape, object: token, context: context, into: &rows[0], stamp: stamp, children: &children, bound: &bound)
        } catch {
            return nil
        }
        sizeBound += bound
        memo.lastRootFieldCount = rows[0].fields.count
        if !children.isEmpty { rows += children }
        return rows
    }

    private func flatten(_ tape: BatchTape, object token: Int, context: ObjectContext, into row: inout ShreddedRow, stamp: Int,
                         children: inout [ShreddedRow], bound: inout Int) throws(TapeStop) {
        bound += 2
        let count = Int(tape.tokens[token].count)
        var allMatched = true
        var keyToken = token + 1
        for position in 0 ..< count {
            bound += Int(tape.tokens[keyToken].count) * 6 + 4
            let field: ResolvedField
            let matched = position < context.fieldsByPosition.count && tape.withBytes(of: keyToken) { key in
                context.fieldsByPosition[position].rawUTF8.withUnsafeBufferPointer { raw in Self.sameBytes(raw, key) }
            }
            if matched {
                field = context.fieldsByPosition[position]
            } else {
                if allMatched {
                    // The names from here on change: only those before are still known distinct.
                    context.uniquePrefix = min(context.uniquePrefix, position)
                    allMatched = false
                }
                field = resolve(tape.string(at: keyToken), in: context)
                if position < context.fieldsByPosition.count {
                    context.fieldsByPosition[position] = field
                } else {
                    context.fieldsByPosition.append(field)
                }
            }
            guard case .success = field.name else { throw TapeStop() }
            try add(tape, value: keyToken + 1, field: field, into: &row, stamp: stamp, children: &children, bound: &bound)
            keyToken = tape.end(of: keyToken + 1)
        }
        // The object's fields are now `fieldsByPosition[0 ..< count]`, in order. A repeated key
        // means one field twice there (a name resolves to one field per context).
        if !(allMatched && count <= context.uniquePrefix) {
            for later in 1 ..< max(count, 1) {
                for earlier in 0 ..< later where context.fieldsByPosition[earlier] === context.fieldsByPosition[later] {
                    throw TapeStop()
                }
            }
            context.uniquePrefix = count
        }
    }

    private static func sameBytes(_ one: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard one.count == other.count else { return false }
        guard let first = one.baseAddress, let second = other.baseAddress else { return true }
        return memcmp(first, second, one.count) == 0
    }

    private func add(_ tape: BatchTape, value token: Int, field: ResolvedField, into row: inout ShreddedRow, stamp: Int,
                     children: inout [ShreddedRow], bound: inout Int) throws(TapeStop) {
        let kind = tape.tokens[token].kind
        switch kind {
        case .null:
            bound += 5
            return
        case .object:
            let context: ObjectContext
            if let known = field.objectContext {
                context = known
            } else {
                guard case .success(let name) = field.name else { throw TapeStop() }
                context = ObjectContext(table: row.table, prefix: name, guide: field.guide)
                field.objectContext = context
            }
            try flatten(tape, object: token, context: context, into: &row, stamp: stamp, children: &children, bound: &bound)
        case .array:
            let count = Int(tape.tokens[token].count)
            bound += 2 + count
            guard case .success(let name) = field.name, (try? claim(field, name: name, stamp: stamp)) != nil,
                  !field.isArrayTableTooLong else { throw TapeStop() }
            let context = field.elementContext
            var element = token + 1
            for index in 0 ..< count {
                var child = ShreddedRow(table: field.arrayTable, depth: row.depth + 1, levelIDs: row.levelIDs + [Int64(index)])
                var grandchildren: [ShreddedRow] = []
                let childStamp = memo.newRow()
                if tape.tokens[element].kind == .object {
                    try flatten(tape, object: element, context: context, into: &child, stamp: childStamp,
                                children: &grandchildren, bound: &bound)
                } else {
                    try add(tape, value: element, field: valueField(in: context), into: &child, stamp: childStamp,
                            children: &grandchildren, bound: &bound)
                }
                children.append(child)
                children += grandchildren
                element = tape.end(of: element)
            }
        case .falseValue, .trueValue, .integer, .number, .bodyString, .decodedString:
            let isString = kind == .bodyString || kind == .decodedString
            switch kind {
            case .falseValue, .trueValue: bound += 5
            case .bodyString, .decodedString: bound += Int(tape.tokens[token].count) * 6 + 2
            default: bound += 32
            }
            guard case .success(let name) = field.name, (try? claim(field, name: name, stamp: stamp)) != nil,
                  !field.isNameTooLong else { throw TapeStop() }
            let cell: PackedCell
            if isString, field.guide?.isDateTime != true {
                // A plain string: its bytes from the body (or the decoded escapes) to the arena.
                let start = memo.arena.count
                let hasNUL = tape.withBytes(of: token) { bytes in
                    guard let base = bytes.baseAddress else { return false }
                    if memchr(base, 0, bytes.count) != nil { return true }
                    memo.arena.append(contentsOf: bytes)
                    return false
                }
                guard !hasNUL else { throw TapeStop() }
                cell = PackedCell(tag: .text, length: Int32(memo.arena.count - start), payload: Int64(start))
            } else {
                let value: JSONValue
                switch kind {
                case .falseValue: value = .bool(false)
                case .trueValue: value = .bool(true)
                case .integer: value = .integer(tape.tokens[token].payload)
                case .number: value = .number(Double(bitPattern: UInt64(bitPattern: tape.tokens[token].payload)))
                default: value = .string(tape.string(at: token))
                }
                do throws(LoadRejection) {
                    cell = try packedCell(for: value, guide: field.guide, field: name)
                } catch {
                    throw TapeStop()
                }
            }
            row.fields.append(.init(id: field.id, cell: cell))
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
