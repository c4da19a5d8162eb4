import RecordInput
import StitchAPI
import StitchClient
@testable import StitchPush
import Testing

struct RetryPolicyTests {
    let policy = RetryPolicy(maximumRetries: 3, baseDelay: .milliseconds(100), maximumDelay: .milliseconds(350))

    @Test func classifiesReplies() {
        #expect(AttemptOutcome(statusCode: 201, body: "") == .accepted(statusCode: 201))
        #expect(AttemptOutcome(statusCode: 202, body: "") == .accepted(statusCode: 202))
        #expect(AttemptOutcome(statusCode: 401, body: "x") == .unauthorized(statusCode: 401, body: "x"))
        #expect(AttemptOutcome(statusCode: 403, body: "x") == .unauthorized(statusCode: 403, body: "x"))
        #expect(AttemptOutcome(statusCode: 400, body: "x") == .rejected(statusCode: 400, body: "x"))
        #expect(AttemptOutcome(statusCode: 413, body: "x") == .rejected(statusCode: 413, body: "x"))
        if case .transient = AttemptOutcome(statusCode: 429, body: "") {} else { Issue.record("429 must be transient") }
        if case .transient = AttemptOutcome(statusCode: 503, body: "") {} else { Issue.record("503 must be transient") }
        if case .transient = AttemptOutcome(statusCode: 500, body: "") {} else { Issue.record("500 must be transient") }
    }

    @Test func onlyTransientOutcomesAreRetriedAndTriesAreBounded() {
        let transient = AttemptOutcome.transient(reason: "HTTP 503")
        #expect(policy.decision(after: 1, .rejected(statusCode: 400, body: ""), random: 0.5) == .stop)
        #expect(policy.decision(after: 1, .unauthorized(statusCode: 401, body: ""), random: 0.5) == .stop)
        #expect(policy.decision(after: 1, .accepted(statusCode: 201), random: 0.5) == .stop)
        for attempt in 1...3 {
            guard case .retry = policy.decision(after: attempt, transient, random: 0.5) else {
                Issue.record("attempt \(attempt) should be retried")
                continue
            }
        }
        #expect(policy.decision(after: 4, transient, random: 0.5) == .giveUp)
        #expect(RetryPolicy(maximumRetries: 0).decision(after: 1, transient, random: 0.5) == .giveUp)
    }

    @Test func aServersRetryAfterIsAFloorUpToItsCeiling() {
        // The backoff before the first retry is 50–100 ms here.
        let asked = AttemptOutcome(statusCode: 429, body: "{}", retryAfter: .seconds(2))
        #expect(policy.decision(after: 1, asked, random: 0.5) == .retry(after: .seconds(2)))
        let short = AttemptOutcome(statusCode: 503, body: "{}", retryAfter: .zero)
        #expect(policy.decision(after: 1, short, random: 1) == .retry(after: .milliseconds(100)), "never sooner than the backoff")
        let long = AttemptOutcome(statusCode: 503, body: "{}", retryAfter: .seconds(86_400))
        #expect(policy.decision(after: 1, long, random: 0) == .retry(after: policy.maximumRetryAfter))
        #expect(RetryAfter.seconds(in: " 7 ") == .seconds(7))
        #expect(RetryAfter.seconds(in: "Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryAfter.seconds(in: "-1") == nil)
        #expect(RetryAfter.seconds(in: "") == nil)
    }

    @Test func delaysGrowExponentiallyWithinJitterAndCap() {
        // Equal jitter: between half and all of min(base * 2^(n-1), cap).
        let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(350), .milliseconds(350)]
        for (index, ceiling) in ceilings.enumerated() {
            let retry = index + 1
            #expect(policy.delay(beforeRetry: retry, random: 0) == ceiling / 2)
            #expect(policy.delay(beforeRetry: retry, random: 1) == ceiling)
            let middle = policy.delay(beforeRetry: retry, random: 0.5)
            #expect(middle > ceiling / 2 && middle < ceiling)
        }
    }
}

/// The retry policy end to end: `ImportTransport` (the real `ImportClient`) against a scripted
/// server on loopback, driven by the push pipeline.
@Suite(.timeLimit(.minutes(1)))
struct RetryAgainstServerTests {
    static let configuration = PushConfiguration(
        concurrency: 1, retry: RetryPolicy(maximumRetries: 3, baseDelay: .milliseconds(200), maximumDelay: .seconds(1)))
    static let records = Array(#"{"id":1}"#.utf8) + [0x0A] + Array(#"{"id":2}"#.utf8) + [0x0A]
    static let mode = PushMode.records(.jsonl, header: BatchHeader(tableName: "t", schema: ["properties": ["id": ["type": "integer"]]],
                                                                   keyNames: ["id"]))

    private func push(_ baseURL: String) async throws -> PushSummary {
        let client = try ImportClient(baseURL: baseURL, token: "fake-import-token", timeout: .seconds(5))
        return await PushPipeline.run(input: .bytes(Self.records), mode: Self.mode,
                                      transport: ImportTransport(client: client), configuration: Self.configuration)
    }

    @Test func a503IsRetriedUntilThe201() async throws {
        let (summary, arrivals) = try await ScriptedImportServer.run(script: [.init(status: 503, body: #"{"status":"ERROR"}"#), .accepted]) { url, server in
            (try await push(url), await server.arrivals)
        }
        #expect(summary.exitStatus == 0)
        #expect(summary.progress.recordsAccepted == 2)
        #expect(summary.progress.retries == 1)
        #expect(arrivals.count == 2)
        #expect(arrivals.count == 2 && arrivals[0].body == arrivals[1].body, "the retry resends the same batch")
        #expect(arrivals.first?.authorization == "Bearer fake-import-token")
    }

    @Test func a429IsRetriedAfterBackingOff() async throws {
        let (summary, arrivals) = try await ScriptedImportServer.run(script: [.init(status: 429, body: "{}"), .init(status: 429, body: "{}"), .accepted]) { url, server in
            (try await push(url), await server.arrivals)
        }
        #expect(summary.exitStatus == 0)
        #expect(arrivals.count == 3)
        guard arrivals.count == 3 else { return }
        // At least half of 200 ms, then half of 400 ms (equal jitter).
        #expect(arrivals[1].at - arrivals[0].at >= .milliseconds(100))
        #expect(arrivals[2].at - arrivals[1].at >= .milliseconds(200))
    }

    @Test func a429WaitsAtLeastTheRetryAfterItWasGiven() async throws {
        // The backoff alone would wait 100–200 ms; the server asks for a second.
        let script: [ScriptedImportServer.Reply] = [.init(status: 429, body: "{}", retryAfter: "1"), .accepted]
        let (summary, arrivals) = try await ScriptedImportServer.run(script: script) { url, server in
            (try await push(url), await server.arrivals)
        }
        #expect(summary.exitStatus == 0)
        #expect(arrivals.count == 2)
        guard arrivals.count == 2 else { return }
        #expect(arrivals[1].at - arrivals[0].at >= .seconds(1))
    }

    @Test func a400IsNotRetriedAndNamesTheBatch() async throws {
        let body = #"{"error":"Record 0 did not conform to schema"}"#
        let (summary, arrivals) = try await ScriptedImportServer.run(script: [.init(status: 400, body: body), .accepted]) { url, server in
            (try await push(url), await server.arrivals)
        }
        #expect(arrivals.count == 1)
        #expect(summary.exitStatus == 1)
        #expect(summary.rejected.map(\.statusCode) == [400])
        #expect(summary.rejected.first?.body == body)
        #expect(summary.rejected.first?.lines == "lines 1–2")
        #expect(summary.text.contains("HTTP 400 \(body)"))
    }

    @Test func a401StopsWithTheAuthenticationStatus() async throws {
        let (summary, arrivals) = try await ScriptedImportServer.run(script: [.init(status: 401, body: #"{"message":"Not Authorized"}"#)]) { url, server in
            (try await push(url), await server.arrivals)
        }
        #expect(arrivals.count == 1)
        #expect(summary.exitStatus == 3)
    }

    @Test func persistentFailureGivesUpAfterTheLastRetry() async throws {
        let (summary, arrivals) = try await ScriptedImportServer.run(script: [.init(status: 503, body: "{}")]) { url, server in
            (try await push(url), await server.arrivals)
        }
        #expect(arrivals.count == 4, "1 try + 3 retries")
        #expect(summary.exitStatus == 4)
        #expect(summary.gaveUp?.contains("HTTP 503") == true)
    }

    @Test func connectionRefusedIsRetriedThenGivesUp() async throws {
        // A port nothing listens on: the scripted server's, after it stopped.
        let url = try await ScriptedImportServer.run(script: [.accepted]) { url, _ in url }
        let client = try ImportClient(baseURL: url, token: "fake-import-token", timeout: .seconds(5))
        let fast = PushConfiguration(concurrency: 1, retry: RetryPolicy(maximumRetries: 2, baseDelay: .milliseconds(10)))
        let summary = await PushPipeline.run(input: .bytes(Self.records), mode: Self.mode,
                                             transport: ImportTransport(client: client), configuration: fast)
        #expect(summary.exitStatus == 4)
        #expect(summary.progress.retries == 2)
        #expect(summary.gaveUp?.contains("connection refused") == true, "\(summary.gaveUp ?? "")")
    }
}
