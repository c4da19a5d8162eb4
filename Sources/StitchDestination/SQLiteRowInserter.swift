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

    /// Inserts every row in order; with `isNumbered`, each row's position goes after its cells
    /// (the stage tables' ordinal). Texts are bound where they lie in the rows' arena
    /// (`SQLITE_STATIC`: SQLite reads them during the step, and the arena neither moves nor
    /// changes until this returns; `finish` clears the bindings after).
    func insert(_ rows: CellRows, isNumbered: Bool = false) throws {
        let handle = statement.sqliteStatement
        let width = rows.width
        // Constants are bound once: a reset statement keeps its bindings.
        var varying: [Int] = []
        for (column, constant) in rows.constants.enumerated() {
            if let constant { try bind(constant, at: CInt(column + 1), to: handle) } else { varying.append(column) }
        }
        try rows.withCells { cells in
            for row in 0..<rows.count {
                sqlite3_reset(handle)
                let start = row * width
                for column in varying {
                    let cell = start + column, index = CInt(column + 1)
                    let code: CInt
                    switch cells.tags[cell] {
                    case .null: code = sqlite3_bind_null(handle, index)
                    case .integer, .boolean: code = sqlite3_bind_int64(handle, index, cells.payloads[cell])
                    case .real: code = sqlite3_bind_double(handle, index, Double(bitPattern: UInt64(bitPattern: cells.payloads[cell])))
                    case .text, .timestamp:
                        let text = cells.text(at: cell)
                        if let base = text.baseAddress, !text.isEmpty {
                            code = base.withMemoryRebound(to: CChar.self, capacity: text.count) {
                                sqlite3_bind_text(handle, index, $0, CInt(text.count), nil)
                            }
                        } else {
                            // An empty text still needs a pointer: a nil one would bind NULL.
                            code = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                        }
                    }
                    try check(code)
                }
                if isNumbered { try check(sqlite3_bind_int64(handle, CInt(width + 1), Int64(row))) }
                let code = sqlite3_step(handle)
                guard code == SQLITE_DONE else {
                    let message = connection.map { String(cString: sqlite3_errmsg($0)) }
                    sqlite3_reset(handle)
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
                }
            }
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
            // A native string's bytes are read in place; another is made contiguous first.
            code = Self.bindText(value, at: index, to: handle)
        }
        try check(code)
    }

    private static func bindText(_ value: String, at index: CInt, to handle: SQLiteStatement) -> CInt {
        if let code = value.utf8.withContiguousStorageIfAvailable({ bindText($0, at: index, to: handle) }) { return code }
        var text = value
        return text.withUTF8 { bindText($0, at: index, to: handle) }
    }

    private static func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: CInt, to handle: SQLiteStatement) -> CInt {
        // An empty text still needs a pointer: a nil one would bind NULL.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, transient) }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(handle, index, $0, CInt(bytes.count), transient)
        }
    }

    private func check(_ code: CInt) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                                sql: statement.sql)
        }
    }

    /// SQLite copies the text before `sqlite3_bind_text` returns.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self) }
}
