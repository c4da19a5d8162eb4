import Foundation
import GRDB
import StitchAPI
import Testing
@testable import StitchDestination

/// `Destination.load(group:)`: several batches in one transaction, as the sandbox's loader loads
/// the batches waiting in its inbox. Run against every destination.
@Suite("Group loads (every destination)")
struct GroupLoadTests {
    /// Batches that exercise what one batch's plan depends on from the ones before it: a new
    /// table, upserts by sequence, a column split, a child table, a table version activated.
    static func batches(schema: String) -> [DestinationBatch] {
        let changed: JSONValue = ["properties": ["id": ["type": "integer"], "age": ["type": "number"], "name": ["type": "string"]]]
        return [
            batch(number: 1, schemaName: schema, messages: [upsert(5, ["id": 1, "name": "Finn", "age": 15]),
                                                            upsert(5, ["id": 2, "name": "Jake", "age": 28])]),
            batch(number: 2, schemaName: schema, messages: [upsert(4, ["id": 1, "name": "older"]),
                                                            upsert(6, ["id": 2, "name": "Jake the Dog"])]),
            batch(number: 3, schemaName: schema, schema: changed, messages: [upsert(7, ["id": 3, "name": "Bmo", "age": 1.5])]),
            batch(number: 4, schemaName: schema, table: "orders", schema: LoaderTests.ordersSchema, keys: ["order_id"],
                  messages: [upsert(1, LoaderTests.order(10, skus: ["a", "b"]))]),
            batch(number: 5, schemaName: schema, table: "orders", schema: LoaderTests.ordersSchema, keys: ["order_id"],
                  messages: [upsert(2, LoaderTests.order(10, skus: ["c"])), upsert(1, LoaderTests.order(11, skus: ["d"]))]),
            batch(number: 6, schemaName: schema, table: "events", keys: nil, tableVersion: 1,
                  messages: [upsert(1, ["id": 1, "name": "old"])]),
            batch(number: 7, schemaName: schema, table: "events", keys: nil, tableVersion: 2,
                  messages: [upsert(2, ["id": 2, "name": "new"]), activateVersion(3)]),
        ]
    }

    /// Every table of the harness's schema, rendered.
    static func contents(_ loader: LoaderHarness) async throws -> [String: [[String]]] {
        var contents: [String: [[String]]] = [:]
        for table in try await loader.tables() {
            let rows = try await loader.destination.rows(schema: loader.schema, table: table, limit: 1000)
            contents[table] = [rows.columns] + rows.rows
        }
        return contents
    }

    @Test("A group lands exactly as its batches loaded one by one: sequences, splits, child tables, versions",
          arguments: DestinationUnderTest.available)
    func sameAsOneByOne(kind: DestinationUnderTest) async throws {
        let batchedAt = UTCTimestamp(secondsSinceEpoch: 1_700_000_000)
        var oneByOne: [String: [[String]]] = [:]
        var separateSummaries: [LoadSummary] = []
        try await LoaderHarness.with(kind) { loader in
            for batch in Self.batches(schema: loader.schema) {
                separateSummaries.append(try await loader.destination.load(batch, batchedAt: batchedAt))
            }
            oneByOne = try await Self.contents(loader)
        }
        try await LoaderHarness.with(kind) { loader in
            let summaries = try await loader.destination.load(group: Self.batches(schema: loader.schema), batchedAt: batchedAt)
            // The schema names differ between the two harnesses; everything else must not.
            #expect(summaries.map(\.rowsOffered) == separateSummaries.map(\.rowsOffered))
            #expect(summaries.map(\.tableName) == separateSummaries.map(\.tableName))
            #expect(summaries.allSatisfy { !$0.wasReplay && $0.schemaName == loader.schema })
            let grouped = try await Self.contents(loader)
            #expect(grouped == oneByOne)
            #expect(grouped["customers"]?.count == 4)
            #expect(grouped["orders__line_items"]?.count == 3)

            // Loaded again (a crash before the inbox files were removed): every batch is a replay.
            let replays = try await loader.destination.load(group: Self.batches(schema: loader.schema), batchedAt: batchedAt)
            #expect(replays.count == 7 && replays.allSatisfy(\.wasReplay))
            #expect(try await Self.contents(loader) == grouped)
        }
    }

    /// A batch that changes no table's shape lets the next one plan against the tables it read
    /// (SQLite does not read them again): what it did to the active version and to the table's
    /// rows must still count.
    @Test("In a group, a batch after one that only wrote rows sees that batch's activated version and rows",
          arguments: DestinationUnderTest.available)
    func laterBatchesSeeEarlierOnes(kind: DestinationUnderTest) async throws {
        func group(_ schema: String) -> [DestinationBatch] {
            [
                batch(number: 1, schemaName: schema, table: "events", keys: ["id"], tableVersion: 1,
                      messages: [upsert(1, ["id": 1, "name": "v1"])]),
                // No new table or column: the next batch reuses the tables read for this one.
                batch(number: 2, schemaName: schema, table: "events", keys: ["id"], tableVersion: 2,
                      messages: [upsert(2, ["id": 2, "name": "v2"]), activateVersion(3)]),
                // Older than the version batch 2 made active: ignored.
                batch(number: 3, schemaName: schema, table: "events", keys: ["id"], tableVersion: 1,
                      messages: [upsert(4, ["id": 3, "name": "stale"])]),
                batch(number: 4, schemaName: schema, table: "events", keys: ["id"], tableVersion: 2,
                      messages: [upsert(5, ["id": 2, "name": "v2 again"])]),
                // A new column, then a batch planned against the altered table.
                batch(number: 5, schemaName: schema, table: "events", keys: ["id"], tableVersion: 2,
                      messages: [upsert(6, ["id": 4, "name": "aged", "age": 3])]),
                batch(number: 6, schemaName: schema, table: "events", keys: ["id"], tableVersion: 2,
                      messages: [upsert(7, ["id": 5, "name": "older", "age": 4])]),
            ]
        }
        let batchedAt = UTCTimestamp(secondsSinceEpoch: 1_700_000_000)
        var oneByOne: [String: [[String]]] = [:]
        var separate: [LoadSummary] = []
        try await LoaderHarness.with(kind) { loader in
            for batch in group(loader.schema) { separate.append(try await loader.destination.load(batch, batchedAt: batchedAt)) }
            oneByOne = try await Self.contents(loader)
        }
        #expect(separate.map(\.ignored) == [0, 0, 1, 0, 0, 0])
        try await LoaderHarness.with(kind) { loader in
            let summaries = try await loader.destination.load(group: group(loader.schema), batchedAt: batchedAt)
            #expect(summaries.map(\.ignored) == separate.map(\.ignored))
            #expect(summaries.map(\.rowsOffered) == separate.map(\.rowsOffered))
            let grouped = try await Self.contents(loader)
            #expect(grouped == oneByOne)
            #expect(grouped["events"]?.count == 1 + 3)
        }
    }

    @Test("A group is all or none: one batch the destination refuses rolls back the batches before it")
    func allOrNone() async throws {
        try await LoaderHarness.with(.sqlite) { loader in
            try await loader.load(number: 1, messages: [upsert(1, ["id": 1, "name": "Finn"])])
            guard let sqlite = loader.destination as? SQLiteDestination else { throw TestFailure("not SQLite") }
            let dataDirectory = await sqlite.dataDirectory
            let path = try DestinationLayout.databasePath(schema: loader.schema, dataDirectory: dataDirectory)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER no_jakes BEFORE INSERT ON customers WHEN NEW.name = 'Jake'
                    BEGIN SELECT RAISE(ABORT, 'no Jakes here'); END
                    """)
            }
            try queue.close()
            let group = [
                batch(number: 2, schemaName: loader.schema, messages: [upsert(1, ["id": 2, "name": "Bmo"])]),
                batch(number: 3, schemaName: loader.schema, messages: [upsert(1, ["id": 3, "name": "Jake"])]),
            ]
            await #expect(throws: DestinationError.self) {
                try await loader.destination.load(group: group, batchedAt: .now())
            }
            #expect(try await loader.column("name") == ["Finn"])
            // Batch 2 was not recorded as loaded either: alone, it loads.
            let alone = try await loader.destination.load(group[0], batchedAt: .now())
            #expect(!alone.wasReplay && alone.rowsOffered == 1)
            #expect(try await loader.column("name") == ["Finn", "Bmo"])
        }
    }

    @Test("A group spanning two schemas is refused before anything loads", arguments: DestinationUnderTest.available)
    func oneSchemaPerGroup(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let group = [batch(number: 1, schemaName: loader.schema, messages: [upsert(1, ["id": 1, "name": "Finn"])]),
                         batch(number: 2, schemaName: loader.schema + "_other", messages: [upsert(1, ["id": 2, "name": "Jake"])])]
            await #expect(throws: DestinationError.self) {
                try await loader.destination.load(group: group, batchedAt: .now())
            }
            #expect((try? await loader.tables())?.contains("customers") != true)
        }
    }
}
