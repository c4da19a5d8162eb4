import RecordBatch
import TerminalUI

/// The record editor's grid (issue 8 item 1): the document's batch as a table, one row per
/// record, one column per schema property. It is virtual: a key looks at the cursor's cell and
/// the columns' headers only, and the view draws the visible rows only, so a million rows cost
/// what twenty do.
///
/// Enter (or typing a character) edits the cursor's cell in place; Enter commits the text, read
/// by the column's type (`BatchEdit.setText`), Esc cancels. Text the column cannot take stays in
/// the field with the reason, so nothing typed is lost. `a` adds a row after the cursor, `d`
/// duplicates it, `x`/Delete deletes it, `n` sets the cell to null, `u`/Ctrl-Z undoes the last edit.
/// Each edit re-checks only the rows it touched (`EditorDocument+Checks`).
public struct GridPanel: EditorPanel {
    public var cursorRow = 0
    public var cursorColumn = 0
    /// The first row and column shown (the view and the keys scroll with `EditorLayout`).
    public var firstRow = 0
    public var firstColumn = 0
    /// The cell being edited, if any.
    public var editing: CellEditing?
    /// What the last key did, or why it did nothing (the status line).
    public var message: String?
    /// Each entry undoes one edit: the edits to make, in order (newest last).
    var undoStack: [[BatchEdit]] = []

    static let undoLimit = 100

    public init() {}

    public enum Action: Sendable, Equatable {
        case up, down, left, right, pageUp, pageDown, home, end
        case edit, commit, cancel
        case addRow, duplicateRow, deleteRow, setNull, undo
    }

    public var isEditing: Bool { editing != nil }

    // MARK: Keys

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        if editing != nil {
            return [
                KeyBinding([.enter], "enter", "save cell", .commit),
                KeyBinding([.escape], "esc", "cancel", .cancel),
            ]
        }
        let batch = context.document.batch
        var keys: [KeyBinding<Action>] = []
        if batch.rowCount > 0 && !batch.columns.isEmpty {
            keys += [
                KeyBinding([.enter], "enter", "edit", .edit),
                KeyBinding([.up], "↑↓←→", "move", .up),
                KeyBinding([.down], "↓", "", .down, listed: false),
                KeyBinding([.left], "←", "", .left, listed: false),
                KeyBinding([.right], "→", "", .right, listed: false),
                KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
                KeyBinding([.pageDown], "pgdn", "", .pageDown, listed: false),
                KeyBinding([.home], "home", "", .home, listed: false),
                KeyBinding([.end], "end", "", .end, listed: false),
            ]
        }
        keys.append(KeyBinding([.character("a")], "a", "add row", .addRow))
        if batch.rowCount > 0 {
            keys += [
                KeyBinding([.character("d")], "d", "duplicate", .duplicateRow),
                KeyBinding([.character("x"), .delete], "x", "delete row", .deleteRow),
            ]
            if !batch.columns.isEmpty { keys.append(KeyBinding([.character("n")], "n", "null", .setNull)) }
        }
        if !undoStack.isEmpty { keys.append(KeyBinding([.character("u"), .control("z")], "u", "undo", .undo)) }
        return keys
    }

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        // Counts, not the batch: a second reference to it would make the edit below copy columns.
        let rowCount = context.document.batch.rowCount
        let columnCount = context.document.batch.columns.count
        let layout = EditorLayout(size: context.size)
        if editing == nil { message = nil }
        switch action {
        case .up: cursorRow -= 1
        case .down: cursorRow += 1
        case .left: cursorColumn -= 1
        case .right: cursorColumn += 1
        case .pageUp:
            cursorRow -= layout.gridPage
            firstRow -= layout.gridPage
        case .pageDown:
            cursorRow += layout.gridPage
            firstRow += layout.gridPage
        case .home:
            // Ctrl-Home cannot be told from Home (terminals' modifiers are dropped by the key
            // decoder), so Home at the first column goes on to the first row.
            if cursorColumn == 0 { cursorRow = 0 } else { cursorColumn = 0 }
        case .end:
            let last = columnCount - 1
            if cursorColumn >= last { cursorRow = rowCount - 1 } else { cursorColumn = last }
        case .edit:
            startEditing(text: nil, context)
        case .commit:
            commit(&context)
        case .cancel:
            editing = nil
        case .addRow:
            let row = rowCount == 0 ? 0 : min(cursorRow + 1, rowCount)
            if make([.addRow(at: row)], undo: [.deleteRows([row])], &context) {
                cursorRow = row
                message = "Added row \(row + 1)."
            }
        case .duplicateRow:
            guard cursorRow < rowCount else { break }
            let row = cursorRow
            if make([.duplicateRow(row)], undo: [.deleteRows([row + 1])], &context) {
                cursorRow = row + 1
                message = "Row \(row + 1) duplicated as row \(row + 2) (its sequence is left to the send time)."
            }
        case .deleteRow:
            guard cursorRow < rowCount else { break }
            let row = cursorRow
            let undo = Self.restoring(row: row, of: context.document.batch)
            if make([.deleteRows([row])], undo: undo, &context) {
                message = "Deleted row \(row + 1)" + (undoStack.isEmpty ? "." : " (u undoes).")
            }
        case .setNull:
            guard cursorRow < rowCount, cursorColumn < columnCount else { break }
            let old = context.document.batch[cursorRow, cursorColumn]
            _ = make([.setValue(row: cursorRow, column: cursorColumn, .null)],
                     undo: [.setValue(row: cursorRow, column: cursorColumn, old)], &context)
        case .undo:
            guard let edits = undoStack.popLast() else { break }
            do {
                for edit in edits { try apply(edit, &context.document) }
                message = "Undone."
            } catch {
                message = "Cannot undo: \(error)."
            }
        }
        clampAndScroll(context)
        return []
    }

    public mutating func input(_ key: Key, _ context: inout EditorContext) -> [EditorCommand] {
        if var current = editing {
            // Edited in place: while `editing` still held it, the field's characters were copied
            // on every key (25,892 typed ones took minutes).
            editing = nil
            if current.field.handle(key) {
                current.error = nil
                current.field.scrollToCursor(width: max(1, context.size.columns - 4))
            }
            editing = current
            return []
        }
        // Typing on a cell starts editing it with what was typed, as in a spreadsheet.
        switch key {
        case .character(let character) where !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }):
            startEditing(text: String(character), context)
        case .paste(let text):
            startEditing(text: text, context)
        default:
            break
        }
        return []
    }

    public func inputHelp(_ context: EditorContext) -> [KeyHelp] {
        editing == nil ? [] : [KeyHelp(key: "type", action: "the value (JSON for objects and arrays)")]
    }

    // MARK: Editing

    mutating func startEditing(text: String?, _ context: EditorContext) {
        let batch = context.document.batch
        guard cursorRow < batch.rowCount, cursorColumn < batch.columns.count else {
            message = batch.rowCount == 0 ? "The batch has no rows: a adds one." : nil
            return
        }
        let shown = text ?? batch[cursorRow, cursorColumn].text
        var field = TextField(text: shown)
        field.scrollToCursor(width: max(1, context.size.columns - 4))
        editing = CellEditing(row: cursorRow, column: cursorColumn, field: field)
        message = nil
    }

    /// Enter: the text read by the column's type goes into the cell; text it cannot take stays in
    /// the field with the reason.
    mutating func commit(_ context: inout EditorContext) {
        guard var current = editing else { return }
        guard current.row < context.document.batch.rowCount, current.column < context.document.batch.columns.count else {
            editing = nil
            return
        }
        let old = context.document.batch[current.row, current.column]
        let edit = BatchEdit.setText(row: current.row, column: current.column, text: current.field.text)
        do {
            try apply(edit, &context.document)
        } catch {
            current.error = error.description
            editing = current
            return
        }
        push(undo: [.setValue(row: current.row, column: current.column, old)])
        editing = nil
    }

    /// Makes `edits`; on success remembers `undo`. False (and the reason in `message`) when the
    /// batch refuses.
    mutating func make(_ edits: [BatchEdit], undo: [BatchEdit], _ context: inout EditorContext) -> Bool {
        do {
            for edit in edits { try apply(edit, &context.document) }
        } catch {
            message = error.description.prefix(1).uppercased() + error.description.dropFirst() + "."
            return false
        }
        push(undo: undo)
        return true
    }

    mutating func push(undo edits: [BatchEdit]) {
        undoStack.append(edits)
        if undoStack.count > Self.undoLimit { undoStack.removeFirst() }
    }

    /// Makes one edit on the document and keeps its problems in step: only the rows the edit
    /// touched are checked again.
    func apply(_ edit: BatchEdit, _ document: inout EditorDocument) throws(BatchEditError) {
        try document.batch.apply(edit)
        document.isModified = true
        switch edit {
        case .setText(let row, _, _), .setValue(let row, _, _), .setSequence(let row, _):
            document.recheck(row: row)
        case .addRow(let at):
            let row = at ?? document.batch.rowCount - 1
            document.rowsInserted(at: row)
            document.recheck(row: row)
        case .duplicateRow(let row):
            document.rowsInserted(at: row + 1)
            document.recheck(row: row + 1)
        case .deleteRows(let rows):
            document.rowsDeleted(Array(Set(rows)).sorted())
        default:
            document.checkAll()
        }
    }

    /// The edits that put row `row` back after it is deleted: its cells that fit their columns
    /// and its sequence (a cell its column refuses, loaded from a file, cannot be put back by
    /// an edit; that undo then says so).
    static func restoring(row: Int, of batch: RecordBatch) -> [BatchEdit] {
        var edits: [BatchEdit] = [.addRow(at: row)]
        for column in batch.columns.indices where batch[row, column] != .absent {
            edits.append(.setValue(row: row, column: column, batch[row, column]))
        }
        if let sequence = batch.sequence(ofRow: row) { edits.append(.setSequence(row: row, sequence)) }
        return edits
    }

    // MARK: Moving

    /// Focus the cell (`row`, `column`) (a problem's place), scrolled into view.
    public mutating func jump(row: Int, column: Int?, _ context: EditorContext) {
        editing = nil
        cursorRow = row
        if let column { cursorColumn = column }
        clampAndScroll(context)
    }

    /// Keeps the cursor on a cell and in view, with the geometry the view draws with.
    public mutating func clampAndScroll(_ context: EditorContext) {
        let batch = context.document.batch
        cursorRow = min(max(0, cursorRow), max(0, batch.rowCount - 1))
        cursorColumn = min(max(0, cursorColumn), max(0, batch.columns.count - 1))
        let layout = EditorLayout(size: context.size)
        let page = layout.gridPage
        firstRow = min(max(0, firstRow), max(0, batch.rowCount - page))
        if cursorRow < firstRow { firstRow = cursorRow }
        if cursorRow >= firstRow + page { firstRow = cursorRow - page + 1 }
        firstColumn = min(max(0, firstColumn), max(0, batch.columns.count - 1))
        if cursorColumn < firstColumn { firstColumn = cursorColumn }
        let width = layout.mainContent.width - Self.gutterWidth(rowCount: batch.rowCount)
        while firstColumn < cursorColumn,
              !Self.visibleColumns(of: batch, from: firstColumn, width: width).contains(where: { $0.index == cursorColumn }) {
            firstColumn += 1
        }
    }

    // MARK: Geometry (shared with GridView)

    /// Columns of the row-number gutter: the widest row number and a space.
    public static func gutterWidth(rowCount: Int) -> Int {
        max(3, String(rowCount).count + 1)
    }

    /// How wide a column is drawn: from its header (name, key mark, type), never from its cells,
    /// so widths do not move while scrolling and cost nothing per row. A date-time fits whole.
    public static func width(of column: BatchColumn, isKey: Bool) -> Int {
        let base: Int = switch column.type.kinds.first {
        case .integer?, .number?: 8
        case .boolean?: 6
        case .string? where column.type.isDateTime: 20
        case .string?: 12
        default: 14
        }
        let name = DisplayWidth.of(column.name) + (isKey ? 2 : 0)
        return min(28, max(base, name, DisplayWidth.of(typeLabel(column))))
    }

    /// The header's second line: the column's type as messages name it ("integer or null"), or
    /// "undeclared" for a member the schema does not name.
    public static func typeLabel(_ column: BatchColumn) -> String {
        column.isDeclared ? column.type.description : "undeclared"
    }

    /// The columns that fit `width` display columns from `first` on, each with its width (one
    /// space between them); the first is narrowed to fit rather than left out.
    public static func visibleColumns(of batch: RecordBatch, from first: Int, width: Int) -> [(index: Int, width: Int)] {
        var shown: [(index: Int, width: Int)] = []
        var used = 0
        let keys = Set(batch.keyNames ?? [])
        for index in batch.columns.indices.dropFirst(first) {
            let column = batch.columns[index]
            let wanted = Self.width(of: column, isKey: keys.contains(column.name))
            if shown.isEmpty {
                shown.append((index, max(1, min(wanted, width))))
                used = shown[0].width + 1
                continue
            }
            guard used + wanted <= width else { break }
            shown.append((index, wanted))
            used += wanted + 1
        }
        return shown
    }
}

/// A cell being edited: where, the text typed so far, and why it was refused (if it was).
public struct CellEditing: Sendable, Equatable {
    public var row: Int
    public var column: Int
    public var field: TextField
    public var error: String?

    public init(row: Int, column: Int, field: TextField, error: String? = nil) {
        self.row = row
        self.column = column
        self.field = field
        self.error = error
    }
}
