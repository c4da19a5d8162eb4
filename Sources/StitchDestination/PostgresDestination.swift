import Foundation
import PostgresNIO
import StitchAPI

/// A PostgreSQL destination: one schema per source (spec §4.1), the types of §4.2, primary keys
/// as `<table>_pkey` constraints (§4.8). `stitch-sandbox --destination postgres://…`.
///
/// [?] PostgreSQL refuses schema names starting with `pg_`; a source named so (`pg_demo`) has
/// nowhere to load, not even `_sdc_rejected`, so the sandbox sets its batches aside in `failed/`
/// with PostgreSQL's own explanation, shown in `/loads` and the log, rather than renaming the schema.
///
/// One connection, used by one operation at a time (loads and reads queue up), opened on first
/// use and again after it breaks. Every load is one transaction that first takes an advisory
/// lock, so two sandboxes (or two test runs) sharing a database never interleave their DDL.
public actor PostgresDestination: Destination {
    public let url: PostgresURL
    private let logger: Logger
    private var connection: PostgresConnection?
    private var nextConnectionID = 1
    private var isBusy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// PostgreSQL keeps the case of quoted identifiers (§4.3): `id` and `ID` are two columns.
    public static let names = ObjectNames(foldsCase: false)
    /// Any constant works; it only has to be the same for every sandbox.
    static let advisoryLockKey: Int64 = 0x5354_4954_4348 // "STITCH"

    /// `logger` receives PostgresNIO's own messages; nil keeps them quiet.
    public init(url: PostgresURL, logger: Logger? = nil) {
        self.url = url
        self.logger = logger ?? {
            var quiet = Logger(label: "stitch-sandbox.postgres")
            quiet.logLevel = .critical
            return quiet
        }()
    }

    @discardableResult
    public func load(_ batch: DestinationBatch, batchedAt: UTCTimestamp) async throws(DestinationError) -> LoadSummary {
        try await write(schema: batch.schemaName) { dialect, connection throws(DestinationError) in
            let state = try await self.state(of: batch, dialect: dialect, on: connection)
            return LoadPlan(batch: batch, state: state, names: Self.names, batchedAt: batchedAt)
        }
    }

    public func load(group batches: [DestinationBatch], batchedAt: UTCTimestamp) async throws(DestinationError) -> [LoadSummary] {
        guard let schema = batches.first?.schemaName else { return [] }
        guard batches.allSatisfy({ $0.schemaName == schema }) else {
            throw .database(message: "PostgreSQL: a group of batches spans more than one schema", isTransient: false)
        }
        return try await write(schema: schema, count: batches.count) { index, dialect, connection throws(DestinationError) in
            let state = try await self.state(of: batches[index], dialect: dialect, on: connection)
            return LoadPlan(batch: batches[index], state: state, names: Self.names, batchedAt: batchedAt)
        }
    }

    @discardableResult
    public func reject(_ batch: RejectedBatch, batchedAt: UTCTimestamp) async throws(DestinationError) -> LoadSummary {
        try await write(schema: batch.schemaName) { dialect, connection throws(DestinationError) in
            let loaded = LoadScript.loadedQuery(dialect, number: batch.number, receivedAt: batch.receivedAt)
            let isReplay = try await !self.query(loaded, types: [.integer], on: connection).isEmpty
            return LoadPlan(rejecting: batch, isReplay: isReplay, names: Self.names, batchedAt: batchedAt)
        }
    }

    /// One load's transaction: the lock, the setup DDL, the plan made from what the database holds now, its steps.
    private func write(schema: String,
                       planning: (SQLDialect, PostgresConnection) async throws(DestinationError) -> LoadPlan)
        async throws(DestinationError) -> LoadSummary
    {
        let summaries = try await write(schema: schema, count: 1) { _, dialect, connection throws(DestinationError) in
            try await planning(dialect, connection)
        }
        guard let summary = summaries.first else {
            throw .database(message: "PostgreSQL: a load planned nothing", isTransient: false)
        }
        return summary
    }

    /// One transaction for `count` loads: the lock and the setup DDL once, then for each load the
    /// plan made from what the database holds after the loads before it, and its steps.
    private func write(schema: String, count: Int,
                       planning: (Int, SQLDialect, PostgresConnection) async throws(DestinationError) -> LoadPlan)
        async throws(DestinationError) -> [LoadSummary]
    {
        guard SourceName.problem(with: schema) == nil else { throw .invalidSchemaName(schema) }
        return try await exclusively { connection throws(DestinationError) in
            let dialect = SQLDialect(engine: .postgres, schema: schema)
            return try await self.transaction(on: connection) { () throws(DestinationError) in
                try await self.execute(SQLStatement("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))"), on: connection)
                for statement in LoadScript.setup(dialect) { try await self.execute(statement, on: connection) }
                // COPY takes unqualified names (PostgresNIO quotes the name it is given): the
                // schema goes first on the search path, for this transaction only.
                try await self.execute(SQLStatement("SET LOCAL search_path TO \(schema.quotedIdentifier)"), on: connection)
                var summaries: [LoadSummary] = []
                for index in 0..<count {
                    let plan = try await planning(index, dialect, connection)
                    if !plan.isReplay {
                        for step in LoadScript(plan: plan, dialect: dialect).steps { try await self.run(step, on: connection) }
                    }
                    summaries.append(LoadSummary(plan: plan))
                }
                return summaries
            }
        }
    }

    public func schemas() async throws(DestinationError) -> [String] {
        try await exclusively { connection throws(DestinationError) in
            let exists = try await self.query(SQLStatement("SELECT to_regclass('\(SQLDialect.bookkeepingSchema).loads')::text"),
                                              types: [.string], on: connection)
            guard exists.first?.first != .null else { return [] }
            let rows = try await self.query(
                SQLStatement("SELECT DISTINCT schema_name FROM \(SQLDialect.bookkeepingSchema.quotedIdentifier).loads"),
                types: [.string], on: connection)
            return rows.compactMap { if case .text(let name) = $0.first { name } else { nil } }.sorted()
        }
    }

    public func tables(schema: String) async throws(DestinationError) -> [String] {
        try await exclusively { connection throws(DestinationError) in
            let rows = try await self.query(SQLStatement("SELECT tablename::text FROM pg_tables WHERE schemaname = $1::text", [.text(schema)]),
                                            types: [.string], on: connection)
            return rows.compactMap { if case .text(let name) = $0.first { name } else { nil } }.sorted()
        }
    }

    public func layout(schema: String, table: String) async throws(DestinationError) -> TableLayout {
        try await exclusively { connection throws(DestinationError) in
            guard let layout = try await self.layouts(schema: schema, table: table, children: false, on: connection).first else {
                throw .noSuchTable(schema: schema, table: table)
            }
            return layout
        }
    }

    public func rows(schema: String, table: String, limit: Int) async throws(DestinationError) -> DestinationRows {
        try await exclusively { connection throws(DestinationError) in
            guard let layout = try await self.layouts(schema: schema, table: table, children: false, on: connection).first else {
                throw .noSuchTable(schema: schema, table: table)
            }
            let expressions = layout.columns.map { column -> String in
                let name = column.name.quotedIdentifier
                switch column.type {
                case .integer, .boolean: return "\(name)::text"
                case .dateTime: return "to_char(\(name), 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                case .number, .string: return name
                }
            }
            // "C" collation: byte order, as SQLite sorts text, so both list rows alike.
            let order = (layout.keyColumns.isEmpty ? layout.columns.map(\.name) : layout.keyColumns).map { name in
                let type = layout.columns.first { $0.name == name }?.type
                return name.quotedIdentifier + (type == .string ? " COLLATE \"C\"" : "")
            }
            let sql = "SELECT \(expressions.joined(separator: ", ")) FROM \(schema.quotedIdentifier).\(table.quotedIdentifier) "
                + "ORDER BY \(order.joined(separator: ", ")) LIMIT $1::bigint"
            let rows = try await self.query(SQLStatement(sql, [.integer(Int64(max(0, limit)))]),
                                            types: layout.columns.map(\.type), on: connection)
            return DestinationRows(columns: layout.columns.map(\.name), rows: rows.map { $0.map(\.displayText) })
        }
    }

    public func close() async {
        let connection = self.connection
        self.connection = nil
        try? await connection?.close()
    }

    // MARK: Connection

    /// Runs `body` with the connection while no other operation uses it.
    private func exclusively<T: Sendable>(_ body: (PostgresConnection) async throws(DestinationError) -> T)
        async throws(DestinationError) -> T
    {
        if isBusy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            isBusy = true
        }
        defer {
            if waiters.isEmpty { isBusy = false } else { waiters.removeFirst().resume() }
        }
        let connection = try await connected()
        do {
            return try await body(connection)
        } catch {
            // A failed transaction was rolled back and leaves the connection usable; after a
            // transient failure (a lost or broken connection) start afresh next time.
            if error.isTransient || connection.isClosed {
                self.connection = nil
                try? await connection.close()
            }
            throw error
        }
    }

    private func connected() async throws(DestinationError) -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: .disable)
        do {
            if url.tlsMode != .disable {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.certificateVerification = .none
                let context = try NIOSSLContext(configuration: tls)
                configuration.tls = url.tlsMode == .require ? .require(context) : .prefer(context)
            }
            configuration.options.connectTimeout = .seconds(10)
            let id = nextConnectionID
            nextConnectionID += 1
            let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            self.connection = connection
            return connection
        } catch {
            throw Self.classify(error, connecting: true, url: url)
        }
    }

    private func transaction<T: Sendable>(on connection: PostgresConnection,
                                          _ body: () async throws(DestinationError) -> T) async throws(DestinationError) -> T {
        try await execute(SQLStatement("BEGIN"), on: connection)
        do {
            let value = try await body()
            try await execute(SQLStatement("COMMIT"), on: connection)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    // MARK: Statements

    private func run(_ step: LoadStep, on connection: PostgresConnection) async throws(DestinationError) {
        switch step {
        case .statement(let statement):
            try await execute(statement, on: connection)
        case .insertRows(let table, let columns, let rows, let isNumbered, let upsert):
            // `LoadScript` stages PostgreSQL's upserts: COPY cannot carry the clause.
            guard upsert == nil else {
                throw .database(message: "PostgreSQL: rows for \(table) cannot be upserted with COPY", isTransient: false)
            }
            do {
                // COPY in text format, streamed in pieces of about 1 MiB: PostgreSQL's fastest way in.
                try await connection.copyFrom(table: table, columns: columns.map(\.name), format: .text(.init()),
                                              logger: logger) { writer in
                    var buffer = ByteBuffer()
                    buffer.reserveCapacity(1 << 20)
                    for position in 0..<rows.count {
                        Self.appendCopyLine((0..<rows.width).lazy.map { rows.cell(row: position, column: $0) }, to: &buffer,
                                            extra: isNumbered ? .integer(Int64(position)) : nil)
                        if buffer.readableBytes >= 1 << 20 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            } catch {
                throw Self.classify(error, connecting: false, url: url)
            }
        }
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL, backslash escapes; `extra`
    /// (a stage table's ordinal) goes after the row's cells.
    static func appendCopyLine(_ row: some Collection<CellValue>, to buffer: inout ByteBuffer, extra: CellValue? = nil) {
        for (index, cell) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            appendCopyField(cell, to: &buffer)
        }
        if let extra {
            if !row.isEmpty { buffer.writeInteger(UInt8(ascii: "\t")) }
            appendCopyField(extra, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func appendCopyField(_ cell: CellValue, to buffer: inout ByteBuffer) {
        switch cell {
        case .null: buffer.writeStaticString("\\N")
        case .integer(let value): buffer.writeString(String(value))
        // Swift prints the shortest text that reads back as the same double ("1e+20", "0.1").
        case .real(let value): buffer.writeString(String(value))
        case .boolean(let value): buffer.writeStaticString(value ? "t" : "f")
        case .timestamp(let value): buffer.writeString(value)
        case .text(let value):
            // Most text needs no escape: write it whole.
            guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
                buffer.writeString(value)
                return
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    private func execute(_ statement: SQLStatement, on connection: PostgresConnection) async throws(DestinationError) {
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: Self.bindings(statement.binds)), logger: logger)
        } catch {
            throw Self.classify(error, connecting: false, url: url)
        }
    }

    /// Runs a query whose columns have the given types (timestamps selected as text).
    func query(_ statement: SQLStatement, types: [ColumnType], on connection: PostgresConnection)
        async throws(DestinationError) -> [[CellValue]]
    {
        do {
            let sequence = try await connection.query(
                PostgresQuery(unsafeSQL: statement.sql, binds: Self.bindings(statement.binds)), logger: logger)
            var rows: [[CellValue]] = []
            for try await row in sequence {
                let cells = row.makeRandomAccess()
                var values: [CellValue] = []
                for (index, type) in types.enumerated() where index < cells.count {
                    values.append(try Self.cell(cells[index], as: type))
                }
                rows.append(values)
            }
            return rows
        } catch let error as DestinationError {
            throw error
        } catch {
            throw Self.classify(error, connecting: false, url: url)
        }
    }

    /// Runs a statement for tests and tools that need PostgreSQL's own catalog.
    func query(_ sql: String, _ binds: [CellValue] = [], types: [ColumnType]) async throws(DestinationError) -> [[CellValue]] {
        try await exclusively { connection throws(DestinationError) in
            try await self.query(SQLStatement(sql, binds), types: types, on: connection)
        }
    }

    /// Decodes a result cell by its wire type, into the kind of value `type` asks for.
    private static func cell(_ cell: PostgresCell, as type: ColumnType) throws -> CellValue {
        switch (type, cell.dataType) {
        case (.integer, .int8): return try cell.decode(Int64?.self).map(CellValue.integer) ?? .null
        case (.integer, .int4): return try cell.decode(Int32?.self).map { .integer(Int64($0)) } ?? .null
        case (.integer, .int2): return try cell.decode(Int16?.self).map { .integer(Int64($0)) } ?? .null
        case (.number, .float8): return try cell.decode(Double?.self).map(CellValue.real) ?? .null
        case (.number, .float4): return try cell.decode(Float?.self).map { .real(Double($0)) } ?? .null
        case (.boolean, .bool): return try cell.decode(Bool?.self).map(CellValue.boolean) ?? .null
        default: break
        }
        // Anything else was selected as text (`::text`, `to_char`).
        guard let text = try cell.decode(String?.self) else { return .null }
        switch type {
        case .integer: return Int64(text).map(CellValue.integer) ?? .text(text)
        case .number: return Double(text).map(CellValue.real) ?? .text(text)
        case .boolean: return .boolean(text == "true" || text == "t")
        case .dateTime: return .timestamp(text)
        case .string: return .text(text)
        }
    }

    private static func bindings(_ cells: [CellValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: cells.count)
        for cell in cells {
            switch cell {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .boolean(let value): bindings.append(value)
            case .text(let value), .timestamp(let value): bindings.append(value)
            }
        }
        return bindings
    }

    // MARK: Catalog

    private func state(of batch: DestinationBatch, dialect: SQLDialect, on connection: PostgresConnection)
        async throws(DestinationError) -> DestinationState
    {
        var state = DestinationState()
        state.isBatchLoaded = try await !query(LoadScript.loadedQuery(dialect, number: batch.number, receivedAt: batch.receivedAt),
                                               types: [.integer], on: connection).isEmpty
        guard !state.isBatchLoaded, case .success(let root) = LoadPlan.tableName(for: batch.request.tableName, names: Self.names)
        else { return state }
        let version = try await query(LoadScript.activeVersionQuery(dialect, table: root), types: [.integer], on: connection)
        if case .integer(let active)? = version.first?.first { state.activeVersion = active }
        state.tables = try await layouts(schema: batch.schemaName, table: root, children: true, on: connection)
        return state
    }

    /// The layout of `table` and, with `children`, of every table named `<table>__…`: one
    /// catalog query (information_schema would take several and be slower). `indkey` is an
    /// `int2vector`, whose subscripts start at 0: positions are made 1-based, 0 meaning "not a key".
    private func layouts(schema: String, table: String, children: Bool, on connection: PostgresConnection)
        async throws(DestinationError) -> [TableLayout]
    {
        let sql = """
            SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
                   coalesce(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0)::bigint
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
            WHERE n.nspname = $1::text AND c.relkind IN ('r', 'p')
              AND (c.relname = $2::text OR ($3::boolean AND left(c.relname, char_length($4::text)) = $4::text))
            ORDER BY c.relname, a.attnum
            """
        let rows = try await query(SQLStatement(sql, [.text(schema), .text(table), .boolean(children), .text(table + "__")]),
                                   types: [.string, .string, .string, .integer], on: connection)
        var layouts: [TableLayout] = []
        var keys: [(position: Int64, name: String)] = []
        func finish() {
            guard !layouts.isEmpty else { return }
            layouts[layouts.count - 1].keyColumns = keys.sorted { $0.position < $1.position }.map(\.name)
            keys = []
        }
        for row in rows {
            guard case .text(let tableName) = row[0], case .text(let column) = row[1], case .text(let type) = row[2],
                  case .integer(let keyPosition) = row[3] else { continue }
            if layouts.last?.name != tableName {
                finish()
                layouts.append(TableLayout(name: tableName, columns: [], keyColumns: []))
            }
            layouts[layouts.count - 1].columns.append(.init(name: column, type: ColumnType(postgresType: type)))
            if keyPosition > 0 { keys.append((keyPosition, column)) }
        }
        finish()
        return layouts
    }

    /// Whether to retry: lost connections, resource shortages, lock timeouts and deadlocks are
    /// the server's state, not the batch's; everything the server refuses for the SQL or the data is permanent.
    static func classify(_ error: any Error, connecting: Bool, url: PostgresURL) -> DestinationError {
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                let message = [error.serverInfo?[.message], error.serverInfo?[.detail]].compactMap { $0 }.joined(separator: " ")
                let transientClasses = ["08", "40", "53", "57", "58"]
                let transient = transientClasses.contains(String(state.prefix(2))) || state == "55P03" || state == "55006"
                    || connecting
                return .database(message: "PostgreSQL (\(url)): \(message) [SQLSTATE \(state)]", isTransient: transient)
            }
            return .database(message: "PostgreSQL (\(url)): \(error.code)\(error.underlying.map { ": \($0)" } ?? "")",
                             isTransient: true)
        }
        return .database(message: "PostgreSQL (\(url)): \(error)", isTransient: true)
    }
}
