import RecordBatch
import StitchAPI
import TerminalUI
import Testing
import WizardCore

/// `HistoryPanel`: sending through it, each reply an entry, resend, the detail with copy as curl,
/// and every accepted batch followed through `GET /v4/{client_id}/loads` to loaded or load error.
struct HistoryPanelTests {
    /// One send of `batch` answered `status`; the panel and its context after it.
    func sent(_ batch: RecordBatch = Sending.rows(3), status: Int = 201, sentAt: Int64 = 1_700_000_000_000,
              target: WizardTarget = Fixtures.sandboxTarget) throws -> (HistoryPanel, EditorContext, [EditorCommand]) {
        var panel = HistoryPanel()
        var context = Sending.context(batch, target: target)
        let started = panel.send(&context)
        let reply = try Sending.answer(Sending.sendPart(started), status: status, sentAt: sentAt)
        let commands = panel.receive(.partSent(reply), &context)
        return (panel, context, commands)
    }

    @Test func nothingIsSentWhileTheBatchHasProblemsOrThereIsNoToken() {
        var panel = HistoryPanel()
        var context = Sending.context(Sending.rows(3))
        context.document.problems = [BatchProblem(row: 0, column: 0, "#/id: expected type: Integer, found: String")]
        #expect(panel.send(&context).isEmpty)
        #expect(panel.statusText == "Not sent: fix the 1 problem first.")
        var tokenless = Sending.context(Sending.rows(3), token: nil)
        #expect(panel.send(&tokenless).isEmpty)
        #expect(!panel.isSending)
    }

    @Test func anAcceptedBatchWaitsForItsLoadAndIsPolledForIt() throws {
        let (panel, _, commands) = try sent()
        let entry = try #require(panel.entries.first)
        #expect(entry.number == 1 && entry.part.rows == 0..<3 && entry.part.statusCode == 201)
        #expect(entry.load == .waiting(waited: 0))
        #expect(panel.statusText == "sent 3 records in 1 batch")
        #expect(Sending.effects(commands) == [.after(.milliseconds(500), .pollLoads(clientID: 116078, via: Fixtures.sandboxTarget))])
        #expect(commands.contains(.wizard(.note(.batchesSent(accepted: 1, total: 1)))))
    }

    @Test func realStitchIsPolledEveryThirtySecondsAtMost() throws {
        let (_, _, commands) = try sent(target: Fixtures.remoteTarget)
        #expect(Sending.effects(commands) == [.after(.seconds(30), .pollLoads(clientID: 116078, via: Fixtures.remoteTarget))])
        #expect(LoadPolling.delay(afterFruitlessPolls: 5, isSandbox: false) == .seconds(120))
        #expect(LoadPolling.delay(afterFruitlessPolls: 1, isSandbox: true) == .seconds(1))
    }

    @Test func theLoadsEndpointMovesItToLoadedAndTheSandboxIsReadBack() throws {
        var (panel, context, _) = try sent(sentAt: 1_700_000_000_500)
        // An older load of the stream (before the send) is not this batch's.
        var commands = panel.receive(.loads([Sending.load("events", loadedAt: "2023-11-14T22:13:19Z")],
                                            polledAt: 1_700_000_001_000), &context)
        #expect(panel.entries[0].load == .waiting(waited: 500))
        #expect(Sending.effects(commands) == [.after(.seconds(1), .pollLoads(clientID: 116078, via: Fixtures.sandboxTarget))],
                "nothing new: the next poll backs off")
        commands = panel.receive(.loads([Sending.load("other", loadedAt: "2023-11-14T22:13:25Z"),
                                         Sending.load("events", loadedAt: "2023-11-14T22:13:21Z")],
                                        polledAt: 1_700_000_002_000), &context)
        #expect(panel.entries[0].load == .loaded(at: "2023-11-14T22:13:21Z", waited: 1_500))
        let id = panel.entries[0].part.id
        #expect(Sending.effects(commands) == [.readLoad(id: id, schema: "import_api", table: "events",
                                                        sinceMilliseconds: 1_700_000_000_500)],
                "read back, and no more polls: nothing waits")
        let readback = LoadReadback(id: id, table: "events", rowCount: 2, rejectedCount: 1,
                                    rejected: [LoadReject(reason: "integer out of range", record: #"{"id":2}"#)])
        _ = panel.receive(.loadRead(readback), &context)
        #expect(panel.entries[0].readback == readback)
        #expect(panel.totals == "1 batch · 1 accepted · 1 loaded")
    }

    @Test func aStreamInErrorIsALoadError() throws {
        var (panel, context, _) = try sent()
        let commands = panel.receive(.loads([Sending.load("events", loadedAt: nil, error: "3 records of batch 1 rejected into _sdc_rejected: sqlite_ name")],
                                            polledAt: 1_700_000_003_000), &context)
        #expect(panel.entries[0].load == .loadError("3 records of batch 1 rejected into _sdc_rejected: sqlite_ name", waited: 3_000))
        #expect(Sending.effects(commands).count == 1, "the sandbox's destination is read for the rejects")
        #expect(HistoryText.load(panel.entries[0]) == "load error: 3 records of batch 1 rejected into _sdc_rejected: sqlite_ name",
                "before the destination's readback, the stream's own error")
        let id = panel.entries[0].part.id
        let readback = LoadReadback(id: id, table: "events", rowCount: 0, rejectedCount: 3,
                                    rejected: [LoadReject(reason: "table name starts with sqlite_", record: #"{"id":1}"#)])
        _ = panel.receive(.loadRead(readback), &context)
        // Issue 8: records that went to _sdc_rejected are shown as rejected, with their reason.
        #expect(HistoryText.load(panel.entries[0]) == "3 records rejected · table name starts with sqlite_")
    }

    @Test func aLoadsRefusalStopsFollowing() throws {
        var (panel, context, _) = try sent()
        let commands = panel.receive(.failed(.pollLoads, WizardFailure(statusCode: 401, message: "Not authorized")), &context)
        #expect(commands.isEmpty)
        guard case .notFollowed = panel.entries[0].load else { Issue.record("\(panel.entries[0].load)"); return }
        // Other failures are retried, later.
        var (again, againContext, _) = try sent()
        let retry = again.receive(.failed(.pollLoads, WizardFailure(message: "connection refused")), &againContext)
        #expect(Sending.effects(retry) == [.after(.seconds(1), .pollLoads(clientID: 116078, via: Fixtures.sandboxTarget))])
    }

    @Test func aRefusedBatchIsNotFollowed() throws {
        let (panel, _, commands) = try sent(status: 401)
        #expect(panel.entries[0].load == .notAccepted)
        #expect(panel.lastWasUnauthorized)
        #expect(Sending.effects(commands).isEmpty)
    }

    @Test func withoutASourceAnAcceptedBatchIsNotFollowed() throws {
        var panel = HistoryPanel()
        var context = Sending.context(Sending.rows(2), withSource: false)
        let reply = try Sending.answer(Sending.sendPart(panel.send(&context)), status: 201, sentAt: 0)
        #expect(Sending.effects(panel.receive(.partSent(reply), &context)).isEmpty)
        guard case .notFollowed = panel.entries[0].load else { Issue.record("\(panel.entries[0].load)"); return }
    }

    @Test func resendSendsTheSameRowsOfTheBatchAsSent() throws {
        var (panel, context, _) = try sent(Sending.rows(5))
        // An edit after the send does not change what a resend holds.
        context.document.batch = Sending.rows(1)
        let commands = panel.perform(.resend, &context)
        guard case .sendPart(let id, let batch, 0, nil, Fixtures.token, _)? = Sending.sendPart(commands) else {
            Issue.record("\(commands)"); return
        }
        #expect(batch.rowCount == 5)
        #expect(!panel.isSending, "a resend is not a run")
        let reply = try Sending.answer(Sending.sendPart(commands), status: 201, sentAt: 1_700_000_010_000)
        #expect(reply.id == id)
        _ = panel.receive(.partSent(reply), &context)
        #expect(panel.entries.count == 2)
        #expect(panel.entries[1].resendOf == 1)
        #expect(panel.entries[1].part.rows == 0..<5)
        #expect(panel.selection == 1, "the selection follows the newest entry")
    }

    @Test func escStopsTheRunBetweenRequests() throws {
        var panel = HistoryPanel()
        var context = Sending.context(Sending.rows(45_000))
        let first = Sending.sendPart(panel.send(&context))
        #expect(panel.sendingBindings.map(\.help.action) == ["stop sending"])
        _ = panel.perform(.stop, &context)
        #expect(panel.sendingBindings.map(\.help.action) == ["stopping…"])
        let commands = panel.receive(.partSent(try Sending.answer(first, status: 201, sentAt: 0)), &context)
        #expect(Sending.sendPart(commands) == nil)
        #expect(panel.statusText == "sent 20,000 of 45,000 records in 1 batch; stopped")
        #expect(panel.entries.count == 1)
    }

    @Test func enterOpensTheDetailAndEscClosesIt() throws {
        var (panel, roomy, _) = try sent()
        // A short terminal, so the detail scrolls.
        var context = EditorContext(document: roomy.document, session: roomy.session, size: Size(columns: 100, rows: 12))
        #expect(panel.keyBindings(context).map(\.help.key).filter { !$0.isEmpty }.contains("enter"))
        _ = panel.perform(.open, &context)
        #expect(panel.detail == 0)
        _ = panel.perform(.down, &context)
        #expect(panel.detailScroll == 1)
        // It stops where the last line is at the bottom: one Up from there scrolls at once.
        for _ in 0..<100 { _ = panel.perform(.down, &context) }
        // The detail is drawn in the editor's main box (the reply strip shares the screen with it).
        let box = EditorLayout(size: context.size).mainContent
        let lines = HistoryDetail.lines(panel.entries[0], isSandbox: true, width: box.width)
        #expect(box.height > 0 && box.height < lines.count)
        #expect(panel.detailScroll == lines.count - box.height)
        #expect(lines.last?.text.hasPrefix("curl") == true || lines.contains { $0.text.hasPrefix("curl") })
        _ = panel.perform(.up, &context)
        #expect(panel.detailScroll == lines.count - box.height - 1)
        _ = panel.perform(.close, &context)
        #expect(panel.detail == nil)
    }

    @Test func copyAsCurlLeavesTheTokenToTheShell() throws {
        let (panel, _, _) = try sent()
        let part = panel.entries[0].part
        let curl = CurlCommand.text(for: part)
        #expect(curl.hasPrefix("curl -sS -X POST 'http://127.0.0.1:8787/v2/import/batch' -H \"Authorization: Bearer $STITCH_IMPORT_TOKEN\""))
        #expect(curl.hasSuffix("--data-binary '" + part.requestPreview + "'"))
        #expect(!curl.contains(Fixtures.token.accessToken))
        #expect(CurlCommand.quoted("it's") == #"'it'\''s'"#)
        // A body longer than the preview is read from a file.
        var long = part
        long.requestBytes = part.requestPreview.utf8.count + 1
        #expect(CurlCommand.text(for: long).hasSuffix("--data-binary @batch.json"))
    }
}
