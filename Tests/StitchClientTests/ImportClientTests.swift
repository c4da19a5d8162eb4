import Foundation
import StitchAPI
import StitchClient
import Testing

@Suite struct ImportClientTests {
    static let token = "at_fake_import_token_1234"

    static func client(port: Int, timeout: Duration = .seconds(30)) throws -> ImportClient {
        try ImportClient(baseURL: "http://127.0.0.1:\(port)", token: token, timeout: timeout)
    }

    @Test func statusNeedsNoCredentials() async throws {
        try await CannedServer.run(routes: ["GET /v2/import/status": .json(CannedBodies.importStatus)]) { port, log in
            let status = try await Self.client(port: port).status()
            #expect(status.name == "pipeline.gate")
            #expect(status.status == "OK")
            #expect(status.version == "0.3.3-SNAPSHOT")
            let request = try #require(await log.last)
            #expect(request.header("authorization") == nil)
        }
    }

    @Test func statusOutageIsAnAPIError() async throws {
        let routes = ["GET /v2/import/status": CannedReply.json(#"{"status":"ERROR","message":"Service unavailable"}"#,
                                                               status: 503)]
        try await CannedServer.run(routes: routes) { port, _ in
            await #expect(throws: StitchAPIError(statusCode: 503, body: .importError(message: "Service unavailable"),
                                                 rawBody: #"{"status":"ERROR","message":"Service unavailable"}"#)) {
                try await Self.client(port: port).status()
            }
        }
    }

    @Test func rawBodyIsSentVerbatimWithHeaders() async throws {
        try await CannedServer.run(routes: ["POST /v2/import/batch": .json(CannedBodies.batchAccepted, status: 201)]) {
            port, log in
            let body = Array(CannedBodies.tutorialBatch.utf8)
            let reply = try await Self.client(port: port).sendBatch(body: body)
            #expect(reply.statusCode == 201)
            #expect(reply.status == .accepted)
            #expect(reply.bodyText == CannedBodies.batchAccepted)
            #expect(reply.latency > .zero)
            #expect(!reply.isQueued)
            let request = try #require(await log.last)
            #expect(request.body == body, "the user's text must reach the server byte for byte")
            #expect(request.headers["authorization"] == ["Bearer \(Self.token)"])
            #expect(request.headers["content-type"] == ["application/json"])
        }
    }

    @Test func queuedReplyIs202() async throws {
        try await CannedServer.run(routes: ["POST /v2/import/batch": .json(CannedBodies.batchQueued, status: 202)]) {
            port, _ in
            let reply = try await Self.client(port: port).sendBatch(body: Data(CannedBodies.tutorialBatch.utf8))
            #expect(reply.statusCode == 202)
            #expect(reply.status == .queued)
            #expect(reply.isQueued)
        }
    }

    @Test func typedBatchIsSentAsItsJSON() async throws {
        try await CannedServer.run(routes: ["POST /v2/import/batch": .json(CannedBodies.batchAccepted, status: 201)]) {
            port, log in
            let batch = try BatchRequest(json: JSONParser.parse(CannedBodies.tutorialBatch))
            _ = try await Self.client(port: port).sendBatch(batch)
            let sent = try #require(await log.last)
            #expect(sent.bodyText == batch.json.jsonText)
            #expect(try JSONParser.parse(sent.body) == JSONParser.parse(CannedBodies.tutorialBatch))
        }
    }

    @Test func successWithoutABatchStatusIsAnUnexpectedReply() async throws {
        let routes = ["POST /v2/import/batch": CannedReply(status: 201, contentType: "text/html", body: "<p>ok</p>")]
        try await CannedServer.run(routes: routes) { port, _ in
            await #expect {
                try await Self.client(port: port).sendBatch(body: Array("{}".utf8))
            } throws: { error in
                guard case .unexpectedReply(let status, _, _, let snippet) = error as? StitchClientError else { return false }
                return status == 201 && snippet == "<p>ok</p>"
            }
        }
    }

    @Test func regionClientsUseHTTPS() throws {
        let client = try ImportClient(region: .europe, token: Self.token)
        #expect(client.baseURL.description == "https://api.eu-central-1.stitchdata.com")
        #expect(client.timeout == .seconds(30))
    }
}
