import TerminalUI
import WizardCore

/// Rows the sandbox loaded, as a table: what Stitch would show in the destination.
enum DestinationTableView {
    static func render(_ view: DestinationView, into frame: inout Frame, in area: Rect) {
        let left = area.x + 1
        let width = area.width - 2
        guard let snapshot = view.snapshot else {
            let text = view.error.map { "✗ " + $0 } ?? (view.isLoading ? "⋯ Reading the destination…" : "No rows yet.")
            Paragraph.put(text, into: &frame, row: area.y + 1, column: left, width: width,
                          style: view.error == nil ? .muted : .error)
            return
        }
        if let error = view.error {
            frame.put(DisplayWidth.truncate("✗ " + error, toWidth: width), row: area.y + 1, column: left, style: .error)
        }
        let first = min(view.firstColumn, max(0, snapshot.columns.count - 1))
        let widths = columnWidths(snapshot, from: first, available: width)
        let hiddenRight = snapshot.columns.count - first - widths.count
        let hints = (first > 0 ? ["← \(first)"] : []) + (hiddenRight > 0 ? ["\(hiddenRight) →"] : [])
        // The title and the hidden-columns note share the row: both shorten on purpose, never overlap.
        let rows = "\(snapshot.rows.count) row\(snapshot.rows.count == 1 ? "" : "s")" + (view.isLoading ? " · refreshing…" : "")
        let titles = ["Destination \(snapshot.schema).\(snapshot.table) · \(rows)", "\(snapshot.schema).\(snapshot.table) · \(rows)"]
        let notes = hints.isEmpty ? [""] : ["hidden columns: " + hints.joined(separator: " · "), hints.joined(separator: " · ")]
        var header = (title: titles[titles.count - 1], note: notes[notes.count - 1])
        search: for note in notes {
            for title in titles where DisplayWidth.of(title) + (note.isEmpty ? 0 : 2 + DisplayWidth.of(note)) <= width {
                header = (title, note)
                break search
            }
        }
        let titleRoom = width - (header.note.isEmpty ? 0 : 2 + DisplayWidth.of(header.note))
        frame.put(DisplayWidth.truncate(header.title, toWidth: max(0, titleRoom)), row: area.y, column: left, style: .accent)
        if !header.note.isEmpty {
            frame.put(header.note, row: area.y, column: left + width - DisplayWidth.of(header.note), style: .muted)
        }
        var row = area.y + 2
        var column = left
        for (offset, name) in snapshot.columns.dropFirst(first).enumerated() where offset < widths.count {
            frame.put(DisplayWidth.truncate(name, toWidth: widths[offset]), row: row, column: column, style: .title)
            column += widths[offset] + 1
        }
        row += 1
        let visible = max(0, area.y + area.height - row)
        for values in snapshot.rows.dropFirst(view.firstRow).prefix(visible) {
            column = left
            for (offset, value) in values.dropFirst(first).enumerated() where offset < widths.count {
                frame.put(DisplayWidth.truncate(value, toWidth: widths[offset]), row: row, column: column, style: .plain)
                column += widths[offset] + 1
            }
            row += 1
        }
        if snapshot.rows.isEmpty {
            Paragraph.put("The table has no rows yet: the loader may still be working (r refreshes).", into: &frame,
                          row: row, column: left, width: width, style: .muted)
        }
    }

    /// Fits as many columns from `first` on as the width allows, each as wide as its widest
    /// value, capped so one long text cannot hide the rest (a UTC timestamp still fits).
    static func columnWidths(_ snapshot: DestinationSnapshot, from first: Int, available: Int) -> [Int] {
        var widths: [Int] = []
        var used = 0
        for (index, name) in snapshot.columns.enumerated().dropFirst(first) {
            let widest = snapshot.rows.reduce(DisplayWidth.of(name)) { max($0, DisplayWidth.of($1[safe: index] ?? "")) }
            let width = min(widest, 27)
            guard used + width <= available else { break }
            widths.append(width)
            used += width + 1
        }
        return widths
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
