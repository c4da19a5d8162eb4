import Foundation
import StitchAPI
import StitchDestination
import StitchSandbox
import Testing

/// `POST /v2/import/validate` over real sockets: the push format's checks and replies (spec §3.4, §3.5),
/// status, exact body and content type for each rule; and that nothing is ever stored.
@Suite("Import API: validate", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ImportValidateTests {
    private static let path = "/v2/import/validate"

    private func expectJSON(_ reply: CurlReply, _ status: Int, _ body: JSONValue,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply.body)", sourceLocation: sourceLocation)
        #expect(reply.contentType == "application/json", sourceLocation: sourceLocation)
        #expect(reply.body == body.jsonText, sourceLocation: sourceLocation)
    }

    private static let valid: JSONValue = ["status": "OK", "message": "Batch is valid!"]

    /// A valid push record for `client`, with `changes` applied (nil removes a field).
    private static func record(_ client: Int64, _ changes: [(String, JSONValue?)] = []) -> JSONValue {
        var object = JSONObject([
            ("client_id", .integer(client)), ("table_name", "customers"), ("sequence", 1), ("action", "upsert"),
            ("key_names", ["id"]), ("data", ["id": 1, "name": "Finn"]),
        ])
        for (key, value) in changes { object[key] = value }
        return .object(object)
    }

    private static func unprocessable(_ reasons: [JSONValue]) -> JSONValue {
        ["status": "ERROR", "error": "Request cannot be processed; see errors.",
         "errors": .array(reasons.map { ["reason": $0] })]
    }

    // MARK: 200, and nothing stored

    @Test("A valid push body: 200 Batch is valid!, and nothing is stored")
    func validBody() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let body: JSONValue = [Self.record(source.clientID),
                                   Self.record(source.clientID, [("table_name", "orders"), ("sequence", 2),
                                                                 ("namespace", "legacy"), ("table_version", 3)])]
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body.jsonText), 200, Self.valid)
            #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory + "/inbox").isEmpty)
            #expect(await sandbox.isIdle)
            #expect((try? DestinationReader.rows(schema: "import_api", table: "customers",
                                                 dataDirectory: sandbox.dataDirectory)) == nil)
        }
    }

    @Test("Transit, as stitchclient sends it (spec §5.2): keys cached, ~m and ~f values")
    func transit() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let client = String(source.clientID)
            let body = #"[["^ ","action","upsert","table_name","customers","key_names",["id"],"sequence",1,"data",["^ ","id",1,"name","Finn","when","~m1577836800000","amt","~f1.50","nested",["^ ","a",1],"arr",[1,2]],"client_id",\#(client)],["^ ","^0","upsert","^1","orders","^2",["id"],"^3",2,"^4",["^ ","id",9],"^8",\#(client)]]"#
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body,
                                      contentType: "application/transit+json"), 200, Self.valid)
            // The cache really is read: the second record's client_id arrives as "^8".
            let wrongClient = body.replacingOccurrences(of: #""^8",\#(client)"#, with: #""^8",1"#)
            let mixed = try await post(sandbox, Self.path, token: source.token, body: wrongClient,
                                       contentType: "application/transit+json")
            #expect(mixed.status == 422)
        }
    }

    @Test("Bad Transit: 400 Malformed transit")
    func malformedTransit() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let reply = try await post(sandbox, Self.path, token: source.token, body: #"[["^ ","^0",1]]"#,
                                       contentType: "application/transit+json")
            expectJSON(reply, 400, ["status": "ERROR", "message": "Malformed transit in the body!",
                                    "error": "The transit cache reference ^0 comes before its value", "input": nil])
        }
    }

    // MARK: 405, 413, 415

    @Test("Other methods: 405 Method not allowed. in plain text", arguments: ["GET", "PUT", "DELETE"])
    func methodNotAllowed(method: String) async throws {
        try await withSandbox { sandbox in
            let reply = try await request(method, sandbox.baseURL + Self.path, contentType: nil)
            #expect(reply.status == 405)
            #expect(reply.contentType == "text/plain")
            #expect(reply.body == "Method not allowed.")
            let raw = try await rawExchange(port: sandbox.port, head: "\(method) \(Self.path) HTTP/1.1\r\nHost: x\r\nConnection: close")
            #expect(raw.headers["allow"] == "POST")
        }
    }

    @Test("Other media types: 415 in JSON, naming what was sent", arguments: [
        ("text/plain", "text/plain"), (nil, "null"), ("application/xml; charset=utf-8", "application/xml"),
    ] as [(String?, String)])
    func unsupportedMediaType(contentType: String?, named: String) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let reply = try await post(sandbox, Self.path, token: source.token, body: "[]", contentType: contentType)
            expectJSON(reply, 415, ["status": "ERROR",
                                    "message": .string("Unsupported content-type \(named). Please send application/json or application/transit+json")])
        }
    }

    @Test("Bodies over 20 MiB: 413 before the body is sent")
    func tooLarge() async throws {
        try await withSandbox { sandbox in
            let declared = 20 * 1024 * 1024 + 1
            let reply = try await rawExchange(port: sandbox.port, head: """
                POST \(Self.path) HTTP/1.1\r
                Host: 127.0.0.1\r
                Content-Type: application/json\r
                Content-Length: \(declared)
                """)
            #expect(reply.status == 413)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(reply.body == #"{"status":"ERROR","message":"Request rejected: request size (\#(declared) bytes) exceeds the maximum"}"#)
        }
    }

    // MARK: 401, 403

    @Test("Unknown token: 401 Not Authorized; inactive source: 401 Connection is not active")
    func tokens() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let body = JSONValue.array([Self.record(source.clientID)]).jsonText
            expectJSON(try await post(sandbox, Self.path, token: nil, body: body), 401, ["message": "Not Authorized"])
            expectJSON(try await post(sandbox, Self.path, token: "at_unknown", body: body), 401, ["message": "Not Authorized"])
            _ = try await request("PUT", sandbox.baseURL + "/v4/sources/\(source.id)", token: sandbox.connectToken,
                                  body: #"{"paused_at":"2020-01-02T15:49:27Z"}"#)
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body), 401,
                       ["error": "Forbidden", "errors": ["error": "Connection is not active."]])
        }
    }

    @Test("A record without client_id: 401 Not Authenticated.")
    func missingClient() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let body: JSONValue = [Self.record(source.clientID), Self.record(source.clientID, [("client_id", nil)])]
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body.jsonText), 401,
                       ["status": "ERROR", "error": "Not Authenticated.", "errors": nil])
        }
    }

    @Test("Another account's client_id: 403")
    func otherClient() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let body: JSONValue = [Self.record(source.clientID + 1)]
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body.jsonText), 403,
                       ["status": "ERROR", "error": "Forbidden",
                        "errors": ["error": "Access token is not associated with this client."]])
        }
    }

    @Test("Several client_ids: 422")
    func severalClients() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let body: JSONValue = [Self.record(source.clientID), Self.record(source.clientID + 1)]
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body.jsonText), 422, Self.unprocessable([
                .string("The batch contains data points for multiple clients. Only client_id \(source.clientID) is allowed"),
            ]))
        }
    }

    // MARK: 400

    @Test("Bodies that are not an array of records: 400", arguments: [
        #"{"client_id":1}"#, "[1,2]", "\"text\"",
    ])
    func notAnArray(body: String) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body), 400,
                       ["status": "ERROR", "message": "An array of records is expected"])
        }
    }

    @Test("An empty array: 400")
    func empty() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: "[]"), 400,
                       ["status": "ERROR", "message": "A request must hold 1 to 20000 records; this one holds 0"])
        }
    }

    @Test("Malformed JSON: 400 with the parser's complaint")
    func malformedJSON() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let reply = try await post(sandbox, Self.path, token: source.token, body: "[{]")
            #expect(reply.status == 400)
            #expect(reply.contentType == "application/json")
            #expect(reply.json?.objectValue?.keys == ["status", "message", "error", "input"])
            #expect(reply.json?["message"] == "Malformed json in the body!")
            #expect(reply.json?["error"]?.stringValue?.hasSuffix("line: 1, column: 3]") == true, "\(reply.body)")
        }
    }

    // MARK: 422 per record

    @Test("Record problems: 422 with the documented reasons", arguments: [
        ([("table_name", "")], ["table_name": ["can't be blank"]]),
        ([("table_name", nil)], ["table_name": ["can't be blank"]]),
        ([("sequence", "x")], ["sequence": ["should be an integer", "should be a number"]]),
        ([("sequence", 1.5)], ["sequence": ["should be an integer"]]),
        ([("data", "x")], ["data": ["data must be an object"]]),
        ([("data", ["name": "Finn"])], ["data": ["data must include keys"]]),
        ([("data", ["id": nil])], ["data": ["keys cannot not be null in data"]]),
        ([("key_names", nil), ("key_properties", ["id"])], ["key_names": ["can't be blank"], "key_properties": ["unknown key"]]),
        ([("data", ["id": .string(String(repeating: "k", count: 1025))])],
         ["data": ["String keys cannot be longer than 1024 characters"]]),
        ([("action", "delete")], ["action": ["should be one of upsert, switch_view"]]),
        ([("client_id", "7")], ["client_id": ["should be an integer"]]),
    ] as [([(String, JSONValue?)], JSONValue)])
    func recordProblems(changes: [(String, JSONValue?)], reason: JSONValue) async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let body: JSONValue = [Self.record(source.clientID), Self.record(source.clientID, changes)]
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body.jsonText), 422,
                       Self.unprocessable([reason]))
        }
    }

    @Test("Every failing record gets its entry, in order; 1,024-character keys pass")
    func severalRecords() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSourceWithClient(sandbox)
            let longest = JSONValue.string(String(repeating: "k", count: 1024))
            let body: JSONValue = [
                Self.record(source.clientID, [("sequence", nil)]),
                Self.record(source.clientID, [("data", ["id": longest])]),
                Self.record(source.clientID, [("data", nil), ("extra", true)]),
            ]
            expectJSON(try await post(sandbox, Self.path, token: source.token, body: body.jsonText), 422, Self.unprocessable([
                ["sequence": ["can't be blank"]],
                ["data": ["can't be blank"], "extra": ["unknown key"]],
            ]))
        }
    }
}
