import Foundation
import GRDB

/// Rows of one destination table, rendered as text for display.
public struct DestinationRows: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Reads the destination while the loader writes it (WAL lets both proceed).
public enum DestinationReader {
    /// Schemas that have a database, sorted.
    public static func schemas(dataDirectory: String) throws -> [String] {
        let directory = DestinationLayout.directory(dataDirectory: dataDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".sqlite") }.map { String($0.dropLast(".sqlite".count)) }.sorted()
    }

    /// Tables of a schema, sorted.
    public static func tables(schema: String, dataDirectory: String) throws -> [String] {
        try read(schema: schema, dataDirectory: dataDirectory) { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' "
                                    + "AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
    }

    /// Up to `limit` rows of a table in load order. NULL reads as `NULL`; `BOOLEAN` columns
    /// read as `true`/`false`; numbers and text as SQLite holds them.
    public static func rows(schema: String, table: String, dataDirectory: String, limit: Int = 100) throws
        -> DestinationRows
    {
        try read(schema: schema, dataDirectory: dataDirectory) { db in
            guard try db.tableExists(table) else { throw DestinationError.noSuchTable(schema: schema, table: table) }
            let columns = try db.columns(in: table)
            let booleans = Set(columns.filter { $0.type.uppercased() == "BOOLEAN" }.map(\.name))
            let sql = "SELECT * FROM \(table.quotedIdentifier) ORDER BY rowid LIMIT ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: [max(0, limit)]).map { row in
                columns.map { column in render(row[column.name] as DatabaseValue, asBoolean: booleans.contains(column.name)) }
            }
            return DestinationRows(columns: columns.map(\.name), rows: rows)
        }
    }

    private static func read<T>(schema: String, dataDirectory: String, _ body: (Database) throws -> T) throws -> T {
        let path = try DestinationLayout.databasePath(schema: schema, dataDirectory: dataDirectory)
        guard FileManager.default.fileExists(atPath: path) else { throw DestinationError.noSuchSchema(schema) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw DestinationWriter.classify(error)
        }
    }

    private static func render(_ value: DatabaseValue, asBoolean: Bool) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let number): return asBoolean && (number == 0 || number == 1) ? (number == 1 ? "true" : "false") : String(number)
        case .double(let number): return String(number)
        case .string(let text): return text
        case .blob(let data): return "<\(data.count) bytes>"
        }
    }
}
