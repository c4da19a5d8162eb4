import Foundation
import GRDB
import StitchAPI

/// Loads batches into SQLite, one database per schema. The only place that writes SQL.
///
/// Each batch is one transaction, and a replayed batch changes nothing: keyed rows are
/// upserted only by a strictly newer record, keyless rows carry deterministic keys.
public actor DestinationWriter {
    public let dataDirectory: String
    private var pools: [String: DatabasePool] = [:]

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// What one load did.
    public struct LoadSummary: Sendable, Hashable {
        public var schemaName: String
        public var tableName: String
        /// Rows offered to the table after in-batch deduplication.
        public var rowsOffered: Int
    }

    @discardableResult
    public func load(_ batch: DestinationBatch, batchedAt: UTCTimestamp = .now()) async throws(DestinationError)
        -> LoadSummary
    {
        let plan = TablePlan(batch: batch, batchedAt: batchedAt)
        let pool = try pool(for: batch.schemaName)
        do {
            try await pool.write { db in try SQLiteTableWriter(plan: plan).write(db) }
        } catch let error as DestinationError {
            throw error
        } catch let error as DatabaseError {
            throw Self.classify(error)
        } catch {
            throw .database(message: "\(error)", isTransient: true)
        }
        return LoadSummary(schemaName: batch.schemaName, tableName: plan.tableName, rowsOffered: plan.rows.count)
    }

    /// Closes every database, so their files can be removed or copied whole.
    public func close() {
        for pool in pools.values { try? pool.close() }
        pools.removeAll()
    }

    private func pool(for schema: String) throws(DestinationError) -> DatabasePool {
        if let pool = pools[schema] { return pool }
        let path = try DestinationLayout.databasePath(schema: schema, dataDirectory: dataDirectory)
        do {
            try FileManager.default.createDirectory(
                atPath: DestinationLayout.directory(dataDirectory: dataDirectory), withIntermediateDirectories: true)
            var configuration = Configuration()
            // Readers (the wizard, the sqlite3 CLI) may hold the database briefly.
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // WAL's default NORMAL can lose the last commit on power loss, after the loader has
                // already removed the batch from the inbox; FULL closes that window.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            // A DatabasePool runs in WAL mode, so readers never block the loader.
            let pool = try DatabasePool(path: path, configuration: configuration)
            pools[schema] = pool
            return pool
        } catch let error as DatabaseError {
            throw Self.classify(error)
        } catch {
            throw .database(message: "cannot open \(path): \(error)", isTransient: true)
        }
    }

    static func classify(_ error: DatabaseError) -> DestinationError {
        // Errors caused by the batch's content are permanent; anything about the environment is
        // worth another try, because setting a good batch aside would lose it.
        let permanent: [ResultCode] = [.SQLITE_ERROR, .SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE]
        let message = error.message ?? error.description
        return .database(message: message, isTransient: !permanent.contains(error.resultCode))
    }
}

/// The SQL for one plan: create or widen the table, then upsert or append its rows.
struct SQLiteTableWriter {
    let plan: TablePlan

    func write(_ db: Database) throws {
        let table = plan.tableName.quotedIdentifier
        if try db.tableExists(plan.tableName) {
            let existing = try db.columns(in: plan.tableName)
            let existingKey = existing.filter { $0.primaryKeyIndex > 0 }
                .sorted { $0.primaryKeyIndex < $1.primaryKeyIndex }.map(\.name)
            guard existingKey == plan.keyColumns else {
                throw DestinationError.keyMismatch(table: plan.tableName, existing: existingKey,
                                                   requested: plan.isAppendOnly ? [] : plan.keyColumns)
            }
            // New properties become new columns at the end (spec §4.6); SQLite names are
            // case-insensitive, so compare them that way.
            let names = Set(existing.map { $0.name.lowercased() })
            for column in plan.columns where !names.contains(column.name.lowercased()) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(definition(of: column))")
            }
        } else {
            let columns = plan.columns.map(definition(of:))
            let key = plan.keyColumns.map(\.quotedIdentifier).joined(separator: ", ")
            try db.execute(sql: "CREATE TABLE \(table) (\(columns.joined(separator: ", ")), PRIMARY KEY (\(key)))")
        }
        try insertRows(db)
        if let version = plan.activatedVersion {
            try db.execute(sql: "DELETE FROM \(table) WHERE \(TablePlan.tableVersionColumn.quotedIdentifier) < ?",
                           arguments: [version])
        }
    }

    private func definition(of column: TablePlan.Column) -> String {
        var definition = column.name.quotedIdentifier
        if !column.type.sqlType.isEmpty { definition += " " + column.type.sqlType }
        if plan.keyColumns.contains(column.name) { definition += " NOT NULL" }
        return definition
    }

    private func insertRows(_ db: Database) throws {
        guard !plan.rows.isEmpty else { return }
        let table = plan.tableName.quotedIdentifier
        let names = plan.columns.map(\.name.quotedIdentifier)
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let conflictTarget = plan.keyColumns.map(\.quotedIdentifier).joined(separator: ", ")
        var sql = "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders)) "
        if plan.isAppendOnly {
            sql += "ON CONFLICT (\(conflictTarget)) DO NOTHING"
        } else {
            // Every non-key column is replaced, so a field the newer record lacks becomes NULL;
            // `excluded.x` is NULL for table columns this batch does not mention.
            let keys = Set(plan.keyColumns.map { $0.lowercased() })
            let updates = try db.columns(in: plan.tableName).map(\.name)
                .filter { !keys.contains($0.lowercased()) }
                .map { "\($0.quotedIdentifier) = excluded.\($0.quotedIdentifier)" }
            let sequence = TablePlan.sequenceColumn.quotedIdentifier
            let received = TablePlan.receivedAtColumn.quotedIdentifier
            // The highest sequence wins whatever the arrival order (spec §3.8). On a tie the
            // later-received batch wins [?]; a replay of the same batch ties on both and so
            // changes nothing, not even `_sdc_batched_at`.
            sql += "ON CONFLICT (\(conflictTarget)) DO UPDATE SET \(updates.joined(separator: ", ")) "
            sql += "WHERE excluded.\(sequence) > \(table).\(sequence) OR (excluded.\(sequence) = \(table).\(sequence) "
            sql += "AND excluded.\(received) > \(table).\(received))"
        }
        let statement = try db.cachedStatement(sql: sql)
        for row in plan.rows {
            try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
        }
    }
}

extension CellValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
