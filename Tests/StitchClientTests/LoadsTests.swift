import Foundation
import StitchAPI
import StitchClient
import StitchSandbox
import Testing

/// `ConnectClient.loads(clientID:)` against the in-process sandbox: every page of
/// `GET /v4/{client_id}/loads` (100 per page), a stream's load time, and a stream in error.
@Suite struct LoadsTests {
    static func withSandbox(_ body: (RunningSandbox, ConnectClient) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stitch-client-loads-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sandbox = try await startSandbox(SandboxConfiguration(dataDirectory: directory))
        do {
            try await body(sandbox, try ConnectClient(baseURL: sandbox.baseURL, token: sandbox.connectToken))
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    static func body(table: String, id: Int, name: String = "x") -> [UInt8] {
        Array("""
        {"table_name":"\(table)","schema":{"properties":{"id":{"type":"integer"},"name":{"type":"string"}}},\
        "messages":[{"action":"upsert","sequence":1,"data":{"id":\(id),"name":"\(name)"}}],"key_names":["id"]}
        """.utf8)
    }

    @Test func everyPageIsReadAndEachStreamSaysWhenItLoaded() async throws {
        try await Self.withSandbox { sandbox, client in
            let source = try await client.createSource(CreateSourceRequest(type: "import_api", displayName: "Loads Test"))
            let token = try await client.createToken(sourceID: source.id)
            let importer = try ImportClient(baseURL: sandbox.baseURL, token: token.accessToken)
            #expect(try await client.loads(clientID: source.stitchClientID).isEmpty)
            // 101 streams: one more than a page holds.
            for index in 0..<101 {
                let reply = try await importer.postBatch(body: Self.body(table: String(format: "t%03d", index), id: index))
                #expect(reply.statusCode == 201)
            }
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            let loads = try await client.loads(clientID: source.stitchClientID)
            #expect(loads.count == 101, "both pages")
            #expect(loads.map(\.streamName) == (0..<101).map { String(format: "t%03d", $0) })
            #expect(loads.allSatisfy { $0.sourceName == "loads_test" && $0.stitchClientID == source.stitchClientID })
            #expect(loads.allSatisfy { $0.lastBatchLoadedAt != nil && !$0.isInError && $0.errorMessage == nil })
            let pageOne = try await client.loads(clientID: source.stitchClientID, maximumPages: 1)
            #expect(pageOne.count == 100)
        }
    }

    @Test func aStreamWhoseRecordsWereAllRejectedIsInError() async throws {
        try await Self.withSandbox { sandbox, client in
            let source = try await client.createSource(CreateSourceRequest(type: "import_api", displayName: "Loads Error"))
            let token = try await client.createToken(sourceID: source.id)
            let importer = try ImportClient(baseURL: sandbox.baseURL, token: token.accessToken)
            // SQLite refuses table names starting with sqlite_: the records go to _sdc_rejected.
            let reply = try await importer.postBatch(body: Self.body(table: "sqlite_things", id: 1))
            #expect(reply.statusCode == 201)
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(10)))
            let load = try #require(try await client.loads(clientID: source.stitchClientID).first)
            #expect(load.lastBatchLoadedAt == nil)
            #expect(load.isInError)
            #expect(load.errorMessage?.contains("_sdc_rejected") == true, "\(load.errorMessage ?? "nil")")
        }
    }

    @Test func anotherClientIDIsRefused() async throws {
        try await Self.withSandbox { _, client in
            let source = try await client.createSource(CreateSourceRequest(type: "import_api", displayName: "Loads Other"))
            await #expect(throws: StitchAPIError.self) { try await client.loads(clientID: source.stitchClientID + 1) }
        }
    }

    @Test func errorStatesDecodeFromTheDocumentedShapes() throws {
        let text = """
        {"data":[{"stitch_client_id":7,"source_name":"s","stream_name":"a","last_batch_loaded_at":"2020-01-01T00:00:00Z","error_state":null},
        {"stitch_client_id":7,"source_name":"s","stream_name":"b","last_batch_loaded_at":null,
         "error_state":{"notification_data":{"warehouse_message":"column too wide"}}}],"page":1,"total":2,"links":{}}
        """
        let page = try JSONDecoder().decode(StreamLoadPage.self, from: Data(text.utf8))
        #expect(page.data.map(\.isInError) == [false, true])
        #expect(page.data[1].errorMessage == "column too wide")
        #expect(page.links?.next == nil && page.total == 2)
    }
}
