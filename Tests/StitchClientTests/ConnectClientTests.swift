import Foundation
import StitchAPI
import StitchClient
import Testing

@Suite struct ConnectClientTests {
    static let token = "ac_fake_connect_token"

    static let routes: [String: CannedReply] = [
        "GET /v4/source-types/import_api": .json(CannedBodies.reportCard),
        "GET /v4/source-types": .json("[\(CannedBodies.reportCard)]"),
        "POST /v4/sources": .json(CannedBodies.source()),
        "GET /v4/sources": .json("[\(CannedBodies.source()),\(CannedBodies.source(deletedAt: "2020-03-01T00:00:00Z"))]"),
        "GET /v4/sources/126890": .json(CannedBodies.source()),
        "PUT /v4/sources/126890": CannedReply(status: 200, body: "", render: { request in
            // Echo paused_at the way the API does.
            let sent = (try? JSONParser.parse(request.body))?["paused_at"]?.stringValue
            return CannedBodies.source(pausedAt: sent)
        }),
        "DELETE /v4/sources/126890": .json(CannedBodies.source(deletedAt: "2020-03-01T00:00:00Z")),
        "POST /v4/sources/126890/tokens": .json(CannedBodies.tokenReply),
        "GET /v4/sources/126890/tokens": .json(CannedBodies.tokenObjects),
        "GET /v4/sources/1/tokens": .json(CannedBodies.tokenIDs),
        "DELETE /v4/sources/126890/tokens/828792559": .json(CannedBodies.source(updatedAt: "2020-01-03T00:00:00Z")),
    ]

    static func client(port: Int) throws -> ConnectClient {
        try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: token)
    }

    @Test func everyCallSendsBearerAndJSONContentType() async throws {
        try await CannedServer.run(routes: Self.routes) { port, log in
            let client = try Self.client(port: port)
            _ = try await client.sourceType("import_api")
            _ = try await client.sourceTypes()
            _ = try await client.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"))
            _ = try await client.source(id: 126890)
            _ = try await client.sources()
            _ = try await client.updateSource(id: 126890, .pause(at: "2020-02-01T00:00:00Z"))
            _ = try await client.createToken(sourceID: 126890)
            _ = try await client.tokens(sourceID: 126890)
            _ = try await client.revokeToken(sourceID: 126890, tokenID: 828792559)
            _ = try await client.deleteSource(id: 126890)

            let requests = await log.requests
            #expect(requests.map { "\($0.method) \($0.path)" } == [
                "GET /v4/source-types/import_api", "GET /v4/source-types", "POST /v4/sources",
                "GET /v4/sources/126890", "GET /v4/sources", "PUT /v4/sources/126890",
                "POST /v4/sources/126890/tokens", "GET /v4/sources/126890/tokens",
                "DELETE /v4/sources/126890/tokens/828792559", "DELETE /v4/sources/126890",
            ])
            for request in requests {
                #expect(request.headers["authorization"] == ["Bearer \(Self.token)"], "\(request.method) \(request.path)")
                #expect(request.headers["content-type"] == ["application/json"], "\(request.method) \(request.path)")
            }
        }
    }

    @Test func reportCardsDecode() async throws {
        try await CannedServer.run(routes: Self.routes) { port, _ in
            let client = try Self.client(port: port)
            let card = try await client.sourceType("import_api")
            #expect(card.currentStep == 1)
            #expect(card.effectiveStepType == .form)
            #expect(card.details?.access == true)
            #expect(try await client.sourceTypes() == [card])
        }
    }

    @Test func createSourceSendsTheDocumentedBody() async throws {
        try await CannedServer.run(routes: Self.routes) { port, log in
            let source = try await Self.client(port: port)
                .createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"))
            #expect(source.id == 126890)
            #expect(source.name == "import_api")
            #expect(source.reportCard.effectiveStepType == .fullyConfigured)
            let body = try JSONParser.parse(try #require(await log.last).body)
            #expect(body == ["type": "import_api", "display_name": "Import API"])
        }
    }

    @Test func sourcesListIncludesDeletedOnes() async throws {
        try await CannedServer.run(routes: Self.routes) { port, _ in
            let sources = try await Self.client(port: port).sources()
            #expect(sources.count == 2)
            #expect(sources.map(\.isActive) == [true, false])
            #expect(sources[1].deletedAt == "2020-03-01T00:00:00Z")
        }
    }

    @Test func pauseAndUnpauseSendPausedAt() async throws {
        try await CannedServer.run(routes: Self.routes) { port, log in
            let client = try Self.client(port: port)
            let paused = try await client.updateSource(id: 126890, .pause(at: "2020-02-01T00:00:00Z"))
            #expect(paused.pausedAt == "2020-02-01T00:00:00Z")
            #expect(try #require(await log.last).bodyText == #"{"paused_at":"2020-02-01T00:00:00Z"}"#)

            let unpaused = try await client.unpauseSource(id: 126890)
            #expect(unpaused.pausedAt == nil)
            #expect(try #require(await log.last).bodyText == #"{"paused_at":null}"#)

            let now = try await client.pauseSource(id: 126890, at: Date(timeIntervalSince1970: 1_577_836_800))
            #expect(now.pausedAt == "2020-01-01T00:00:00Z")
        }
    }

    @Test func tokensInBothShapes() async throws {
        try await CannedServer.run(routes: Self.routes) { port, _ in
            let client = try Self.client(port: port)
            let created = try await client.createToken(sourceID: 126890)
            #expect(created.id == 828792559)
            #expect(created.accessToken == CannedBodies.fakeImportToken)
            let current = try await client.tokens(sourceID: 126890)
            #expect(current.tokens.map(\.tokenID) == [828705046, 815713587])
            #expect(current.tokens.first?.createdAt == "2021-08-12T15:22:12Z")
            let older = try await client.tokens(sourceID: 1)
            #expect(older.tokens == [TokenSummary(tokenID: 815713587)])
            let afterRevoke = try await client.revokeToken(sourceID: 126890, tokenID: 828792559)
            #expect(afterRevoke.updatedAt == "2020-01-03T00:00:00Z")
        }
    }

    @Test func pathSegmentsAreEncoded() async throws {
        try await CannedServer.run(routes: [:]) { port, log in
            await #expect(throws: StitchAPIError.self) {
                try await Self.client(port: port).sourceType("platform/../x y?")
            }
            let path = try #require(await log.last).path
            #expect(!path.contains("/../"))
            #expect(path.hasPrefix("/v4/source-types/platform%2F..%2Fx%20y%3F"))
        }
    }

    @Test func trailingSlashesDoNotDoubleTheSlash() async throws {
        try await CannedServer.run(routes: Self.routes) { port, log in
            let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)///", token: Self.token)
            #expect(client.baseURL.description == "http://127.0.0.1:\(port)")
            _ = try await client.sources()
            #expect(try #require(await log.last).path == "/v4/sources")
        }
    }

    @Test func surroundingWhitespaceInTheTokenIsTrimmed() async throws {
        try await CannedServer.run(routes: Self.routes) { port, log in
            let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: "  \(Self.token)\n")
            _ = try await client.sources()
            #expect(try #require(await log.last).header("authorization") == "Bearer \(Self.token)")
        }
    }
}
