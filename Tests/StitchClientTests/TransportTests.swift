import Foundation
import StitchAPI
import StitchClient
import Testing

@Suite struct TransportTests {
    @Test func slowServerTimesOut() async throws {
        let routes = ["GET /v4/sources": CannedReply(status: 200, body: "[]", delay: .seconds(2))]
        try await CannedServer.run(routes: routes) { port, _ in
            let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: "ac_fake_token",
                                           timeout: .milliseconds(300))
            await #expect(throws: StitchClientError.timedOut(endpoint: "127.0.0.1:\(port)", after: .milliseconds(300))) {
                try await client.sources()
            }
        }
    }

    /// The deadline covers the whole reply, not just its headers.
    @Test func bodyStallingAfterTheHeadersTimesOut() async throws {
        let routes = ["GET /v2/import/status": CannedReply(status: 200, body: CannedBodies.importStatus,
                                                          bodyStall: .seconds(2))]
        try await CannedServer.run(routes: routes) { port, _ in
            let client = try ImportClient(baseURL: "http://127.0.0.1:\(port)", token: "at_fake_token",
                                          timeout: .milliseconds(300))
            await #expect(throws: StitchClientError.timedOut(endpoint: "127.0.0.1:\(port)", after: .milliseconds(300))) {
                try await client.status()
            }
        }
    }

    @Test func nothingListeningIsConnectionRefused() async throws {
        let port = try await CannedServer.closedPort()
        let client = try ImportClient(baseURL: "http://127.0.0.1:\(port)", token: "at_fake_token", timeout: .seconds(3))
        do {
            _ = try await client.sendBatch(body: Array(CannedBodies.tutorialBatch.utf8))
            Issue.record("a closed port answered")
        } catch let error as StitchClientError {
            #expect(error == .connectionFailed(host: "127.0.0.1", port: port, reason: .refused))
            #expect(error.description == "Could not connect to 127.0.0.1:\(port) — is the server running? (connection refused)")
        }
    }

    /// `HTTPClient.shared` would retry a refused connection until the deadline; the default client
    /// must report it straight away. The margin is wide: this checks behaviour, not speed.
    @Test func refusalIsReportedBeforeTheDeadline() async throws {
        let port = try await CannedServer.closedPort()
        let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: "ac_fake_token", timeout: .seconds(60))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: StitchClientError.connectionFailed(host: "127.0.0.1", port: port, reason: .refused)) {
            try await client.sources()
        }
        #expect(clock.now - start < .seconds(30))
    }

    @Test(arguments: ["http://api.stitchdata.com", "http://10.1.2.3:8080", "http://stitch.example/v2"])
    func plainHTTPToARemoteHostIsRefusedBeforeAnyRequest(url: String) {
        #expect(throws: StitchClientError.insecureURL(url)) { try ConnectClient(baseURL: url, token: "ac_fake_token") }
        #expect(throws: StitchClientError.insecureURL(url)) { try ImportClient(baseURL: url, token: "at_fake_token") }
    }

    @Test func localhostNameIsAllowedOverHTTP() async throws {
        try await CannedServer.run(routes: ["GET /v2/import/status": .json(CannedBodies.importStatus)]) { port, log in
            let client = try ImportClient(baseURL: "http://localhost:\(port)/", token: "at_fake_token")
            #expect(try await client.status().status == "OK")
            #expect(await log.requests.count == 1)
        }
    }

    @Test func ipv6LoopbackIsAllowedOverHTTP() async throws {
        try await CannedServer.run(host: "::1", routes: ["GET /v2/import/status": .json(CannedBodies.importStatus)]) {
            port, log in
            let client = try ImportClient(baseURL: "http://[::1]:\(port)", token: "at_fake_token")
            #expect(try await client.status().status == "OK")
            #expect(await log.requests.map(\.path) == ["/v2/import/status"])
        }
    }

    @Test func badTokensAreRefusedWithoutEchoingThem() {
        for token in ["", "   ", "ac_fake one", "ac_fake\ninjected: header", "ac_fake\u{7F}"] {
            do {
                _ = try ConnectClient(token: token)
                Issue.record("token \(token.debugDescription) was accepted")
            } catch {
                guard case .invalidToken = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                if !token.trimmingCharacters(in: .whitespaces).isEmpty {
                    #expect(!error.description.contains("ac_fake"))
                }
            }
        }
    }
}
