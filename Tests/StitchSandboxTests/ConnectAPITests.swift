import Foundation
import StitchAPI
import StitchSandbox
import Testing

@Suite("Connect API", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ConnectAPITests {
    @Test("Every /v4 call needs the Connect bearer token")
    func requiresConnectToken() async throws {
        try await withSandbox { sandbox in
            for token: String? in [nil, "ac_0000000000000000000000000000000000000000", ""] {
                let reply = try await request("GET", sandbox.baseURL + "/v4/sources", token: token)
                #expect(reply.status == 401)
                #expect(reply.contentType == "application/json")
                #expect(reply.json?["error"] == "AccessDenied")
                #expect(reply.json?["data"]?["message"]?.stringValue?.isEmpty == false)
            }
            let importToken = try await makeImportSource(sandbox).token
            #expect(try await request("GET", sandbox.baseURL + "/v4/sources", token: importToken).status == 401)
            #expect(try await request("GET", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken).status == 200)
        }
    }

    @Test("An unknown source type is a 404 InvalidType")
    func unknownSourceType() async throws {
        try await withSandbox { sandbox in
            let reply = try await request("GET", sandbox.baseURL + "/v4/source-types/platform.nope", token: sandbox.connectToken)
            #expect(reply.status == 404)
            #expect(reply.json == ["error": "InvalidType", "data": ["message": "invalid source type (platform.nope)"]])
        }
    }

    @Test("Source creation errors use the documented codes", arguments: [
        (#"{"type":"import_api"}"#, "InvalidBody"),
        (#"{"type":"import_api","display_name":""}"#, "InvalidBody"),
        (#"{"type":"","display_name":"X"}"#, "InvalidBody"),
        (#"{"type":"import_api","display_name":"X","extra":1}"#, "InvalidBody"),
        (#"{"type":"import_api","display_name":"X","properties":["a"]}"#, "InvalidBody"),
        (#"{"type":"import_api","display_name":"X","properties":{"a":1}}"#, "InvalidBody"),
        (#"not json"#, "InvalidBody"),
        (#"{"type":"platform.nope","display_name":"X"}"#, "InvalidType"),
        (#"{"type":"import_api","display_name":"X","name":5}"#, "InvalidBody"),
        (#"{"type":"import_api","display_name":"X","destination_id":"1"}"#, "InvalidBody"),
        (#"{"type":"platform.postgres","display_name":"X","properties":{"port":"x"}}"#, "InvalidProperties"),
        ("{\"type\":\"import_api\",\"display_name\":\"####\"}", "InvalidDisplayName"),
        (#"{"type":"import_api","display_name":"123 go"}"#, "InvalidDisplayName"),
        (#"{"type":"import_api","display_name":"X","properties":{"a":"b"}}"#, "InvalidProperties"),
    ])
    func createErrors(body: String, code: String) async throws {
        try await withSandbox { sandbox in
            let reply = try await request("POST", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken, body: body)
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?.stringValue == code, "\(reply.body)")
        }
    }

    @Test("Messages of the documented name errors")
    func nameMessages() async throws {
        try await withSandbox { sandbox in
            func create(_ displayName: String) async throws -> CurlReply {
                try await request("POST", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken,
                            body: #"{"type":"import_api","display_name":"\#(displayName)"}"#)
            }
            #expect(try await create("####").json?["data"]?["message"] ==
                    "invalid name after deriving it from display_name (#### -> )")
            #expect(try await create("Import API").status == 200)
            let collision = try await create("import api")
            #expect(collision.status == 400)
            #expect(collision.json == ["error": "InvalidName", "data": [
                "message": "non-unique name after deriving it from display_name (import api -> import_api)"]])
            #expect(try await create("import_api").json?["data"]?["message"] == "non-unique name (import_api)")
            #expect(try await create("Invalid Type").json?["error"] == nil)
            #expect(try await create("Import-API").json?["error"] == "InvalidName")
        }
    }

    @Test("A deleted source frees its name")
    func deletedNameReusable() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let deleted = try await request("DELETE", sandbox.baseURL + "/v4/sources/\(source.id)", token: sandbox.connectToken)
            #expect(deleted.status == 200)
            #expect(deleted.json?["deleted_at"]?.stringValue != nil)
            let again = try await request("POST", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken,
                                    body: #"{"type":"import_api","display_name":"Import API"}"#)
            #expect(again.status == 200)
            guard case .integer(let newID)? = again.json?["id"] else { throw TestFailure(again.body) }
            #expect(Int(newID) > source.id)
            let all = try await request("GET", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken)
            #expect(all.json?.arrayValue?.count == 2)
        }
    }

    @Test("At most two active tokens; list, revoke, and make another")
    func tokenLimit() async throws {
        try await withSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let tokens = sandbox.baseURL + "/v4/sources/\(source.id)/tokens"
            let second = try await request("POST", tokens, token: sandbox.connectToken)
            #expect(second.status == 200)
            let third = try await request("POST", tokens, token: sandbox.connectToken)
            #expect(third.status == 400)
            #expect(third.json?["error"] == "InvalidToken")
            #expect(third.json?["data"]?["message"]?.stringValue?.contains("2 active") == true)

            let list = try await request("GET", tokens, token: sandbox.connectToken)
            #expect(list.status == 200)
            let entries = try #require(list.json?.arrayValue)
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { $0.objectValue?.keys == ["token_id", "created_at"] })
            guard case .integer(let newest)? = entries.first?["token_id"],
                  case .integer(let oldest)? = entries.last?["token_id"] else { throw TestFailure(list.body) }
            #expect(newest > oldest)

            let revoked = try await request("DELETE", tokens + "/\(oldest)", token: sandbox.connectToken)
            #expect(revoked.status == 200)
            #expect(revoked.json?["id"] == .integer(Int64(source.id)))
            #expect(revoked.json?["report_card"] != nil)
            // The revoked token no longer pushes.
            let push = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token, body: customersBatch)
            #expect(push.status == 401)
            #expect(try await request("POST", tokens, token: sandbox.connectToken).status == 200)
            #expect(try await request("DELETE", tokens + "/\(oldest)", token: sandbox.connectToken).status == 400)
        }
    }

    @Test("Token calls on a source that is not import_api: creating is refused, the list is empty")
    func tokensOnOtherTypes() async throws {
        try await withSandbox { sandbox in
            let created = try await request("POST", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken,
                                            body: #"{"type":"platform.hubspot","display_name":"HubSpot"}"#)
            guard case .integer(let id)? = created.json?["id"] else { throw TestFailure(created.body) }
            let tokens = sandbox.baseURL + "/v4/sources/\(id)/tokens"
            let make = try await request("POST", tokens, token: sandbox.connectToken)
            #expect(make.status == 400)
            #expect(make.contentType == "application/json")
            #expect(make.json?["error"] == "InvalidType")
            let list = try await request("GET", tokens, token: sandbox.connectToken)
            #expect(list.status == 200)
            #expect(list.json == [])
            #expect(try await request("DELETE", tokens + "/1", token: sandbox.connectToken).json?["error"] == "InvalidId")
        }
    }

    @Test("Unknown sources: InvalidId")
    func unknownSource() async throws {
        try await withSandbox { sandbox in
            let tokens = try await request("POST", sandbox.baseURL + "/v4/sources/999/tokens", token: sandbox.connectToken)
            #expect(tokens.status == 400)
            #expect(tokens.json == ["error": "InvalidId", "data": ["message": "source not found (999)"]])
            #expect(try await request("GET", sandbox.baseURL + "/v4/sources/999", token: sandbox.connectToken).status == 404)
            #expect(try await request("PUT", sandbox.baseURL + "/v4/sources/999", token: sandbox.connectToken,
                                body: #"{"paused_at":null}"#).status == 400)
        }
    }

    @Test("Source ids increase, the client id is stable, and state survives a restart")
    func statePersists() async throws {
        let directory = try makeDataDirectory()
        let (first, token) = try await withSandbox(dataDirectory: directory) { sandbox in
            (try await makeImportSource(sandbox, displayName: "One"), sandbox.connectToken)
        }
        try await withSandbox(dataDirectory: directory) { sandbox in
            #expect(sandbox.connectToken == token)
            let second = try await makeImportSource(sandbox, displayName: "Two")
            #expect(second.id > first.id)
            let sources = try await request("GET", sandbox.baseURL + "/v4/sources", token: sandbox.connectToken)
            let clientIDs = Set((sources.json?.arrayValue ?? []).compactMap { $0["stitch_client_id"] })
            #expect(clientIDs.count == 1)
            // The old token still works after the restart: its digest was saved.
            #expect(try await request("POST", sandbox.baseURL + "/v2/import/batch", token: first.token,
                                body: customersBatch).status == 201)
        }
        let state = try String(contentsOfFile: directory + "/state.json", encoding: .utf8)
        #expect(!state.contains(first.token))
        #expect(state.contains(first.token.dropFirst(3)) == false)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/connect-token")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}
