/// What one load does to one table: how its shape changes, and the rows it receives.
public struct TablePlan: Sendable, Hashable {
    public struct Rename: Sendable, Hashable {
        public var from: String
        public var to: String
    }

    public var name: String
    /// True when the table does not exist yet and this load creates it.
    public var isNew: Bool
    /// 0 for the batch's own table; n for a child table n arrays deep.
    public var depth: Int
    /// The primary key: `key_names`, `__sdc_primary_key`, or for a child table its
    /// `_sdc_source_key_*` columns followed by its `_sdc_level_N_id` columns.
    public var keyColumns: [String]
    /// The columns linking a row to its top-level record: the root's key columns, or a child
    /// table's `_sdc_source_key_*` columns.
    public var sourceKeyColumns: [String]
    /// Every column after this load, in table order.
    public var columns: [TableLayout.Column]
    /// Split columns whose original is renamed with its first type's suffix (`age` → `age__bi`), in order.
    public var renames: [Rename]
    /// Columns an existing table gains, in the order they are added (new tables: empty).
    public var addedColumns: [TableLayout.Column]
    /// The rows to write, each aligned with `columns`.
    public var cellRows: CellRows

    /// `cellRows` one array per row.
    public var rows: [[CellValue]] { cellRows.arrays }

    public var layout: TableLayout { TableLayout(name: name, columns: columns, keyColumns: keyColumns) }
}

/// A record the loader set aside, for `_sdc_rejected` (spec §4.9).
public struct RejectedRecord: Sendable, Hashable {
    public var tableName: String
    public var reason: String
    /// The record as JSON text, cut to `ObjectNames.maxRecordBytes` ("as much as fits").
    /// [?] Stitch stores Transit there; the batch endpoint's records are JSON, so JSON it is.
    public var record: String
}
