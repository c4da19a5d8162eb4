import Foundation
import StitchAPI
import StitchClient
import Testing

/// The bearer token must not appear in any error, description or dump.
@Suite struct SecretRedactionTests {
    static let token = "ac_fake_secret_value_42"

    static func assertHidden(_ value: Any, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        var dumped = ""
        dump(value, to: &dumped)
        for text in [String(describing: value), String(reflecting: value), dumped] {
            #expect(!text.contains(token), comment, sourceLocation: sourceLocation)
        }
    }

    @Test func clientsDoNotShowTheToken() throws {
        Self.assertHidden(try ConnectClient(token: Self.token))
        Self.assertHidden(try ImportClient(region: .northAmerica, token: Self.token))
        Self.assertHidden([try ConnectClient(token: Self.token)])
    }

    @Test func echoedTokenIsRedactedFromAPIErrors() async throws {
        let echo = CannedReply(status: 401, body: "", render: { request in
            #"{"message":"Not Authorized: \#(request.header("authorization") ?? "")"}"#
        })
        try await CannedServer.run(routes: ["POST /v2/import/batch": echo, "GET /v4/sources": echo]) { port, _ in
            let importClient = try ImportClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token)
            do {
                _ = try await importClient.sendBatch(body: Array("{}".utf8))
                Issue.record("401 taken as success")
            } catch let error as StitchAPIError {
                #expect(error.message == "Not Authorized: Bearer <redacted>")
                Self.assertHidden(error)
            }
            let connectClient = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token)
            do {
                _ = try await connectClient.sources()
                Issue.record("401 taken as success")
            } catch {
                #expect(error is StitchAPIError)
                Self.assertHidden(error)
            }
        }
    }

    @Test func echoedTokenIsRedactedFromUnexpectedReplies() async throws {
        let echo = CannedReply(status: 200, body: "", render: { request in "echo \(request.header("authorization") ?? "")" })
        try await CannedServer.run(routes: ["GET /v4/sources": echo, "POST /v2/import/batch": echo]) { port, _ in
            let connect = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token)
            await #expect {
                try await connect.sources()
            } throws: { error in
                Self.assertHidden(error)
                return error.localizedDescription.contains("<redacted>") || "\(error)".contains("<redacted>")
            }
            let importClient = try ImportClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token)
            await #expect(throws: StitchClientError.self) { try await importClient.sendBatch(body: Array("{}".utf8)) }
        }
    }

    /// The token reply holds a new Import API token; if it does not decode, its body is not quoted.
    @Test func malformedTokenReplyIsNotQuoted() async throws {
        let reply = CannedReply.json(#"{"token_id":1,"access_token":"at_fake_new_token_77"}"#)
        try await CannedServer.run(routes: ["POST /v4/sources/5/tokens": reply]) { port, _ in
            let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token)
            do {
                _ = try await client.createToken(sourceID: 5)
                Issue.record("a reply without id was accepted")
            } catch {
                #expect(!"\(error)".contains("at_fake_new_token_77"))
                guard case .unexpectedReply(_, _, _, let snippet) = error as? StitchClientError else {
                    Issue.record("wrong error \(error)")
                    return
                }
                #expect(snippet.isEmpty)
            }
        }
    }

    @Test func transportErrorsDoNotShowTheToken() async throws {
        let port = try await CannedServer.closedPort()
        let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token, timeout: .seconds(3))
        do {
            _ = try await client.sources()
            Issue.record("a closed port answered")
        } catch {
            Self.assertHidden(error)
        }
    }
}
