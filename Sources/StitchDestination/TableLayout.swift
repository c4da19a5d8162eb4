/// A destination table's shape: its columns in table order and its primary key.
public struct TableLayout: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: ColumnType

        public init(name: String, type: ColumnType) {
            self.name = name
            self.type = type
        }
    }

    public var name: String
    public var columns: [Column]
    /// The primary key's columns in key order; empty for a table without one (`_sdc_rejected`).
    public var keyColumns: [String]

    public init(name: String, columns: [Column], keyColumns: [String]) {
        self.name = name
        self.columns = columns
        self.keyColumns = keyColumns
    }
}

/// What the planner needs to know about a schema before it plans a batch: read by each
/// destination inside the load's transaction, so the plan matches what the SQL will meet.
public struct DestinationState: Sendable, Hashable {
    /// The batch's table and its child tables (`<table>__…`), as they exist now.
    public var tables: [TableLayout]
    /// The table version made current by the last `activate_version`, if any.
    public var activeVersion: Int64?
    /// Whether this very batch was loaded before (a replay after a crash): then nothing is done.
    public var isBatchLoaded: Bool

    public init(tables: [TableLayout] = [], activeVersion: Int64? = nil, isBatchLoaded: Bool = false) {
        self.tables = tables
        self.activeVersion = activeVersion
        self.isBatchLoaded = isBatchLoaded
    }
}
