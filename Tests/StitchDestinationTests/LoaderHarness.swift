import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// The PostgreSQL the loader suite also runs against, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres` (see scripts/start-test-postgres.sh).
let testPostgresURL: PostgresURL? = ProcessInfo.processInfo.environment["STITCH_TEST_POSTGRES_URL"]
    .flatMap { $0.isEmpty ? nil : try? PostgresURL(parsing: $0) }

let postgresSkipReason: Comment = """
    STITCH_TEST_POSTGRES_URL is not set, so the loader suite runs on SQLite only. \
    Start PostgreSQL with scripts/start-test-postgres.sh and export the URL it prints.
    """

/// A destination the shared loader suite runs on.
enum DestinationUnderTest: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when `STITCH_TEST_POSTGRES_URL` is set.
    static var available: [DestinationUnderTest] { testPostgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// One destination with a schema of its own, and shortcuts for loading and reading it.
struct LoaderHarness: Sendable {
    let destination: any Destination
    let schema: String

    /// Runs `body` on a fresh destination and schema, then removes them.
    static func with(_ kind: DestinationUnderTest, _ body: (LoaderHarness) async throws -> Void) async throws {
        let schema = uniqueSchemaName()
        switch kind {
        case .sqlite:
            let directory = try makeDataDirectory()
            let destination = SQLiteDestination(dataDirectory: directory)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            do {
                try await body(LoaderHarness(destination: destination, schema: schema))
            } catch {
                await destination.close()
                throw error
            }
            await destination.close()
        case .postgres:
            guard let url = testPostgresURL else { throw TestFailure("no PostgreSQL URL") }
            let destination = PostgresDestination(url: url)
            func dropSchema() async {
                _ = try? await destination.query("DROP SCHEMA IF EXISTS \(schema.quotedIdentifier) CASCADE", types: [])
                for table in ["loads", "table_versions"] {
                    _ = try? await destination.query(
                        "DELETE FROM \(SQLDialect.bookkeepingSchema).\(table) WHERE schema_name = $1::text", [.text(schema)], types: [])
                }
                await destination.close()
            }
            do {
                try await body(LoaderHarness(destination: destination, schema: schema))
            } catch {
                await dropSchema()
                throw error
            }
            await dropSchema()
        }
    }

    @discardableResult
    func load(number: Int64, table: String = "customers", schema json: JSONValue = customersSchema,
              keys: [String]? = ["id"], tableVersion: Int64? = nil, messages: [BatchMessage],
              receivedAt: UTCTimestamp? = nil, batchedAt: UTCTimestamp = UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
        async throws -> LoadSummary
    {
        try await destination.load(
            batch(number: number, schemaName: schema, table: table, schema: json, keys: keys, tableVersion: tableVersion,
                  messages: messages, receivedAt: receivedAt),
            batchedAt: batchedAt)
    }

    /// Loads a batch from its JSON body, as the sandbox's loader reads it from the inbox.
    @discardableResult
    func load(number: Int64, body: String, batchedAt: UTCTimestamp = UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
        async throws -> LoadSummary
    {
        let batch = try DestinationBatch(number: number, schemaName: schema, body: Array(body.utf8),
                                         receivedAt: UTCTimestamp(secondsSinceEpoch: 1_600_000_000 + number))
        return try await destination.load(batch, batchedAt: batchedAt)
    }

    /// A table's rows as `column -> rendered value`, by primary key.
    func rows(_ table: String = "customers") async throws -> [[String: String]] {
        let result = try await destination.rows(schema: schema, table: table, limit: 10_000)
        return result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
    }

    /// One column of a table, by primary key.
    func column(_ name: String, of table: String = "customers") async throws -> [String] {
        try await rows(table).map { $0[name] ?? "<no column \(name)>" }
    }

    func columns(of table: String = "customers") async throws -> [String] {
        try await destination.layout(schema: schema, table: table).columns.map(\.name)
    }

    func layout(of table: String = "customers") async throws -> TableLayout {
        try await destination.layout(schema: schema, table: table)
    }

    func tables() async throws -> [String] {
        try await destination.tables(schema: schema)
    }
}
