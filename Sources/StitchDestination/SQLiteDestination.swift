import Foundation
import GRDB
import StitchAPI

/// The default destination: one SQLite database per schema, `<data>/destination/<schema>.sqlite`
/// (spec §4.10), in WAL mode so readers (the wizard, the sqlite3 CLI) never block the loader.
public actor SQLiteDestination: Destination {
    public let dataDirectory: String
    private var pools: [String: DatabasePool] = [:]

    /// SQLite compares identifiers without regard to ASCII case, so `id` and `ID` are one column
    /// here, and it refuses to create tables named `sqlite_…`.
    public static let names = ObjectNames(foldsCase: true, reservedTablePrefixes: [.init("sqlite_", owner: "SQLite")])

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    @discardableResult
    public func load(_ batch: DestinationBatch, batchedAt: UTCTimestamp) async throws(DestinationError) -> LoadSummary {
        try await write(schema: batch.schemaName) { db, dialect in
            let state = try Self.state(of: batch, in: db, dialect: dialect)
            return Planned(plan: LoadPlan(batch: batch, state: state, names: Self.names, batchedAt: batchedAt), state: state)
        }
    }

    public func load(group batches: [DestinationBatch], batchedAt: UTCTimestamp) async throws(DestinationError) -> [LoadSummary] {
        guard let schema = batches.first?.schemaName else { return [] }
        guard batches.allSatisfy({ $0.schemaName == schema }) else {
            throw .database(message: "SQLite: a group of batches spans more than one schema", isTransient: false)
        }
        return try await write(schema: schema, count: batches.count) { index, db, dialect, previous in
            // The batch before this one in the group, for the tables it left as they were.
            let earlier = previous.map { (batch: batches[index - 1], planned: $0) }
            let state = try Self.state(of: batches[index], in: db, dialect: dialect, after: earlier)
            return Planned(plan: LoadPlan(batch: batches[index], state: state, names: Self.names, batchedAt: batchedAt),
                           state: state)
        }
    }

    @discardableResult
    public func reject(_ batch: RejectedBatch, batchedAt: UTCTimestamp) async throws(DestinationError) -> LoadSummary {
        try await write(schema: batch.schemaName) { db, dialect in
            let isReplay = try Self.isLoaded(number: batch.number, receivedAt: batch.receivedAt, in: db, dialect: dialect)
            return Planned(plan: LoadPlan(rejecting: batch, isReplay: isReplay, names: Self.names, batchedAt: batchedAt), state: nil)
        }
    }

    /// A plan and the state it was made from (nil for a rejection, which reads no tables).
    private struct Planned {
        var plan: LoadPlan
        var state: DestinationState?
    }

    /// One load's transaction: the setup DDL, the plan made from what the database holds now, its steps.
    private func write(schema: String, planning: @escaping @Sendable (Database, SQLDialect) throws -> Planned)
        async throws(DestinationError) -> LoadSummary
    {
        let summaries = try await write(schema: schema, count: 1) { _, db, dialect, _ in try planning(db, dialect) }
        guard let summary = summaries.first else {
            throw .database(message: "SQLite: a load planned nothing", isTransient: false)
        }
        return summary
    }

    /// One transaction for `count` loads: the setup DDL once, then for each load the plan made
    /// from what the database holds after the loads before it, and its steps. `planning` also
    /// gets the load before it in this transaction (nil for the first).
    private func write(schema: String, count: Int,
                       planning: @escaping @Sendable (Int, Database, SQLDialect, Planned?) throws -> Planned)
        async throws(DestinationError) -> [LoadSummary]
    {
        let pool = try pool(for: schema)
        let dialect = SQLDialect(engine: .sqlite, schema: schema)
        do {
            return try await pool.write { db in
                for statement in LoadScript.setup(dialect) { try db.execute(sql: statement.sql) }
                var summaries: [LoadSummary] = []
                var previous: Planned?
                for index in 0..<count {
                    let planned = try planning(index, db, dialect, previous)
                    let plan = planned.plan
                    if !plan.isReplay {
                        for step in LoadScript(plan: plan, dialect: dialect).steps { try Self.run(step, in: db) }
                    }
                    summaries.append(LoadSummary(plan: plan))
                    // Only its shape is needed from here on: its rows are freed now.
                    previous = Planned(plan: plan.withoutRows, state: planned.state)
                }
                return summaries
            }
        } catch let error as DatabaseError {
            throw Self.classify(error)
        } catch {
            throw .database(message: "SQLite: \(error)", isTransient: true)
        }
    }

    public func schemas() async throws(DestinationError) -> [String] {
        try DestinationReader.schemas(dataDirectory: dataDirectory)
    }

    public func tables(schema: String) async throws(DestinationError) -> [String] {
        try DestinationReader.tables(schema: schema, dataDirectory: dataDirectory)
    }

    public func layout(schema: String, table: String) async throws(DestinationError) -> TableLayout {
        try DestinationReader.read(schema: schema, dataDirectory: dataDirectory) { db in
            guard try db.tableExists(table) else { throw DestinationError.noSuchTable(schema: schema, table: table) }
            return try Self.layout(of: table, in: db)
        }
    }

    public func rows(schema: String, table: String, limit: Int) async throws(DestinationError) -> DestinationRows {
        try DestinationReader.rows(schema: schema, table: table, dataDirectory: dataDirectory, limit: limit, order: .primaryKey)
    }

    /// Closes every database, so their files can be removed or copied whole.
    public func close() {
        for pool in pools.values { try? pool.close() }
        pools.removeAll()
    }

    // MARK: Private

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
            let pool = try DatabasePool(path: path, configuration: configuration)
            pools[schema] = pool
            return pool
        } catch let error as DatabaseError {
            throw Self.classify(error)
        } catch {
            throw .database(message: "SQLite: cannot open \(path): \(error)", isTransient: true)
        }
    }

    private static func run(_ step: LoadStep, in db: Database) throws {
        switch step {
        case .statement(let statement):
            let arguments = StatementArguments(statement.binds.map(\.databaseValue))
            if statement.changesSchema {
                try db.execute(sql: statement.sql, arguments: arguments)
            } else {
                // The same bookkeeping statements run for every batch: prepared once per connection.
                try db.cachedStatement(sql: statement.sql).execute(arguments: arguments)
            }
        case .insertRows(let table, let columns, let rows, let isNumbered, let upsert):
            // One prepared statement, run per row: SQLite's fastest way to insert many rows.
            let inserter = try SQLiteRowInserter(table: table, columns: columns, upsert: upsert, isCached: !isNumbered, in: db)
            defer { inserter.finish() }
            try inserter.insert(rows, isNumbered: isNumbered)
        }
    }

    /// What the planner needs, read inside the load's transaction. `earlier`: the load before this
    /// one in the same transaction; when it was for the same table and changed no table's shape,
    /// its tables and active version are still what the database holds, and are not read again.
    private static func state(of batch: DestinationBatch, in db: Database, dialect: SQLDialect,
                              after earlier: (batch: DestinationBatch, planned: Planned)? = nil) throws -> DestinationState {
        var state = DestinationState()
        state.isBatchLoaded = try isLoaded(number: batch.number, receivedAt: batch.receivedAt, in: db, dialect: dialect)
        guard !state.isBatchLoaded, case .success(let root) = LoadPlan.tableName(for: batch.request.tableName, names: names)
        else { return state }
        if let earlier, let known = earlier.planned.state, !known.isBatchLoaded,
           earlier.batch.request.tableName == batch.request.tableName, !earlier.planned.plan.changesTables {
            state.tables = known.tables
            state.activeVersion = earlier.planned.plan.activatedVersion ?? known.activeVersion
            return state
        }
        let version = LoadScript.activeVersionQuery(dialect, table: root)
        state.activeVersion = try Int64.fetchOne(db.cachedStatement(sql: version.sql),
                                                 arguments: StatementArguments(version.binds.map(\.databaseValue)))
        // The table and its possible child tables; LIKE needs `_` escaped, and ignores ASCII case
        // as SQLite's names do.
        let pattern = likeEscaped(root + "__") + "%"
        let names = try String.fetchAll(db.cachedStatement(sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND (name = ? COLLATE NOCASE OR name LIKE ? ESCAPE '\\')
            """), arguments: [root, pattern])
        state.tables = try names.map { try layout(of: $0, in: db) }
        return state
    }

    /// `text` matched literally by `LIKE … ESCAPE '\'`.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 4)
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private static func isLoaded(number: Int64, receivedAt: UTCTimestamp, in db: Database, dialect: SQLDialect) throws -> Bool {
        let loaded = LoadScript.loadedQuery(dialect, number: number, receivedAt: receivedAt)
        return try Row.fetchOne(db.cachedStatement(sql: loaded.sql),
                                arguments: StatementArguments(loaded.binds.map(\.databaseValue))) != nil
    }

    static func layout(of table: String, in db: Database) throws -> TableLayout {
        let columns = try db.columns(in: table)
        let key = columns.filter { $0.primaryKeyIndex > 0 }.sorted { $0.primaryKeyIndex < $1.primaryKeyIndex }.map(\.name)
        return TableLayout(name: table, columns: columns.map { .init(name: $0.name, type: ColumnType(sqliteType: $0.type)) },
                           keyColumns: key)
    }

    static func classify(_ error: DatabaseError) -> DestinationError {
        // Errors caused by the batch's content are permanent; anything about the environment is
        // worth another try, because setting a good batch aside would lose it.
        let permanent: [ResultCode] = [.SQLITE_ERROR, .SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE]
        let message = error.message ?? error.description
        return .database(message: "SQLite: \(message)", isTransient: !permanent.contains(error.resultCode))
    }
}

extension CellValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .boolean(let value): (value ? 1 : 0 as Int64).databaseValue
        case .text(let value), .timestamp(let value): value.databaseValue
        }
    }

    /// A stored SQLite value read back as the column's type says.
    init(_ value: DatabaseValue, as type: ColumnType) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number):
            switch type {
            case .boolean where number == 0 || number == 1: self = .boolean(number == 1)
            case .number: self = .real(Double(number))
            case .string, .dateTime: self = .text(String(number))
            default: self = .integer(number)
            }
        case .double(let number): self = .real(number)
        case .string(let text): self = type == .dateTime ? .timestamp(text) : .text(text)
        case .blob(let data): self = .text("<\(data.count) bytes>")
        }
    }
}
