import Foundation
import RecordBatch
import StitchAPI
import StitchClient
import StitchDestination
import StitchSandbox
import TerminalUI
import Testing
import WizardCore
@testable import WizardRuntime

/// The record editor's sending and following against the in-process sandbox over loopback: the
/// runner's `.sendPart` (one request from a row), `.pollLoads` and `.readLoad`, driven by the
/// history panel as the editor drives it.
struct SendingAgainstSandboxTests {
    /// What the stitch-wizard executable gives the runner with `--sandbox`.
    static func runner(directory: String) -> EffectRunner {
        EffectRunner(loadReader: { schema, table, since in
            let found = try DestinationReader.loadReadback(
                schema: schema, table: table,
                since: UTCTimestamp(secondsSinceEpoch: since / 1_000, microseconds: since % 1_000 * 1_000),
                dataDirectory: directory)
            return LoadReadback(id: 0, table: table, rowCount: found.rowCount, rejectedCount: found.rejectedCount,
                                rejected: found.rejected.map { LoadReject(reason: $0.reason, record: $0.record) })
        })
    }

    /// A source and a token made through the runner, and a context for the editor's panels.
    static func setUp(_ runner: EffectRunner, _ target: WizardTarget, name: String, batch: RecordBatch) async throws -> EditorContext {
        guard case .reply(.source(let source)) = await runner.run(.createSource(
            CreateSourceRequest(type: "import_api", displayName: name), via: target)) else { throw SetUpError.failed("source") }
        guard case .reply(.token(let token)) = await runner.run(.createToken(sourceID: source.id, via: target)) else {
            throw SetUpError.failed("token")
        }
        var session = WizardSession(target: target, token: token, size: Size(columns: 100, rows: 30))
        session.source = source
        return EditorContext(document: EditorDocument(batch: batch), session: session, size: session.size)
    }

    static func rows(_ count: Int, table: String, id: (Int) -> String = { "\($0)" }) -> RecordBatch {
        let text = (0..<count).map { "{\"id\":\(id($0)),\"name\":\"n\($0)\"}" }.joined(separator: "\n")
        var batch = RecordFileLoader.load(bytes: Array(text.utf8), name: "\(table).jsonl").batch
        batch.tableName = table
        return batch
    }

    /// Runs the commands' effects (waiting out `.after` delays) and feeds each reply to the panel,
    /// until `done` holds, nothing is left, or `timeout` passes.
    static func drive(_ panel: inout HistoryPanel, _ context: inout EditorContext, _ commands: [EditorCommand],
                      _ runner: EffectRunner, timeout: Duration = .seconds(30),
                      until done: (HistoryPanel) -> Bool) async {
        var pending = commands.compactMap { if case .wizard(.run(let effect)) = $0 { effect } else { nil } }
        let deadline = ContinuousClock.now + timeout
        while !pending.isEmpty, !done(panel), ContinuousClock.now < deadline {
            guard case .reply(let reply)? = await runner.run(pending.removeFirst()) else { continue }
            pending += panel.receive(reply, &context).compactMap { if case .wizard(.run(let effect)) = $0 { effect } else { nil } }
        }
    }

    static func isSettled(_ panel: HistoryPanel) -> Bool {
        !panel.isSending && !panel.entries.isEmpty && panel.entries.allSatisfy { !$0.load.isWaiting }
            && panel.entries.allSatisfy { entry in
                if case .loaded = entry.load { return entry.readback != nil }
                if case .loadError = entry.load { return entry.readback != nil }
                return true
            }
    }

    @Test func fortyFiveThousandRowsGoInThreeRequestsAndEveryRowLoadsOnce() async throws {
        try await withInProcessSandbox("send-45k") { sandbox, target, directory in
            let runner = Self.runner(directory: directory)
            var context = try await Self.setUp(runner, target, name: "Send Many", batch: Self.rows(45_000, table: "events"))
            var panel = HistoryPanel()
            let started = panel.send(&context)
            await Self.drive(&panel, &context, started, runner, timeout: .seconds(60), until: Self.isSettled)
            #expect(panel.entries.map(\.part.rows) == [0..<20_000, 20_000..<40_000, 40_000..<45_000])
            #expect(panel.entries.map(\.part.statusCode) == [201, 201, 201])
            #expect(panel.statusText == "sent 45,000 records in 3 batches")
            for entry in panel.entries {
                guard case .loaded = entry.load else { Issue.record("batch \(entry.number): \(entry.load)"); continue }
            }
            // Every row once, none rejected.
            #expect(panel.entries.last?.readback?.rowCount == 45_000)
            #expect(panel.entries.allSatisfy { $0.readback?.rejectedCount == 0 })
            let rows = try DestinationReader.loadReadback(schema: "send_many", table: "events", since: UTCTimestamp(secondsSinceEpoch: 0),
                                                          dataDirectory: directory)
            #expect(rows.rowCount == 45_000)
            _ = sandbox
        }
    }

    @Test func aPartIsMadeFromItsRowAndItsReplyCarriesWhatWasSent() async throws {
        try await withInProcessSandbox("send-part") { _, target, directory in
            let runner = Self.runner(directory: directory)
            let context = try await Self.setUp(runner, target, name: "Send Part", batch: Self.rows(5, table: "things"))
            let token = try #require(context.session.token)
            guard case .reply(.partSent(let part)) = await runner.run(.sendPart(
                id: 7, context.document.batch, fromRow: 3, sequenceBase: 1_000, token: token, importBaseURL: target.importBaseURL))
            else { Issue.record("a part"); return }
            #expect(part.id == 7 && part.rows == 3..<5 && part.statusCode == 201)
            #expect(part.replyStatus.status == "OK")
            #expect(part.url == target.importBaseURL + "/v2/import/batch")
            #expect(part.previewIsWhole && part.requestPreview.contains("\"sequence\":1003"))
            let request = try BatchRequest(json: JSONParser.parse(part.requestPreview))
            #expect(request.messages.map(\.sequence) == [1_003, 1_004])
            #expect(part.sentAt > 1_600_000_000_000 && part.failure == nil)
            #expect(!part.requestPreview.contains(token.accessToken) && !part.body.contains(token.accessToken))
            // A bad token: the 401 comes back as a part too, with its body.
            guard case .reply(.partSent(let refused)) = await runner.run(.sendPart(
                id: 8, context.document.batch, fromRow: 0, sequenceBase: nil,
                token: ImportAccessToken(id: 1, accessToken: "at_not_a_real_token"), importBaseURL: target.importBaseURL))
            else { Issue.record("a part"); return }
            #expect(refused.statusCode == 401 && refused.rows == 0..<5 && !refused.isAccepted)
            // Nobody listening: no reply, a failure.
            guard case .reply(.partSent(let lost)) = await runner.run(.sendPart(
                id: 9, context.document.batch, fromRow: 0, sequenceBase: nil, token: token, importBaseURL: "http://127.0.0.1:9"))
            else { Issue.record("a part"); return }
            #expect(lost.statusCode == nil && lost.failure != nil)
        }
    }

    @Test func aRevokedTokenMidRunStopsTheRun() async throws {
        try await withInProcessSandbox("send-401") { _, target, directory in
            let runner = Self.runner(directory: directory)
            var context = try await Self.setUp(runner, target, name: "Send Revoked", batch: Self.rows(25_000, table: "events"))
            var panel = HistoryPanel()
            let started = panel.send(&context)
            // Run the first request, then revoke the token before the second leaves.
            guard case .reply(let first)? = await runner.run(started.compactMap {
                if case .wizard(.run(let effect)) = $0 { effect } else { nil }
            }[0]) else { Issue.record("a reply"); return }
            let next = panel.receive(first, &context)
            let token = try #require(context.session.token)
            let source = try #require(context.session.source)
            _ = await runner.run(.revokeToken(sourceID: source.id, tokenID: token.id, via: target))
            await Self.drive(&panel, &context, next.filter {
                if case .wizard(.run(.sendPart)) = $0 { true } else { false }
            }, runner, until: { !$0.isSending })
            #expect(panel.entries.map(\.part.statusCode) == [201, 401])
            #expect(panel.lastWasUnauthorized)
            #expect(panel.statusText == "sent 20,000 of 25,000 records in 1 batch; stopped: batch 2 was refused (HTTP 401)")
        }
    }

    @Test func loadTimeRejectsAreShownAsRejectedWithTheirReason() async throws {
        try await withInProcessSandbox("send-reject") { _, target, directory in
            let runner = Self.runner(directory: directory)
            // SQLite refuses tables named sqlite_…: the accepted records go to _sdc_rejected.
            var context = try await Self.setUp(runner, target, name: "Send Reject", batch: Self.rows(2, table: "sqlite_things"))
            var panel = HistoryPanel()
            let started = panel.send(&context)
            await Self.drive(&panel, &context, started, runner, until: Self.isSettled)
            let entry = try #require(panel.entries.first)
            #expect(entry.part.statusCode == 201)
            guard case .loadError(let message, _) = entry.load else { Issue.record("\(entry.load)"); return }
            #expect(message.contains("_sdc_rejected"))
            let readback = try #require(entry.readback)
            #expect(readback.rejectedCount == 2 && readback.rowCount == nil)
            #expect(readback.rejected.map(\.record) == [#"{"id":0,"name":"n0"}"#, #"{"id":1,"name":"n1"}"#])
            #expect(readback.rejected.allSatisfy { $0.reason.contains("sqlite_") })
        }
    }

    @Test func theLoadsEndpointIsPolledUntilTheBatchLoaded() async throws {
        try await withInProcessSandbox("send-follow") { _, target, directory in
            let runner = Self.runner(directory: directory)
            var context = try await Self.setUp(runner, target, name: "Send Follow", batch: Self.rows(3, table: "Customers"))
            var panel = HistoryPanel()
            let started = panel.send(&context)
            let clock = ContinuousClock()
            let begin = clock.now
            await Self.drive(&panel, &context, started, runner, until: Self.isSettled)
            #expect(clock.now - begin < .seconds(10), "the sandbox is polled every 0.5 s or so")
            let entry = try #require(panel.entries.first)
            guard case .loaded(let at, _) = entry.load else { Issue.record("\(entry.load)"); return }
            #expect(LoadPolling.isLoaded(at, sentAt: entry.part.sentAt))
            #expect(entry.readback?.rowCount == 3 && entry.readback?.rejectedCount == 0)
        }
    }
}

enum SetUpError: Error { case failed(String) }
