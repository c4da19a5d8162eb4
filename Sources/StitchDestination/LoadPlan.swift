import StitchAPI

/// How one batch lands in a destination: the structuring step of Stitch's pipeline (spec §4),
/// computed without SQL from the batch and the destination's current shape, so it can be
/// tested on its own and shared by every destination.
///
/// - Objects flatten into `parent__child` columns; arrays become child tables (`LoadPlan.tables`).
/// - Columns split on a type change (`WorkingTable.place`).
/// - With `key_names` the highest `sequence` per key survives the batch (ties: the later
///   message [?], the docs leave them undefined). Across batches the SQL keeps the same rule,
///   and a record's child rows are replaced together with it.
/// - Without keys every record is appended under a `__sdc_primary_key`.
/// - Records that cannot load become `rejects`, for `_sdc_rejected`.
public struct LoadPlan: Sendable, Hashable {
    public var schemaName: String
    /// The batch's table as the destination names it (or the raw `table_name` when that is unusable).
    public var tableName: String
    public var isAppendOnly: Bool
    /// Tables this load touches: the batch's table first, then child tables, parents before children.
    public var tables: [TablePlan]
    /// Every child table of the batch's table after this load: a replaced record's child rows are
    /// deleted from all of them, and `activate_version` clears old versions in all of them.
    public var childTables: [String]
    /// Whether the batch's table exists once this load's DDL has run.
    public var tableExists: Bool
    public var rejects: [RejectedRecord]
    /// Records of a table version older than the active one: dropped [I], as a finished
    /// full-table sync has already replaced them.
    public var ignoredRecords: Int
    /// Set when the batch makes a table version current (`activate_version`, spec §4.8).
    public var activatedVersion: Int64?
    /// True when the destination already holds this batch: nothing is to be done.
    public var isReplay: Bool
    public var batchNumber: Int64
    public var receivedAt: UTCTimestamp
    public var batchedAt: UTCTimestamp

    /// Whether this load creates a table or changes a table's columns: a load after it in the same
    /// transaction must read the tables again.
    public var changesTables: Bool {
        tables.contains { $0.isNew || !$0.renames.isEmpty || !$0.addedColumns.isEmpty }
    }

    /// This plan without its rows and rejects: what it did to the tables' shapes, for later loads.
    var withoutRows: LoadPlan {
        var plan = self
        plan.tables = tables.map { table in
            var table = table
            table.cellRows = CellRows(width: table.columns.count)
            return table
        }
        plan.rejects = []
        return plan
    }

    /// The destination name of a batch's `table_name`, or why no table can have it.
    public static func tableName(for raw: String, names: ObjectNames) -> Result<String, LoadRejectionReason> {
        guard let name = ObjectNames.canonical(raw) else {
            return .failure(.init("Table name \"\(raw)\" has no letters, digits or underscores left after removing special characters"))
        }
        guard ObjectNames.length(name) <= names.maxTableNameLength else {
            return .failure(.init("Table name \(name) is longer than \(names.maxTableNameLength) characters"))
        }
        // `_sdc_rejected` and the sandbox's own bookkeeping must not be loaded into.
        let folded = name.lowercased()
        guard !folded.hasPrefix("_sdc"), !folded.hasPrefix("_stitch_sandbox") else {
            return .failure(.init("Table name \(name) is reserved"))
        }
        // [?] Stitch has no SQLite destination, so nothing says what becomes of `sqlite_x` there;
        // SQLite refuses to create it. Rejected with the rule named, like other names a destination
        // will not take (over-long ones, §4.9): a renamed table would be harder to find than a
        // reason in `_sdc_rejected`. PostgreSQL takes such a name, so it loads there.
        if let reserved = names.reservedPrefix(of: name) {
            return .failure(.init("Table name \(name) is reserved: \(reserved.owner) keeps names starting with "
                                      + "\(reserved.prefix) (in any case) for itself"))
        }
        return .success(name)
    }

    /// The name a batch's loads are known by (its summary, `/loads`): the destination's name for
    /// the table, or the raw `table_name` when no table can have it. The same for every attempt,
    /// replays included.
    static func streamName(for raw: String, names: ObjectNames) -> String {
        (try? tableName(for: raw, names: names).get()) ?? Planner.storable(raw)
    }

    /// Why a name the destination already holds under another spelling (SQLite: `Orders` for
    /// `orders`) is rejected; follows the collision it names.
    static let caseRule = "names that differ only by case are one name to this destination"

    /// A plan that loads nothing yet.
    fileprivate init(nothingFor batch: DestinationBatch, isReplay: Bool, batchedAt: UTCTimestamp) {
        schemaName = batch.schemaName
        tableName = batch.request.tableName
        isAppendOnly = (batch.request.keyNames ?? []).isEmpty
        tables = []
        childTables = []
        tableExists = false
        rejects = []
        ignoredRecords = 0
        activatedVersion = nil
        self.isReplay = isReplay
        batchNumber = batch.number
        receivedAt = batch.receivedAt
        self.batchedAt = batchedAt
    }

    /// Plans a whole batch into `_sdc_rejected` and nothing else (see `RejectedBatch`); a replay
    /// plans nothing. The batch is then recorded as loaded, so it never loads twice.
    public init(rejecting batch: RejectedBatch, isReplay: Bool, names: ObjectNames, batchedAt: UTCTimestamp) {
        schemaName = batch.schemaName
        tableName = Self.streamName(for: batch.tableName, names: names)
        isAppendOnly = true
        tables = []
        childTables = []
        tableExists = false
        let table = tableName
        rejects = isReplay ? [] : batch.records.map {
            RejectedRecord(tableName: table, reason: Planner.storable(batch.reason), record: Planner.storable($0))
        }
        ignoredRecords = 0
        activatedVersion = nil
        self.isReplay = isReplay
        batchNumber = batch.number
        receivedAt = batch.receivedAt
        self.batchedAt = batchedAt
    }

    /// Plans `batch` against `state`. `batchedAt` becomes `_sdc_batched_at` (and `_sdc_rejected_at`).
    public init(batch: DestinationBatch, state: DestinationState, names: ObjectNames, batchedAt: UTCTimestamp) {
        var planner = Planner(batch: batch, state: state, names: names, batchedAt: batchedAt)
        self = planner.plan()
    }
}

/// Why a table name cannot be used.
public struct LoadRejectionReason: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The planning of one batch, step by step.
private struct Planner {
    /// A record that passed structuring, with its rows and its key.
    struct Accepted {
        var messageIndex: Int
        var sequence: Int64
        var extractedAt: String?
        var keyCells: [CellValue]
        var rows: [ShreddedRow]
    }

    let batch: DestinationBatch
    let state: DestinationState
    let names: ObjectNames
    let batchedAt: UTCTimestamp
    let request: BatchRequest

    /// The batch's table as the destination names it.
    var rootName = ""
    /// `names.key(rootName)`.
    var rootKey = ""
    /// Set once a record has been placed: the batch's table then exists with the expected key.
    var rootHasExpectedKey = false
    /// Working tables by `ObjectNames.key` of their names.
    var tables: [String: WorkingTable] = [:]
    /// Keys of the tables records were placed in, in first-placed order.
    var tableOrder: [String] = []
    /// Rejected messages by index, with their table and reason; their text is read once at the end.
    var rejects: [(messageIndex: Int, table: String, reason: String)] = []
    /// The last record placed: its rows (for their shape), whether it had `time_extracted`, its key types.
    /// The shapes of the last few records placed, newest first: their rows, whether they had
    /// `time_extracted`, their key types. Placing a shape again changes nothing, however the tables
    /// grew since (columns are only added or renamed to the suffixed name fields then resolve to).
    var recentShapes: [(rows: [ShreddedRow], hasExtractedAt: Bool, keyTypes: [ColumnType])] = []
    /// Enough for records that alternate between a few shapes (a nullable field, an optional array).
    static let recentShapeLimit = 4
    /// The types of the batch's table's key columns as `tables` stand (keyed batches), set when a
    /// record was placed: a record shaped like a recent one then needs no table looked up.
    var keyColumnTypes: [ColumnType]?

    init(batch: DestinationBatch, state: DestinationState, names: ObjectNames, batchedAt: UTCTimestamp) {
        self.batch = batch
        self.state = state
        self.names = names
        self.batchedAt = batchedAt
        self.request = batch.request
    }

    mutating func plan() -> LoadPlan {
        var plan = LoadPlan(nothingFor: batch, isReplay: state.isBatchLoaded, batchedAt: batchedAt)
        guard !state.isBatchLoaded else {
            plan.tableName = LoadPlan.streamName(for: request.tableName, names: names)
            return plan
        }
        let upserts = request.messages.indices.filter { request.messages[$0].action == .upsert }

        let rootName: String
        switch LoadPlan.tableName(for: request.tableName, names: names) {
        case .success(let name):
            rootName = name
        case .failure(let reason):
            plan.tableName = Self.storable(request.tableName)
            rejects = upserts.map { ($0, request.tableName, reason.description) }
            plan.rejects = rejectedRecords()
            return plan
        }
        plan.tableName = rootName
        self.rootName = rootName
        rootKey = names.key(rootName)
        // Every table the destination would take for this one or its children, spelled as it is
        // there: a record's table spelled otherwise collides rather than mixes into it.
        let related = state.tables.filter { names.key($0.name) == rootKey || isChild($0, of: rootName) }
        for layout in related {
            let depth = layout.columns.filter { $0.name.hasPrefix("_sdc_level_") }.count
            tables[names.key(layout.name)] = WorkingTable(existing: layout, depth: depth, names: names)
        }
        if let other = related.first(where: { names.key($0.name) == rootKey && $0.name != rootName }) {
            // [?] Stitch keeps case on PostgreSQL (§4.3), so `Orders` and `orders` are two tables;
            // SQLite cannot hold both. Rows of one must not upsert into the other's, so the later
            // name is rejected, with why, and nothing of the batch touches the existing table.
            let reason = "Table name \(rootName) collides with table \(other.name): \(LoadPlan.caseRule)"
            rejects = upserts.map { ($0, rootName, reason) }
            plan.rejects = rejectedRecords()
            return plan
        }
        let existingChildren = related.filter { $0.name.hasPrefix(rootName + "__") && isChild($0, of: rootName) }

        // Records of a version older than the active one are stale (§4.8) [I].
        // [?] A batch without `table_version` loads as version 0 (the docs' example value) and is
        // never ignored; the next activate_version removes its rows like any older version's.
        let version = request.tableVersion ?? 0
        if let active = state.activeVersion, let sent = request.tableVersion, sent < active {
            plan.ignoredRecords = upserts.count
        } else {
            let keyNames = request.keyNames ?? []
            let guide = FieldGuide.root(of: request.schema)
            var order = ColumnOrder(root: guide, table: rootName, names: names)
            let shredder = RecordShredder(names: names, rootTable: rootName, guide: guide)
            // The key: `key_names`, or a synthetic `__sdc_primary_key` for an append-only table.
            let expectedKey: Result<[String], LoadRejection>
            if keyNames.isEmpty {
                expectedKey = .success([SystemColumns.syntheticKey])
            } else if let canonical = Optional(keyNames.compactMap(ObjectNames.canonical)), canonical.count == keyNames.count {
                expectedKey = Set(canonical.map(names.key)).count == canonical.count
                    ? .success(canonical)
                    : .failure(LoadRejection("key_names [\(keyNames.joined(separator: ", "))] name a column twice"))
            } else {
                expectedKey = .failure(LoadRejection("key_names [\(keyNames.joined(separator: ", "))] include a name with no usable characters"))
            }
            // Where a record's key fields are found in its own row.
            let keyFieldIDs = ((try? expectedKey.get()) ?? []).map { shredder.fieldID(table: rootName, name: $0) }
            var accepted: [Accepted] = []
            accepted.reserveCapacity(upserts.count)
            for index in upserts {
                do throws(LoadRejection) {
                    accepted.append(try place(request.messages[index], index: index, keyNames: keyNames, expectedKey: expectedKey,
                                              keyFieldIDs: keyFieldIDs, shredder: shredder, order: &order))
                } catch {
                    rejects.append((index, rootName, error.reason))
                }
            }
            let survivors = plan.isAppendOnly ? accepted : highestSequencePerKey(accepted)
            plan.tables = tablePlans(for: survivors, version: version, shredder: shredder)
        }

        if request.messages.contains(where: { $0.action == .activateVersion }) {
            // [?] An activate_version older than the active one is ignored: versions only move forward.
            if state.activeVersion.map({ version >= $0 }) ?? true { plan.activatedVersion = version }
        }
        var children = existingChildren.map(\.name)
        for name in tableOrder where names.key(name) != names.key(rootName) {
            if !children.contains(where: { names.key($0) == name }), let table = tables[name] { children.append(table.name) }
        }
        plan.childTables = children
        plan.tableExists = tables[names.key(rootName)] != nil
        plan.rejects = rejectedRecords()
        return plan
    }

    /// A child table of `root`: named `<root>__…` and carrying level ids. A top-level table that
    /// merely shares the prefix (a batch for `orders__notes`) has none [?]: Stitch's names
    /// cannot tell the two apart either.
    private func isChild(_ layout: TableLayout, of root: String) -> Bool {
        names.key(layout.name).hasPrefix(names.key(root) + "__")
            && layout.columns.contains { names.key($0.name) == names.key(SystemColumns.level(0)) }
    }

    // MARK: Placing one record

    /// Structures one record and fits its rows into the tables, or rejects it whole: a copy of
    /// the tables is changed and kept only when every row fits.
    private mutating func place(_ message: BatchMessage, index: Int, keyNames: [String],
                                expectedKey: Result<[String], LoadRejection>, keyFieldIDs: [Int], shredder: RecordShredder,
                                order: inout ColumnOrder) throws(LoadRejection) -> Accepted {
        var bound = 0
        var rows: [ShreddedRow]
        if let taped = batch.taped, index < taped.dataTokens.count, taped.dataTokens[index] >= 0,
           let shredded = shredder.shred(taped.tape, object: taped.dataTokens[index], sizeBound: &bound) {
            // Straight from the stored body's tape; its tree is made only to measure a record
            // that may be over the size limit.
            rows = shredded
            if bound > names.maxRecordBytes { try checkSize(of: taped.data(ofMessage: index) ?? JSONObject(), bound: bound) }
        } else {
            // A request without a tape, or a record the tape walk leaves to the tree (rejected, or
            // with a repeated key): shredded from its tree, as it always was.
            let data = batch.data(ofMessage: index) ?? message.data ?? JSONObject()
            bound = 0
            do throws(LoadRejection) {
                rows = try shredder.shred(data, sizeBound: &bound)
            } catch {
                // A record too big is rejected for its size, whatever else is wrong with it.
                try checkSize(of: data, bound: Self.sizeBound(of: .object(data)))
                throw error
            }
            try checkSize(of: data, bound: bound)
        }
        // [?] A `time_extracted` that is not a date-time leaves `_sdc_extracted_at` NULL rather than
        // rejecting a record whose data is fine.
        let extractedAt = message.timeExtracted.flatMap(DateTimeValue.init(parsing:)).flatMap(UTCTimestamp.destinationText(of:))
        if let types = keyColumnTypes,
           let keyCells = Self.keyCells(of: &rows, keyFieldIDs: keyFieldIDs, types: types, shredder: shredder),
           recentShapes.contains(where: { shape in
               shape.hasExtractedAt == (extractedAt != nil) && shape.keyTypes == types && Self.sameShape(shape.rows, rows)
           }) {
            // What the steps below conclude for such a record, without them: its key columns
            // exist and take its key values, and its shape needs nothing new.
            return Accepted(messageIndex: index, sequence: message.sequence, extractedAt: extractedAt, keyCells: keyCells, rows: rows)
        }
        var trial = tables
        var trialOrder = tableOrder
        let rootKey = self.rootKey

        let expectedKey = try expectedKey.get()
        var root = trial[rootKey] ?? WorkingTable(new: shredder.rootTable, depth: 0, keyColumns: expectedKey, names: names)
        // A table's key never changes once placed: checked once, not per record.
        guard rootHasExpectedKey || root.hasKey(expectedKey) else {
            // [?] Stitch falls back to append-only when the key changes (§4.8); a table here keeps
            // its primary key constraint, so the records are rejected instead, where they can be seen.
            throw LoadRejection("key_names [\(expectedKey.joined(separator: ", "))] differ from the primary key "
                                    + "[\(root.keyColumns.joined(separator: ", "))] of table \(root.name)")
        }
        var keyCells: [CellValue] = []
        if keyNames.isEmpty {
            keyCells = [.text(Self.syntheticKey(batch: batch.number, message: index, receivedAt: batch.receivedAt))]
            try root.ensureSystemColumn(SystemColumns.syntheticKey, type: .string)
        } else {
            for (name, keyID) in zip(expectedKey, keyFieldIDs) {
                // Names are kept as spelled (§4.3): `ID` is not the key `id`, on any destination.
                guard let position = rows[0].fields.firstIndex(where: { $0.id == keyID }) else {
                    throw LoadRejection("Record is missing key property \(name)")
                }
                var cell = shredder.value(of: rows[0].fields[position].cell)
                if let columnIndex = try root.exactIndex(of: name) {
                    let column = root.columns[columnIndex]
                    guard let converted = cell.converted(to: column.type) else {
                        throw LoadRejection("Key property \(name) has a \(cell.columnType?.postgresType ?? "null") value, "
                                                + "but column \(column.name) is \(column.type.postgresType)")
                    }
                    if converted != cell { rows[0].fields[position].cell = shredder.pack(converted) }
                    cell = converted
                } else if let type = cell.columnType {
                    try root.addColumn(name, type: type, isSystem: false, rank: order.rank(table: root.name, column: name))
                }
                keyCells.append(cell)
            }
        }
        let accepted = Accepted(messageIndex: index, sequence: message.sequence, extractedAt: extractedAt, keyCells: keyCells,
                                rows: rows)
        // [I] A keyless parent's child rows point at it through `_sdc_source_key___sdc_primary_key`
        // (§4.5 leaves arrays without a parent key undocumented).
        let keyTypes = keyCells.map { $0.columnType ?? .string }
        // Records of a batch mostly look alike. One shaped like a recent record placed needs
        // nothing the tables do not have already: skip the column-by-column checks.
        if root.revision == trial[rootKey]?.revision, recentShapes.contains(where: { shape in
            shape.hasExtractedAt == (extractedAt != nil) && shape.keyTypes == keyTypes && Self.sameShape(shape.rows, rows)
        }) {
            return accepted
        }
        if root.revision != trial[rootKey]?.revision { trial[rootKey] = root }
        let sourceKeys = root.keyColumns.map(SystemColumns.sourceKey)

        for row in rows {
            let key = names.key(row.table)
            let childKey = sourceKeys + (0..<row.depth).map(SystemColumns.level)
            var table = trial[key] ?? WorkingTable(new: row.table, depth: row.depth, keyColumns: childKey, names: names)
            guard table.name == row.table else {
                // A child table the destination holds under another spelling (SQLite: `orders__Items`
                // for a field `items`): its rows belong to another field.
                throw LoadRejection("Field collision on \(row.table) with table \(table.name): \(LoadPlan.caseRule)")
            }
            let revision = trial[key]?.revision
            if row.depth > 0 {
                for name in childKey where ObjectNames.length(name) > names.maxIdentifierLength {
                    throw LoadRejection("Column name \(name) is longer than \(names.maxIdentifierLength) characters")
                }
                guard table.hasKey(childKey) else {
                    throw LoadRejection("Table \(table.name) has primary key [\(table.keyColumns.joined(separator: ", "))], "
                                            + "not [\(childKey.joined(separator: ", "))]")
                }
                for (name, type) in zip(sourceKeys, keyTypes) { try table.ensureSystemColumn(name, type: type) }
                for level in 0..<row.depth { try table.ensureSystemColumn(SystemColumns.level(level), type: .integer) }
            }
            for field in row.fields {
                guard let type = field.cell.columnType else { continue }
                let name = shredder.name(of: field.id)
                try table.place(name, type: type, rank: order.rank(table: row.table, column: name))
            }
            if extractedAt != nil { try table.ensureSystemColumn(SystemColumns.extractedAt, type: .dateTime) }
            for column in SystemColumns.common { try table.ensureSystemColumn(column.name, type: column.type) }
            if table.revision != revision { trial[key] = table }
            if !trialOrder.contains(key) { trialOrder.append(key) }
        }
        tables = trial
        tableOrder = trialOrder
        rootHasExpectedKey = true
        keyColumnTypes = keyNames.isEmpty ? nil : keyTypes
        recentShapes.insert((rows, extractedAt != nil, keyTypes), at: 0)
        if recentShapes.count > Self.recentShapeLimit { recentShapes.removeLast() }
        return accepted
    }

    /// A keyed record's key values converted to the key columns' `types`, as the full placing does;
    /// nil when one is missing or does not convert (the full placing then says why).
    private static func keyCells(of rows: inout [ShreddedRow], keyFieldIDs: [Int], types: [ColumnType],
                                 shredder: RecordShredder) -> [CellValue]? {
        var cells: [CellValue] = []
        cells.reserveCapacity(types.count)
        for (keyID, type) in zip(keyFieldIDs, types) {
            guard let position = rows[0].fields.firstIndex(where: { $0.id == keyID }) else { return nil }
            let cell = shredder.value(of: rows[0].fields[position].cell)
            guard let converted = cell.converted(to: type) else { return nil }
            if converted != cell { rows[0].fields[position].cell = shredder.pack(converted) }
            cells.append(converted)
        }
        return cells
    }

    /// Whether two records give the same tables the same fields with the same types.
    private static func sameShape(_ first: [ShreddedRow], _ second: [ShreddedRow]) -> Bool {
        guard first.count == second.count else { return false }
        for (one, other) in zip(first, second) {
            guard one.depth == other.depth, one.fields.count == other.fields.count, one.table == other.table else { return false }
            for (field, otherField) in zip(one.fields, other.fields)
            where field.id != otherField.id || field.cell.columnType != otherField.cell.columnType {
                return false
            }
        }
        return true
    }

    /// Rejects a record whose JSON text is over the limit; `bound` is at least its length (see
    /// `sizeBound(of:)`), so only a record that might be over it is serialized to measure it exactly.
    private func checkSize(of data: JSONObject, bound: Int) throws(LoadRejection) {
        guard bound > names.maxRecordBytes else { return }
        let size = JSONValue.object(data).jsonText.utf8.count
        guard size <= names.maxRecordBytes else {
            throw LoadRejection("Record is \(size) bytes; the limit is \(names.maxRecordBytes) bytes (4 MB)")
        }
    }

    /// At least the length of the value's JSON text, cheap to compute: only a record that might be
    /// over the limit is serialized to measure it exactly. `RecordShredder.shred` works out the same
    /// figure on its walk; this one is for a record it rejected before the end.
    private static func sizeBound(of value: JSONValue) -> Int {
        switch value {
        case .null, .bool: 5
        case .integer, .number: 32
        // Every byte escaped as \uXXXX at worst, plus the quotes.
        case .string(let text): text.utf8.count * 6 + 2
        case .array(let elements): elements.reduce(2) { $0 + sizeBound(of: $1) + 1 }
        case .object(let object): object.members.reduce(2) { $0 + $1.key.utf8.count * 6 + 4 + sizeBound(of: $1.value) }
        }
    }

    /// The highest sequence per key, the later message on a tie; survivors keep message order.
    private func highestSequencePerKey(_ records: [Accepted]) -> [Accepted] {
        if Self.haveRisingIntegerKeys(records) { return records }
        var keep = Array(repeating: false, count: records.count)
        func pick<Key: Hashable>(by key: (Accepted) -> Key) {
            var best: [Key: Int] = [:]
            best.reserveCapacity(records.count)
            for (position, record) in records.enumerated() {
                let recordKey = key(record)
                if let current = best[recordKey], records[current].sequence > record.sequence { continue }
                best[recordKey] = position
            }
            for position in best.values { keep[position] = true }
        }
        // Most tables have a one-column key: hashing the cell beats hashing a one-cell array.
        if records.allSatisfy({ $0.keyCells.count == 1 }) {
            pick { $0.keyCells[0] }
        } else {
            pick { $0.keyCells }
        }
        return records.indices.filter { keep[$0] }.map { records[$0] }
    }

    /// Whether every record has a one-column integer key greater than the record's before it, as
    /// a batch of new rows numbered in order mostly has: then no two share a key, and every one survives.
    private static func haveRisingIntegerKeys(_ records: [Accepted]) -> Bool {
        var previous: Int64?
        for record in records {
            guard record.keyCells.count == 1, case .integer(let key) = record.keyCells[0] else { return false }
            if let previous, key <= previous { return false }
            previous = key
        }
        return true
    }

    // MARK: Rows

    /// One table being filled: its plan, what each final column holds, and where fields go.
    private struct Fill {
        var plan: TablePlan
        let table: WorkingTable
        /// The cells every row of the load shares (`_sdc_received_at`, `_sdc_batched_at`,
        /// `_sdc_table_version`), by position.
        let constants: [Int: CellValue]
        /// The system columns whose cells differ from row to row, with their positions.
        let rowSlots: [(position: Int, slot: Slot)]
        /// A working column's index → its position in the final column order.
        let finalPositions: [Int?]
        /// The last row's fields with their positions. Rows of a table mostly carry the same
        /// fields in the same order, so a field found where it was last time, with the same id
        /// and type, needs no lookup.
        var lastFields: [(id: Int, type: ColumnType, position: Int?)] = []

        mutating func position(of id: Int, type: ColumnType, at index: Int, shredder: RecordShredder) -> Int? {
            if index < lastFields.count, lastFields[index].type == type, lastFields[index].id == id {
                return lastFields[index].position
            }
            let position = table.resolvedIndex(of: shredder.name(of: id), type: type).flatMap { finalPositions[$0] }
            if index < lastFields.count {
                lastFields[index] = (id, type, position)
            } else if index == lastFields.count {
                lastFields.append((id, type, position))
            }
            return position
        }
    }

    private func tablePlans(for records: [Accepted], version: Int64, shredder: RecordShredder) -> [TablePlan] {
        var fills: [Fill] = []
        var fillIndexByKey: [String: Int] = [:]
        let received = CellValue.timestamp(batch.receivedAt.destinationText)
        let batched = CellValue.timestamp(batchedAt.destinationText)
        for key in tableOrder {
            guard let table = tables[key] else { continue }
            let columns = table.finalColumns(systemOrder: Self.systemOrder)
            var byName: [String: Int] = [:]
            for (position, column) in columns.enumerated() { byName[column.name] = position }
            let layout = columns.map { TableLayout.Column(name: $0.name, type: $0.type) }
            let plan = TablePlan(
                name: table.name, isNew: table.isNew, depth: table.depth, keyColumns: table.keyColumns,
                sourceKeyColumns: table.depth == 0 ? table.keyColumns : table.keyColumns.filter { $0.hasPrefix("_sdc_source_key_") },
                columns: layout, renames: table.renames,
                addedColumns: table.isNew ? [] : columns.filter(\.isNew).map { TableLayout.Column(name: $0.name, type: $0.type) },
                cellRows: CellRows(width: layout.count))
            var constants: [Int: CellValue] = [:]
            var rowSlots: [(position: Int, slot: Slot)] = []
            for (position, column) in columns.enumerated() {
                switch slot(for: column) {
                case .data: continue
                case .receivedAt: constants[position] = received
                case .batchedAt: constants[position] = batched
                case .tableVersion: constants[position] = .integer(version)
                case let other: rowSlots.append((position, other))
                }
            }
            fillIndexByKey[key] = fills.count
            fills.append(Fill(plan: plan, table: table, constants: constants, rowSlots: rowSlots,
                              finalPositions: table.columns.map { byName[$0.name] }))
        }
        var rowsByFill = fills.map { CellRows(width: $0.plan.columns.count, constants: $0.constants) }
        if !rowsByFill.isEmpty { rowsByFill[0].reserveCapacity(rows: records.count) }
        // Rows name their table as the record spelled it: the key is worked out once per spelling.
        var fillIndexBySpelling: [String: Int?] = [:]
        // The table of the row before, and its fill: rows mostly go where the one before went, and
        // the same spelling is mostly the same string, which compares without reading it.
        var lastTable = "", lastFill: Int?
        var rowSlots: [(position: Int, slot: Slot)] = []
        // Records, rows and fields are read where they lie, not copied out one by one (each copy
        // would retain their arrays and strings, and release them after).
        records.withUnsafeBufferPointer { records in
            for record in records {
                record.rows.withUnsafeBufferPointer { rows in
                    for rowIndex in rows.indices {
                        let fillIndex: Int
                        if let lastFill, rows[rowIndex].table == lastTable {
                            fillIndex = lastFill
                        } else {
                            let table = rows[rowIndex].table
                            let found: Int?
                            if let known = fillIndexBySpelling[table] {
                                found = known
                            } else {
                                found = fillIndexByKey[names.key(table)]
                                fillIndexBySpelling[table] = .some(found)
                            }
                            guard let found else { continue }
                            fillIndex = found
                            lastTable = table
                            lastFill = found
                            rowSlots = fills[found].rowSlots
                        }
                        let start = rowsByFill[fillIndex].appendRow()
                        for (position, slot) in rowSlots {
                            let cell: CellValue
                            switch slot {
                            case .data, .receivedAt, .batchedAt, .tableVersion: continue
                            case .sequence: cell = .integer(record.sequence)
                            case .extractedAt: cell = record.extractedAt.map(CellValue.timestamp) ?? .null
                            case .syntheticKey: cell = record.keyCells.first ?? .null
                            case .sourceKey(let index): cell = index < record.keyCells.count ? record.keyCells[index] : .null
                            case .level(let level):
                                cell = level < rows[rowIndex].levelIDs.count ? .integer(rows[rowIndex].levelIDs[level]) : .null
                            }
                            rowsByFill[fillIndex].set(shredder.pack(cell), at: start + position)
                        }
                        rows[rowIndex].fields.withUnsafeBufferPointer { fields in
                            for index in fields.indices {
                                guard let type = fields[index].cell.columnType,
                                      let position = fills[fillIndex].position(of: fields[index].id, type: type, at: index,
                                                                               shredder: shredder)
                                else { continue }
                                rowsByFill[fillIndex].set(fields[index].cell, at: start + position)
                            }
                        }
                    }
                }
            }
        }
        // Every table's texts are in the shredder's arena, shared rather than copied.
        let arena = shredder.arena
        return zip(fills, rowsByFill).map { fill, rows in
            var plan = fill.plan
            plan.cellRows = rows
            plan.cellRows.useArena(arena)
            return plan
        }
    }

    private enum Slot {
        case data, receivedAt, batchedAt, sequence, tableVersion, extractedAt, syntheticKey
        case sourceKey(Int)
        case level(Int)
    }

    private func slot(for column: WorkingTable.Column) -> Slot {
        let name = column.name.lowercased()
        switch name {
        case SystemColumns.receivedAt: return .receivedAt
        case SystemColumns.batchedAt: return .batchedAt
        case SystemColumns.sequence: return .sequence
        case SystemColumns.tableVersion: return .tableVersion
        case SystemColumns.extractedAt: return .extractedAt
        case SystemColumns.syntheticKey: return .syntheticKey
        default: break
        }
        let rootKey = tables[names.key(rootName)]?.keyColumns ?? []
        for (index, key) in rootKey.enumerated() where names.key(SystemColumns.sourceKey(key)) == names.key(column.name) {
            return .sourceKey(index)
        }
        if name.hasPrefix("_sdc_level_"), name.hasSuffix("_id"),
           let level = Int(name.dropFirst("_sdc_level_".count).dropLast("_id".count)) {
            return .level(level)
        }
        return .data
    }

    private static func systemOrder(_ name: String) -> Int {
        if name.hasPrefix("_sdc_source_key_") { return 0 }
        if name.hasPrefix("_sdc_level_") { return 1 + (Int(name.dropFirst("_sdc_level_".count).dropLast("_id".count)) ?? 0) }
        let order = [SystemColumns.syntheticKey, SystemColumns.extractedAt] + SystemColumns.common.map(\.name)
        return 1000 + (order.firstIndex(of: name) ?? order.count)
    }

    /// The rejected messages for `_sdc_rejected`, each record as it was sent and as much of it as
    /// fits (§4.9). The body is scanned once, and only when something was rejected.
    private func rejectedRecords() -> [RejectedRecord] {
        guard !rejects.isEmpty else { return [] }
        let texts = batch.recordTexts(rejects.map(\.messageIndex), limit: names.maxRecordBytes)
        return zip(rejects, texts).map { reject, text in
            RejectedRecord(tableName: Self.storable(reject.table), reason: Self.storable(reject.reason), record: text)
        }
    }

    /// Text PostgreSQL can store: a raw name quoted in a reason may hold NUL, which it cannot.
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\\u0000") : text
    }

    /// A UUID-shaped key that is the same every time the same message is loaded: the batch number,
    /// the message index, and the low bits of the batch's receipt time (so a fresh data directory,
    /// whose numbers start again at 1, does not reuse an older directory's keys in a shared
    /// PostgreSQL). Stitch uses random UUIDs; a random key would make a replayed batch append twice.
    /// Keys sort in load order.
    static func syntheticKey(batch: Int64, message: Int, receivedAt: UTCTimestamp) -> String {
        let micros = UInt64(bitPattern: receivedAt.secondsSinceEpoch &* 1_000_000 &+ receivedAt.microseconds)
        let hex = hex(UInt64(bitPattern: batch), digits: 16) + hex(UInt64(message), digits: 8) + hex(micros & 0xFFFF_FFFF, digits: 8)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
