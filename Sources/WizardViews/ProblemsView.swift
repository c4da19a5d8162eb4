import RecordBatch
import TerminalUI
import WizardCore

/// The problem list under the grid: a title saying nothing is sent while any remains, then one
/// line per problem (row and column, the Import API's text); the selection is highlighted while
/// the list has focus.
enum ProblemsView {
    static func render(_ panel: ProblemsPanel, document: EditorDocument, focused: Bool, isChecking: Bool,
                       into frame: inout Frame, in area: Rect) {
        guard area.height > 0 else { return }
        let batchProblems = document.problems.count
        let count = ProblemsPanel.count(document)
        var title = batchProblems > 0
            ? "✗ \(batchProblems)\(document.problemsAreComplete ? "" : "+") problem\(batchProblems == 1 ? "" : "s") · nothing is sent until fixed"
            : "File lines left out: \(document.loadProblems.count)"
        if isChecking { title += " · checking…" }
        if !focused { title += " · tab to the list" }
        frame.put(DisplayWidth.truncate(title, toWidth: area.width), row: area.y, column: area.x,
                  style: batchProblems > 0 ? .error : .warning)
        let page = area.height - 1
        for offset in 0..<page {
            let index = panel.firstShown + offset
            guard index < count else { break }
            let text = ProblemsPanel.entry(index, of: document).text(in: document.batch)
            let selected = focused && index == panel.selection
            let line = DisplayWidth.truncate((selected ? "› " : "  ") + text, toWidth: area.width)
            if selected { frame.fill(Rect(x: area.x, y: area.y + 1 + offset, width: area.width, height: 1), style: .selected) }
            frame.put(line, row: area.y + 1 + offset, column: area.x, style: selected ? .selected : .plain)
        }
    }
}
