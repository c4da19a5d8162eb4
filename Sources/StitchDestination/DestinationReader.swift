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
