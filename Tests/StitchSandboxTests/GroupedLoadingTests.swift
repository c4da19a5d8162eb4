import Foundation
import StitchAPI
import StitchDestination
import Testing
@testable import StitchSandbox

/// The loader loads the batches waiting in the inbox together (`InboxLoader.groupLimit`): one
/// transaction, one `loads.json` write. Batches are written into the inbox while no sandbox runs,
/// so they are all waiting when the loader starts.
@Suite("Grouped loading")
struct GroupedLoadingTests {
    let outcome = LoaderOutcomeTests()

    /// A data directory with one source (its schema returned), loaded once so its table exists;
    /// `prepare` runs on the destination file before the sandbox stops.
    func seeded(_ directory: String, prepare: (String) async throws -> Void = { _ in }) async throws -> String {
        var schema = ""
        try await outcome.withSetup(.sqlite, dataDirectory: directory) { setup in
            schema = setup.schema
            #expect(try await setup.post(LoaderOutcomeTests.batch("customers", [#"{"id":1,"name":"Finn"}"#])).status == 201)
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            try await prepare(directory + "/destination/\(schema).sqlite")
        }
        return schema
    }

    func rows(_ schema: String, _ table: String, in directory: String) throws -> [[String: String]] {
        let result = try DestinationReader.rows(schema: schema, table: table, dataDirectory: directory)
        return result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
    }

    @Test("Waiting batches load in one transaction (one _sdc_batched_at), in order, and /loads names the last")
    func waitingBatchesLoadTogether() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let schema = try await seeded(directory)
        let inbox = try Inbox(dataDirectory: directory)
        var numbers: [Int64] = []
        // id 2 is sent twice: the later batch wins on an equal sequence.
        for (id, name) in [(2, "Jake"), (3, "Bmo"), (2, "Jake the Dog"), (4, "Pb")] {
            let body = LoaderOutcomeTests.batch("customers", [#"{"id":\#(id),"name":"\#(name)"}"#])
            numbers.append(try await inbox.accept(sourceID: 1, schemaName: schema, receivedAt: .now(), body: Array(body.utf8)))
        }
        try await outcome.withSetup(.sqlite, dataDirectory: directory) { setup in
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(inboxWaitingFiles(directory).isEmpty)
            let customers = try rows(schema, "customers", in: directory)
            #expect(customers.map { $0["name"] } == ["Finn", "Jake the Dog", "Bmo", "Pb"])
            let batchedAt = Set(customers.dropFirst().compactMap { $0["_sdc_batched_at"] })
            #expect(batchedAt.count == 1, "one transaction for the four waiting batches: \(batchedAt)")
            #expect(customers.first?["_sdc_batched_at"].map(batchedAt.contains) == false)
            let loads = try await setup.loads(source: schema)
            #expect(loads["customers"]?["error_state"] == .null)
            let saved = try #require(FileManager.default.contents(atPath: directory + "/loads.json"))
            let entries = try JSONDecoder().decode([LoadHistory.Entry].self, from: saved)
            #expect(entries.first { $0.sourceName == schema && $0.streamName == "customers" }?.batch == numbers.last)
        }
    }

    @Test("A refused batch among waiting ones: the group loads again one by one, the others land, its records go to _sdc_rejected")
    func refusedBatchInGroup() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let schema = try await seeded(directory) { database in
            try await runTool("/usr/bin/sqlite3", [database, """
                CREATE TRIGGER no_jakes BEFORE INSERT ON customers WHEN NEW.name = 'Jake'
                BEGIN SELECT RAISE(ABORT, 'no Jakes here'); END;
                """])
        }
        let inbox = try Inbox(dataDirectory: directory)
        for (id, name) in [(2, "Bmo"), (3, "Jake"), (4, "Pb")] {
            let body = LoaderOutcomeTests.batch("customers", [#"{"id":\#(id),"name":"\#(name)"}"#])
            _ = try await inbox.accept(sourceID: 1, schemaName: schema, receivedAt: .now(), body: Array(body.utf8))
        }
        try await outcome.withSetup(.sqlite, dataDirectory: directory) { setup in
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(inboxWaitingFiles(directory).isEmpty)
            #expect(setup.failedFiles.isEmpty)
            #expect(try rows(schema, "customers", in: directory).map { $0["name"] } == ["Finn", "Bmo", "Pb"])
            let rejected = try rows(schema, "_sdc_rejected", in: directory)
            #expect(rejected.map { $0["record"] } == [#"{"id":3,"name":"Jake"}"#])
            #expect(rejected.first?["reason"]?.contains("no Jakes here") == true)
            // The last batch loaded after the refused one: the stream is not in an error state.
            #expect(try await setup.loads(source: schema)["customers"]?["error_state"] == .null)
        }
    }
}
