import GRDB
import GRDBSQLite

/// Inserts many rows through one prepared statement, binding each cell with SQLite's C API.
///
/// GRDB's `execute(arguments:)` builds a `StatementArguments` per row, validates it against the
/// statement and binds each value in a nested closure; for a 20,000-record batch that cost more
/// than SQLite's own work. Binding is the same as GRDB's (NUL-terminated text copied by SQLite,
/// booleans as 0/1), and a failed step throws the `DatabaseError` GRDB would, so
/// `SQLiteDestination.classify` sees the same codes and messages.
///
/// GRDB's per-statement hooks are skipped on purpose: they serve transaction observers and
/// schema-cache invalidation, and the loader has no observers and an INSERT changes no schema.
struct SQLiteRowInserter {
    let statement: Statement
    let connection: SQLiteConnection?

    /// With `upsert`, the table is aliased `r` for the clause. `isCached`: keep the statement
    /// prepared for the next load of the same table and columns (not for a stage table, which is
    /// dropped after each load).
    init(table: String, columns: [TableLayout.Column], upsert: UpsertClause? = nil, isCached: Bool = false,
         in db: Database) throws {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let sql = "INSERT INTO \(table.quotedIdentifier)\(upsert == nil ? "" : " AS r") "
            + "(\(columns.map(\.name.quotedIdentifier).joined(separator: ", "))) VALUES (\(placeholders))"
            + (upsert.map { " " + $0.sql } ?? "")
        statement = try isCached ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql)
        connection = db.sqliteConnection
    }

    /// Inserts `row`, then `extra` (the stage tables' ordinal) when given.
    func insert(_ row: [CellValue], extra: CellValue? = nil) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var index: CInt = 1
        for cell in row {
            try bind(cell, at: index, to: handle)
            index += 1
        }
        if let extra { try bind(extra, at: index, to: handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Leaves the statement reset with no values bound, as GRDB expects a statement it made.
    func finish() {
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    private func bind(_ cell: CellValue, at index: CInt, to handle: SQLiteStatement) throws {
        let code: CInt
        switch cell {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let value): code = sqlite3_bind_int64(handle, index, value)
        case .real(let value): code = sqlite3_bind_double(handle, index, value)
        case .boolean(let value): code = sqlite3_bind_int64(handle, index, value ? 1 : 0)
        case .text(let value), .timestamp(let value):
            // With its length, so SQLite need not measure it (values hold no NUL: the planner rejects those).
            var text = value
            code = text.withUTF8 { bytes in
                // An empty text still needs a pointer: a nil one would bind NULL.
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, CInt(bytes.count), Self.transient)
                }
            }
        }
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                                sql: statement.sql)
        }
    }

    /// SQLite copies the text before `sqlite3_bind_text` returns.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self) }
}
