import RecordBatch
import TerminalUI
import WizardCore

/// The record editor's schema panel: the table name and keys, a banner while the schema is an
/// unreviewed guess, one row per column (key mark, name, type with null and format, origin), the
/// refused edit's error on its column's row, and the open prompt on the last lines. A pure
/// function of the panel and the document.
public enum SchemaPanelView {
    public static func render(_ panel: SchemaPanel, document: EditorDocument, into frame: inout Frame, in area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let batch = document.batch
        var row = area.y
        let keys = batch.keyNames.map { $0.isEmpty ? "[] (rows appended)" : $0.joined(separator: ", ") } ?? "none (rows appended)"
        let heading = "Table \(batch.tableName) · key_names: \(keys) · \(batch.columns.count) column\(batch.columns.count == 1 ? "" : "s")"
        frame.put(DisplayWidth.truncate(heading, toWidth: area.width), row: row, column: area.x, style: .accent)
        row += 1
        if document.schemaWasInferred {
            row += Paragraph.put("⚠ Inferred schema: these types were guessed from the file's values. Please review them "
                                 + "(t changes a type), then press v.", into: &frame, row: row, column: area.x,
                                 width: area.width, maxRows: 2, style: .warning)
        }
        let promptRows = panel.prompt == nil ? 0 : 2
        let bottom = area.y + area.height - promptRows
        let columns = ColumnLayout(batch: batch, width: area.width)
        if row < bottom {
            frame.put(columns.line(key: "key", name: "name", type: "type", origin: "origin"), row: row, column: area.x,
                      style: .title, maxWidth: area.width)
            row += 1
        }
        if batch.columns.isEmpty, row < bottom {
            Paragraph.put("No columns yet: press a to add one.", into: &frame, row: row, column: area.x, width: area.width,
                          maxRows: max(1, bottom - row), style: .muted)
        }
        let visible = max(0, bottom - row)
        let cursor = min(panel.cursor, max(0, batch.columns.count - 1))
        let first = max(0, min(cursor - visible + 1, batch.columns.count - visible))
        for index in batch.columns.indices.dropFirst(first).prefix(visible) {
            let column = batch.columns[index]
            let isKey = batch.keyNames?.contains(column.name) ?? false
            let origin = panel.origin(of: column, in: document)
            let line = columns.line(key: isKey ? "key" : "", name: column.name, type: describe(column.type),
                                    origin: origin.rawValue)
            let selected = index == cursor && panel.prompt == nil
            if selected { frame.fill(Rect(x: area.x, y: row, width: area.width, height: 1), style: .selected) }
            var style: Style = selected ? .selected : .plain
            if origin == .inferred && !selected { style = .plain.withForeground(.yellow) }
            let used = frame.put(line, row: row, column: area.x, style: style, maxWidth: area.width)
            if let error = panel.error, error.column == index {
                let room = area.width - used - 1
                if room > 4 {
                    frame.put(DisplayWidth.truncate("✗ " + error.message, toWidth: room), row: row, column: area.x + used + 1,
                              style: .error)
                }
            }
            row += 1
        }
        renderPrompt(panel, batch: batch, into: &frame, in: Rect(x: area.x, y: bottom, width: area.width, height: promptRows))
    }

    /// "integer or null", "date-time", "string (format email)", "any JSON value".
    static func describe(_ type: ColumnType) -> String {
        guard let format = type.format, !type.isDateTime else { return type.description }
        return type.description + " (format \(format))"
    }

    private static func renderPrompt(_ panel: SchemaPanel, batch: RecordBatch, into frame: inout Frame, in area: Rect) {
        guard let prompt = panel.prompt, area.height >= 2 else { return }
        let errorRow = area.y
        let promptRow = area.y + 1
        // An error not shown on a column's row (the table name, a new column) goes above the prompt.
        if let error = panel.error, error.column == nil || !batch.columns.indices.contains(error.column ?? -1)
            || isNewColumnPrompt(prompt) {
            frame.put(DisplayWidth.truncate("✗ " + error.message, toWidth: area.width), row: errorRow, column: area.x, style: .error)
        }
        switch prompt {
        case .newColumnName(let field):
            textPrompt("New column name: ", field, into: &frame, row: promptRow, area: area)
        case .rename(let column, let field):
            textPrompt("Rename \(name(of: column, in: batch)) to: ", field, into: &frame, row: promptRow, area: area)
        case .tableName(let field):
            textPrompt("Table name: ", field, into: &frame, row: promptRow, area: area)
        case .newColumnType(let name, let choice):
            typePrompt("Type of \(name): ", choice, into: &frame, row: promptRow, area: area)
        case .retype(let column, let choice):
            typePrompt("Type of \(name(of: column, in: batch)): ", choice, into: &frame, row: promptRow, area: area)
        case .delete(let column):
            let rows = batch.rowCount
            let question = "Delete column \(name(of: column, in: batch)) and its values in \(Count.grouped(rows)) "
                + "row\(rows == 1 ? "" : "s")? y/n"
            frame.put(DisplayWidth.truncate(question, toWidth: area.width), row: promptRow, column: area.x, style: .warning)
        }
    }

    private static func isNewColumnPrompt(_ prompt: SchemaPanel.Prompt) -> Bool {
        if case .newColumnName = prompt { return true }
        return false
    }

    private static func name(of column: Int, in batch: RecordBatch) -> String {
        batch.columns.indices.contains(column) ? batch.columns[column].name : "?"
    }

    private static func textPrompt(_ label: String, _ field: TextField, into frame: inout Frame, row: Int, area: Rect) {
        let used = frame.put(label, row: row, column: area.x, style: .accent, maxWidth: area.width)
        field.render(into: &frame, at: Rect(x: area.x + used, y: row, width: max(0, area.width - used), height: 1), focused: true)
    }

    private static func typePrompt(_ label: String, _ choice: SchemaPanel.TypeChoice, into frame: inout Frame, row: Int,
                                   area: Rect) {
        var column = area.x
        let end = area.x + area.width
        column += frame.put(label, row: row, column: column, style: .accent, maxWidth: max(0, end - column))
        // The null toggle first, so a narrow terminal cuts the last types, not it.
        column += frame.put(choice.isNullable ? "[x] null " : "[ ] null ", row: row, column: column, style: .plain,
                            maxWidth: max(0, end - column))
        for option in SchemaPanel.ColumnTypeOption.allCases {
            let isChosen = option == choice.option
            column += frame.put(" ", row: row, column: column, maxWidth: max(0, end - column))
            column += frame.put(option.rawValue, row: row, column: column, style: isChosen ? .selected : .muted,
                                maxWidth: max(0, end - column))
        }
    }

    /// The list's columns: a key mark, the name, the type, the origin.
    private struct ColumnLayout {
        var nameWidth: Int
        var typeWidth: Int

        init(batch: RecordBatch, width: Int) {
            let longestName = batch.columns.map { DisplayWidth.of($0.name) }.max() ?? 4
            let longestType = batch.columns.map { DisplayWidth.of(SchemaPanelView.describe($0.type)) }.max() ?? 4
            nameWidth = min(max(4, longestName), max(8, width / 3))
            typeWidth = min(max(4, longestType), max(8, width / 3))
        }

        func line(key: String, name: String, type: String, origin: String) -> String {
            " " + pad(key, 4) + pad(name, nameWidth) + "  " + pad(type, typeWidth) + "  " + origin
        }

        private func pad(_ text: String, _ width: Int) -> String {
            let cut = DisplayWidth.truncate(text, toWidth: width)
            return cut + String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
        }
    }
}
