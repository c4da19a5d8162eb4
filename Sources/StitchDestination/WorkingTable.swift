/// A table's shape while a batch is being planned: what the destination has, plus what the
/// batch's records need so far. Records are placed one at a time on a copy, so a rejected
/// record leaves no column behind.
struct WorkingTable: Sendable, Hashable {
    struct Column: Sendable, Hashable {
        var name: String
        var type: ColumnType
        /// Added by this load, so it is created rather than altered.
        var isNew: Bool
        /// An `_sdc` column (or `__sdc_primary_key`): placed after the data columns of a new table.
        var isSystem: Bool
        /// Where a new data column goes among the other new ones (schema order, see `ColumnOrder`).
        var rank: Int
    }

    let name: String
    let isNew: Bool
    let depth: Int
    private(set) var keyColumns: [String]
    private(set) var columns: [Column]
    private(set) var renames: [TablePlan.Rename] = []
    /// Counts changes, so a caller can tell cheaply whether placing a record changed anything.
    private(set) var revision = 0
    private var positions: [String: Int] = [:]
    private let names: ObjectNames

    init(existing layout: TableLayout, depth: Int, names: ObjectNames) {
        self.name = layout.name
        self.isNew = false
        self.depth = depth
        self.names = names
        keyColumns = layout.keyColumns
        columns = layout.columns.map { Column(name: $0.name, type: $0.type, isNew: false, isSystem: false, rank: 0) }
        for (index, column) in columns.enumerated() { positions[names.key(column.name)] = index }
    }

    init(new name: String, depth: Int, keyColumns: [String], names: ObjectNames) {
        self.name = name
        self.isNew = true
        self.depth = depth
        self.names = names
        self.keyColumns = keyColumns
        columns = []
    }

    /// The column the destination would take for `name`: spelled so, or (SQLite) in another case.
    func index(of name: String) -> Int? { positions[names.key(name)] }

    /// The column named exactly `name`, if any. A column the destination holds under another
    /// spelling of it (SQLite: `Name` for `name`) belongs to another field: a collision, so the
    /// record is rejected rather than mixed into that column [?] (§4.3 keeps case; SQLite cannot
    /// hold both names).
    func exactIndex(of name: String) throws(LoadRejection) -> Int? {
        guard let index = index(of: name) else { return nil }
        guard columns[index].name == name else {
            throw LoadRejection("Field collision on \(name) with column \(columns[index].name): \(LoadPlan.caseRule)")
        }
        return index
    }

    func column(named name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// Whether the key is `expected`, spelled alike: names keep their case (§4.3).
    func hasKey(_ expected: [String]) -> Bool {
        keyColumns == expected
    }

    /// The key columns as the table spells them.
    func spelling(of name: String) -> String { column(named: name)?.name ?? name }

    mutating func addColumn(_ name: String, type: ColumnType, isSystem: Bool, rank: Int) throws(LoadRejection) {
        guard columns.count < names.maxColumnsPerTable else {
            throw LoadRejection("Table \(self.name) would have more than \(names.maxColumnsPerTable) columns")
        }
        revision += 1
        positions[names.key(name)] = columns.count
        columns.append(Column(name: name, type: type, isNew: true, isSystem: isSystem, rank: rank))
    }

    /// Adds a system column unless the table has it.
    mutating func ensureSystemColumn(_ name: String, type: ColumnType) throws(LoadRejection) {
        guard index(of: name) == nil else { return }
        try addColumn(name, type: type, isSystem: true, rank: 0)
    }

    /// Finds or makes the column for a data field `name` holding values of `type` (spec §4.6).
    ///
    /// A column holds one type. When a value of another type arrives, the column splits: the
    /// original is renamed with its first type's suffix and the new type gets its own suffixed
    /// column (`age` bigint becomes `age__bi`, next to a new `age__do`).
    /// [?] Stitch's PostgreSQL docs contradict each other here: the loader description and its
    /// `rename-original-column-in-split: true` flag say the original is renamed; one example
    /// table keeps a plain `age` next to `age__do`. Two sources against one: renamed.
    /// `rank` is evaluated only when a column is added.
    mutating func place(_ name: String, type: ColumnType, rank: @autoclosure () -> Int) throws(LoadRejection) {
        if let index = try exactIndex(of: name) {
            let existing = columns[index]
            if existing.type == type { return }
            guard !keyColumns.contains(where: { names.key($0) == names.key(existing.name) }) else {
                throw LoadRejection("Key column \(existing.name) is \(existing.type.postgresType); a \(type.postgresType) value cannot go in it")
            }
            let renamed = existing.name + existing.type.splitSuffix
            if try exactIndex(of: renamed) == nil { rename(at: index, to: renamed) }
            if try exactIndex(of: name + type.splitSuffix) == nil {
                try addColumn(name + type.splitSuffix, type: type, isSystem: false, rank: existing.isNew ? existing.rank : rank())
            }
            return
        }
        if try exactIndex(of: name + type.splitSuffix) != nil { return }
        var isSplit = false
        for other in ColumnType.allCases {
            if try exactIndex(of: name + other.splitSuffix) != nil { isSplit = true }
        }
        try addColumn(isSplit ? name + type.splitSuffix : name, type: type, isSystem: false, rank: rank())
    }

    private mutating func rename(at index: Int, to newName: String) {
        revision += 1
        let old = columns[index].name
        if !columns[index].isNew {
            // A column renamed twice in one load (not possible today) would need chaining.
            renames.append(TablePlan.Rename(from: old, to: newName))
        }
        columns[index].name = newName
        positions[names.key(old)] = nil
        positions[names.key(newName)] = index
    }

    /// The column that holds values of `type` for field `name` once every record is placed.
    func resolvedIndex(of name: String, type: ColumnType) -> Int? {
        if let index = index(of: name), columns[index].type == type { return index }
        return index(of: name + type.splitSuffix)
    }

    /// The columns in their final table order: existing ones where they are; new ones after,
    /// data columns in schema order, then the system columns in the order `systemOrder` gives.
    func finalColumns(systemOrder: (String) -> Int) -> [Column] {
        let old = columns.filter { !$0.isNew }
        let new = columns.filter(\.isNew)
        let data = new.filter { !$0.isSystem }.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element)
        let system = new.filter(\.isSystem).enumerated()
            .sorted { (systemOrder($0.element.name), $0.offset) < (systemOrder($1.element.name), $1.offset) }.map(\.element)
        return old + data + system
    }
}
