import StitchAPI
import Testing
@testable import StitchSandbox

@Suite("Batch validation")
struct BatchValidatorTests {
    private func problem(_ text: String) throws -> String? {
        BatchValidator.problem(with: try JSONParser.parse(text))
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

    @Test("Envelope and message checks, in order", arguments: [
        (#"{"table_name":"t","schema":{}}"#, "Request failed validation:#: required key [messages] not found"),
        (#"{"table_name":1,"schema":{},"messages":[]}"#, "Request failed validation:#/table_name: expected type: String, found: Integer"),
        (#"{"table_name":"t","schema":{},"messages":[],"key_names":"id"}"#,
         "Request failed validation:#/key_names: expected type: JSONArray, found: String"),
        (#"{"table_name":"t","schema":{},"messages":[1]}"#,
         "Request failed validation:#/messages/0: expected type: JSONObject, found: Integer"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","data":{}}]}"#,
         "Request failed validation:#/messages/0: required key [sequence] not found"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":1}]}"#,
         "Request failed validation:#/messages/0: required key [data] not found"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"activate_version","sequence":1,"data":{}}]}"#,
         "Request failed validation:#/messages/0: extraneous key [data] is not permitted"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":"1","data":{}}]}"#,
         "Request failed validation:#/messages/0/sequence: expected type: Integer, found: String"),
        (#"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":[{"action":"upsert","sequence":1,"data":{"id":1}}],"key_names":["nope"]}"#,
         "Request failed validation:#/key_names: key [nope] is not a top-level property of the schema"),
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
                         {"action":"upsert","sequence":2,"data":{"id":1.5,"name":3,"when":"soon","tags":["a",2],
                          "meta":{"x":true}}}]}
            """
        #expect(try problem(body) == """
            Record 1 did not conform to schema:
            #: 6 schema violations found
            #/id: expected type: Integer, found: BigDecimal
            #/name: expected type: String, found: Integer
            #/when: [soon] is not a valid date-time
            #/tags/1: expected type: String, found: Integer
            #/meta: required key [n] not found
            #/meta: extraneous key [x] is not permitted

            """)
    }

    @Test("A null key value is a missing key")
    func nullKey() throws {
        #expect(try problem("""
            {"table_name":"t","schema":{"properties":{"id":{"type":["null","integer"]}}},"key_names":["id"],
             "messages":[{"action":"upsert","sequence":1,"data":{"id":null}}]}
            """) == "Record is missing key property id")
    }
}
