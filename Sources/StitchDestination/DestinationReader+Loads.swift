import Foundation
import GRDB

/// What a load left in a SQLite destination for one table: how many rows it holds, and which
/// records sent for it since a time went to `_sdc_rejected` (the record editor's history shows a
/// batch as loaded with its rejects, issue 8).
public struct TableLoadReadback: Sendable, Hashable {
    /// Rows in the table now; nil when the table does not exist (nothing of it loaded yet).
    public var rowCount: Int?
    /// How many records for the table went to `_sdc_rejected` at or after the time asked about.
    public var rejectedCount: Int
    /// The first of them (`limit`), oldest first.
    public var rejected: [Reject]

    public struct Reject: Sendable, Hashable {
        public var reason: String
        /// The record as it was sent (JSON text, possibly cut).
        public var record: String
    }
}

extension DestinationReader {
    /// Reads `table`'s row count and the `_sdc_rejected` records whose `table_name` is `table`
    /// (either as sent or as the name it loads under) rejected at or after `since`.
    ///
    /// - Parameter since: a UTC time; `_sdc_rejected_at` is fixed-width ISO text, so text order is time order.
    public static func loadReadback(schema: String, table: String, since: UTCTimestamp, dataDirectory: String,
                                    limit: Int = 100) throws(DestinationError) -> TableLoadReadback {
        let canonical = ObjectNames.canonical(table) ?? table
        return try read(schema: schema, dataDirectory: dataDirectory) { db in
            var rowCount: Int?
            if try db.tableExists(canonical) {
                rowCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(canonical.quotedIdentifier)")
            }
            guard try db.tableExists(RejectedTable.name) else {
                return TableLoadReadback(rowCount: rowCount, rejectedCount: 0, rejected: [])
            }
            let filter = "FROM \(RejectedTable.name.quotedIdentifier) WHERE table_name IN (?, ?) AND _sdc_rejected_at >= ?"
            let arguments: StatementArguments = [table, canonical, since.destinationText]
            let count = try Int.fetchOne(db, sql: "SELECT count(*) " + filter, arguments: arguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT reason, record " + filter + " ORDER BY rowid LIMIT ?",
                                        arguments: arguments + [max(0, limit)])
            let rejects = rows.map { TableLoadReadback.Reject(reason: $0["reason"] ?? "", record: $0["record"] ?? "") }
            return TableLoadReadback(rowCount: rowCount, rejectedCount: count, rejected: rejects)
        }
    }
}
