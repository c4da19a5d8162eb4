import NIOConcurrencyHelpers
import RecordInput
import StitchAPI
@testable import StitchPush
import Testing

/// A transport that answers from a function of the body, after a delay, recording what it saw.
private struct FakeTransport: BatchTransport {
    let log = NIOLockedValueBox<[String]>([])
    let answer: @Sendable (BatchRequest) -> AttemptOutcome
    let delay: @Sendable (BatchRequest) -> Duration

    func send(_ body: [UInt8]) async -> AttemptOutcome {
        guard let request = try? BatchRequest(json: JSONParser.parse(body)) else { return .rejected(statusCode: 400, body: "bad") }
        try? await Task.sleep(for: delay(request))
        log.withLockedValue { $0.append("\(request.tableName):\(request.messages.count)") }
        return answer(request)
    }
}

@Suite(.timeLimit(.minutes(1)))
struct DispatcherTests {
    static let schema: JSONValue = ["properties": ["id": ["type": "integer"]]]

    private func singer(_ lines: [JSONValue]) -> PushInput {
        .bytes(Array(lines.map { $0.jsonText + "\n" }.joined().utf8))
    }

    @Test func statesAreWrittenOnlyAfterEveryEarlierBatchEvenWhenLaterOnesFinishFirst() async {
        // The first batch is slow; the second fast. STATE 1 must wait for the first.
        let transport = FakeTransport(answer: { _ in .accepted(statusCode: 201) },
                                      delay: { $0.tableName == "slow" ? .milliseconds(300) : .zero })
        let written = NIOLockedValueBox<[String]>([])
        let events = PushEvents(state: { value in written.withLockedValue { $0.append(value) } })
        let input = singer([
            ["type": "SCHEMA", "stream": "slow", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "RECORD", "stream": "slow", "record": ["id": 1]],
            ["type": "SCHEMA", "stream": "fast", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "RECORD", "stream": "fast", "record": ["id": 2]],
            ["type": "STATE", "value": 1],
            ["type": "SCHEMA", "stream": "fast", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "STATE", "value": 2],
        ])
        let summary = await PushPipeline.run(input: input, mode: .singer, transport: transport,
                                             configuration: PushConfiguration(concurrency: 4), events: events)
        #expect(summary.exitStatus == 0)
        #expect(transport.log.withLockedValue { $0 } == ["fast:1", "slow:1"], "the fast batch finished first")
        #expect(written.withLockedValue { $0 } == ["1", "2"])
        #expect(summary.statesWritten == 2)
    }

    @Test func noStateIsWrittenAfterARejectedBatch() async {
        let transport = FakeTransport(answer: { $0.tableName == "bad" ? .rejected(statusCode: 400, body: "no") : .accepted(statusCode: 201) },
                                      delay: { _ in .zero })
        let written = NIOLockedValueBox<[String]>([])
        let input = singer([
            ["type": "SCHEMA", "stream": "good", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "RECORD", "stream": "good", "record": ["id": 1]],
            ["type": "STATE", "value": 1],
            ["type": "SCHEMA", "stream": "bad", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "RECORD", "stream": "bad", "record": ["id": 2]],
            ["type": "STATE", "value": 2],
        ])
        let summary = await PushPipeline.run(input: input, mode: .singer, transport: transport,
                                             configuration: PushConfiguration(concurrency: 1),
                                             events: PushEvents(state: { value in written.withLockedValue { $0.append(value) } }))
        #expect(written.withLockedValue { $0 } == ["1"])
        #expect(summary.exitStatus == 1)
        #expect(summary.rejected.map(\.tableName) == ["bad"])
    }

    @Test func atMostConcurrencyBatchesAreInFlight() async {
        let inFlight = NIOLockedValueBox<(now: Int, most: Int)>((0, 0))
        struct Counting: BatchTransport {
            let inFlight: NIOLockedValueBox<(now: Int, most: Int)>
            func send(_ body: [UInt8]) async -> AttemptOutcome {
                inFlight.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now) }
                try? await Task.sleep(for: .milliseconds(20))
                inFlight.withLockedValue { $0.now -= 1 }
                return .accepted(statusCode: 201)
            }
        }
        let lines = (1...60).map { #"{"id":\#($0)}"# }.joined(separator: "\n")
        let header = BatchHeader(tableName: "t", schema: Self.schema, keyNames: ["id"])
        let summary = await PushPipeline.run(input: .bytes(Array(lines.utf8)), mode: .records(.jsonl, header: header),
                                             transport: Counting(inFlight: inFlight),
                                             configuration: PushConfiguration(concurrency: 3, limits: BatchLimits(maximumRecords: 2)))
        #expect(summary.progress.batchesBuilt == 30)
        #expect(summary.progress.recordsAccepted == 60)
        #expect(summary.progress.recordsRead == 60)
        #expect(inFlight.withLockedValue { $0.most } == 3)
    }

    @Test func aMissingKeyStopsWithItsLineAndExitStatus1() async {
        let transport = FakeTransport(answer: { _ in .accepted(statusCode: 201) }, delay: { _ in .zero })
        let header = BatchHeader(tableName: "t", schema: Self.schema, keyNames: ["id"])
        let summary = await PushPipeline.run(input: .bytes(Array("{\"id\":1}\n{\"id\":null}\n".utf8)),
                                             mode: .records(.jsonl, header: header), transport: transport,
                                             configuration: PushConfiguration())
        #expect(summary.exitStatus == 1)
        #expect(summary.inputError?.line == 2)
        // What came before the bad line was sent; the bad line was not.
        #expect(summary.progress.recordsRead == 1)
        #expect(summary.progress.recordsAccepted == 1)
        #expect(transport.log.withLockedValue { $0 } == ["t:1"])
    }

    @Test func dryRunChecksRecordsAgainstTheSchemaWithTheGatesText() async {
        let header = BatchHeader(tableName: "t", schema: Self.schema, keyNames: ["id"])
        let summary = await PushPipeline.run(input: .bytes(Array("{\"id\":1}\n{\"id\":\"two\"}\n".utf8)),
                                             mode: .records(.jsonl, header: header), transport: DryRunTransport(),
                                             configuration: PushConfiguration())
        #expect(summary.exitStatus == 1)
        #expect(summary.rejected.first?.body.contains("Record 1 did not conform to schema") == true, "\(summary.rejected)")
    }

    @Test func batchBodiesAreSentWithTheirOwnEnvelopeAndSplitWhenOverTheLimits() async throws {
        let transport = FakeTransport(answer: { _ in .accepted(statusCode: 201) }, delay: { _ in .zero })
        let first = BatchRequest(tableName: "a", schema: Self.schema,
                                 messages: (1...5).map { BatchMessage(sequence: Int64($0), data: JSONObject([("id", .integer(Int64($0)))])) },
                                 keyNames: ["id"], tableVersion: 9)
        let second = BatchRequest(tableName: "b", schema: Self.schema,
                                  messages: [BatchMessage(action: .activateVersion, sequence: 7, data: nil)], tableVersion: 3)
        let input = first.json.jsonText + "\n" + second.json.prettyJSONText + "\n"
        let summary = await PushPipeline.run(input: .bytes(Array(input.utf8)), mode: .batches, transport: transport,
                                             configuration: PushConfiguration(limits: BatchLimits(maximumRecords: 2)))
        #expect(summary.exitStatus == 0)
        #expect(transport.log.withLockedValue { $0 }.sorted() == ["a:1", "a:2", "a:2", "b:1"])
        #expect(summary.progress.recordsAccepted == 6)
    }

    @Test func retriesOfAKeylessTableAreWarnedAbout() async {
        struct FlakyOnce: BatchTransport {
            let calls = NIOLockedValueBox(0)
            func send(_ body: [UInt8]) async -> AttemptOutcome {
                calls.withLockedValue { $0 += 1; return $0 } == 1 ? .transient(reason: "HTTP 503") : .accepted(statusCode: 201)
            }
        }
        let notices = NIOLockedValueBox<[String]>([])
        let header = BatchHeader(tableName: "events", schema: ["properties": [:]], keyNames: nil)
        let summary = await PushPipeline.run(
            input: .bytes(Array("{\"a\":1}\n".utf8)), mode: .records(.jsonl, header: header), transport: FlakyOnce(),
            configuration: PushConfiguration(retry: RetryPolicy(baseDelay: .milliseconds(1))),
            events: PushEvents(notice: { line in notices.withLockedValue { $0.append(line) } }))
        #expect(summary.exitStatus == 0)
        #expect(summary.keylessRetries == 1)
        #expect(notices.withLockedValue { $0 }.contains { $0.contains("has no key") && $0.contains("load twice") })
        #expect(summary.text.contains("may have loaded twice"))
    }
}
