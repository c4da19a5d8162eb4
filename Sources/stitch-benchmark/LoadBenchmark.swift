import Foundation
import StitchAPI
import StitchDestination

/// Loaded rows/s on one destination: our loader next to the database's own bulk path, each
/// round into a fresh table, so the ratio of two figures taken minutes apart is not what we report.
struct LoadFigures: Sendable {
    var destination: String
    var nativeName: String
    var rows: Int
    /// Our loader per round: parse each inbox body, plan it, load it (what the sandbox's loader does).
    var ours: [Duration]
    /// The JSON parsing share of `ours`, per round.
    var oursParsing: [Duration]
    /// The native tool per round, less its start-up time (`nativeStartup`).
    var native: [Duration]
    /// The tool doing nothing (`SELECT 1`): process start and, for psql, connecting.
    var nativeStartup: Duration

    var oursRowsPerSecond: Double { Double(rows) / Statistics.median(ours.map(\.seconds)) }
    var nativeRowsPerSecond: Double { Double(rows) / Statistics.median(native.map(\.seconds)) }
    var parsingShare: Double { Statistics.median(zip(oursParsing, ours).map { $0.seconds / $1.seconds }) }
    /// The median of each round's ratio: both halves of a round ran back to back, so a slow
    /// moment of the machine affects both.
    var ratio: Double { Statistics.median(zip(ours, native).map { $1.seconds / $0.seconds }) }
    var ratios: [Double] { zip(ours, native).map { $1.seconds / $0.seconds } }
}

/// The same rows into SQLite (ours vs `sqlite3 .import --csv`) and PostgreSQL (ours vs psql's
/// `\copy … FROM … CSV`, i.e. `COPY … FROM STDIN`), round after round, alternating which goes first.
///
/// The native tools get exactly what our loader produced: the loaded table is exported to CSV
/// once and imported into an empty table of the same definition (primary key included).
struct LoadBenchmark {
    var batches: Int
    var recordsPerBatch: Int
    var rounds: Int
    var sqlite3: ExternalCommand
    /// nil skips PostgreSQL.
    var postgres: (url: PostgresURL, psql: ExternalCommand)?
    var progress: @Sendable (String) -> Void

    static let schemaName = "bench_orders"

    func run() async throws -> [LoadFigures] {
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("stitch-benchmark-load-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        progress("load: building \(batches) batches of \(recordsPerBatch) records")
        var orders = SampleOrders(seed: 0x10AD)
        let bodies = (0..<batches).map { orders.body(firstID: Int64($0 * recordsPerBatch) + 1, count: recordsPerBatch) }
        let rows = batches * recordsPerBatch

        var sqlite = LoadFigures(destination: "SQLite", nativeName: "sqlite3 .import --csv", rows: rows, ours: [],
                                 oursParsing: [], native: [], nativeStartup: try await startup(sqlite3, [":memory:", "SELECT 1"]))
        var postgresFigures: LoadFigures?
        var postgresRun: PostgresRun?
        if let postgres {
            let run = PostgresRun(url: postgres.url, psql: postgres.psql, work: work)
            postgresRun = run
            postgresFigures = LoadFigures(destination: "PostgreSQL", nativeName: "psql \\copy FROM CSV (COPY FROM STDIN)",
                                          rows: rows, ours: [], oursParsing: [], native: [],
                                          nativeStartup: try await startup(run.psql, ["-X", "-q", "-c", "SELECT 1"]))
        }
        let sqliteRun = SQLiteRun(sqlite3: sqlite3, work: work)

        do {
            for round in 1...rounds {
                // Alternate the order, so neither side always gets the warmer (or busier) machine.
                let oursFirst = round % 2 == 1
                progress("load: round \(round)/\(rounds), SQLite")
                for side in oursFirst ? [true, false] : [false, true] {
                    if side {
                        let (total, parsing) = try await sqliteRun.loadOurs(bodies, round: round, rows: rows)
                        sqlite.ours.append(total)
                        sqlite.oursParsing.append(parsing)
                    } else {
                        sqlite.native.append(try await sqliteRun.loadNative(round: round, rows: rows) - sqlite.nativeStartup)
                    }
                }
                if let run = postgresRun, var figures = postgresFigures {
                    progress("load: round \(round)/\(rounds), PostgreSQL")
                    for side in oursFirst ? [true, false] : [false, true] {
                        if side {
                            let (total, parsing) = try await run.loadOurs(bodies, round: round, rows: rows)
                            figures.ours.append(total)
                            figures.oursParsing.append(parsing)
                        } else {
                            figures.native.append(try await run.loadNative(round: round, rows: rows) - figures.nativeStartup)
                        }
                    }
                    postgresFigures = figures
                    try await run.dropRound(round)
                }
            }
        } catch {
            await postgresRun?.dropAll(rounds: rounds)
            throw error
        }
        await postgresRun?.dropAll(rounds: rounds)
        return [sqlite] + (postgresFigures.map { [$0] } ?? [])
    }

    /// The median of three do-nothing runs of a tool, subtracted from its timed runs.
    private func startup(_ tool: ExternalCommand, _ arguments: [String]) async throws -> Duration {
        var samples: [Duration] = []
        for _ in 0..<3 { samples.append(try await Self.time { try await tool.run(arguments) }) }
        return samples.sorted()[1]
    }

    static func time(_ body: () async throws -> Void) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        return clock.now - start
    }

    /// What the sandbox's loader does for each inbox entry: parse the body, then load it in one transaction.
    static func loadOurs(_ bodies: [[UInt8]], schema: String, into destination: any Destination) async throws
        -> (total: Duration, parsing: Duration)
    {
        let clock = ContinuousClock()
        var parsing = Duration.zero
        let start = clock.now
        for (index, body) in bodies.enumerated() {
            let parseStart = clock.now
            // As the sandbox's loader reads a stored body (`InboxLoader.prepare`).
            let batch = try DestinationBatch(number: Int64(index + 1), schemaName: schema, body: body, receivedAt: .now())
            parsing += clock.now - parseStart
            let summary = try await destination.load(batch)
            guard summary.rejected == 0, summary.rowsOffered == batch.request.messages.count else {
                throw BenchmarkError.wrongResult("batch \(index + 1): \(summary.rowsOffered) rows offered, \(summary.rejected) rejected")
            }
        }
        return (clock.now - start, parsing)
    }
}

/// SQLite: ours into `<work>/sqlite-ours-<round>/destination/bench_orders.sqlite`, native into
/// `<work>/sqlite-native-<round>.sqlite`, both fresh files.
private struct SQLiteRun {
    let sqlite3: ExternalCommand
    let work: String

    var csvPath: String { work + "/sqlite-rows.csv" }
    var ddlPath: String { work + "/sqlite-orders.sql" }

    func loadOurs(_ bodies: [[UInt8]], round: Int, rows: Int) async throws -> (total: Duration, parsing: Duration) {
        let directory = work + "/sqlite-ours-\(round)"
        let destination = SQLiteDestination(dataDirectory: directory)
        let result = try await LoadBenchmark.loadOurs(bodies, schema: LoadBenchmark.schemaName, into: destination)
        await destination.close()
        let database = try DestinationLayout.databasePath(schema: LoadBenchmark.schemaName, dataDirectory: directory)
        try await expectCount(rows, in: database)
        if !FileManager.default.fileExists(atPath: csvPath) {
            // The native side's input: exactly the rows and columns our loader produced.
            try await sqlite3.run(["-csv", database, "SELECT * FROM \(SampleOrders.tableName)"], standardOutputPath: csvPath)
            let ddl = try await sqlite3.run([database, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '\(SampleOrders.tableName)'"])
            try Data((ddl.trimmingCharacters(in: .whitespacesAndNewlines) + ";\n").utf8).write(to: URL(fileURLWithPath: ddlPath))
        }
        try? FileManager.default.removeItem(atPath: directory)
        return result
    }

    /// `sqlite3 .import` with the CLI's defaults (rollback journal, synchronous FULL, one transaction).
    func loadNative(round: Int, rows: Int) async throws -> Duration {
        let database = work + "/sqlite-native-\(round).sqlite"
        try await sqlite3.run([database, ".read \(ddlPath)"])
        let elapsed = try await LoadBenchmark.time {
            try await sqlite3.run([database, ".import --csv \(csvPath) \(SampleOrders.tableName)"])
        }
        try await expectCount(rows, in: database)
        try? FileManager.default.removeItem(atPath: database)
        return elapsed
    }

    private func expectCount(_ rows: Int, in database: String) async throws {
        let count = try await sqlite3.run([database, "SELECT count(*) FROM \(SampleOrders.tableName)"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard count == String(rows) else { throw BenchmarkError.wrongResult("\(database) holds \(count) rows, not \(rows)") }
    }
}

/// PostgreSQL: ours into schema `bench_ours_<pid>_<round>`, native into `bench_native_<pid>_<round>`,
/// each created for its round and dropped after it (round 1's table stays as the template until the end).
private struct PostgresRun {
    let url: PostgresURL
    let psql: ExternalCommand
    let work: String
    private let tag = String(ProcessInfo.processInfo.processIdentifier)

    init(url: PostgresURL, psql: ExternalCommand, work: String) {
        self.url = url
        self.work = work
        var psql = psql
        // libpq's variables, so the password never reaches argv.
        psql.environment["PGHOST"] = url.host
        psql.environment["PGPORT"] = String(url.port)
        psql.environment["PGUSER"] = url.username
        psql.environment["PGDATABASE"] = url.database
        psql.environment["PGSSLMODE"] = url.tlsMode.rawValue
        if let password = url.password { psql.environment["PGPASSWORD"] = password }
        self.psql = psql
    }

    var csvPath: String { work + "/postgres-rows.csv" }
    func oursSchema(_ round: Int) -> String { "bench_ours_\(tag)_\(round)" }
    func nativeSchema(_ round: Int) -> String { "bench_native_\(tag)_\(round)" }

    func loadOurs(_ bodies: [[UInt8]], round: Int, rows: Int) async throws -> (total: Duration, parsing: Duration) {
        let schema = oursSchema(round)
        let destination = PostgresDestination(url: url)
        // Connect before the clock starts, as psql's connection is subtracted from its figure.
        _ = try await destination.schemas()
        let result = try await LoadBenchmark.loadOurs(bodies, schema: schema, into: destination)
        await destination.close()
        try await expectCount(rows, in: "\(schema).\(SampleOrders.tableName)")
        if !FileManager.default.fileExists(atPath: csvPath) {
            try await psql.run(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                "\\copy (SELECT * FROM \(schema).\(SampleOrders.tableName)) TO '\(csvPath)' WITH (FORMAT csv)"])
        }
        return result
    }

    /// psql's `\copy … FROM … CSV` into an empty table made `LIKE` ours (`INCLUDING ALL`: same
    /// columns, types and primary key).
    func loadNative(round: Int, rows: Int) async throws -> Duration {
        let schema = nativeSchema(round)
        try await psql.run(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                            "CREATE SCHEMA \(schema); CREATE TABLE \(schema).\(SampleOrders.tableName) "
                                + "(LIKE \(oursSchema(1)).\(SampleOrders.tableName) INCLUDING ALL)"])
        let elapsed = try await LoadBenchmark.time {
            try await psql.run(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                "\\copy \(schema).\(SampleOrders.tableName) FROM '\(csvPath)' WITH (FORMAT csv)"])
        }
        try await expectCount(rows, in: "\(schema).\(SampleOrders.tableName)")
        return elapsed
    }

    /// Drops a round's schemas (round 1's own table is the template for every native table, so it stays).
    func dropRound(_ round: Int) async throws {
        var schemas = [nativeSchema(round)]
        if round > 1 { schemas.append(oursSchema(round)) }
        try await drop(schemas)
    }

    func dropAll(rounds: Int) async {
        try? await drop((1...max(rounds, 1)).flatMap { [oursSchema($0), nativeSchema($0)] })
    }

    private func drop(_ schemas: [String]) async throws {
        // The loader's bookkeeping rows go too, as the loader suite's own clean-up does.
        let list = schemas.map { "'\($0)'" }.joined(separator: ", ")
        let statements = schemas.map { "DROP SCHEMA IF EXISTS \($0) CASCADE;" }.joined(separator: " ")
            + " DELETE FROM _stitch_sandbox.loads WHERE schema_name IN (\(list));"
            + " DELETE FROM _stitch_sandbox.table_versions WHERE schema_name IN (\(list));"
        try await psql.run(["-X", "-q", "-c", statements])
    }

    private func expectCount(_ rows: Int, in table: String) async throws {
        let count = try await psql.run(["-X", "-q", "-A", "-t", "-c", "SELECT count(*) FROM \(table)"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard count == String(rows) else { throw BenchmarkError.wrongResult("\(table) holds \(count) rows, not \(rows)") }
    }
}
