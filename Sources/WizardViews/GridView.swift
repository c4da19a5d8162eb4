import RecordBatch
import TerminalUI
import WizardCore

/// The record editor's grid: a box titled with the table and its row count, two header rows
/// (column names with key columns marked, their types), then the visible rows only, each with
/// its number. Cells the checks found bad are in the error style; the cursor's cell is
/// highlighted, or replaced by the text field while it is edited. `null` is drawn dimmed, apart
/// from a string "NULL"; an absent member is blank.
enum GridView {
    static func render(_ grid: GridPanel, document: EditorDocument, focused: Bool, into frame: inout Frame, in box: Rect) {
        // The core scrolls for the size it was last given; drawn at another (a resize on its
        // way), the cursor's cell is still kept in view.
        var grid = grid
        grid.clampAndScroll(EditorContext(document: document, session: WizardSession(target: noTarget),
                                          size: frame.size))
        let batch = document.batch
        let content = Rect(x: box.x + 1, y: box.y + 1, width: max(0, box.width - 2), height: max(0, box.height - 2))
        let page = max(1, content.height - EditorLayout.gridHeaderRows)
        let rows = batch.rowCount
        let lastShown = min(rows, grid.firstRow + page)
        var title = "\(batch.tableName) · \(grouped(rows)) row\(rows == 1 ? "" : "s")"
        if rows > page { title += " · \(grouped(grid.firstRow + 1))–\(grouped(lastShown))" }
        frame.box(box, title: title, style: focused ? .plain : .muted, titleStyle: .title)
        guard content.width > 4, content.height > EditorLayout.gridHeaderRows else { return }

        let gutter = GridPanel.gutterWidth(rowCount: rows)
        let cellsLeft = content.x + gutter
        let shown = GridPanel.visibleColumns(of: batch, from: grid.firstColumn, width: content.width - gutter)
        let keys = Set(batch.keyNames ?? [])
        // Hidden columns, on the box's top rule at the right: "← 2 · 3 →".
        let hiddenRight = batch.columns.count - grid.firstColumn - shown.count
        let hints = (grid.firstColumn > 0 ? ["← \(grid.firstColumn)"] : []) + (hiddenRight > 0 ? ["\(hiddenRight) →"] : [])
        if !hints.isEmpty {
            let hint = " " + hints.joined(separator: " · ") + " "
            let titleEnd = box.x + 2 + DisplayWidth.of(DisplayWidth.truncate(title, toWidth: max(0, box.width - 6))) + 2
            let at = box.maxX - 2 - DisplayWidth.of(hint)
            if at > titleEnd { frame.put(hint, row: box.y, column: at, style: .muted) }
        }

        // Header: names (key columns marked "*"), then types.
        var x = cellsLeft
        for (index, width) in shown {
            let column = batch.columns[index]
            let name = keys.contains(column.name) ? column.name + " *" : column.name
            frame.put(DisplayWidth.truncate(name, toWidth: width), row: content.y, column: x,
                      style: keys.contains(column.name) ? .warning : .title)
            frame.put(DisplayWidth.truncate(GridPanel.typeLabel(column), toWidth: width), row: content.y + 1, column: x,
                      style: column.isDeclared ? .muted : .warning)
            x += width + 1
        }
        if batch.columns.isEmpty {
            frame.put(DisplayWidth.truncate("The table has no columns yet.", toWidth: content.width), row: content.y,
                      column: content.x, style: .muted)
        }
        guard rows > 0 else {
            frame.put(DisplayWidth.truncate("No rows: a adds one.", toWidth: content.width),
                      row: content.y + EditorLayout.gridHeaderRows, column: content.x, style: .muted)
            return
        }

        // The visible rows' problems only: a binary search into the sorted list, then a walk.
        var badCells = Set<Int>()
        var badRows = Set<Int>()
        var index = document.firstProblemIndex(atOrAfterRow: grid.firstRow)
        while index < document.problems.count, let row = document.problems[index].row, row < lastShown {
            if let column = document.problems[index].column { badCells.insert(row * batch.columns.count + column) } else { badRows.insert(row) }
            index += 1
        }

        for row in grid.firstRow..<lastShown {
            let y = content.y + EditorLayout.gridHeaderRows + row - grid.firstRow
            let number = String(row + 1)
            let isBadRow = badRows.contains(row)
            frame.put(String(repeating: " ", count: max(0, gutter - 1 - number.count)) + number, row: y, column: content.x,
                      style: isBadRow ? .error : (row == grid.cursorRow && focused ? .accent : .muted))
            x = cellsLeft
            for (column, width) in shown {
                let value = batch[row, column]
                let isBad = badCells.contains(row * batch.columns.count + column)
                let isCursor = row == grid.cursorRow && column == grid.cursorColumn
                var style: Style = isBad ? .error : (value == .null ? .muted : .plain)
                if isCursor { style = focused ? (isBad ? Style.selected.withForeground(.red) : .selected) : style.underlined() }
                let text = DisplayWidth.truncate(cellText(value), toWidth: width)
                if isCursor { frame.fill(Rect(x: x, y: y, width: width, height: 1), style: style) }
                frame.put(text, row: y, column: x, style: style)
                x += width + 1
            }
        }

        // The cell being edited: its field from the cell to the right edge, over its neighbours.
        if let editing = grid.editing, focused, editing.row >= grid.firstRow, editing.row < lastShown,
           let start = shown.firstIndex(where: { $0.index == editing.column }) {
            let left = cellsLeft + shown[..<start].reduce(0) { $0 + $1.width + 1 }
            let y = content.y + EditorLayout.gridHeaderRows + editing.row - grid.firstRow
            editing.field.render(into: &frame, at: Rect(x: left, y: y, width: content.maxX - left, height: 1), focused: true,
                                 style: editing.error == nil ? .input : Style.input.withForeground(.red))
        }
    }

    private static let noTarget = WizardTarget(connectBaseURL: "", connectToken: "", importBaseURL: "", isSandbox: false)

    /// 45000 → "45,000".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// A cell as shown: control characters (a newline in a string) as visible marks, so one cell
    /// stays one line.
    static func cellText(_ value: CellValue) -> String {
        let text = value.text
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar == "\n" ? "↵" : scalar == "\t" ? "→" : scalar.value < 0x20 || scalar.value == 0x7F ? "·" : scalar
        }))
    }
}
