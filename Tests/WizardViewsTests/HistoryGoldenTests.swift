import RecordBatch
import StitchAPI
import TerminalUI
import Testing
import WizardCore
@testable import WizardViews

/// Goldens of the record editor's history panel: the list (accepted and waiting, loaded with
/// rejects, refused), a request's detail with copy as curl, and the progress line mid-send and
/// after a stop. Built through the panel's own actions and replies, as the editor drives it.
struct HistoryGoldenTests {
    static let size = Size(columns: 100, rows: 24)
    static let start: Int64 = 1_700_000_000_000 // 2023-11-14T22:13:20Z

    static func rows(_ count: Int, table: String = "events") -> RecordBatch {
        let text = (0..<count).map { "{\"id\":\($0),\"name\":\"n\($0)\"}" }.joined(separator: "\n")
        var batch = RecordFileLoader.load(bytes: Array(text.utf8), name: "\(table).jsonl").batch
        batch.tableName = table
        return batch
    }

    static func context(_ batch: RecordBatch, target: WizardTarget = Scenarios.sandbox) -> EditorContext {
        var session = WizardSession(target: target, token: Scenarios.token, size: size)
        session.source = Scenarios.source
        return EditorContext(document: EditorDocument(batch: batch), session: session, size: size)
    }

    /// The runner's reply to the `.sendPart` among `commands`, made with the same splitter.
    static func reply(to commands: [EditorCommand], status: Int?, body: String, at sentAt: Int64,
                      latency: Duration = .milliseconds(38)) throws -> WizardReply {
        let effect = commands.compactMap { command -> WizardEffect? in
            if case .wizard(.run(let effect)) = command, case .sendPart = effect { return effect }
            return nil
        }.first
        guard case .sendPart(let id, let batch, let row, let base, _, let url)? = effect else { throw GoldenError.noSend }
        var splitter = BatchSplitter(batch, startingAt: row, now: base ?? sentAt)
        guard let part = try splitter.next() else { throw GoldenError.noSend }
        return .partSent(SentPart(id: id, rows: part.rows, tableName: batch.tableName, url: url + "/v2/import/batch",
                                  requestBytes: part.batch.body.count,
                                  requestPreview: String(decoding: part.batch.body.prefix(SentPart.previewBytes), as: UTF8.self),
                                  statusCode: status, body: body, latency: latency, sentAt: sentAt,
                                  sequenceBase: base ?? sentAt, failure: status == nil ? body : nil))
    }

    static let accepted = #"{"status":"OK","message":"Batch Accepted!"}"#
    static let refused = #"{"status":"ERROR","message":"Not Authorized"}"#

    /// Three sends: one loaded with a reject, one waiting for its load, one refused (401).
    static func history(target: WizardTarget = Scenarios.sandbox) throws -> (HistoryPanel, EditorContext) {
        var panel = HistoryPanel()
        var context = context(rows(2), target: target)
        _ = panel.receive(try reply(to: panel.send(&context), status: 201, body: accepted, at: start), &context)
        let loadedAt = "2023-11-14T22:13:22Z"
        _ = panel.receive(.loads([StreamLoad(stitchClientID: 116078, sourceName: "import_api", streamName: "events",
                                             lastBatchLoadedAt: loadedAt)], polledAt: start + 2_400), &context)
        _ = panel.receive(.loadRead(LoadReadback(id: panel.entries[0].part.id, table: "events", rowCount: 1, rejectedCount: 1,
                                                 rejected: [LoadReject(reason: "integer 9223372036854775808 is out of range",
                                                                       record: #"{"id":1,"name":"n1"}"#)])), &context)
        context.document.batch = rows(3, table: "orders")
        _ = panel.receive(try reply(to: panel.send(&context), status: 201, body: accepted, at: start + 65_000), &context)
        _ = panel.receive(.loads([], polledAt: start + 77_000), &context)
        _ = panel.receive(try reply(to: panel.send(&context), status: 401, body: refused, at: start + 80_000), &context)
        return (panel, context)
    }

    static func frame(_ panel: HistoryPanel, _ context: EditorContext) -> Frame {
        var frame = Frame(size: size)
        HistoryView.render(panel, session: context.session, into: &frame,
                           in: Rect(x: 1, y: 1, width: size.columns - 2, height: size.rows - 3))
        HistoryView.renderProgress(panel, into: &frame, row: size.rows - 1, column: 1, width: size.columns - 2)
        return frame
    }

    @Test func theListShowsEachBatchAndItsLoad() throws {
        let (panel, context) = try Self.history()
        let frame = Self.frame(panel, context)
        Golden.assert(frame, named: "history-list")
        #expect(frame.text.contains("loaded after 0:02 · 1 rejected"))
        #expect(frame.text.contains("accepted · waiting for load 0:12"))
        #expect(!frame.text.contains(Scenarios.token.accessToken))
    }

    @Test func realStitchSaysLoadsTakeMinutes() throws {
        let (panel, context) = try Self.history(target: Scenarios.remote)
        var selected = panel
        var copy = context
        _ = selected.perform(.up, &copy)
        _ = selected.perform(.open, &copy)
        let frame = Self.frame(selected, copy)
        Golden.assert(frame, named: "history-detail-waiting-remote")
        #expect(frame.text.contains("Loads take minutes on Stitch"))
    }

    @Test func theDetailShowsRequestReplyLoadAndCopyAsCurl() throws {
        var (panel, context) = try Self.history()
        _ = panel.perform(.top, &context)
        _ = panel.perform(.open, &context)
        let frame = Self.frame(panel, context)
        Golden.assert(frame, named: "history-detail")
        #expect(frame.text.contains("POST http://127.0.0.1:8787/v2/import/batch"))
        #expect(!frame.text.contains(Scenarios.token.accessToken), "the token never appears")
        // Scrolled to the end: the curl command and the rejected record.
        for _ in 0..<30 { _ = panel.perform(.down, &context) }
        let end = Self.frame(panel, context)
        Golden.assert(end, named: "history-detail-curl")
        #expect(end.text.contains("curl -sS -X POST"))
        #expect(end.text.contains("$STITCH_IMPORT_TOKEN"))
        #expect(end.text.contains("rejected: integer 9223372036854775808 is out of range"))
        #expect(!end.text.contains(Scenarios.token.accessToken))
    }

    @Test func progressMidSendAndAfterAStop() throws {
        var panel = HistoryPanel()
        var context = Self.context(Self.rows(45_000))
        let first = panel.send(&context)
        let second = panel.receive(try Self.reply(to: first, status: 201, body: Self.accepted, at: Self.start,
                                                  latency: .milliseconds(2_100)), &context)
        let midSend = Self.frame(panel, context)
        Golden.assert(midSend, named: "history-progress")
        #expect(midSend.text.contains("20,000 / 45,000 records · 1 batch"))
        _ = panel.perform(.stop, &context)
        _ = panel.receive(try Self.reply(to: second, status: 201, body: Self.accepted, at: Self.start + 2_100,
                                         latency: .milliseconds(2_000)), &context)
        let stopped = Self.frame(panel, context)
        Golden.assert(stopped, named: "history-stopped")
        #expect(stopped.text.contains("sent 40,000 of 45,000 records in 2 batches; stopped"))
    }
}

enum GoldenError: Error { case noSend }
