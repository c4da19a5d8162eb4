import RecordBatch
import StitchAPI
import TerminalUI
@testable import WizardCore

/// Replies to the record editor's requests, made as the runner makes them.
enum Editing {
    static let accepted = #"{"status":"OK","message":"Batch Accepted!"}"#

    /// The `.sendPart` among `effects`.
    static func sendPart(in effects: [WizardEffect]) -> WizardEffect? {
        effects.first { if case .sendPart = $0 { true } else { false } }
    }

    /// The runner's answer to the `.sendPart` among `effects`: the rows the runner's splitter puts in
    /// the request, with `status` (nil: no reply, `body` is then why).
    static func reply(to effects: [WizardEffect], status: Int?, body: String = accepted,
                      latency: Duration = .milliseconds(12), sentAt: Int64 = 1_700_000_000_000) throws -> WizardEvent {
        guard case .sendPart(let id, let batch, let row, let base, _, let url)? = sendPart(in: effects) else {
            throw EditingError.noSend("\(effects)")
        }
        var splitter = BatchSplitter(batch, startingAt: row, now: base ?? sentAt)
        guard let part = try splitter.next() else { throw EditingError.noSend("no rows from \(row)") }
        return .reply(.partSent(SentPart(id: id, rows: part.rows, tableName: batch.tableName, url: url + "/v2/import/batch",
                                         requestBytes: part.batch.body.count, requestPreview: "", statusCode: status,
                                         body: body, latency: latency, sentAt: sentAt, sequenceBase: base ?? sentAt,
                                         failure: status == nil ? body : nil)))
    }

    /// The editor's state after `events`, on the editor.
    static func editor(_ state: WizardState) throws -> EditorScreen {
        guard let screen = state.on(EditorScreen.self) else { throw EditingError.notOnTheEditor("\(type(of: state.screen))") }
        return screen
    }

    enum EditingError: Error {
        case noSend(String)
        case notOnTheEditor(String)
    }
}
