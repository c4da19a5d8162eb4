import RecordBatch
import RecordInput
import StitchAPI
import TerminalUI
import WizardCore

/// Batches and replies for the record editor's sending and following tests.
enum Sending {
    /// `count` rows of table `events` (`id`, `name`), key `id`, read as a JSONL file is.
    static func rows(_ count: Int, table: String = "events") -> RecordBatch {
        let text = (0..<count).map { "{\"id\":\($0),\"name\":\"n\($0)\"}" }.joined(separator: "\n")
        var batch = RecordFileLoader.load(bytes: Array(text.utf8), name: "\(table).jsonl", format: .jsonl).batch
        batch.tableName = table
        return batch
    }

    static let source = try! Fixtures.source()

    static func context(_ batch: RecordBatch, target: WizardTarget = Fixtures.sandboxTarget, token: ImportAccessToken? = Fixtures.token,
                        withSource: Bool = true) -> EditorContext {
        var session = WizardSession(target: target, token: token, size: Size(columns: 100, rows: 30))
        if withSource { session.source = source }
        return EditorContext(document: EditorDocument(batch: batch), session: session, size: Size(columns: 100, rows: 30))
    }

    /// The runner's answer to a `.sendPart`, made the way the runner makes it (the same splitter),
    /// with a scripted status, send time and latency.
    static func answer(_ effect: WizardEffect?, status: Int?, sentAt: Int64, latency: Duration = .milliseconds(250),
                       body: String? = nil) throws -> SentPart {
        guard case .sendPart(let id, let batch, let row, let base, _, let importBaseURL)? = effect else {
            throw SendingError.notASend("\(String(describing: effect))")
        }
        var splitter = BatchSplitter(batch, startingAt: row, now: base ?? sentAt)
        guard let part = try splitter.next() else { throw SendingError.notASend("no rows from \(row)") }
        let text = body ?? (status.map { (200..<300).contains($0) }  == true
            ? #"{"status":"OK","message":"Batch Accepted!"}"#
            : #"{"status":"ERROR","error":"Not Authorized."}"#)
        return SentPart(id: id, rows: part.rows, tableName: batch.tableName, url: importBaseURL + "/v2/import/batch",
                        requestBytes: part.batch.body.count,
                        requestPreview: String(decoding: part.batch.body.prefix(SentPart.previewBytes), as: UTF8.self),
                        statusCode: status, body: status == nil ? "connection refused" : text, latency: latency,
                        sentAt: sentAt, sequenceBase: base ?? sentAt, failure: status == nil ? "connection refused" : nil)
    }

    /// The effects a panel's commands run.
    static func effects(_ commands: [EditorCommand]) -> [WizardEffect] {
        commands.compactMap { if case .wizard(.run(let effect)) = $0 { effect } else { nil } }
    }

    static func sendPart(_ commands: [EditorCommand]) -> WizardEffect? {
        effects(commands).first { if case .sendPart = $0 { true } else { false } }
    }

    static func load(_ stream: String, loadedAt: String?, error: String? = nil) -> StreamLoad {
        StreamLoad(stitchClientID: source.stitchClientID, sourceName: source.name, streamName: stream,
                   lastBatchLoadedAt: loadedAt,
                   errorState: error.map { ["notification_data": ["message": .string($0)]] })
    }
}

enum SendingError: Error { case notASend(String) }
