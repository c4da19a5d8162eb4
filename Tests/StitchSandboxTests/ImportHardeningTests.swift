import Foundation
import NIOConcurrencyHelpers
import StitchAPI
import Testing
@testable import StitchSandbox

/// Issue 10, items 1 and 7, over real sockets: a schema pattern cannot stall validation, big batches
/// do not hold the threads small ones need, and `/v2/import/status` says when the batch path cannot
/// take a batch.
@Suite("Import API hardening: patterns, validation lanes, status",
       .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ImportHardeningTests {
    /// A batch of one record `{"s": text}` whose schema gives `s` this pattern.
    private static func patternBatch(_ pattern: String, _ text: String) -> String {
        let batch: JSONValue = [
            "table_name": "strings",
            "schema": ["properties": ["s": ["type": "string", "pattern": .string(pattern)]]],
            "messages": [["action": "upsert", "sequence": 1, "data": ["s": .string(text)]]],
        ]
        return batch.jsonText
    }

    /// curl with a deadline, so a request the sandbox never answers fails the test instead of hanging it.
    private static func timedPost(_ sandbox: RunningSandbox, token: String, body: String,
                                  maxSeconds: Int = 120) async throws -> (reply: CurlReply, seconds: Double) {
        let data = body.utf8.count > 100_000 ? try bodyFile(sandbox, body) : body
        let start = ContinuousClock.now
        let reply = try await curl([sandbox.baseURL + "/v2/import/batch", "-X", "POST", "--max-time", String(maxSeconds),
                                    "-H", "Content-Type: application/json", "-H", "Authorization: Bearer \(token)",
                                    "--data-binary", data])
        return (reply, Self.seconds(since: start))
    }

    private static func timedStatus(_ sandbox: RunningSandbox) async throws -> (reply: CurlReply, seconds: Double) {
        let start = ContinuousClock.now
        let reply = try await curl([sandbox.baseURL + "/v2/import/status", "--max-time", "30"])
        return (reply, Self.seconds(since: start))
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    // MARK: Item 1: patterns

    @Test("Catastrophic patterns get their 400 at once, and later batches are still served")
    func catastrophicPatterns() async throws {
        try await withSandbox { sandbox in
            let (_, token) = try await makeImportSource(sandbox)
            let text = String(repeating: "a", count: 40) + "!"
            // Before the linear matcher, each of these held a validation thread forever: two of them
            // stopped every later batch.
            async let first = Self.timedPost(sandbox, token: token, body: Self.patternBatch("^(a+)+$", text))
            async let second = Self.timedPost(sandbox, token: token, body: Self.patternBatch("(a|aa)*b", text))
            let replies = try await [first, second]
            let later = try await Self.timedPost(sandbox, token: token, body: customersBatch)

            let expected: [JSONValue] = [
                ["error": .string("Record 0 did not conform to schema:\n#/s: string [\(text)] does not match pattern ^(a+)+$\n")],
                ["error": .string("Record 0 did not conform to schema:\n#/s: string [\(text)] does not match pattern (a|aa)*b\n")],
            ]
            for (answer, body) in zip(replies, expected) {
                #expect(answer.reply.status == 400, "\(answer.reply.body)")
                #expect(answer.reply.json == body)
                #expect(answer.seconds < 10)
            }
            #expect(later.reply.status == 201, "\(later.reply.body)")
            #expect(later.seconds < 10)
        }
    }

    @Test("A pattern that needs backtracking is an invalid schema, naming the construct")
    func backtrackingPatternRefused() async throws {
        try await withSandbox { sandbox in
            let (_, token) = try await makeImportSource(sandbox)
            let reply = try await post(sandbox, "/v2/import/batch", token: token,
                                       body: Self.patternBatch(#"^(a+)\1$"#, "aa"))
            #expect(reply.status == 400)
            #expect(reply.json == ["error": .string(
                #"Invalid JSON schema: key pattern: [^(a+)\1$] is not supported: the backreference \1 needs backtracking"#)])
        }
    }

    @Test("A batch whose patterns need more matching than its size allows gets a 400 naming the limit")
    func patternBudget() async throws {
        try await withSandbox { sandbox in
            let (_, token) = try await makeImportSource(sandbox)
            // 9,000 states kept alive per character of a 20,000-character string: 180 million steps,
            // where a body this size may use 10 million.
            let body = Self.patternBatch("(?:[a-z]{1000}){9}x", String(repeating: "a", count: 20_000))
            let answer = try await Self.timedPost(sandbox, token: token, body: body)
            #expect(answer.reply.status == 400)
            #expect(answer.reply.json == ["error": .string(
                "Record 0 could not be checked against the schema: its patterns need more than 10000000 matching steps, the most this batch may use (20 per byte of the request, at least 10000000); use simpler patterns or smaller batches")])
            // The message above is the budget's; this only bounds it loosely (a debug build needs about
            // 2 s for 10 million steps, and 36 s for the 180 million it would take without the budget).
            #expect(answer.seconds < 60, "took \(answer.seconds) s")
        }
    }

    // MARK: Item 1: big validations do not hold the threads small batches need

    @Test("While big batches validate, status and a one-record batch are answered promptly")
    func smallBatchesAreNotStuckBehindBigOnes() async throws {
        try await withSandbox { sandbox in
            let (_, token) = try await makeImportSource(sandbox)
            // About 1.5 MB each (over the small lane's 1 MiB), and each spends its whole pattern
            // budget (30 million steps): seconds of CPU in a debug build, for three of them on two cores.
            let big = Self.patternBatch("(?:[a-z]{1000}){9}x", String(repeating: "a", count: 1_500_000))
            let bigOnesAnswered = NIOLockedValueBox(0)
            let bigOnes = Task {
                try await withThrowingTaskGroup(of: CurlReply.self, returning: [CurlReply].self) { group in
                    for _ in 0..<3 {
                        group.addTask {
                            defer { bigOnesAnswered.withLockedValue { $0 += 1 } }
                            return try await Self.timedPost(sandbox, token: token, body: big).reply
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            // Let the big bodies arrive and their validations start.
            try await Task.sleep(for: .seconds(1.5))
            let status = try await Self.timedStatus(sandbox)
            let small = try await Self.timedPost(sandbox, token: token, body: customersBatch)
            // Ordering, not a stopwatch (a busy machine stretches both): status and the small batch have
            // their replies before any big one. With one shared pool the small batch waited for big ones.
            let answeredBeforeTheSmallOne = bigOnesAnswered.withLockedValue { $0 }
            let bigReplies = try await bigOnes.value

            #expect(status.reply.status == 200, "\(status.reply.body)")
            #expect(small.reply.status == 201, "\(small.reply.body)")
            #expect(answeredBeforeTheSmallOne == 0,
                    "the one-record batch (\(small.seconds) s) was answered after \(answeredBeforeTheSmallOne) big validations ended")
            // The big ones were really validating meanwhile: each ends in the budget's 400.
            #expect(bigReplies.map(\.status) == [400, 400, 400])
            #expect(bigReplies.allSatisfy { $0.body.contains("could not be checked against the schema") })
        }
    }

    // MARK: Item 7: status

    @Test("Status is 503 with the reason while the inbox cannot be written, and OK again once it can")
    func statusWhenInboxUnwritable() async throws {
        try await withSandbox { sandbox in
            let (_, token) = try await makeImportSource(sandbox)
            let inbox = sandbox.dataDirectory + "/inbox"
            let fileManager = FileManager.default
            // Tests run as root, whom permissions do not stop: a file where the directory was does.
            try fileManager.moveItem(atPath: inbox, toPath: inbox + ".away")
            #expect(fileManager.createFile(atPath: inbox, contents: Data("not a directory".utf8)))

            let failing = try await Self.timedStatus(sandbox)
            #expect(failing.reply.status == 503)
            #expect(failing.reply.contentType == "application/json")
            let body = try #require(failing.reply.json?.objectValue)
            #expect(body.keys == ["name", "version", "revision", "status", "reason", "message"])
            #expect(body["name"] == "pipeline.gate")
            #expect(body["status"] == "ERROR")
            let reason = try #require(body["reason"]?.stringValue)
            #expect(reason.hasPrefix("Batches cannot be stored: the inbox \(inbox) cannot be written (create \(inbox)/"))
            #expect(reason.contains("Not a directory"))
            #expect(body["message"]?.stringValue == reason)
            // The client's reading of a 503: its message is the reason.
            #expect(ErrorBody(json: failing.reply.json ?? .null) == .importError(message: reason))

            // What status warned about: the batch is not stored.
            let refused = try await post(sandbox, "/v2/import/batch", token: token, body: customersBatch)
            #expect(refused.status == 503)

            try fileManager.removeItem(atPath: inbox)
            try fileManager.moveItem(atPath: inbox + ".away", toPath: inbox)
            let recovered = try await Self.timedStatus(sandbox)
            #expect(recovered.reply.status == 200, "\(recovered.reply.body)")
            #expect(recovered.reply.json?["status"] == "OK")
            #expect(recovered.reply.json?["reason"] == .null)
            let stored = try await post(sandbox, "/v2/import/batch", token: token, body: customersBatch)
            #expect(stored.status == 201)
            // The probe leaves nothing in the inbox but the batch (in a segment of the inbox log).
            let names = try fileManager.contentsOfDirectory(atPath: inbox)
            #expect(names.allSatisfy { $0.hasSuffix(".log") }, "\(names)")
        }
    }
}

/// The stuck conditions, on the real `ImportHealth`, `ValidationLanes` and `BodyBudget` with short
/// bounds (the sandbox's are 5 to 15 seconds).
@Suite("Import API status: stuck batch path")
struct ImportHealthTests {
    private let directory: String

    init() throws {
        directory = try makeDataDirectory()
    }

    /// The first problem status reports within `deadline` (polled: under a loaded test run, tasks start late).
    private func firstProblem(_ health: ImportHealth, lanes: ValidationLanes, lastBodyRelease: @escaping () async -> ContinuousClock.Instant,
                              inboxDirectory: String? = nil, deadline: Duration = .seconds(60)) async throws -> String? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < deadline {
            if let problem = await health.problem(inboxDirectory: inboxDirectory ?? directory, lanes: lanes,
                                                  lastBodyRelease: await lastBodyRelease()) {
                return problem
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    private static let short = ImportHealth.Limits(bodyRoomStall: .seconds(1), bodyRoomRefusalMemory: .seconds(30),
                                                   validationWait: .seconds(1), probeTimeout: .seconds(5))

    @Test("A batch waiting for a validation thread beyond the bound makes status report it")
    func validationStuck() async throws {
        let lanes = ValidationLanes(largeLaneThreads: 1, smallLaneThreads: 1)
        let health = ImportHealth(limits: Self.short)
        #expect(await health.problem(inboxDirectory: directory, lanes: lanes, lastBodyRelease: .now) == nil)

        // One job holds the small lane's only thread; the next one waits for it.
        let gate = DispatchSemaphore(value: 0)
        let holding = NIOLockedValueBox(false)
        let holder = Task {
            await lanes.run(on: .small) {
                holding.withLockedValue { $0 = true }
                gate.wait()
                return 1
            }
        }
        while !holding.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
        let waiter = Task { await lanes.run(on: .small) { 2 } }
        let start = ContinuousClock.now

        let problem = try await firstProblem(health, lanes: lanes, lastBodyRelease: { .now })
        #expect(ContinuousClock.now - start > .seconds(1), "reported before the bound")
        #expect(problem?.hasPrefix("Batches are not being validated: a small batch has waited ") == true, "\(problem ?? "nil")")
        #expect(problem?.hasSuffix(" s for a thread. Retry later.") == true)
        // The large lane is not the small one: it still runs at once.
        #expect(await lanes.run(on: .large) { 3 } == 3)

        gate.signal()
        #expect(await holder.value == 1)
        #expect(await waiter.value == 2)
        #expect(await health.problem(inboxDirectory: directory, lanes: lanes, lastBodyRelease: .now) == nil)
    }

    @Test("Requests waiting for body room with none freed make status report it, and a refusal for that too")
    func bodyRoomStuck() async throws {
        let lanes = ValidationLanes(largeLaneThreads: 1, smallLaneThreads: 1)
        let health = ImportHealth(limits: Self.short)
        let budget = BodyBudget(capacity: 10)
        let held = await budget.reserve(10, patience: .seconds(30), isConnected: { true })
        #expect(held == 10)

        let waiting = Task {
            await health.waitingForBodyRoom({ await budget.reserve(5, patience: .seconds(30), isConnected: { true }) })
        }
        let start = ContinuousClock.now
        let stalled = try await firstProblem(health, lanes: lanes, lastBodyRelease: { await budget.lastReleased })
        #expect(ContinuousClock.now - start > .seconds(1), "reported before the bound")
        #expect(stalled?.hasPrefix("Batches are not being received: requests have waited ") == true, "\(stalled ?? "nil")")
        #expect(stalled?.hasSuffix(" s for room to receive their bodies while none was freed (the uploads ahead of them have stalled). Retry later.") == true)

        // Room freed: the waiter goes on and status is fine again.
        await budget.release(10)
        #expect(await waiting.value == 5)
        #expect(await health.problem(inboxDirectory: directory, lanes: lanes,
                                     lastBodyRelease: budget.lastReleased) == nil)

        // A request that gives up (its patience is short here) keeps status not OK until room is freed.
        let refused = await health.waitingForBodyRoom({
            await budget.reserve(10, patience: .milliseconds(300), isConnected: { true })
        })
        #expect(refused == nil)
        let afterRefusal = await health.problem(inboxDirectory: directory, lanes: lanes,
                                                lastBodyRelease: budget.lastReleased)
        #expect(afterRefusal?.hasPrefix("Batches are not being received: a request was refused ") == true,
                "\(afterRefusal ?? "nil")")
        await budget.release(5)
        #expect(await health.problem(inboxDirectory: directory, lanes: lanes,
                                     lastBodyRelease: budget.lastReleased) == nil)
    }

    @Test("After a batch could not be stored, the next status checks the inbox again, and clears once it can be written")
    func storeFailureRechecked() async throws {
        let lanes = ValidationLanes(largeLaneThreads: 1, smallLaneThreads: 1)
        let health = ImportHealth(limits: Self.short)
        let inbox = directory + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        health.recordStore(failure: "cannot store the batch: fsync: Input/output error")
        #expect(await health.problem(inboxDirectory: inbox, lanes: lanes, lastBodyRelease: .now) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox).isEmpty)

        // The durable probe goes the way a batch goes: a missing directory fails it.
        health.recordStore(failure: "cannot store the batch: rename: No such file or directory")
        let missing = directory + "/gone"
        let problem = await health.problem(inboxDirectory: missing, lanes: lanes, lastBodyRelease: .now)
        #expect(problem?.hasPrefix("Batches cannot be stored: the inbox \(missing) cannot be written (create \(missing)/.status-probe.tmp-") == true,
                "\(problem ?? "nil")")
    }
}
