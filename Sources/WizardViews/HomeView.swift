import StitchAPI
import TerminalUI
import WizardCore

/// The start: the source types to create (pricing tier; types outside the plan dimmed) and the
/// sources to continue, as one list with the selection highlighted; it scrolls with the selection.
extension HomeScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        frame.put("Create a source, or continue one", row: row, column: left, style: .accent)
        row += 2
        let newCount = entries.filter { if case .newSource = $0 { return true } else { return false } }.count
        // One list, two headings: the rows a heading takes are counted with the entries.
        var lines: [(text: String, style: Style, entry: Int?)] = [("New source", .muted, nil)]
        for (index, entry) in entries.enumerated() {
            if index == newCount {
                lines.append(("", .plain, nil))
                lines.append(("Continue a source", .muted, nil))
            }
            let style: Style = index == selected ? .selected : entry.isSelectable ? .plain : .muted
            lines.append(((index == selected ? "› " : "  ") + Self.label(of: entry), style, index))
        }
        if entries.count == newCount {
            lines.append(("", .plain, nil))
            lines.append(("No sources in this account yet.", .muted, nil))
        }
        let visible = max(1, area.y + area.height - row)
        let selectedLine = lines.firstIndex { $0.entry == selected } ?? 0
        let first = max(0, min(selectedLine - visible / 2, lines.count - visible))
        for line in lines.dropFirst(first).prefix(visible) {
            frame.put(DisplayWidth.truncate(line.text, toWidth: width), row: row, column: left, style: line.style)
            row += 1
        }
    }
}
