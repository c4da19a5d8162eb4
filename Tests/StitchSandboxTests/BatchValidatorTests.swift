import StitchAPI
import Testing
@testable import StitchSandbox

@Suite("Batch validation")
struct BatchValidatorTests {
    private func problem(_ text: String) throws -> String? {
        BatchValidator.problem(with: try JSONParser.parse(text))
    }

    @Test("The envelope schema loads")
    func envelopeSchemaLoads() throws {
        _ = try JSONSchema(BatchEnvelopeSchema.json)
    }

    @Test("The fast path vouches only for messages the full schema accepts", arguments: [
        (#"{"action":"upsert","sequence":1,"data":{}}"#, true, true),
        (#"{"action":"upsert","sequence":-1,"data":{"a":1},"time_extracted":"2020-01-02T00:00:00.000000Z"}"#, true, true),
        (#"{"action":"activate_version","sequence":1}"#, true, true),
        (#"{"sequence":1,"data":{},"action":"upsert"}"#, true, true),
        (#"{"action":"upsert","sequence":1,"data":{},"time_extracted":"soon"}"#, false, false),
        (#"{"action":"upsert","sequence":1,"data":{},"extra":1}"#, false, false),
        (#"{"action":"upsert","sequence":1.0,"data":{}}"#, false, true),
        (#"{"action":"upsert","sequence":1,"data":[]}"#, false, false),
        (#"{"action":"activate_version","sequence":1,"data":{}}"#, false, false),
        (#"{"action":"delete","sequence":1}"#, false, false),
        ("[]", false, false),
    ])
    func plainlyValid(message: String, plain: Bool, valid: Bool) throws {
        let json = try JSONParser.parse(message)
        let full = try JSONSchema(["oneOf": [BatchEnvelopeSchema.activateVersionMessage, BatchEnvelopeSchema.upsertMessage]])
        #expect(BatchEnvelopeSchema.isPlainlyValid(json) == plain)
        #expect(full.validate(json).isEmpty == valid)
    }

    @Test("The spec's minimal batch (§7.2) is valid")
    func minimalBatch() throws {
        #expect(try problem("""
            {"table_name":"customers",
             "schema":{"properties":{"id":{"type":"integer"},"name":{"type":"string"},
                       "modified_at":{"type":"string","format":"date-time"}}},
             "messages":[{"action":"upsert","sequence":1565880017,
                          "data":{"id":1,"name":"Finn","modified_at":"2020-01-13T21:25:03+0000"}}],
             "key_names":["id"]}
            """) == nil)
    }

    @Test("What passes is what the loader reads", arguments: [
        #"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":-3,"data":{}}]}"#,
        #"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"key_names":["id"],"table_version":9,"bookmark_names":[],"messages":[{"action":"activate_version","sequence":2},{"action":"upsert","sequence":1,"data":{"id":1},"time_extracted":"2020-01-02T00:00:00.000000Z"}]}"#,
    ])
    func acceptedIsReadable(body: String) throws {
        let json = try JSONParser.parse(body)
        let request = try BatchValidator.validate(json)
        #expect(request == (try BatchRequest(json: json)))
    }

    @Test("Envelope and message checks", arguments: [
        (#"{"table_name":"t","schema":{}}"#, "Request failed validation:#: required key [messages] not found"),
        (#"{"table_name":"t","schema":{},"messages":[],"key_names":"id"}"#,
         "Request failed validation:#: 2 schema violations found #/messages: expected minimum item count: 1, found: 0 #/key_names: expected type: JSONArray, found: String"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}],"key_names":[1]}"#,
         "Request failed validation:#/key_names/0: expected type: String, found: Integer"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}],"table_version":"1"}"#,
         "Request failed validation:#/table_version: expected type: Integer, found: String"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}],"table_version":1e30}"#,
         "Request failed validation:#: table_version can not be above 9223372036854775807"),
        (#"{"table_name":"t","schema":{},"messages":[1]}"#,
         "Request failed validation:#/messages/0: #: 0 subschemas matched instead of one #/messages/0: expected type: JSONObject, found: Integer #/messages/0: expected type: JSONObject, found: Integer"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"activate_version","sequence":1,"data":{}}],"table_version":1}"#,
         "Request failed validation:#/messages/0: #: 0 subschemas matched instead of one #/messages/0: extraneous key [data] is not permitted #/messages/0/action: activate_version is not a valid enum value"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":1}]}"#,
         "Request failed validation:#/messages/0: #: 0 subschemas matched instead of one #/messages/0/action: upsert is not a valid enum value #/messages/0: required key [data] not found"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":"1","data":{}}]}"#,
         "Request failed validation:#/messages/0: #: 0 subschemas matched instead of one #/messages/0: 3 schema violations found #/messages/0/action: upsert is not a valid enum value #/messages/0/sequence: expected type: Integer, found: String #/messages/0: extraneous key [data] is not permitted #/messages/0/sequence: expected type: Integer, found: String"),
        (#"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":[{"action":"upsert","sequence":1,"data":{"id":1}}],"key_names":["nope"]}"#,
         "Request failed validation:#/key_names: key [nope] is not a top-level property of the schema"),
        (#"{"table_name":"t","schema":{"properties":true},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Invalid JSON schema: key properties: expected type is one of JSONObject, found: Boolean"),
    ])
    func envelope(body: String, expected: String) throws {
        #expect(try problem(body) == expected)
    }

    @Test("Record checks report every violation of the first bad record")
    func records() throws {
        let body = """
            {"table_name":"t","schema":{"properties":{"id":{"type":"integer"},"name":{"type":["null","string"]},
             "when":{"type":"string","format":"date-time"},"tags":{"type":"array","items":{"type":"string"}},
             "meta":{"type":"object","properties":{"n":{"type":"number"}},"additionalProperties":false,"required":["n"]}}},
             "messages":[{"action":"upsert","sequence":1,"data":{"id":1,"name":null}},
                         {"action":"upsert","sequence":2,"data":{"id":1,"name":3,"when":"soon","tags":["a",2],
                          "meta":{"x":true}}}]}
            """
        let actual = try problem(body)
        #expect(actual == """
            Record 1 did not conform to schema:
            #: 6 schema violations found
            #/name: #: no subschema matched out of the total 2 subschemas
            #/name: expected: null, found: Integer
            #/name: expected type: String, found: Integer
            #/when: [soon] is not a valid date-time
            #/tags/1: expected type: String, found: Integer
            #/meta: 2 schema violations found
            #/meta: required key [n] not found
            #/meta: extraneous key [x] is not permitted

            """)
    }

    @Test("Conformance is checked before keys, record by record")
    func conformanceBeforeKeys() throws {
        #expect(try problem("""
            {"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"key_names":["id"],
             "messages":[{"action":"upsert","sequence":1,"data":{"id":"x"}},{"action":"upsert","sequence":2,"data":{}}]}
            """) == "Record 0 did not conform to schema:\n#/id: expected type: Integer, found: String\n")
    }

    @Test("A null key value is a missing key")
    func nullKey() throws {
        #expect(try problem("""
            {"table_name":"t","schema":{"properties":{"id":{"type":["null","integer"]}}},"key_names":["id"],
             "messages":[{"action":"upsert","sequence":1,"data":{"id":null}}]}
            """) == "Record is missing key property id")
    }

    @Test("Data points: every scalar at any depth counts one; containers count what they hold", arguments: [
        ("{}", 0), (#"{"a":null}"#, 1), (#"{"a":{"b":1,"c":[1,2,{"d":"x"}]},"e":[]}"#, 4), ("[[[]]]", 0), ("true", 1),
    ])
    func dataPoints(json: String, count: Int) throws {
        #expect(DataPoints.count(in: try JSONParser.parse(json)) == count)
    }

    @Test("Data points stop counting past the limit")
    func dataPointsLimit() throws {
        let many = JSONValue.array(Array(repeating: .integer(1), count: 50))
        #expect(DataPoints.count(in: many, limit: 10) == 11)
        #expect(DataPoints.count(in: many, limit: 50) == 50)
    }
}
