import TerminalUI
import WizardCore

/// The record editor's history panel: one row per request sent (time, table, records, HTTP status,
/// the Batch Status body or error, latency, load state), or one request's detail (request and body
/// preview, full reply, load, copy as curl). A pure function of the panel and the session.
public enum HistoryView {
    public static func render(_ panel: HistoryPanel, session: WizardSession, into frame: inout Frame, in area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        if let index = panel.detail, panel.entries.indices.contains(index) {
            renderDetail(panel.entries[index], scroll: panel.detailScroll, session: session, into: &frame, in: area)
        } else {
            renderList(panel, session: session, into: &frame, in: area)
        }
    }

    // MARK: The list

    static func renderList(_ panel: HistoryPanel, session: WizardSession, into frame: inout Frame, in area: Rect) {
        var row = area.y
        guard !panel.entries.isEmpty else {
            Paragraph.put("No batches sent yet. Ctrl-S sends the batch; each request shows here with its reply, and then "
                          + "whether it loaded.", into: &frame, row: row, column: area.x, width: area.width,
                          maxRows: area.height, style: .muted)
            return
        }
        let title = "History · " + panel.totals
        frame.put(DisplayWidth.truncate(title, toWidth: area.width), row: row, column: area.x, style: .accent)
        row += 1
        let columns = Columns(width: area.width)
        frame.put(columns.line(["#", "time UTC", "table", "records", "HTTP", "reply", "latency", "load"]),
                  row: row, column: area.x, style: .title)
        row += 1
        // The footer: what following means here.
        let footerRows = 1 + (panel.followProblem == nil ? 0 : 1)
        let visible = max(0, area.y + area.height - row - footerRows)
        let first = max(0, min(panel.selection - visible + 1, panel.entries.count - visible))
        for index in panel.entries.indices.dropFirst(first).prefix(visible) {
            let entry = panel.entries[index]
            let cells = [
                "\(entry.number)", HistoryText.time(entry.part.sentAt), entry.part.tableName, Count.grouped(entry.part.recordCount),
                entry.part.statusCode.map(String.init) ?? "—", HistoryText.reply(entry.part), "\(HistoryText.milliseconds(entry.part.latency)) ms",
                HistoryText.load(entry),
            ]
            let selected = index == panel.selection
            frame.put(columns.line(cells), row: row, column: area.x, style: selected ? .selected : style(of: entry))
            row += 1
        }
        row = area.y + area.height - footerRows
        if let problem = panel.followProblem {
            frame.put(DisplayWidth.truncate("✗ " + problem, toWidth: area.width), row: row, column: area.x, style: .error)
            row += 1
        }
        let note = session.target.isSandbox
            ? "Loads are followed through GET /v4/{client_id}/loads and the sandbox's destination."
            : "Loads take minutes on Stitch: GET /v4/{client_id}/loads is polled every 30 s or more."
        frame.put(DisplayWidth.truncate(note, toWidth: area.width), row: row, column: area.x, style: .muted)
    }

    /// The list's columns: fixed ones, then the reply and the load share what is left.
    struct Columns {
        var widths: [Int]

        init(width: Int) {
            let fixed = [3, 8, 10, 7, 4, 0, 7, 0]
            let spaces = fixed.count - 1
            let rest = max(0, width - fixed.reduce(0, +) - spaces)
            var widths = fixed
            // The load gets room for "accepted · waiting for load 0:12" first: it is what changes.
            widths[5] = max(min(8, rest), min(rest / 2, rest - 33))
            widths[7] = rest - widths[5]
            self.widths = widths
        }

        /// Right-aligned numbers (records, latency), the rest left-aligned; each cut to its width.
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                let text = DisplayWidth.truncate(pair.0, toWidth: pair.1)
                let padding = String(repeating: " ", count: max(0, pair.1 - DisplayWidth.of(text)))
                return [3, 6].contains(index) ? padding + text : text + padding
            }.joined(separator: " ")
        }
    }

    static func style(of entry: HistoryEntry) -> Style { style(HistoryText.kind(of: entry)) }

    static func style(_ kind: HistoryDetail.Kind) -> Style {
        switch kind {
        case .heading: .accent
        case .section: .title
        case .plain: .plain
        case .muted: .muted
        case .success: .success
        case .error: .error
        case .warning: .warning
        case .command: .input
        }
    }

    // MARK: The detail

    static func renderDetail(_ entry: HistoryEntry, scroll: Int, session: WizardSession, into frame: inout Frame, in area: Rect) {
        let lines = HistoryDetail.lines(entry, isSandbox: session.target.isSandbox, width: area.width)
        let first = max(0, min(scroll, lines.count - area.height))
        for (offset, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
            frame.put(line.text, row: area.y + offset, column: area.x, style: style(line.kind), maxWidth: area.width)
        }
        if first + area.height < lines.count {
            let more = "↓ \(lines.count - first - area.height) more"
            frame.put(more, row: area.y + area.height - 1, column: area.x + area.width - DisplayWidth.of(more), style: .muted)
        }
    }

    // MARK: The progress line

    /// The progress bar of a running send, or the last send's summary, in one row:
    /// "[#####...............] 20,000 / 45,000 records · 1 batch · 9,500 records/s · ETA 0:03".
    public static func renderProgress(_ panel: HistoryPanel, into frame: inout Frame, row: Int, column: Int, width: Int) {
        guard width > 0 else { return }
        if let progress = panel.sender.progress {
            let bar = 20
            let filled = min(bar, Int(progress.fraction * Double(bar)))
            let text = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: bar - filled) + "] "
                + progress.text
            frame.put(DisplayWidth.truncate(text, toWidth: width), row: row, column: column,
                      style: progress.isStopping ? .warning : .accent)
        } else if let text = panel.statusText {
            let ended = panel.sender.lastSummary?.ending
            let style: Style = panel.message != nil ? .error : ended == .finished ? .success : ended == nil ? .muted : .warning
            frame.put(DisplayWidth.truncate(text, toWidth: width), row: row, column: column, style: style)
        }
    }
}
