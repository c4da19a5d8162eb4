import Foundation
import StitchAPI
import Testing

/// The streams and connection check objects as the docs' examples show them (spec §2.5.10).
@Suite struct StreamModelTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    @Test func aStreamListDecodesWithNullSelection() throws {
        let streams = try Self.decode([SourceStream].self, """
            [{"selected":null,"stream_id":2142,"tap_stream_id":"shop-public-customers","stream_name":"customers",
              "metadata":{"database-name":"shop","is-view":false,"table-key-properties":["id"]}},
             {"selected":true,"stream_id":2143,"tap_stream_id":"leads","stream_name":"leads","metadata":{}}]
            """)
        #expect(streams.map(\.streamID) == [2142, 2143])
        #expect(streams[0].selected == nil)
        #expect(!streams[0].isSelected)
        #expect(streams[1].isSelected)
        #expect(streams[0].keyProperties == ["id"])
        #expect(streams[0].metadata["database-name"] == "shop")
    }

    @Test func aStreamSchemaReadsItsStringSchemaAndEntries() throws {
        let schema = try Self.decode(StreamSchema.self, #"""
            {"schema":"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":[\"null\",\"integer\"]}}}",
             "metadata":[{"breadcrumb":[],"metadata":{"selected":true,"table-key-properties":["id"]}},
                         {"breadcrumb":["properties","id"],"metadata":{"inclusion":"automatic","selected-by-default":true}},
                         {"breadcrumb":["properties","name"],"metadata":{"inclusion":"available","selected":false}},
                         {"breadcrumb":["properties","blob"],"metadata":{"inclusion":"unsupported"}}],
             "non-discoverable-metadata-keys":["selected","replication-method"]}
            """#)
        #expect(schema.schema["properties"]?["id"]?["type"] == ["null", "integer"])
        #expect(schema.streamMetadata?.selected == true)
        #expect(schema.fields.map(\.name) == ["id", "name", "blob"])
        #expect(schema.fields.map(\.entry.inclusion) == [.automatic, .available, .unsupported])
        #expect(schema.fields.map(\.entry.isReplicated) == [true, false, false])
        #expect(schema.fields[0].entry.selectedByDefault == true)
        #expect(schema.selectableFields == ["name"])
        #expect(schema.nonDiscoverableMetadataKeys == ["selected", "replication-method"])
        // An object schema is read too.
        let object = try Self.decode(StreamSchema.self, #"{"schema":{"type":"object"},"metadata":[]}"#)
        #expect(object.schema == ["type": "object"])
        #expect(throws: DecodingError.self) { try Self.decode(StreamSchema.self, #"{"schema":"{nope","metadata":[]}"#) }
    }

    @Test func theSchemaIsSentAsAStringHoldingJSON() throws {
        let schema = StreamSchema(schema: ["type": "object"], metadata: [.field("id", selected: true)],
                                  nonDiscoverableMetadataKeys: ["selected"])
        let json = try JSONParser.parse(Array(JSONEncoder().encode(schema)))
        #expect(json["schema"] == #"{"type":"object"}"#)
        #expect(try Self.decode(StreamSchema.self, String(decoding: JSONEncoder().encode(schema), as: UTF8.self)) == schema)
    }

    @Test func aSelectionBodyHasTheDocumentedShape() throws {
        let update = StreamMetadataUpdate(streams: [
            StreamMetadataUpdate.select("shop-public-customers", fields: ["name": true, "email": false],
                                        replicationMethod: "FULL_TABLE"),
        ])
        let json = try JSONParser.parse(Array(JSONEncoder().encode(update)))
        let stream = try #require(json["streams"]?[0])
        #expect(stream["tap_stream_id"] == "shop-public-customers")
        #expect(stream["metadata"]?[0]?["breadcrumb"] == [])
        #expect(stream["metadata"]?[0]?["metadata"]?["selected"] == true)
        #expect(stream["metadata"]?[0]?["metadata"]?["replication-method"] == "FULL_TABLE")
        #expect(stream["metadata"]?[1]?["breadcrumb"] == ["properties", "email"])
        #expect(stream["metadata"]?[1]?["metadata"] == ["selected": false])
        #expect(stream["metadata"]?[2]?["breadcrumb"] == ["properties", "name"])
    }

    @Test func aConnectionCheckDecodesTheDocsExampleAndRunningOne() throws {
        let done = try Self.decode(ConnectionCheck.self, """
            {"name":"116078.120645.check.5ee35614-18d8-11e9-b44f-06828117ecd6","mode":"check","status":"succeeded",
             "start_time":"2019-01-15T15:15:19Z","completion_time":"2019-01-15T15:15:22Z","error":false,
             "check_exit_status":0,"discovery_exit_status":0,"discovery_error_message":null,"tap_exit_status":0,
             "tap_error_message":null,"target_exit_status":0,"target_error_message":null}
            """)
        #expect(done.status == .succeeded)
        #expect(done.isFinished)
        #expect(!done.hasFailed)
        #expect(done.errorMessages.isEmpty)
        let failed = try Self.decode(ConnectionCheck.self, """
            {"name":"1.2.check.x","mode":"check","status":"failed","error":true,"check_exit_status":1,
             "discovery_exit_status":1,"discovery_error_message":"could not connect to server"}
            """)
        #expect(failed.hasFailed)
        #expect(failed.errorMessages == ["discovery: could not connect to server"])
        let running = try Self.decode(ConnectionCheck.self, #"{"name":"1.2.check.y","mode":"check","status":"running"}"#)
        #expect(!running.isFinished)
        #expect(running.checkExitStatus == nil)
        #expect(ConnectionCheck.Status(rawValue: "queued") == .other("queued"))
    }

    @Test func aConnectionCheckEncodesEveryKeyWithNulls() throws {
        let check = ConnectionCheck(name: "1.2.check.z", status: .running, startTime: "2026-01-01T00:00:00Z")
        let json = try JSONParser.parse(Array(JSONEncoder().encode(check)))
        #expect(json.objectValue?.count == 13)
        #expect(json["completion_time"] == .null)
        #expect(json["status"] == "running")
        #expect(try Self.decode(ConnectionCheck.self, json.jsonText) == check)
    }

    @Test func invalidFieldsRepliesAreClassified() {
        let body = ErrorBody(json: ["invalid_fields": "invalid tap-stream-ids:  [nope]"])
        #expect(body == .invalidFields(message: "invalid tap-stream-ids:  [nope]"))
        #expect(body.message == "invalid tap-stream-ids:  [nope]")
    }
}
