import Foundation
import StitchAPI
import StitchSandbox
import Testing

@Suite("Connect API: loads", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ConnectLoadsTests {
    /// The account's client id, read from a source.
    func clientID(_ sandbox: RunningSandbox) async throws -> Int {
        let source = try await createSource(sandbox, #"{"type":"import_api","display_name":"Probe"}"#)
        return try #require(source["stitch_client_id"]?.intValue)
    }

    /// Writes a load history the sandbox will read when it starts.
    func seedHistory(_ entries: [JSONValue], in directory: String) throws {
        try Data(JSONValue.array(entries).jsonText.utf8).write(to: URL(fileURLWithPath: directory + "/loads.json"))
    }

    func entry(_ source: String, _ stream: String, at time: String, error: String? = nil) -> JSONValue {
        ["source_name": .string(source), "stream_name": .string(stream), "attempted_at": .string(time),
         "last_batch_loaded_at": error == nil ? .string(time) : .null, "error": error.map(JSONValue.string) ?? .null]
    }

    @Test("A pushed batch shows up as the stream's last load")
    func pushedBatchIsListed() async throws {
        try await withConnectSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let id = try await clientID(sandbox)
            let empty = try await connect(sandbox, "GET", "/v4/\(id)/loads")
            #expect(empty.json == ["data": [], "page": 1, "total": 0, "links": [:]])

            let before = Date()
            #expect(try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token,
                                      body: customersBatch).status == 201)
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            let reply = try await connect(sandbox, "GET", "/v4/\(id)/loads")
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["total"] == 1)
            let load = try #require(json["data"]?[0])
            #expect(load.objectValue?.keys
                    == ["stitch_client_id", "source_name", "stream_name", "last_batch_loaded_at", "error_state"])
            #expect(load["stitch_client_id"]?.intValue == id)
            #expect(load["source_name"] == "import_api")
            #expect(load["stream_name"] == "customers")
            #expect(load["error_state"] == .null)
            let loadedAt = try #require(load["last_batch_loaded_at"]?.stringValue)
            #expect(loadedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
            let parsed = try #require(JSONSchema.parseDateTime(loadedAt))
            #expect(Double(parsed.epochSeconds) >= before.timeIntervalSince1970.rounded(.down))
        }
    }

    @Test("Pages of 100 ordered by stream name, with relative links; old loads drop out; errors show")
    func pagination() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recent = "2030-01-01T00:00:00.000000Z"
        var entries = (0..<205).map { entry("shop", String(format: "table_%03d", 204 - $0), at: recent) }
        entries.append(entry("shop", "aaa_failed", at: recent, error: "column too long"))
        entries.append(entry("shop", "aaa_ancient", at: "2000-01-01T00:00:00.000000Z"))
        try seedHistory(entries, in: directory)
        // The seeded times are in the future; "now" only decides what counts as older than 60 days.
        try await withConnectSandbox(dataDirectory: directory) { sandbox in
            let id = try await clientID(sandbox)
            let first = try #require(try await connect(sandbox, "GET", "/v4/\(id)/loads").json)
            #expect(first["page"] == 1)
            #expect(first["total"] == 206)
            #expect(first["links"] == ["next": .string("/v4/\(id)/loads?page=2")])
            let data = try #require(first["data"]?.arrayValue)
            #expect(data.count == 100)
            #expect(data[0]["stream_name"] == "aaa_failed")
            #expect(data[0]["last_batch_loaded_at"] == .null)
            #expect(data[0]["error_state"]?["notification_data"]?["message"] == "column too long")
            #expect(data[1]["stream_name"] == "table_000")
            #expect(data[1]["last_batch_loaded_at"] == "2030-01-01T00:00:00Z")
            let names = data.compactMap { $0["stream_name"]?.stringValue }
            #expect(names == names.sorted())

            let second = try #require(try await connect(sandbox, "GET", "/v4/\(id)/loads?page=2").json)
            #expect(second["links"] == ["next": .string("/v4/\(id)/loads?page=3"),
                                        "previous": .string("/v4/\(id)/loads?page=1")])
            #expect(second["data"]?[0]?["stream_name"] == "table_099")
            let third = try #require(try await connect(sandbox, "GET", "/v4/\(id)/loads?page=3").json)
            #expect(third["data"]?.arrayValue?.count == 6)
            #expect(third["links"] == ["previous": .string("/v4/\(id)/loads?page=2")])

            for page in ["0", "-1", "x"] {
                let bad = try await connect(sandbox, "GET", "/v4/\(id)/loads?page=\(page)")
                #expect(bad.status == 400, "page=\(page)")
            }
        }
    }

    @Test("Another client id is refused with 401; so is a missing Connect token")
    func wrongClient() async throws {
        try await withConnectSandbox { sandbox in
            let id = try await clientID(sandbox)
            for other in ["\(id + 1)", "abc", "0"] {
                let reply = try await connect(sandbox, "GET", "/v4/\(other)/loads")
                #expect(reply.status == 401, "\(other)")
                #expect(reply.json?["error"] == "AccessDenied")
            }
            #expect(try await request("GET", sandbox.baseURL + "/v4/\(id)/loads").status == 401)
        }
    }
}
