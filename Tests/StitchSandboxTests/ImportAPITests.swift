import Foundation
import StitchAPI
import StitchDestination
import StitchSandbox
import Testing

/// `GET /v2/import/status` and `POST /v2/import/batch` over real sockets: one test per documented rule
/// (spec §3.2, §3.3, §7.3), each checking the status, the exact body and the content type.
@Suite("Import API: status and batch", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ImportAPITests {
    private static let batchPath = "/v2/import/batch"

    /// Checks a JSON reply: status, `application/json`, and the body byte for byte.
    private func expectJSON(_ reply: CurlReply, _ status: Int, _ body: JSONValue,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply.body)", sourceLocation: sourceLocation)
        #expect(reply.contentType == "application/json", sourceLocation: sourceLocation)
        #expect(reply.body == body.jsonText, sourceLocation: sourceLocation)
    }

    private func expectRejected(_ reply: CurlReply, _ error: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectJSON(reply, 400, ["error": .string(error)], sourceLocation: sourceLocation)
    }

    // MARK: Status

    @Test("Status needs no token")
    func status() async throws {
        try await withSandbox { sandbox in
            let reply = try await request("GET", sandbox.baseURL + "/v2/import/status", contentType: nil)
            #expect(reply.status == 200)
            #expect(reply.contentType == "application/json")
            #expect(reply.json?.objectValue?.keys == ["name", "version", "revision", "status", "reason"])
            #expect(reply.json?["name"] == "pipeline.gate")
            #expect(reply.json?["status"] == "OK")
            #expect(reply.json?["reason"] == .null)
        }
    }

    @Test("Unknown paths: a JSON 404 in the shape of their API")
    func unknownPaths() async throws {
        try await withSandbox { sandbox in
            let importSide = try await request("GET", sandbox.baseURL + "/v2/import/nope")
            #expect(importSide.status == 404)
            #expect(importSide.contentType == "application/json")
            #expect(importSide.json?["status"] == "ERROR")
            let connectSide = try await request("GET", sandbox.baseURL + "/v4/nope", token: sandbox.connectToken)
            #expect(connectSide.status == 404)
            #expect(connectSide.json?["error"] == "NotFound")
        }
    }

    // MARK: 405

    @Test("Other methods on status and batch: 405 in JSON, with Allow", arguments: [
        ("POST", "/v2/import/status", "GET"), ("DELETE", "/v2/import/status", "GET"),
        ("GET", "/v2/import/batch", "POST"), ("PUT", "/v2/import/batch", "POST"), ("PATCH", "/v2/import/batch", "POST"),
        ("DELETE", "/v2/import/batch", "POST"),
    ])
    func methodNotAllowed(method: String, path: String, allowed: String) async throws {
        try await withSandbox { sandbox in
            let reply = try await request(method, sandbox.baseURL + path, contentType: nil)
            expectJSON(reply, 405, ["status": "ERROR", "message": "Method not allowed."])
            let raw = try await rawExchange(port: sandbox.port, head: "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close")
            #expect(raw.status == 405)
            #expect(raw.headers["allow"] == allowed)
        }
    }

    // MARK: 415

    @Test("Only application/json bodies: 415 in plain text", arguments: [
        "text/plain", "application/x-www-form-urlencoded", "application/transit+json", nil,
    ] as [String?])
    func unsupportedMediaType(contentType: String?) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let reply = try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch,
                                       contentType: contentType)
            #expect(reply.status == 415)
            #expect(reply.contentType == "text/plain")
            #expect(reply.body == "Content-Type must be application/json")
        }
    }

    @Test("The media type is checked before the token")
    func mediaTypeBeforeToken() async throws {
        try await withSandbox { sandbox in
            let reply = try await post(sandbox, Self.batchPath, token: nil, body: customersBatch, contentType: "text/csv")
            #expect(reply.status == 415)
            #expect(reply.body == "Content-Type must be application/json")
        }
    }

    @Test("A charset parameter is fine; 201 is JSON")
    func charset() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let reply = try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch,
                                       contentType: "Application/JSON; charset=UTF-8")
            expectJSON(reply, 201, ["status": "OK", "message": "Batch Accepted!"])
        }
    }

    // MARK: 413

    @Test("Bodies over 20 MiB: 413, declared or streamed", arguments: [false, true])
    func tooLarge(chunked: Bool) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let file = sandbox.dataDirectory + "/big.json"
            // Valid JSON, so only the size can be the reason for the refusal.
            let padding = String(repeating: "x", count: 20 * 1024 * 1024)
            let data = Data(#"{"table_name":"t","pad":"\#(padding)"}"#.utf8)
            try data.write(to: URL(fileURLWithPath: file))
            var arguments = [sandbox.baseURL + Self.batchPath, "-X", "POST", "-H", "Authorization: Bearer \(source.token)",
                             "-H", "Content-Type: application/json", "--data-binary", "@" + file]
            if chunked { arguments += ["-H", "Transfer-Encoding: chunked"] }
            let reply = try await curl(arguments)
            #expect(reply.status == 413)
            #expect(reply.contentType == "application/json")
            #expect(reply.json?.objectValue?.keys == ["status", "message"])
            #expect(reply.json?["status"] == "ERROR")
            let message = try #require(reply.json?["message"]?.stringValue)
            if chunked {
                #expect(message.hasPrefix("Request rejected: request size ("))
                #expect(message.hasSuffix(" bytes) exceeds the maximum"))
            } else {
                #expect(message == "Request rejected: request size (\(data.count) bytes) exceeds the maximum")
            }
            // The sandbox still serves afterwards.
            #expect(try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch).status == 201)
        }
    }

    @Test("413 arrives before the body is sent, and before the token is checked")
    func tooLargeBeforeBody() async throws {
        try await withSandbox { sandbox in
            // The client sends only the headers; a server that read the body first would never answer.
            let declared = 20 * 1024 * 1024 + 1
            let reply = try await rawExchange(port: sandbox.port, head: """
                POST /v2/import/batch HTTP/1.1\r
                Host: 127.0.0.1\r
                Authorization: Bearer at_not_a_real_token\r
                Content-Type: application/json\r
                Content-Length: \(declared)
                """)
            #expect(reply.status == 413)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(reply.body == #"{"status":"ERROR","message":"Request rejected: request size (\#(declared) bytes) exceeds the maximum"}"#)
        }
    }

    // MARK: 401

    @Test("Missing or unknown tokens: 401 Not Authorized")
    func notAuthorized() async throws {
        try await withSandbox { sandbox in
            for token: String? in [nil, "at_0000000000000000000000000000000000000000", sandbox.connectToken] {
                let reply = try await post(sandbox, Self.batchPath, token: token, body: customersBatch)
                expectJSON(reply, 401, ["message": "Not Authorized"])
            }
            // A malformed Authorization header is no token either.
            let basic = try await curl([sandbox.baseURL + Self.batchPath, "-X", "POST", "-H", "Authorization: Basic eDp5",
                                        "-H", "Content-Type: application/json", "--data-binary", customersBatch])
            expectJSON(basic, 401, ["message": "Not Authorized"])
        }
    }

    @Test("The token is checked before the body is parsed")
    func tokenBeforeJSON() async throws {
        try await withSandbox { sandbox in
            let reply = try await post(sandbox, Self.batchPath, token: "at_unknown", body: "{not json")
            expectJSON(reply, 401, ["message": "Not Authorized"])
        }
    }

    @Test("A paused or deleted source: 401 Connection is not active")
    func inactiveSource() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let url = sandbox.baseURL + "/v4/sources/\(source.id)"
            let paused = try await request("PUT", url, token: sandbox.connectToken, body: #"{"paused_at":"2020-01-02T15:49:27Z"}"#)
            #expect(paused.json?["paused_at"] == "2020-01-02T15:49:27Z")
            let expected: JSONValue = ["error": "Forbidden", "errors": ["error": "Connection is not active."]]
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch), 401, expected)

            _ = try await request("PUT", url, token: sandbox.connectToken, body: #"{"paused_at":null}"#)
            #expect(try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch).status == 201)

            _ = try await request("DELETE", url, token: sandbox.connectToken)
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch), 401, expected)
        }
    }

    // MARK: 400: JSON

    @Test("Malformed JSON: 400 with the parser's complaint and its position")
    func malformedJSON() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let reply = try await post(sandbox, Self.batchPath, token: source.token, body: "{\n  \"table_name\": ]\n}")
            #expect(reply.status == 400)
            #expect(reply.contentType == "application/json")
            let json = try #require(reply.json)
            #expect(json.objectValue?.keys == ["status", "message", "error", "input"])
            #expect(json["status"] == "ERROR")
            #expect(json["message"] == "Malformed json in the body!")
            #expect(json["input"] == .null)
            let error = try #require(json["error"]?.stringValue)
            #expect(error.hasSuffix("\n at [Source: (request body); line: 2, column: 17]"), "\(error)")

            let empty = try await post(sandbox, Self.batchPath, token: source.token, body: "")
            #expect(empty.status == 400)
            #expect(empty.json?["message"] == "Malformed json in the body!")
        }
    }

    // MARK: 400: the documented validation texts

    @Test("Validation failures: 400 with the gate's documented texts", arguments: [
        // §3.3 table, row by row.
        (#"{"schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Request failed validation:#: required key [table_name] not found"),
        (#"{"table_name":"t","schema":{"properties":{}},"messages":[{"action":"upsert","sequence":1,"data":{}}],"x":1}"#,
         "Request failed validation:#: extraneous key [x] is not permitted"),
        (#"{"table_name":1,"schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Request failed validation:#/table_name: expected type: String, found: Integer"),
        (#"{"table_name":"t","schema":{"properties":{"name":{"type":"string"}}},"messages":[{"action":"upsert","sequence":1,"data":{"name":1}}]}"#,
         "Record 0 did not conform to schema:\n#/name: expected type: String, found: Integer\n"),
        (#"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":[{"action":"upsert","sequence":1,"data":{"id":1}},{"action":"upsert","sequence":2,"data":{"x":1}}],"key_names":["id"]}"#,
         "Record is missing key property id"),
        (#"{"table_name":"t","schema":{"properties":{"a":{"type":"strin"}}},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Invalid JSON schema: unknown type: [strin]"),
        // The docs' example for a message missing a required key, verbatim with the key filled in.
        (#"{"table_name":"t","schema":{},"messages":[{"sequence":1,"data":{}}]}"#,
         "Request failed validation:#/messages/0: #: 0 subschemas matched instead of one #/messages/0: 2 schema violations found #/messages/0: required key [action] not found #/messages/0: extraneous key [data] is not permitted #/messages/0: required key [action] not found"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":9223372036854775808,"data":{}}]}"#,
         "Request failed validation:#: sequence can not be above 9223372036854775807"),
        (#"{"table_name":"t","schema":[],"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Request failed validation:#/schema: expected type: JSONObject, found: JSONArray"),
        // Beyond the table: the same rules, other cases.
        ("[]", "Request failed validation:#: expected type: JSONObject, found: JSONArray"),
        (#"{"table_name":"t","schema":{},"messages":[]}"#,
         "Request failed validation:#/messages: expected minimum item count: 1, found: 0"),
        (#"{"table_name":"","schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Request failed validation:#/table_name: expected minLength: 1, actual: 0"),
        (#"{"schema":{},"messages":[{"action":"upsert","sequence":1,"data":{}}],"x":1}"#,
         "Request failed validation:#: 2 schema violations found #: required key [table_name] not found #: extraneous key [x] is not permitted"),
        (#"{"table_name":"t","schema":{"properties":{"a":{"type":"string","pattern":"("}}},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Invalid JSON schema: key pattern: [(] is not a valid regular expression"),
    ])
    func documentedTexts(body: String, error: String) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            expectRejected(try await post(sandbox, Self.batchPath, token: source.token, body: body), error)
        }
    }

    @Test("Record errors: one line per violation, several at once, 0-based over all messages")
    func recordViolations() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let body = #"""
                {"table_name":"t","table_version":3,
                 "schema":{"properties":{"id":{"type":"integer"},"name":{"type":["null","string"]},
                  "when":{"type":"string","format":"date-time"},"meta":{"type":"object","additionalProperties":false}}},
                 "messages":[{"action":"activate_version","sequence":1},
                             {"action":"upsert","sequence":2,"data":{"id":"7","when":"soon","meta":{"x":1}}}]}
                """#
            expectRejected(try await post(sandbox, Self.batchPath, token: source.token, body: body), """
                Record 1 did not conform to schema:
                #: 3 schema violations found
                #/id: expected type: Integer, found: String
                #/when: [soon] is not a valid date-time
                #/meta: extraneous key [x] is not permitted

                """)
        }
    }

    // MARK: 400: limits

    @Test("sequence must fit a signed 64-bit integer, written as an integer", arguments: [
        ("9223372036854775807", nil),
        ("-9223372036854775808", nil),
        ("9223372036854775808", "Request failed validation:#: sequence can not be above 9223372036854775807"),
        ("1e19", "Request failed validation:#: sequence can not be above 9223372036854775807"),
        ("-9223372036854775809", "Request failed validation:#: sequence can not be below -9223372036854775808"),
        ("1.0", "Request failed validation:#/messages/0/sequence: expected type: Integer, found: Number"),
    ] as [(String, String?)])
    func sequenceBounds(sequence: String, error: String?) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let body = #"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":[{"action":"upsert","sequence":\#(sequence),"data":{"id":1}}]}"#
            let reply = try await post(sandbox, Self.batchPath, token: source.token, body: body)
            if let error { expectRejected(reply, error) } else { expectJSON(reply, 201, ["status": "OK", "message": "Batch Accepted!"]) }
        }
    }

    @Test("1 to 20,000 messages: 20,000 pass, 20,001 do not")
    func messageCount() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            func body(_ count: Int) -> String {
                let message = #"{"action":"upsert","sequence":1,"data":{"id":1}}"#
                return #"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":["#
                    + Array(repeating: message, count: count).joined(separator: ",") + "]}"
            }
            let tooMany = try await post(sandbox, Self.batchPath, token: source.token, body: try bodyFile(sandbox, body(20_001)))
            expectRejected(tooMany, "Request failed validation:#/messages: expected maximum item count: 20000, found: 20001")
            let most = try await post(sandbox, Self.batchPath, token: source.token, body: try bodyFile(sandbox, body(20_000)))
            expectJSON(most, 201, ["status": "OK", "message": "Batch Accepted!"])
        }
    }

    @Test("At most 10,000 data points per record, nested values counted as leaves")
    func dataPoints() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            // 1 id + an object of 4,999 values + an array of `arrayCount` values.
            func body(arrayCount: Int) -> String {
                let object = (0..<4_999).map { #""f\#($0)":\#($0)"# }.joined(separator: ",")
                let array = Array(repeating: "null", count: arrayCount).joined(separator: ",")
                return #"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":["#
                    + #"{"action":"upsert","sequence":1,"data":{"id":1}},"#
                    + #"{"action":"upsert","sequence":2,"data":{"id":2,"o":{\#(object)},"a":[\#(array)]}}]}"#
            }
            let over = try await post(sandbox, Self.batchPath, token: source.token, body: try bodyFile(sandbox, body(arrayCount: 5_001)))
            expectRejected(over, "Record 1 has more than 10000 data points, the most a record may have")
            let most = try await post(sandbox, Self.batchPath, token: source.token, body: try bodyFile(sandbox, body(arrayCount: 5_000)))
            expectJSON(most, 201, ["status": "OK", "message": "Batch Accepted!"])
        }
    }

    @Test("String key values must be shorter than 256 characters")
    func keyLength() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            func body(_ key: String) -> String {
                #"{"table_name":"t","schema":{"properties":{"code":{"type":"string"}}},"key_names":["code"],"messages":[{"action":"upsert","sequence":1,"data":{"code":"\#(key)"}}]}"#
            }
            let longest = String(repeating: "é", count: 255)
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: body(longest)), 201,
                       ["status": "OK", "message": "Batch Accepted!"])
            expectRejected(try await post(sandbox, Self.batchPath, token: source.token, body: body(longest + "e")),
                           "Record 0 key property code is 256 characters long; string key values must be shorter than 256 characters")
        }
    }

    @Test("Key names must be top-level properties of the schema")
    func keyNamesTopLevel() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let body = #"{"table_name":"t","schema":{"properties":{"a":{"type":"object","properties":{"id":{"type":"integer"}}}}},"key_names":["id"],"messages":[{"action":"upsert","sequence":1,"data":{"a":{"id":1},"id":1}}]}"#
            expectRejected(try await post(sandbox, Self.batchPath, token: source.token, body: body),
                           "Request failed validation:#/key_names: key [id] is not a top-level property of the schema")
        }
    }

    @Test("activate_version needs the table_version it activates")
    func activateVersionNeedsTableVersion() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let body = #"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"key_names":["id"],"messages":[{"action":"activate_version","sequence":5}]}"#
            expectRejected(try await post(sandbox, Self.batchPath, token: source.token, body: body),
                           "Request failed validation:#/messages/0: an activate_version message needs the request's table_version")
        }
    }

    @Test("time_extracted must be a date-time")
    func timeExtracted() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let body = #"{"table_name":"t","schema":{"properties":{}},"messages":[{"action":"upsert","sequence":1,"data":{},"time_extracted":"yesterday"}]}"#
            expectRejected(try await post(sandbox, Self.batchPath, token: source.token, body: body),
                           "Request failed validation:#/messages/0: #: 0 subschemas matched instead of one #/messages/0: 3 schema violations found #/messages/0/action: upsert is not a valid enum value #/messages/0: extraneous key [data] is not permitted #/messages/0: extraneous key [time_extracted] is not permitted #/messages/0/time_extracted: [yesterday] is not a valid date-time")
        }
    }

    // MARK: 201 and loading

    @Test("Batches accepted in order load in order; a lower sequence later changes nothing")
    func loadsInOrder() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            for (sequence, name) in [(10, "ten"), (5, "five"), (12, "twelve"), (11, "eleven")] {
                let body = customersBatch.replacingOccurrences(of: "1565880017", with: String(sequence))
                    .replacingOccurrences(of: "Finn", with: name)
                #expect(try await post(sandbox, Self.batchPath, token: source.token, body: body).status == 201)
            }
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(customerRow(id: "1", dataDirectory: sandbox.dataDirectory) == ["1", "twelve", "15", "false"])
            let inbox = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory + "/inbox")
            #expect(inbox.isEmpty)
        }
    }

    @Test("target-stitch's request shapes are accepted (table_version, bookmark_names, time_extracted, activate_version)")
    func targetStitchKeys() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let body = #"""
                {"table_name":"orders","schema":{"type":"object","properties":{"id":{"type":"integer"},
                "updated_at":{"type":["null","string"],"format":"date-time"}}},"key_names":["id"],
                "messages":[{"action":"upsert","data":{"id":1,"updated_at":"2020-01-02T00:00:00.000000Z"},
                "sequence":1795783913486229100,"time_extracted":"2020-01-02T00:00:00.000000Z"}],
                "table_version":1700000000000,"bookmark_names":["updated_at"]}
                """#
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: body), 201,
                       ["status": "OK", "message": "Batch Accepted!"])
            // As target-stitch sends it: its own request, with the table_version and nothing else of note.
            let activate = #"{"table_name":"orders","schema":{"properties":{"id":{"type":"integer"}}},"key_names":["id"],"messages":[{"action":"activate_version","sequence":1795783913486229101}],"table_version":1700000000000}"#
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: activate), 201,
                       ["status": "OK", "message": "Batch Accepted!"])
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            let rows = try DestinationReader.rows(schema: "import_api", table: "orders", dataDirectory: sandbox.dataDirectory)
            #expect(rows.rows.count == 1)
            #expect(rows.rows.first?[rows.columns.firstIndex(of: "_sdc_table_version") ?? 0] == "1700000000000")
        }
    }

    @Test("No 201 without a stored batch: when the inbox cannot be written, 503 (clients retry)")
    func notStoredIsNotAccepted() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let inbox = sandbox.dataDirectory + "/inbox"
            // A file where the inbox directory should be: the write fails whatever the user's privileges.
            try FileManager.default.removeItem(atPath: inbox)
            try Data().write(to: URL(fileURLWithPath: inbox))
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch), 503,
                       ["status": "ERROR", "message": "The batch could not be stored; try again later."])
            try FileManager.default.removeItem(atPath: inbox)
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: false)
            expectJSON(try await post(sandbox, Self.batchPath, token: source.token, body: customersBatch), 201,
                       ["status": "OK", "message": "Batch Accepted!"])
        }
    }

    @Test("A refused batch is not stored")
    func refusedIsNotStored() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let bad = customersBatch.replacingOccurrences(of: #""id":1,"#, with: #""id":"one","#)
            #expect(try await post(sandbox, Self.batchPath, token: source.token, body: bad).status == 400)
            let inbox = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory + "/inbox")
            #expect(inbox.isEmpty)
            #expect(await sandbox.isIdle)
        }
    }
}
