import Foundation
import GRDB

/// Reads a SQLite destination while the loader writes it (WAL lets both proceed). Used by the
/// wizard's `--sandbox` view, which needs no running destination; `SQLiteDestination` reads
/// through it too.
public enum DestinationReader {
    public enum RowOrder: Sendable {
        /// The order rows were first inserted (`rowid`): what a person watching loads expects.
        case loadOrder
        /// By primary key, or by every column for a table without one: an order PostgreSQL can
        /// give too, so both destinations list the same rows the same way.
        case primaryKey
    }

    /// Schemas that have a database, sorted.
    public static func schemas(dataDirectory: String) throws(DestinationError) -> [String] {
        let directory = DestinationLayout.directory(dataDirectory: dataDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".sqlite") }.map { String($0.dropLast(".sqlite".count)) }.sorted()
    }

    /// Tables of a schema, sorted; the sandbox's bookkeeping tables are left out.
    public static func tables(schema: String, dataDirectory: String) throws(DestinationError) -> [String] {
        try read(schema: schema, dataDirectory: dataDirectory) { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' "
                                    + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                    + "AND name NOT LIKE '\(SQLDialect.bookkeepingSchema.replacingOccurrences(of: "_", with: "\\_"))\\_%' ESCAPE '\\' "
                                    + "ORDER BY name")
        }
    }

    /// Up to `limit` rows of a table. NULL reads as `NULL`; `BOOLEAN` columns read as
    /// `true`/`false`; timestamps as UTC text; numbers as Swift prints them.
    public static func rows(schema: String, table: String, dataDirectory: String, limit: Int = 100,
                            order: RowOrder = .loadOrder) throws(DestinationError) -> DestinationRows {
        try read(schema: schema, dataDirectory: dataDirectory) { db in
            guard try db.tableExists(table) else { throw DestinationError.noSuchTable(schema: schema, table: table) }
            let layout = try SQLiteDestination.layout(of: table, in: db)
            let orderBy: String
            switch order {
            case .loadOrder: orderBy = "rowid"
            case .primaryKey:
                orderBy = (layout.keyColumns.isEmpty ? layout.columns.map(\.name) : layout.keyColumns)
                    .map(\.quotedIdentifier).joined(separator: ", ")
            }
            let sql = "SELECT * FROM \(table.quotedIdentifier) ORDER BY \(orderBy) LIMIT ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: [max(0, limit)]).map { row in
                layout.columns.enumerated().map { index, column in
                    CellValue(row[index] as DatabaseValue, as: column.type).displayText
                }
            }
            return DestinationRows(columns: layout.columns.map(\.name), rows: rows)
        }
    }

    /// A table and how many rows it holds now.
    public struct TableSummary: Sendable, Hashable {
        public var name: String
        public var rowCount: Int

        public init(name: String, rowCount: Int) {
            self.name = name
            self.rowCount = rowCount
        }
    }

    /// Consecutive rows of a table, with the table's row count read in the same transaction (so
    /// "rows 41–60 of 1,234" never mixes two moments of a table the loader is writing).
    public struct Page: Sendable, Hashable {
        public var columns: [String]
        public var columnTypes: [ColumnType]
        /// Cells as stored: NULL stays `.null`, apart from the text "NULL".
        public var rows: [[CellValue]]
        /// The index of `rows[0]` in the table's order.
        public var offset: Int
        public var totalCount: Int
    }

    /// Tables of a schema (as `tables` lists them: `_sdc_rejected` included, bookkeeping not),
    /// sorted, each with its true row count, all counted in one transaction.
    public static func tableSummaries(schema: String, dataDirectory: String) throws(DestinationError) -> [TableSummary] {
        let names = try tables(schema: schema, dataDirectory: dataDirectory)
        return try read(schema: schema, dataDirectory: dataDirectory) { db in
            try names.compactMap { name in
                // A table dropped between the two reads is simply not listed.
                guard try db.tableExists(name) else { return nil }
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name.quotedIdentifier)") ?? 0
                return TableSummary(name: name, rowCount: count)
            }
        }
    }

    /// Up to `limit` rows of a table from the `offset`-th on, and its row count. Pages do not
    /// overlap or skip while the table is unchanged: the order is total (load order is the rowid;
    /// primary-key order ends with the rowid for tables whose key is not unique, i.e. keyless ones).
    /// An offset past the end gives no rows and the count, so the caller can step back.
    public static func page(schema: String, table: String, offset: Int, limit: Int, dataDirectory: String,
                            order: RowOrder = .loadOrder) throws(DestinationError) -> Page {
        try read(schema: schema, dataDirectory: dataDirectory) { db in
            guard try db.tableExists(table) else { throw DestinationError.noSuchTable(schema: schema, table: table) }
            let layout = try SQLiteDestination.layout(of: table, in: db)
            let names = Set(layout.columns.map { $0.name.lowercased() })
            // A Stitch column may itself be called rowid; SQLite then still answers to the other aliases.
            let rowid = ["rowid", "_rowid_", "oid"].first { !names.contains($0) }
            var orderBy: [String]
            switch order {
            case .loadOrder:
                orderBy = rowid.map { [$0] } ?? []
            case .primaryKey:
                orderBy = (layout.keyColumns.isEmpty ? layout.columns.map(\.name) : layout.keyColumns).map(\.quotedIdentifier)
                if layout.keyColumns.isEmpty, let rowid { orderBy.append(rowid) }
            }
            if orderBy.isEmpty { orderBy = layout.columns.map(\.name.quotedIdentifier) }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedIdentifier)") ?? 0
            let sql = "SELECT * FROM \(table.quotedIdentifier) ORDER BY \(orderBy.joined(separator: ", ")) LIMIT ? OFFSET ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: [max(0, limit), max(0, offset)]).map { row in
                layout.columns.enumerated().map { index, column in CellValue(row[index] as DatabaseValue, as: column.type) }
            }
            return Page(columns: layout.columns.map(\.name), columnTypes: layout.columns.map(\.type), rows: rows,
                        offset: max(0, offset), totalCount: total)
        }
    }

    static func read<T>(schema: String, dataDirectory: String, _ body: (Database) throws -> T) throws(DestinationError) -> T {
        let path = try DestinationLayout.databasePath(schema: schema, dataDirectory: dataDirectory)
        guard FileManager.default.fileExists(atPath: path) else { throw .noSuchSchema(schema) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read(body)
        } catch let error as DestinationError {
            throw error
        } catch let error as DatabaseError {
            throw SQLiteDestination.classify(error)
        } catch {
            throw .database(message: "SQLite: \(error)", isTransient: true)
        }
    }
}
