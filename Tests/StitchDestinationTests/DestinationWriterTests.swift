import Foundation
import GRDB
import StitchAPI
import Testing
@testable import StitchDestination

@Suite("Destination writer")
struct DestinationWriterTests {
    @Test("The tutorial's batch creates import_api.customers with schema-ordered, typed columns and a key")
    func createsTable() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [
            upsert(1_565_880_017, ["id": 1, "name": "Finn", "age": 15, "has_magic": false]),
        ]))
        await writer.close()

        let path = directory + "/destination/import_api.sqlite"
        #expect(FileManager.default.fileExists(atPath: path))
        let queue = try DatabaseQueue(path: path)
        let columns = try await queue.read { db in try db.columns(in: "customers").map { ($0.name, $0.type, $0.primaryKeyIndex) } }
        #expect(columns.map(\.0) == ["id", "name", "age", "has_magic", "_sdc_received_at", "_sdc_batched_at",
                                     "_sdc_sequence", "_sdc_table_version"])
        #expect(columns.map(\.1) == ["INTEGER", "TEXT", "INTEGER", "BOOLEAN", "TEXT", "TEXT", "INTEGER", "INTEGER"])
        #expect(columns.filter { $0.2 > 0 }.map(\.0) == ["id"])
        let journal = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")

        let loaded = try rows(in: directory)
        #expect(loaded.count == 1)
        #expect(loaded.first?["id"] == "1")
        #expect(loaded.first?["name"] == "Finn")
        #expect(loaded.first?["age"] == "15")
        #expect(loaded.first?["has_magic"] == "false")
        #expect(loaded.first?["_sdc_sequence"] == "1565880017")
        #expect(loaded.first?["_sdc_table_version"] == "0")
        #expect(loaded.first?["_sdc_received_at"] == "2020-09-13T12:26:40.000000Z")
    }

    @Test("A lower sequence arriving later never overwrites a higher one")
    func lowerSequenceLaterLoses() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [upsert(10, ["id": 1, "name": "New"])]))
        try await writer.load(batch(number: 2, messages: [upsert(5, ["id": 1, "name": "Old"])],
                                    receivedAt: UTCTimestamp(secondsSinceEpoch: 1_600_000_100)))
        #expect(try rows(in: directory).map { $0["name"] } == ["New"])

        try await writer.load(batch(number: 3, messages: [upsert(11, ["id": 1, "name": "Newer"])],
                                    receivedAt: UTCTimestamp(secondsSinceEpoch: 1_600_000_200)))
        let loaded = try rows(in: directory)
        #expect(loaded.map { $0["name"] } == ["Newer"])
        #expect(loaded.first?["_sdc_sequence"] == "11")
    }

    @Test("Within one batch the highest sequence per key wins, whatever the message order")
    func highestSequenceWithinBatch() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [
            upsert(5, ["id": 1, "name": "five"]),
            upsert(9, ["id": 1, "name": "nine"]),
            upsert(7, ["id": 1, "name": "seven"]),
            upsert(1, ["id": 2, "name": "other"]),
        ]))
        let loaded = try rows(in: directory)
        #expect(loaded.count == 2)
        #expect(Set(loaded.map { "\($0["id"] ?? ""):\($0["name"] ?? "")" }) == ["1:nine", "2:other"])
    }

    @Test("On an equal sequence the later-received batch wins")
    func equalSequenceLaterBatchWins() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [upsert(5, ["id": 1, "name": "first"])]))
        try await writer.load(batch(number: 2, messages: [upsert(5, ["id": 1, "name": "second"])],
                                    receivedAt: UTCTimestamp(secondsSinceEpoch: 1_600_000_001)))
        #expect(try rows(in: directory).map { $0["name"] } == ["second"])
    }

    @Test("New properties in a later batch add columns at the end; older rows read NULL")
    func newColumns() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [upsert(1, ["id": 1, "name": "Finn"])]))
        let wider: JSONValue = ["properties": ["id": ["type": "integer"], "email": ["type": "string"]]]
        try await writer.load(batch(number: 2, schema: wider, messages: [upsert(2, ["id": 2, "email": "j@example.com"])],
                                    receivedAt: UTCTimestamp(secondsSinceEpoch: 1_600_000_001)))
        let result = try DestinationReader.rows(schema: "import_api", table: "customers", dataDirectory: directory)
        #expect(result.columns.last == "email")
        #expect(result.columns.contains("has_magic"))
        let loaded = try rows(in: directory)
        #expect(loaded.first { $0["id"] == "1" }?["email"] == "NULL")
        #expect(loaded.first { $0["id"] == "2" }?["email"] == "j@example.com")
        #expect(loaded.first { $0["id"] == "2" }?["name"] == "NULL")
    }

    @Test("JSON Schema types map to SQLite storage classes; date-times become UTC text")
    func types() async throws {
        let directory = try makeDataDirectory()
        let schema: JSONValue = ["properties": [
            "id": ["type": "integer"],
            "price": ["type": ["null", "number"]],
            "flag": ["type": "boolean"],
            "label": ["type": "string"],
            "when": ["type": "string", "format": "date-time"],
            "attributes": ["type": "object", "properties": ["color": ["type": "string"]]],
            "tags": ["type": "array", "items": ["type": "string"]],
        ]]
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, table: "items", schema: schema, messages: [
            upsert(1, ["id": 7, "price": 3, "flag": true, "label": "12", "when": "2020-01-13T21:25:03+0100",
                       "attributes": ["color": "red"], "tags": ["a", "b"]]),
        ]))
        await writer.close()
        let queue = try DatabaseQueue(path: directory + "/destination/import_api.sqlite")
        let row = try await queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT typeof(id), typeof(price), price, typeof(flag), flag, typeof(label), "when", attributes, tags
                FROM items
                """)
        }
        let values = Array(try #require(row).databaseValues.map(\.description))
        #expect(values == ["\"integer\"", "\"real\"", "3.0", "\"integer\"", "1", "\"text\"",
                           "\"2020-01-13T20:25:03.000000Z\"", "\"{\\\"color\\\":\\\"red\\\"}\"", "\"[\\\"a\\\",\\\"b\\\"]\""])
    }

    @Test("Loading the same batch twice changes nothing, keyed or keyless")
    func replayIsIdempotent() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        let keyed = batch(number: 1, messages: [upsert(3, ["id": 1, "name": "Finn"]), upsert(4, ["id": 2, "name": "Jake"])])
        let keyless = batch(number: 2, table: "events", keys: nil,
                            messages: [upsert(1, ["id": 1, "name": "a"]), upsert(1, ["id": 1, "name": "a"])])
        try await writer.load(keyed, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
        try await writer.load(keyless, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
        let before = (try rows(in: directory), try rows(of: "events", in: directory))
        #expect(before.1.count == 2)

        try await writer.load(keyed, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_800_000_000))
        try await writer.load(keyless, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_800_000_000))
        let after = (try rows(in: directory), try rows(of: "events", in: directory))
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        #expect(after.1.allSatisfy { $0["__sdc_primary_key"]?.count == 36 })
    }

    @Test("A keyless table appends every record, across batches")
    func keylessAppends() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, table: "events", keys: [], messages: [upsert(1, ["id": 1])]))
        try await writer.load(batch(number: 2, table: "events", keys: [], messages: [upsert(1, ["id": 1])]))
        #expect(try rows(of: "events", in: directory).count == 2)
    }

    @Test("activate_version removes rows of older table versions")
    func activateVersion() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, tableVersion: 1, messages: [upsert(1, ["id": 1]), upsert(2, ["id": 2])]))
        try await writer.load(batch(number: 2, tableVersion: 2, messages: [upsert(3, ["id": 2])]))
        try await writer.load(batch(number: 3, tableVersion: 2,
                                    messages: [BatchMessage(action: .activateVersion, sequence: 4, data: nil)]))
        let loaded = try rows(in: directory)
        #expect(loaded.map { $0["id"] } == ["2"])
        #expect(loaded.first?["_sdc_table_version"] == "2")
    }

    @Test("A batch whose key differs from the table's is refused, permanently")
    func keyMismatch() async throws {
        let directory = try makeDataDirectory()
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [upsert(1, ["id": 1, "name": "Finn"])]))
        await #expect(throws: DestinationError.keyMismatch(table: "customers", existing: ["id"], requested: ["name"])) {
            try await writer.load(batch(number: 2, keys: ["name"], messages: [upsert(2, ["id": 1, "name": "Finn"])]))
        }
        #expect(DestinationError.keyMismatch(table: "t", existing: [], requested: []).isTransient == false)
    }

    @Test("Reading an unknown schema or table says which is missing")
    func readerErrors() async throws {
        let directory = try makeDataDirectory()
        #expect(throws: DestinationError.noSuchSchema("import_api")) {
            try DestinationReader.rows(schema: "import_api", table: "customers", dataDirectory: directory)
        }
        let writer = DestinationWriter(dataDirectory: directory)
        try await writer.load(batch(number: 1, messages: [upsert(1, ["id": 1])]))
        #expect(throws: DestinationError.noSuchTable(schema: "import_api", table: "orders")) {
            try DestinationReader.rows(schema: "import_api", table: "orders", dataDirectory: directory)
        }
        #expect(try DestinationReader.schemas(dataDirectory: directory) == ["import_api"])
        #expect(try DestinationReader.tables(schema: "import_api", dataDirectory: directory) == ["customers"])
        #expect(throws: DestinationError.invalidSchemaName("../x")) {
            try DestinationReader.rows(schema: "../x", table: "t", dataDirectory: directory)
        }
    }
}
