import StitchAPI
import TerminalUI
import WizardCore

/// The record editor: where batches go, the grid (or the raw JSON view) in a box, below it the
/// problems (or the last reply), and a status line; every part in its `EditorLayout` rect, the
/// geometry the panels scroll with.
extension EditorScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        if focus == .destination {
            DestinationPanelView.render(destination, into: &frame, in: area)
            return
        }
        let session = context.session
        let layout = EditorLayout(size: frame.size)
        frame.put(Self.subtitle(session, width: layout.subtitle.width), row: layout.subtitle.y, column: layout.subtitle.x,
                  style: .accent)
        if focus == .raw {
            RawView.render(raw, document: document, into: &frame, in: layout.main)
        } else if focus == .schema {
            frame.box(layout.main, title: "schema", style: .muted)
            SchemaPanelView.render(schema, document: document, into: &frame, in: layout.mainContent)
        } else if focus == .history {
            frame.box(layout.main, title: "history", style: .muted)
            HistoryView.render(history, session: session, into: &frame, in: layout.mainContent)
        } else {
            GridView.render(grid, document: document, focused: focus == .grid, into: &frame, in: layout.main)
        }
        if focus == .raw {
            renderRawHelp(into: &frame, in: layout.strip)
        } else if ProblemsPanel.count(document) > 0 {
            ProblemsView.render(problemList, document: document, focused: focus == .problems, isChecking: isChecking,
                                into: &frame, in: layout.strip)
        } else {
            renderReplies(session, into: &frame, in: layout.strip)
        }
        let (status, style) = statusLine(focus: focus)
        // A file prompt has the status line; what the last load or save did shows when nothing else does.
        if files.isModal || (status.isEmpty && files.message != nil) {
            FilesPanelView.render(files, into: &frame, in: layout.status)
            return
        }
        frame.put(DisplayWidth.truncate(status, toWidth: layout.status.width), row: layout.status.y, column: layout.status.x,
                  style: style)
    }

    /// The one line above the help bar: what needs saying most, first.
    func statusLine(focus: EditorFocus) -> (String, Style) {
        if focus == .grid, let error = grid.editing?.error { return ("✗ " + error, .error) }
        if let notice { return ("✗ " + notice, .error) }
        // The raw view's error is under it, whole.
        if focus == .raw { return raw.isLoading ? ("⋯ Making the raw JSON…", .muted) : ("", .plain) }
        if let message = grid.message, focus == .grid { return (message, .plain) }
        if focus == .grid, grid.editing == nil, grid.cursorRow < document.batch.rowCount,
           let problem = document.problem(row: grid.cursorRow, column: grid.cursorColumn) {
            return ("✗ " + ProblemsPanel.Entry.batch(problem).text(in: document.batch), .error)
        }
        if let status = history.statusText { return (status, history.isSending ? .accent : .plain) }
        if isChecking { return ("⋯ Checking \(document.batch.rowCount) rows…", .muted) }
        return ("", .plain)
    }

    /// Under the raw view: why its text did not read back (whole), or what the keys do with it.
    func renderRawHelp(into frame: inout Frame, in area: Rect) {
        guard area.height > 0 else { return }
        if let error = raw.error {
            let placed = error.line > 0 ? "The cursor is on the spot. " : ""
            Paragraph.put("✗ Not read back: " + error.description + ". " + placed + "Fix it and press Ctrl-R again, or Esc to leave the grid as it was.",
                          into: &frame, row: area.y, column: area.x, width: area.width, maxRows: area.height, style: .error)
        } else {
            Paragraph.put("The batch as its request body. Ctrl-R reads the text back into the grid (unset sequences are then "
                          + "kept as shown); Esc leaves the grid as it was.",
                          into: &frame, row: area.y, column: area.x, width: area.width, maxRows: area.height, style: .muted)
        }
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

    /// The last reply (status, latency, body), or what to do when nothing was sent yet.
    func renderReplies(_ state: WizardSession, into frame: inout Frame, in area: Rect) {
        guard area.height > 0 else { return }
        var row = area.y
        guard let last = history.entries.last else {
            Paragraph.put("Edit the cells (enter), then press Ctrl-S to send the batch. Each reply shows here with its status and latency.",
                          into: &frame, row: row, column: area.x, width: area.width, maxRows: area.height, style: .muted)
            return
        }
        let part = last.part
        let accepted = history.entries.filter(\.part.isAccepted).count
        let summary = "Batch \(last.number) · " + Self.statusText(part.statusCode) + " · \(Self.milliseconds(part.latency)) ms"
            + " · \(part.tableName), \(part.recordCount) record\(part.recordCount == 1 ? "" : "s")"
        frame.put(DisplayWidth.truncate(summary, toWidth: area.width), row: row, column: area.x,
                  style: part.isAccepted ? .success : .error)
        row += 1
        // After a 401 the row above the footer says what to do: the help bar may be too short for ctrl-t.
        let bodyEnd = area.y + area.height - (offersNewToken ? 2 : 1)
        if row < bodyEnd {
            for line in ReplyText.lines(of: part.failure ?? part.body) {
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
        let count = "\(accepted) of \(history.entries.count) batch\(history.entries.count == 1 ? "" : "es") accepted"
        let notes = state.target.isSandbox
            ? [" · ctrl-d shows loaded rows", ""]
            : [" · data appears in the destination after Stitch loads it (minutes)",
               " · Stitch loads it into the destination within minutes", ""]
        let footer = notes.map { count + $0 }.first { DisplayWidth.of($0) <= area.width }
            ?? DisplayWidth.truncate(count, toWidth: area.width)
        frame.put(footer, row: area.y + area.height - 1, column: area.x, style: .muted)
    }

    static func statusText(_ statusCode: Int?) -> String {
        guard let code = statusCode else { return "no reply" }
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
