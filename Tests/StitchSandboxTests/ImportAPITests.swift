import Foundation
import StitchAPI
import StitchSandbox
import Testing

@Suite("Import API", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ImportAPITests {
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

    @Test("Missing or unknown tokens: 401 Not Authorized")
    func notAuthorized() async throws {
        try await withSandbox { sandbox in
            for token: String? in [nil, "at_0000000000000000000000000000000000000000", sandbox.connectToken] {
                let reply = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: token, body: customersBatch)
                #expect(reply.status == 401)
                #expect(reply.json == ["message": "Not Authorized"])
            }
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
            var push = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: customersBatch)
            #expect(push.status == 401)
            #expect(push.json == expected)

            _ = try await request("PUT", url, token: sandbox.connectToken, body: #"{"paused_at":null}"#)
            push = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: customersBatch)
            #expect(push.status == 201)

            _ = try await request("DELETE", url, token: sandbox.connectToken)
            push = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: customersBatch)
            #expect(push.status == 401)
            #expect(push.json == expected)
        }
    }

    @Test("Only application/json bodies: 415 in plain text", arguments: [
        "text/plain", "application/x-www-form-urlencoded", "application/transit+json", nil,
    ] as [String?])
    func unsupportedMediaType(contentType: String?) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let reply = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token,
                                    contentType: contentType, body: customersBatch)
            #expect(reply.status == 415)
            #expect(reply.contentType.hasPrefix("text/plain"))
            #expect(reply.body == "Content-Type must be application/json")
        }
    }

    @Test("A charset parameter is fine")
    func charset() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let reply = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token,
                                    contentType: "Application/JSON; charset=UTF-8", body: customersBatch)
            #expect(reply.status == 201)
            #expect(reply.json == ["status": "OK", "message": "Batch Accepted!"])
        }
    }

    @Test("Bodies over 20 MiB: 413, declared or streamed", arguments: [false, true])
    func tooLarge(chunked: Bool) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let file = sandbox.dataDirectory + "/big.json"
            // Valid JSON, so only the size can be the reason for the refusal.
            let padding = String(repeating: "x", count: 20 * 1024 * 1024)
            try Data(#"{"table_name":"t","pad":"\#(padding)"}"#.utf8).write(to: URL(fileURLWithPath: file))
            var arguments = [sandbox.baseURL + "/v2/import/batch", "-X", "POST", "-H", "Authorization: Bearer \(source.token)",
                             "-H", "Content-Type: application/json", "--data-binary", "@" + file]
            if chunked { arguments += ["-H", "Transfer-Encoding: chunked"] }
            let reply = try await curl(arguments)
            #expect(reply.status == 413)
            #expect(reply.contentType == "application/json")
            #expect(reply.json?["status"] == "ERROR")
            #expect(reply.json?["message"]?.stringValue?.hasPrefix("Request rejected: request size (") == true)
            // The sandbox still serves afterwards.
            #expect(try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token,
                                body: customersBatch).status == 201)
        }
    }

    @Test("Validation failures: 400 with the gate's messages", arguments: [
        ("{", "Malformed json in the body!"),
        ("[]", "Request failed validation:#: expected type: JSONObject, found: JSONArray"),
        (#"{"schema":{},"messages":[]}"#, "Request failed validation:#: required key [table_name] not found"),
        (#"{"table_name":"t","schema":{"properties":{}},"messages":[{"action":"upsert","sequence":1,"data":{}}],"x":1}"#,
         "Request failed validation:#: extraneous key [x] is not permitted"),
        (#"{"table_name":"t","schema":[],"messages":[]}"#,
         "Request failed validation:#/schema: expected type: JSONObject, found: JSONArray"),
        (#"{"table_name":"t","schema":{},"messages":[]}"#,
         "Request failed validation:#/messages: expected minimum item count: 1, found: 0"),
        (#"{"table_name":"t","schema":{},"messages":[{"action":"upsert","sequence":9223372036854775808,"data":{}}]}"#,
         "Request failed validation:#: sequence can not be above 9223372036854775807"),
        (#"{"table_name":"t","schema":{"properties":{"a":{"type":"strin"}}},"messages":[{"action":"upsert","sequence":1,"data":{}}]}"#,
         "Invalid JSON schema: unknown type: [strin]"),
        (#"{"table_name":"t","schema":{"properties":{"name":{"type":"string"}}},"messages":[{"action":"upsert","sequence":1,"data":{"name":1}}]}"#,
         "Record 0 did not conform to schema:\n#/name: expected type: String, found: Integer\n"),
        (#"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":[{"action":"upsert","sequence":1,"data":{"id":1}},{"action":"upsert","sequence":2,"data":{"x":1}}],"key_names":["id"]}"#,
         "Record is missing key property id"),
    ])
    func validation(body: String, message: String) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let reply = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: body)
            #expect(reply.status == 400)
            #expect(reply.contentType == "application/json")
            let error = try #require(reply.json?["error"]?.stringValue)
            if message.hasSuffix("!") { #expect(error.hasPrefix(message)) } else { #expect(error == message) }
        }
    }

    @Test("20,001 messages are too many")
    func tooManyMessages() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let message = #"{"action":"upsert","sequence":1,"data":{"id":1}}"#
            let body = #"{"table_name":"t","schema":{"properties":{"id":{"type":"integer"}}},"messages":["#
                + Array(repeating: message, count: 20_001).joined(separator: ",") + "]}"
            let file = sandbox.dataDirectory + "/many.json"
            try Data(body.utf8).write(to: URL(fileURLWithPath: file))
            let reply = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: "@" + file)
            #expect(reply.status == 400)
            #expect(reply.json?["error"] == "Request failed validation:#/messages: expected maximum item count: 20000, found: 20001")
        }
    }

    @Test("Batches accepted in order load in order; a lower sequence later changes nothing")
    func loadsInOrder() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            for (sequence, name) in [(10, "ten"), (5, "five"), (12, "twelve"), (11, "eleven")] {
                let body = customersBatch.replacingOccurrences(of: "1565880017", with: String(sequence))
                    .replacingOccurrences(of: "Finn", with: name)
                #expect(try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: body).status == 201)
            }
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(customerRow(id: "1", dataDirectory: sandbox.dataDirectory) == ["1", "twelve", "15", "false"])
            let inbox = try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory + "/inbox")
            #expect(inbox.isEmpty)
        }
    }

    @Test("Extra keys real clients send are accepted (table_version, bookmark_names, time_extracted, activate_version)")
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
            let reply = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: body)
            #expect(reply.status == 201, "\(reply.body)")
            let activate = #"{"table_name":"orders","schema":{"properties":{"id":{"type":"integer"}}},"key_names":["id"],"messages":[{"action":"activate_version","sequence":1795783913486229101}],"table_version":1700000000000}"#
            #expect(try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: activate).status == 201)
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            let rows = try DestinationReader.rows(schema: "import_api", table: "orders", dataDirectory: sandbox.dataDirectory)
            #expect(rows.rows.count == 1)
            #expect(rows.rows.first?[rows.columns.firstIndex(of: "_sdc_table_version") ?? 0] == "1700000000000")
        }
    }
}
