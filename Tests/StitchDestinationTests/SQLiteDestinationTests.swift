import Foundation
import GRDB
import StitchAPI
import Testing
@testable import StitchDestination

@Suite("SQLite destination")
struct SQLiteDestinationTests {
    @Test("One WAL database per schema, with readable declared types and a primary key")
    func fileLayout() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        try await destination.load(batch(number: 1, messages: [
            upsert(1, ["id": 1, "name": "Finn", "age": 15, "has_magic": false]),
        ]))
        let when: JSONValue = ["properties": ["id": ["type": "integer"], "at": ["type": "string", "format": "date-time"], "x": ["type": "number"]]]
        try await destination.load(batch(number: 2, table: "events", schema: when,
                                         messages: [upsert(1, ["id": 1, "at": "2020-01-01T00:00:00Z", "x": 2])]))
        await destination.close()

        let path = directory + "/destination/import_api.sqlite"
        #expect(FileManager.default.fileExists(atPath: path))
        let queue = try DatabaseQueue(path: path)
        let columns = try await queue.read { db in try db.columns(in: "customers").map { ($0.name, $0.type, $0.primaryKeyIndex) } }
        #expect(columns.map(\.1) == ["BIGINT", "TEXT", "BIGINT", "BOOLEAN", "TIMESTAMP", "TIMESTAMP", "BIGINT", "BIGINT"])
        #expect(columns.filter { $0.2 > 0 }.map(\.0) == ["id"])
        let journal = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        // Storage classes: booleans as 0/1 integers, doubles as reals, timestamps as UTC text.
        let stored = try await queue.read { db in
            try Row.fetchOne(db, sql: "SELECT typeof(has_magic), has_magic, typeof(_sdc_received_at) FROM customers")
        }
        #expect(try #require(stored).databaseValues.map(\.description) == ["\"integer\"", "0", "\"text\""])
        let event = try await queue.read { db in try Row.fetchOne(db, sql: "SELECT typeof(x), at FROM events") }
        #expect(try #require(event).databaseValues.map(\.description) == ["\"real\"", "\"2020-01-01T00:00:00.000000Z\""])
    }

    @Test("The reader lists tables without the sandbox's bookkeeping, and rows in load order")
    func reader() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        try await destination.load(batch(number: 1, messages: [upsert(1, ["id": 2, "name": "b"]), upsert(1, ["id": 1, "name": "a"])]))
        #expect(try DestinationReader.tables(schema: "import_api", dataDirectory: directory) == ["_sdc_rejected", "customers"])
        #expect(try rows(in: directory).map { $0["id"] } == ["2", "1"])
        #expect(try await destination.rows(schema: "import_api", table: "customers", limit: 10).rows.map { $0[0] } == ["1", "2"])
        #expect(try await destination.schemas() == ["import_api"])
        // The bookkeeping exists, next to the data, so a load and its record commit together.
        let queue = try DatabaseQueue(path: directory + "/destination/import_api.sqlite")
        let loads = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM _stitch_sandbox_loads") }
        #expect(loads == 1)
    }

    @Test("Reading an unknown schema or table says which is missing")
    func readerErrors() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: DestinationError.noSuchSchema("import_api")) {
            try DestinationReader.rows(schema: "import_api", table: "customers", dataDirectory: directory)
        }
        let destination = SQLiteDestination(dataDirectory: directory)
        try await destination.load(batch(number: 1, messages: [upsert(1, ["id": 1])]))
        #expect(throws: DestinationError.noSuchTable(schema: "import_api", table: "orders")) {
            try DestinationReader.rows(schema: "import_api", table: "orders", dataDirectory: directory)
        }
        await #expect(throws: DestinationError.noSuchTable(schema: "import_api", table: "orders")) {
            try await destination.layout(schema: "import_api", table: "orders")
        }
        #expect(throws: DestinationError.invalidSchemaName("../x")) {
            try DestinationReader.rows(schema: "../x", table: "t", dataDirectory: directory)
        }
        await #expect(throws: DestinationError.invalidSchemaName("../x")) {
            try await destination.load(batch(number: 2, schemaName: "../x", messages: [upsert(1, ["id": 1])]))
        }
    }

    @Test("A fresh data directory's batch 1 is not mistaken for an older directory's batch 1")
    func batchNumbersRestart() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        try await destination.load(batch(number: 1, messages: [upsert(1, ["id": 1])]))
        let reused = try await destination.load(batch(number: 1, messages: [upsert(2, ["id": 2])],
                                                      receivedAt: UTCTimestamp(secondsSinceEpoch: 1_650_000_000)))
        #expect(!reused.wasReplay)
        #expect(try rows(in: directory).count == 2)
    }
}

@Suite("Choosing a destination")
struct DestinationKindTests {
    @Test("--destination takes sqlite or a postgres URL; the password never shows")
    func parsing() throws {
        #expect(try DestinationKind(argument: "sqlite") == .sqlite)
        let kind = try DestinationKind(argument: "postgres://loader:s3cret%21@db.local:6543/warehouse?sslmode=require")
        guard case .postgres(let url) = kind else { throw TestFailure("not postgres: \(kind)") }
        #expect(url == PostgresURL(host: "db.local", port: 6543, username: "loader", password: "s3cret!", database: "warehouse",
                                   tlsMode: .require))
        #expect(kind.description == "postgres://loader:***@db.local:6543/warehouse?sslmode=require")
        #expect(try PostgresURL(parsing: "postgresql://postgres@127.0.0.1/postgres").port == 5432)
        #expect(try PostgresURL(parsing: "postgres://me@[::1]:5433").database == "me")
        #expect(try PostgresURL(parsing: "postgres://[::1]:5433/x").description == "postgres://postgres@[::1]:5433/x")
        #expect(throws: DestinationError.self) { try DestinationKind(argument: "mysql://x") }
        #expect(throws: DestinationError.self) { try PostgresURL(parsing: "postgres:///nohost") }
        #expect(throws: DestinationError.self) { try PostgresURL(parsing: "postgres://h/db?sslmode=verify-full") }
        do {
            _ = try DestinationKind(argument: "redis://user:hunter2@host")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("An unreachable PostgreSQL is a transient error, so the loader keeps the batch and retries")
    func unreachablePostgres() async throws {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let destination = PostgresDestination(url: PostgresURL(host: "127.0.0.1", port: 1, username: "nobody", database: "none"))
        do {
            try await destination.load(batch(number: 1, messages: [upsert(1, ["id": 1])]))
            Issue.record("a load without a database succeeded")
        } catch {
            #expect(error.isTransient)
            #expect(error.description.contains("127.0.0.1:1"))
        }
        await destination.close()
    }
}
