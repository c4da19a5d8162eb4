/// A place batches load into: SQLite files (`SQLiteDestination`) or a PostgreSQL database
/// (`PostgresDestination`). The loader only ever talks to this protocol.
///
/// Both run the same `LoadPlan` through the same `LoadScript`, so they structure data alike;
/// they differ in how they connect, read their own catalog, and bind values.
public protocol Destination: Sendable {
    /// Loads one batch in one transaction. A batch loaded before (a replay after a crash) changes
    /// nothing. Throws `DestinationError.database` with `isTransient` telling whether to retry.
    @discardableResult
    func load(_ batch: DestinationBatch, batchedAt: UTCTimestamp) async throws(DestinationError) -> LoadSummary

    /// Loads batches of one schema in one transaction, in the order given, each planned against
    /// what the ones before it left: the same result as loading them one by one, at the cost of
    /// one commit. All or none: when one is refused the transaction rolls back and nothing
    /// loaded (load them one by one then, to tell which). Summaries in the batches' order.
    func load(group batches: [DestinationBatch], batchedAt: UTCTimestamp) async throws(DestinationError) -> [LoadSummary]

    /// Stores every record of a batch that cannot load into `_sdc_rejected`, with its reason, in one
    /// transaction that also records the batch as loaded: a replay changes nothing. Throws like `load`.
    @discardableResult
    func reject(_ batch: RejectedBatch, batchedAt: UTCTimestamp) async throws(DestinationError) -> LoadSummary

    /// Schemas that hold data, sorted.
    func schemas() async throws(DestinationError) -> [String]

    /// Tables of a schema (`_sdc_rejected` included, bookkeeping not), sorted.
    func tables(schema: String) async throws(DestinationError) -> [String]

    /// A table's columns in table order, with their types and its primary key.
    func layout(schema: String, table: String) async throws(DestinationError) -> TableLayout

    /// Up to `limit` rows, ordered by the primary key (by every column for a table without one),
    /// rendered the same way by every destination (`CellValue.displayText`).
    func rows(schema: String, table: String, limit: Int) async throws(DestinationError) -> DestinationRows

    /// Releases connections and files; a later call reopens them.
    func close() async
}

extension Destination {
    @discardableResult
    public func load(_ batch: DestinationBatch) async throws(DestinationError) -> LoadSummary {
        try await load(batch, batchedAt: .now())
    }

    @discardableResult
    public func reject(_ batch: RejectedBatch) async throws(DestinationError) -> LoadSummary {
        try await reject(batch, batchedAt: .now())
    }
}

/// What one load did.
public struct LoadSummary: Sendable, Hashable {
    public var schemaName: String
    public var tableName: String
    /// Rows offered to the batch's own table after in-batch deduplication.
    public var rowsOffered: Int
    /// Rows offered to child tables.
    public var childRowsOffered: Int
    /// Records that went to `_sdc_rejected`.
    public var rejected: Int
    /// The reason the first of them was rejected.
    public var firstRejection: String?
    /// Records dropped because their table version is older than the active one.
    public var ignored: Int
    /// True when the batch had been loaded before, so nothing was done.
    public var wasReplay: Bool

    init(plan: LoadPlan) {
        schemaName = plan.schemaName
        tableName = plan.tableName
        rowsOffered = plan.tables.first { $0.depth == 0 }?.cellRows.count ?? 0
        childRowsOffered = plan.tables.filter { $0.depth > 0 }.reduce(0) { $0 + $1.cellRows.count }
        rejected = plan.rejects.count
        firstRejection = plan.rejects.first?.reason
        ignored = plan.ignoredRecords
        wasReplay = plan.isReplay
    }
}

/// Rows of one destination table, rendered as text for display.
public struct DestinationRows: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }
}
