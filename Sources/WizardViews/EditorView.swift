import StitchAPI
import TerminalUI
import WizardCore

/// The record editor: the batch as JSON text above, the Import API's replies below.
extension EditorScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        if isShowingDestination {
            DestinationTableView.render(destination, into: &frame, in: area)
            return
        }
        let state = context.session
        let left = area.x + 1
        let width = area.width - 2
        frame.put(Self.subtitle(state, width: width), row: area.y, column: left, style: .accent)
        let editorRect = RecordEditor.frame(in: frame.size)
        frame.box(editorRect, title: "batch JSON", style: .muted)
        editor.text.render(into: &frame, at: RecordEditor.textRect(in: frame.size), focused: !editor.isSending)
        renderReplies(state, into: &frame, in: Rect(x: left, y: editorRect.y + editorRect.height, width: width,
                                                    height: RecordEditor.replyRows))
    }

    /// Where batches go and into which schema, shortened on purpose: the path, then the words,
    /// go before the host and the schema are cut.
    static func subtitle(_ state: WizardSession, width: Int) -> String {
        let schema = state.source?.name ?? "?"
        let host = Chrome.hostOf(state.target.importBaseURL)
        let candidates = [
            "Test batch → \(host)/v2/import/batch · schema \(schema)",
            "Test batch → \(host) · schema \(schema)",
            "→ \(host) · schema \(schema)",
            "→ \(host) · \(schema)",
        ]
        return candidates.first { DisplayWidth.of($0) <= width }
            ?? DisplayWidth.truncate(candidates[candidates.count - 1], toWidth: width)
    }

    func renderReplies(_ state: WizardSession, into frame: inout Frame, in area: Rect) {
        var row = area.y
        if let problem = editor.problem {
            row += Paragraph.put("✗ Not sent: " + problem, into: &frame, row: row, column: area.x, width: area.width,
                                 maxRows: 2, style: .error)
        }
        if editor.isSending {
            frame.put("⋯ Sending…", row: row, column: area.x, style: .accent)
            row += 1
        }
        guard let last = editor.history.last else {
            if editor.problem == nil && !editor.isSending {
                Paragraph.put("Edit the batch, then press Ctrl-S to send it. Each reply shows here with its status and latency.",
                              into: &frame, row: row, column: area.x, width: area.width, maxRows: 2, style: .muted)
            }
            return
        }
        let accepted = editor.history.filter(\.isAccepted).count
        let summary = "Batch \(editor.history.count) · " + Self.statusText(last) + " · \(Self.milliseconds(last.latency)) ms"
            + " · \(last.tableName), \(last.recordCount) record\(last.recordCount == 1 ? "" : "s")"
        frame.put(DisplayWidth.truncate(summary, toWidth: area.width), row: row, column: area.x,
                  style: last.isAccepted ? .success : .error)
        row += 1
        // After a 401 the row above the footer says what to do: the help bar may be too short for ctrl-t.
        let bodyEnd = area.y + area.height - (offersNewToken ? 2 : 1)
        if row < bodyEnd {
            for line in ReplyText.lines(of: last.body) {
                guard row < bodyEnd else { break }
                row += Paragraph.put(line, into: &frame, row: row, column: area.x + 2, width: area.width - 2,
                                     maxRows: bodyEnd - row, style: .plain)
            }
        }
        if offersNewToken {
            let hint = ["The Import API refused the token: press Ctrl-T to generate a new one.", "Token refused: Ctrl-T for a new one."]
            frame.put(hint.first { DisplayWidth.of($0) <= area.width } ?? DisplayWidth.truncate(hint[1], toWidth: area.width),
                      row: bodyEnd, column: area.x, style: .warning)
        }
        let count = "\(accepted) of \(editor.history.count) batches accepted"
        let notes = state.target.isSandbox
            ? [destination.isLoading ? " · loading…" : " · ctrl-d shows loaded rows", ""]
            : [" · data appears in the destination after Stitch loads it (minutes)",
               " · Stitch loads it into the destination within minutes", ""]
        let footer = notes.map { count + $0 }.first { DisplayWidth.of($0) <= area.width }
            ?? DisplayWidth.truncate(count, toWidth: area.width)
        frame.put(footer, row: area.y + area.height - 1, column: area.x, style: .muted)
    }

    static func statusText(_ outcome: BatchOutcome) -> String {
        guard let code = outcome.statusCode else { return "no reply" }
        let reason: String = switch code {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable"
        case 503: "Unavailable"
        default: ""
        }
        return reason.isEmpty ? "\(code)" : "\(code) \(reason)"
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
