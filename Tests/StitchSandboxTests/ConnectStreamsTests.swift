import Foundation
import StitchAPI
import StitchSandbox
import Testing

@Suite("Connect API: streams and field selection", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ConnectStreamsTests {
    /// A postgres source that has reached `field_selection`; its id.
    func discoveredPostgres(_ sandbox: RunningSandbox) async throws -> Int {
        let source = try await createSource(sandbox, #"{"type":"platform.postgres","display_name":"Shop","properties":\#(postgresProperties)}"#)
        let id = try #require(source["id"]?.intValue)
        let reached = try await waitForStep(sandbox, source: id, "field_selection")
        try #require(reached.stepType == "field_selection")
        return id
    }

    @Test("Selecting a stream through metadata finishes field_selection")
    func selectStream() async throws {
        try await withConnectSandbox { sandbox in
            let id = try await discoveredPostgres(sandbox)
            let list = try await connect(sandbox, "GET", "/v4/sources/\(id)/streams")
            #expect(list.status == 200)
            let streams = try #require(list.json?.arrayValue)
            #expect(streams.compactMap { $0["tap_stream_id"]?.stringValue }
                    == ["shop-public-customers", "shop-public-orders", "shop-public-customer_view"])
            let customers = streams[0]
            #expect(customers.objectValue?.keys == ["selected", "stream_id", "tap_stream_id", "stream_name", "metadata"])
            #expect(customers["selected"] == .null)
            #expect(customers["stream_name"] == "customers")
            #expect(customers["metadata"]?["database-name"] == "shop")
            #expect(customers["metadata"]?["table-key-properties"] == ["id"])
            #expect(streams[2]["metadata"]?["is-view"] == true)

            let body = """
                {"streams":[{"tap_stream_id":"shop-public-customers","metadata":[\
                {"breadcrumb":[],"metadata":{"selected":true,"replication-method":"INCREMENTAL","replication-key":"updated_at"}},\
                {"breadcrumb":["properties","name"],"metadata":{"selected":true}}]}]}
                """
            let update = try await connect(sandbox, "PUT", "/v4/sources/\(id)/streams/metadata", body)
            #expect(update.status == 200)
            #expect(update.json == ["status": 200])

            let source = try #require(try await connect(sandbox, "GET", "/v4/sources/\(id)").json)
            #expect(source.stepType == "fully_configured")
            #expect(source["report_card"]?["current_step"] == 4)
            let after = try #require(try await connect(sandbox, "GET", "/v4/sources/\(id)/streams").json?.arrayValue)
            #expect(after[0]["selected"] == true)
            #expect(after[0]["metadata"]?["replication-method"] == "INCREMENTAL")
            #expect(after[1]["selected"] == .null)

            let streamID = try #require(customers["stream_id"]?.intValue)
            let schema = try await connect(sandbox, "GET", "/v4/sources/\(id)/streams/\(streamID)")
            #expect(schema.status == 200)
            let schemaJSON = try #require(schema.json)
            let schemaText = try #require(schemaJSON["schema"]?.stringValue)
            #expect(try JSONParser.parse(schemaText)["properties"]?["name"] == ["type": ["null", "string"]])
            let fields = try #require(schemaJSON["metadata"]?.arrayValue)
            #expect(fields.first?["breadcrumb"] == [])
            let name = try #require(fields.first { $0["breadcrumb"] == ["properties", "name"] })
            #expect(name["metadata"]?["selected"] == true)
            #expect(name["metadata"]?["inclusion"] == "available")
            #expect(fields.first { $0["breadcrumb"] == ["properties", "id"] }?["metadata"]?["inclusion"] == "automatic")
            #expect(schemaJSON["non-discoverable-metadata-keys"]
                    == ["selected", "replication-method", "replication-key", "view-key-properties"])

            // Deselecting every stream sends the card back to field_selection.
            _ = try await connect(sandbox, "PUT", "/v4/sources/\(id)/streams/metadata",
                                  #"{"streams":[{"tap_stream_id":"shop-public-customers","metadata":[{"breadcrumb":[],"metadata":{"selected":false}}]}]}"#)
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(id)").json?.stepType == "field_selection")
        }
    }

    @Test("A SaaS source's streams use its stream names and force incremental replication")
    func saasStreams() async throws {
        try await withConnectSandbox { sandbox in
            let source = try await createSource(sandbox, """
                {"type":"platform.closeio","display_name":"Close","properties":{"api_key":"fake-key",\
                "start_date":"2024-01-01T00:00:00Z"}}
                """)
            let id = try #require(source["id"]?.intValue)
            _ = try await waitForStep(sandbox, source: id, "field_selection")
            let streams = try #require(try await connect(sandbox, "GET", "/v4/sources/\(id)/streams").json?.arrayValue)
            #expect(streams.compactMap { $0["tap_stream_id"]?.stringValue } == ["activities", "leads"])
            #expect(streams[1]["metadata"] == ["forced-replication-method": "INCREMENTAL", "selected": nil,
                                               "table-key-properties": ["id"], "valid-replication-keys": ["date_updated"]])
            let update = try await connect(sandbox, "PUT", "/v4/sources/\(id)/streams/metadata",
                                           #"{"streams":[{"tap_stream_id":"leads","metadata":[{"breadcrumb":[],"metadata":{"selected":true}}]}]}"#)
            #expect(update.status == 200)
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(id)").json?.stepType == "fully_configured")
        }
    }

    @Test("Metadata errors have the documented bodies, and change nothing", arguments: [
        (#"{}"#, JSONValue.string("body must contain a 'streams' property with a list of metadatas by tap_stream_id")),
        (#"{"streams":[{"tap_stream_id":"shop-public-orders"}]}"#,
         .string("body must contain a 'streams' property with a list of metadatas by tap_stream_id")),
        (#"{"streams":[{"metadata":[{"breadcrumb":[],"metadata":{"selected":true}}]}]}"#,
         ["invalid_fields": "invalid tap-stream-ids:  [nil]"]),
        (#"{"streams":[{"tap_stream_id":"nope","metadata":[{"breadcrumb":[],"metadata":{"selected":true}}]}]}"#,
         ["invalid_fields": "invalid tap-stream-ids:  [nope]"]),
        (#"{"streams":[{"tap_stream_id":"shop-public-orders","metadata":[{"breadcrumb":[],"metadata":{"selected":true,"row-count":5}}]}]}"#,
         ["invalid_fields": #"only non-discoverable metadata can be produced by the UI: #{"row-count"}"#]),
        (#"{"streams":[{"tap_stream_id":"shop-public-orders","metadata":[{"breadcrumb":[],"metadata":{"selected":"yes"}}]}]}"#,
         ["invalid_fields": #"invalid value for selected in shop-public-orders: "yes""#]),
        (#"{"streams":[{"tap_stream_id":"shop-public-orders","metadata":[{"breadcrumb":["properties","nope"],"metadata":{"selected":true}}]}]}"#,
         ["invalid_fields": #"invalid breadcrumb for shop-public-orders: ["properties","nope"]"#]),
    ] as [(String, JSONValue)])
    func metadataErrors(body: String, expected: JSONValue) async throws {
        try await withConnectSandbox { sandbox in
            let id = try await discoveredPostgres(sandbox)
            let reply = try await connect(sandbox, "PUT", "/v4/sources/\(id)/streams/metadata", body)
            #expect(reply.status == 400)
            #expect(reply.json == expected, "\(reply.body)")
            let streams = try #require(try await connect(sandbox, "GET", "/v4/sources/\(id)/streams").json?.arrayValue)
            #expect(streams.allSatisfy { $0["selected"] == .null })
        }
    }

    @Test("Before discovery finishes there are no streams, and nothing can be selected")
    func beforeDiscovery() async throws {
        try await withConnectSandbox(discoveryDelay: .seconds(600)) { sandbox in
            let source = try await createSource(sandbox, #"{"type":"platform.postgres","display_name":"Shop","properties":\#(postgresProperties)}"#)
            let id = try #require(source["id"]?.intValue)
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(id)/streams").json == [])
            let reply = try await connect(sandbox, "PUT", "/v4/sources/\(id)/streams/metadata",
                                          #"{"streams":[{"tap_stream_id":"shop-public-orders","metadata":[{"breadcrumb":[],"metadata":{"selected":true}}]}]}"#)
            #expect(reply.status == 400)
            #expect(reply.json?["invalid_fields"]?.stringValue?.contains("discover_schema") == true)
        }
    }

    @Test("Unknown sources and stream ids")
    func unknownIDs() async throws {
        try await withConnectSandbox { sandbox in
            let missing = try await connect(sandbox, "GET", "/v4/sources/999/streams")
            #expect(missing.status == 400)
            #expect(missing.json == ["error": "InvalidId", "data": ["message": "source not found (999)"]])
            let id = try await discoveredPostgres(sandbox)
            let stream = try await connect(sandbox, "GET", "/v4/sources/\(id)/streams/12")
            #expect(stream.status == 400)
            #expect(stream.json == "invalid stream-id: 12")
            // Import API sources have no discovered streams.
            let importID = try await makeImportSource(sandbox).id
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(importID)/streams").json == [])
        }
    }
}
