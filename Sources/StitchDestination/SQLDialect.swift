/// One step of a load: a statement, or rows for a table, which each destination writes its
/// fastest way (SQLite: one prepared `INSERT` run per row; PostgreSQL: `COPY … FROM STDIN`).
enum LoadStep: Sendable, Hashable {
    case statement(SQLStatement)
    /// Rows for `table`, a table of the load's schema or a temporary table, named unqualified.
    /// With `isNumbered`, the last of `columns` is not in the rows: it gets each row's position
    /// (0, 1, …), so stage tables keep plan order without a copy of every row.
    /// With `upsert`, each row is an upsert into `table` (aliased `r`): SQLite only, where rows go
    /// in through a prepared statement that can carry the clause (`COPY` cannot).
    case insertRows(table: String, columns: [TableLayout.Column], rows: CellRows, isNumbered: Bool = false,
                    upsert: UpsertClause? = nil)
}

/// `ON CONFLICT (key) DO UPDATE SET … WHERE …` after an `INSERT INTO table AS r`.
struct UpsertClause: Sendable, Hashable {
    var sql: String
}

/// One SQL statement with its parameters.
struct SQLStatement: Sendable, Hashable {
    var sql: String
    var binds: [CellValue]

    init(_ sql: String, _ binds: [CellValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// DDL (`CREATE`, `ALTER`, `DROP`, temporary tables included): run once and not kept prepared,
    /// since what it creates or drops changes with every load.
    var changesSchema: Bool {
        sql.hasPrefix("CREATE ") || sql.hasPrefix("ALTER ") || sql.hasPrefix("DROP ")
    }
}

/// What differs between the SQL the two destinations take. Both accept the same upsert
/// (`ON CONFLICT … DO UPDATE SET x = excluded.x`), row values (`(a, b) IN (SELECT …)`),
/// temporary tables and `ALTER TABLE … RENAME COLUMN`, so everything else is shared.
struct SQLDialect: Sendable, Hashable {
    enum Engine: Sendable, Hashable {
        /// One database file per schema: tables are not qualified.
        case sqlite
        /// One PostgreSQL schema per source.
        case postgres
    }

    let engine: Engine
    /// The destination schema: the source's name.
    let schema: String

    /// Where the sandbox keeps which batches it loaded and which table versions are active.
    /// On PostgreSQL a schema of its own, away from the sources' tables; on SQLite tables in
    /// each schema's file, since a transaction is atomic only within one file in WAL mode.
    static let bookkeepingSchema = "_stitch_sandbox"

    /// A table of the source's schema, ready to put in SQL.
    func table(_ name: String) -> String {
        switch engine {
        case .sqlite: name.quotedIdentifier
        case .postgres: schema.quotedIdentifier + "." + name.quotedIdentifier
        }
    }

    /// A bookkeeping table (`loads`, `table_versions`).
    func bookkeeping(_ name: String) -> String {
        switch engine {
        case .sqlite: (Self.bookkeepingSchema + "_" + name).quotedIdentifier
        case .postgres: Self.bookkeepingSchema.quotedIdentifier + "." + name.quotedIdentifier
        }
    }

    func typeName(_ type: ColumnType) -> String {
        switch engine {
        case .sqlite: type.sqliteType
        case .postgres: type.postgresType
        }
    }

    /// The `index`th parameter (1-based) for a value of `type`. PostgreSQL gets an explicit cast:
    /// PostgresNIO sends text as `text`, which would not go into a `timestamp` column otherwise.
    func placeholder(_ index: Int, _ type: ColumnType) -> String {
        switch engine {
        case .sqlite: "?"
        case .postgres: "$\(index)::\(type.postgresType)"
        }
    }

}

extension String {
    /// The string as an SQL identifier: double-quoted, inner quotes doubled.
    var quotedIdentifier: String {
        // Built by hand: Foundation's `replacingOccurrences` was a visible share of a one-record
        // batch's load, which quotes every column name a few times.
        guard utf8.contains(UInt8(ascii: "\"")) else { return "\"" + self + "\"" }
        var quoted = "\""
        quoted.reserveCapacity(utf8.count + 4)
        for character in self {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }
}
