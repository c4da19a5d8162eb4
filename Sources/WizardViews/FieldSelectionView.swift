import StitchAPI
import TerminalUI
import WizardCore

/// `field_selection`: the streams (or one stream's fields) as a checklist with counts, the
/// filter when one is set, and under the list what went wrong or is under way. The list
/// scrolls with the cursor.
extension FieldSelectionScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        let open = openStream.map { streams[$0] }
        let title = open.map { "Fields of \($0.name) in \(sourceName)" } ?? "Choose what to replicate from \(sourceName)"
        frame.put(DisplayWidth.truncate(title, toWidth: width), row: row, column: left, style: .accent)
        row += 1
        frame.put(DisplayWidth.truncate(summary, toWidth: width), row: row, column: left, style: .muted)
        row += 1
        if isFiltering || !filter.isEmpty {
            frame.put("Filter:", row: row, column: left, style: isFiltering ? .accent : .muted)
            filter.render(into: &frame, at: Rect(x: left + 8, y: row, width: min(30, width - 8), height: 1),
                          focused: isFiltering)
        }
        row += 2

        let (status, statusStyle) = statusLine
        let statusRows = status.map { Paragraph.lines($0, width: width, maxRows: 4).count + 1 } ?? 0
        let bottom = area.y + area.height - statusRows
        if phase == .loading, failure == nil {
            frame.put("⋯ Loading the streams…", row: row, column: left, style: .accent)
        } else if let open, open.fields == nil {
            frame.put(open.isLoading ? "⋯ Loading the fields…" : "The fields could not be loaded.", row: row, column: left,
                      style: open.isLoading ? .accent : .warning)
        } else if phase != .loading {
            renderList(into: &frame, rows: row..<max(row + 1, bottom), left: left, width: width)
        }
        if let status {
            Paragraph.put(status, into: &frame, row: bottom, column: left, width: width, maxRows: 4, style: statusStyle)
        }
    }

    /// Counts: of streams, or of the open stream's fields.
    var summary: String {
        if let open = openStream.map({ streams[$0] }) {
            guard let fields = open.fields else { return open.isSelected ? "stream selected" : "stream not selected" }
            let always = fields.filter { $0.inclusion == .automatic }.count
            return "\(open.replicatedFieldCount) of \(fields.count) fields replicated"
                + (always > 0 ? " · \(always) always" : "") + (open.isSelected ? "" : " · stream not selected")
        }
        if phase == .loading { return failure == nil ? "Loading…" : "" }
        let shown = visible.count < streams.count ? " · \(visible.count) shown" : ""
        return "\(selectedIndices.count) of \(streams.count) stream\(streams.count == 1 ? "" : "s") selected\(shown)"
    }

    /// What is under way or went wrong, under the list.
    var statusLine: (String?, Style) {
        if let failure {
            var text = "✗ " + WizardReducer.sentence(failure)
            if failure.hint == nil {
                text += failedRequest == .updateStreamMetadata && failure.statusCode == 400
                    ? " Change the selection and save again (enter)."
                    : openStream == nil && phase == .choosing ? " Save again (enter) or retry (r)." : " Press r to retry."
            }
            return (text, .error)
        }
        if let message { return ("! " + message, .warning) }
        switch phase {
        case .saving: return ("⋯ Saving the selection…", .accent)
        case .finishing: return ("⋯ Saved; fetching the source's next step…", .accent)
        case .choosing where streams.isEmpty:
            return ("No streams found yet: discovery may still be running. Press r to reload.", .warning)
        default: return (nil, .plain)
        }
    }

    func renderList(into frame: inout Frame, rows: Range<Int>, left: Int, width: Int) {
        let shown = visible
        guard !shown.isEmpty else {
            if !streams.isEmpty {
                frame.put(DisplayWidth.truncate("Nothing matches “\(filter.text)”.", toWidth: width), row: rows.lowerBound,
                          column: left, style: .muted)
            }
            return
        }
        // A list longer than the rows keeps its last row for "↓ n more".
        let visibleRows = shown.count > rows.count ? max(1, rows.count - 1) : max(1, rows.count)
        let first = max(0, min(cursor - visibleRows / 2, shown.count - visibleRows))
        var row = rows.lowerBound
        // Notes start two columns after the longest name shown, up to half the width.
        let longest = shown.map { DisplayWidth.of(entry($0).name) }.max() ?? 0
        let nameWidth = min(max(12, longest), max(12, width / 2), width - 6)
        for position in shown.indices.dropFirst(first).prefix(visibleRows) {
            let (box, name, note, enabled) = entry(shown[position])
            let isCursor = position == cursor && phase == .choosing
            let text = (isCursor ? "› " : "  ") + box + " " + DisplayWidth.truncate(name, toWidth: nameWidth)
            frame.put(text, row: row, column: left, style: isCursor ? .selected : enabled ? .plain : .muted)
            let noteColumn = left + 6 + nameWidth + 2
            if !note.isEmpty, noteColumn < left + width {
                frame.put(DisplayWidth.truncate(note, toWidth: left + width - noteColumn), row: row, column: noteColumn,
                          style: .muted)
            }
            row += 1
        }
        if first > 0 { frame.put("↑ \(first) more", row: rows.lowerBound - 1, column: left + width - 10, style: .muted) }
        let below = shown.count - first - visibleRows
        if below > 0 {
            frame.put("↓ \(below) more", row: rows.lowerBound + visibleRows, column: left + width - 10, style: .muted)
        }
    }

    /// A row of the list: its checkbox, name, note and whether it can be chosen.
    func entry(_ index: Int) -> (box: String, name: String, note: String, enabled: Bool) {
        if let open = openStream, let field = streams[open].fields?[index] {
            switch field.inclusion {
            case .automatic?: return ("[x]", field.name, "always replicated", false)
            case .unsupported?: return ("[-]", field.name, "cannot be replicated", false)
            default: return (field.isSelected ? "[x]" : "[ ]", field.name, "", true)
            }
        }
        let stream = streams[index]
        var notes: [String] = []
        if stream.isLoading {
            notes.append("loading fields…")
        } else if let fields = stream.fields, stream.isSelected {
            notes.append("\(stream.replicatedFieldCount)/\(fields.count) fields")
        }
        if !stream.stream.keyProperties.isEmpty { notes.append("key " + stream.stream.keyProperties.joined(separator: ", ")) }
        if stream.stream.metadata["is-view"] == .bool(true) { notes.append("view") }
        return (stream.isSelected ? "[x]" : "[ ]", stream.name, notes.joined(separator: " · "), true)
    }
}
