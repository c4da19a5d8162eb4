/// The `_sdc` columns the loader adds to every table it loads (spec §4.5, §4.7).
public enum SystemColumns {
    public static let receivedAt = "_sdc_received_at"
    public static let batchedAt = "_sdc_batched_at"
    public static let sequence = "_sdc_sequence"
    public static let tableVersion = "_sdc_table_version"
    /// Only on tables whose records came with `time_extracted` [I].
    public static let extractedAt = "_sdc_extracted_at"
    /// The key Stitch adds when a table has none; two leading underscores (§4.7).
    public static let syntheticKey = "__sdc_primary_key"

    /// A child table's copy of one of the top-level record's key columns.
    public static func sourceKey(_ keyColumn: String) -> String { "_sdc_source_key_" + keyColumn }

    /// A child table's position counter for nesting level `level` (0 = the first array).
    public static func level(_ level: Int) -> String { "_sdc_level_\(level)_id" }

    /// The columns every loaded row carries, in the order new tables get them.
    static let common: [TableLayout.Column] = [
        .init(name: receivedAt, type: .dateTime),
        .init(name: batchedAt, type: .dateTime),
        .init(name: sequence, type: .integer),
        .init(name: tableVersion, type: .integer),
    ]

    /// Whether a field would collide with a column the loader writes itself. Other `_sdc` names
    /// (e.g. `_sdc_deleted_at`, sent by some Singer taps) load like any field.
    static func isLoaderColumn(_ name: String) -> Bool {
        let name = name.lowercased()
        return [receivedAt, batchedAt, sequence, tableVersion, extractedAt, syntheticKey].contains(name)
            || name.hasPrefix("_sdc_source_key_") || name.hasPrefix("_sdc_level_")
    }
}

/// The table that collects records the loader could not load (spec §4.9).
public enum RejectedTable {
    public static let name = "_sdc_rejected"
    public static let layout = TableLayout(name: name, columns: [
        .init(name: "_sdc_rejected_at", type: .dateTime),
        .init(name: "table_name", type: .string),
        .init(name: "reason", type: .string),
        .init(name: "record", type: .string),
    ], keyColumns: [])
}
