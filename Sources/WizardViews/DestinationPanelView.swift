import TerminalUI
import WizardCore

/// The destination view (issue 8 item 6): the shown table's rows around the cursor, the table
/// picker, or one cell whole. Pure: the panel and its rectangle in, cells out. SQL NULL is a muted
/// `∅`, the empty string a muted `""`, and escapes of control characters are cyan, so none of
/// them reads as the text it resembles ("NULL", a typed `\n`).
enum DestinationPanelView {
    static func render(_ panel: DestinationPanel, into frame: inout Frame, in area: Rect) {
        let geometry = DestinationGeometry(area: area)
        guard area.height >= 3, area.width >= 4 else { return }
        switch panel.mode {
        case .rows: renderRows(panel, geometry, into: &frame)
        case .picker: renderPicker(panel, geometry, into: &frame)
        case .cell: renderCell(panel, geometry, into: &frame)
        }
    }

    // MARK: Rows

    static func renderRows(_ panel: DestinationPanel, _ geometry: DestinationGeometry, into frame: inout Frame) {
        let left = geometry.left
        let width = geometry.width
        let top = geometry.area.y
        let schema = panel.schema ?? "?"
        guard let table = panel.table else {
            frame.put(DisplayWidth.truncate("Destination \(schema)", toWidth: width), row: top, column: left, style: .accent)
            let text = panel.error.map { "✗ " + $0 }
                ?? (panel.tables == nil || panel.isListing ? "⋯ Reading the destination…"
                    : "Nothing has loaded into \(schema) yet: send a batch, then press r.")
            Paragraph.put(text, into: &frame, row: top + 2, column: left, width: width,
                          maxRows: max(1, geometry.statusRow - top - 2), style: panel.error == nil ? .muted : .error)
            return
        }
        let window = panel.window.flatMap { $0.table == table ? $0 : nil }
        let shown = panel.shownRows(geometry)
        let firstColumn = panel.shownFirstColumn(geometry)
        let widths = window.map { DestinationPanel.columnWidths($0, rows: shown, from: firstColumn, available: width) } ?? []
        let columnCount = window?.columns.count ?? 0
        let hiddenRight = max(0, columnCount - firstColumn - widths.count)

        // Title: the table, its true count, which rows show; hidden columns on the right.
        let count = "\(DestinationPanel.grouped(panel.totalRows)) row\(panel.totalRows == 1 ? "" : "s")"
        let range = shown.isEmpty ? "" : " · \(DestinationPanel.grouped(shown.lowerBound + 1))–\(DestinationPanel.grouped(shown.upperBound))"
        let titles = ["Destination \(schema).\(table) · \(count)\(range)", "\(schema).\(table) · \(count)\(range)",
                      "\(table) · \(count)\(range)", "\(table) · \(count)"]
        let hints = (firstColumn > 0 ? ["← \(firstColumn)"] : []) + (hiddenRight > 0 ? ["\(hiddenRight) →"] : [])
        let notes = hints.isEmpty ? [""] : ["more columns: " + hints.joined(separator: " · "), hints.joined(separator: " · ")]
        putTitle(titles, notes: notes, into: &frame, row: top, left: left, width: width)

        guard let window else {
            let text = panel.error.map { "✗ " + $0 } ?? "⋯ Reading \(table)…"
            Paragraph.put(text, into: &frame, row: geometry.tableTop, column: left, width: width,
                          maxRows: max(1, geometry.statusRow - geometry.tableTop), style: panel.error == nil ? .muted : .error)
            return
        }
        // Column names, the cursor's underlined.
        var column = left
        for (offset, width) in widths.enumerated() {
            let index = firstColumn + offset
            let style: Style = index == panel.column ? Style.title.underlined() : .title
            frame.put(DisplayWidth.truncate(window.columns[index], toWidth: width), row: top + 1, column: column, style: style)
            column += width + 1
        }
        var line = geometry.tableTop
        for tableRow in shown {
            column = left
            for (offset, width) in widths.enumerated() {
                let index = firstColumn + offset
                let selected = tableRow == panel.row && index == panel.column
                if let cell = window.cell(row: tableRow, column: index) {
                    putCell(DestinationCellText.segments(cell), into: &frame, row: line, column: column, width: width,
                            selected: selected)
                } else {
                    frame.put("⋯", row: line, column: column, style: selected ? .selected : .muted)
                }
                column += width + 1
            }
            line += 1
        }
        if panel.totalRows == 0 {
            Paragraph.put("\(table) has no rows: the loader may still be working (r reads again).", into: &frame,
                          row: line, column: left, width: width, maxRows: max(1, geometry.statusRow - line), style: .muted)
        }
        renderRowsStatus(panel, window, geometry, into: &frame)
    }

    static func renderRowsStatus(_ panel: DestinationPanel, _ window: DestinationPage, _ geometry: DestinationGeometry,
                                 into frame: inout Frame) {
        let row = geometry.statusRow
        if let error = panel.error {
            frame.put(DisplayWidth.truncate("✗ " + error, toWidth: geometry.width), row: row, column: geometry.left, style: .error)
            return
        }
        var parts: [String] = []
        if panel.totalRows > 0 {
            parts.append("row \(DestinationPanel.grouped(panel.row + 1)) of \(DestinationPanel.grouped(panel.totalRows))")
        }
        if panel.totalRows > 0, window.columns.indices.contains(panel.column) {
            let type = window.columnTypes.indices.contains(panel.column) ? " (\(window.columnTypes[panel.column]))" : ""
            parts.append(window.columns[panel.column] + type)
        }
        if let value = panel.selectedValue {
            let count = value?.count ?? 0
            parts.append(value == nil ? "NULL" : "\(DestinationPanel.grouped(count)) character\(count == 1 ? "" : "s")")
        }
        if panel.pending != nil || panel.isListing { parts.append("reading…") }
        putFitting(parts, into: &frame, row: row, left: geometry.left, width: geometry.width, style: .muted)
    }

    // MARK: Picker

    static func renderPicker(_ panel: DestinationPanel, _ geometry: DestinationGeometry, into frame: inout Frame) {
        let left = geometry.left
        let width = geometry.width
        let top = geometry.area.y
        let schema = panel.schema ?? "?"
        guard let tables = panel.tables else {
            frame.put(DisplayWidth.truncate("Tables in \(schema)", toWidth: width), row: top, column: left, style: .accent)
            frame.put("⋯ Reading the tables…", row: top + 1, column: left, style: .muted)
            return
        }
        let count = "\(tables.count) table\(tables.count == 1 ? "" : "s")"
        putTitle(["Tables in \(schema) · \(count)", "\(schema) · \(count)", count], notes: ["rows"], into: &frame, row: top,
                 left: left, width: width)
        let rows = geometry.pickerRows - 1
        let first = min(max(0, panel.pickerSelection - rows + 1), max(0, tables.count - rows))
        for (offset, table) in tables.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let line = top + 1 + offset
            let isSelected = index == panel.pickerSelection
            let isRejected = table.name == "_sdc_rejected" && table.rowCount > 0
            let base: Style = isSelected ? .selected : isRejected ? .warning : .plain
            if isSelected { frame.fill(Rect(x: left, y: line, width: width, height: 1), style: .selected) }
            let countText = DestinationPanel.grouped(table.rowCount)
            let marker = table.name == panel.table ? "● " : "  "
            let nameRoom = max(1, width - DisplayWidth.of(countText) - 1 - DisplayWidth.of(marker))
            frame.put(marker + DisplayWidth.truncate(table.name, toWidth: nameRoom), row: line, column: left, style: base)
            frame.put(countText, row: line, column: left + width - DisplayWidth.of(countText), style: base)
        }
        if tables.isEmpty {
            Paragraph.put("Nothing has loaded into \(schema) yet: send a batch, then press r.", into: &frame, row: top + 1,
                          column: left, width: width, maxRows: max(1, geometry.statusRow - top - 1), style: .muted)
        }
        let status = panel.error.map { "✗ " + $0 } ?? (panel.isListing ? "reading…" : "● shown · the counts are the tables' rows now")
        putFitting([status], into: &frame, row: geometry.statusRow, left: left, width: width,
                   style: panel.error == nil ? .muted : .error)
    }

    // MARK: Cell detail

    static func renderCell(_ panel: DestinationPanel, _ geometry: DestinationGeometry, into frame: inout Frame) {
        let left = geometry.left
        let width = geometry.width
        let top = geometry.area.y
        guard let window = panel.window, let value = panel.selectedValue else { return }
        let name = window.columns.indices.contains(panel.column) ? window.columns[panel.column] : "?"
        let type = window.columnTypes.indices.contains(panel.column) ? window.columnTypes[panel.column] : ""
        let row = "row \(DestinationPanel.grouped(panel.row + 1)) of \(DestinationPanel.grouped(panel.totalRows))"
        putTitle(["\(window.table) · \(row) · \(name)", "\(row) · \(name)", name], notes: [type, ""], into: &frame,
                 row: top, left: left, width: width)
        let about: [String]
        if let text = value {
            let escapes = DestinationCellText.segments(text).filter { $0.kind == .escape }.count
            let characters = "\(DestinationPanel.grouped(text.count)) character\(text.count == 1 ? "" : "s")"
            let bytes = "\(DestinationPanel.grouped(text.utf8.count)) byte\(text.utf8.count == 1 ? "" : "s")"
            about = text.isEmpty ? ["The empty string (not NULL).", "Empty string."]
                : escapes == 0 ? ["\(characters), \(bytes)."]
                : ["\(characters), \(bytes); \(escapes) control character\(escapes == 1 ? "" : "s") shown as escapes.",
                   "\(characters), \(bytes), \(escapes) escaped."]
        } else {
            about = ["NULL: no value (not the text \"NULL\").", "NULL: no value."]
        }
        let fitting = about.first { DisplayWidth.of($0) <= width } ?? DisplayWidth.truncate(about[about.count - 1], toWidth: width)
        frame.put(fitting, row: top + 1, column: left, style: .muted)
        let lines = DestinationCellText.wrapped(value, width: width)
        let first = min(panel.detailScroll, max(0, lines.count - geometry.detailRows))
        for (offset, segments) in lines.dropFirst(first).prefix(geometry.detailRows).enumerated() {
            var column = left
            for segment in segments {
                column += frame.put(segment.text, row: top + 2 + offset, column: column, style: style(segment.kind, selected: false))
            }
        }
        if lines.count > geometry.detailRows {
            let last = min(lines.count, first + geometry.detailRows)
            putFitting(["lines \(first + 1)–\(last) of \(lines.count)"], into: &frame, row: geometry.statusRow, left: left,
                       width: width, style: .muted)
        }
    }

    // MARK: Pieces

    static func style(_ kind: DestinationCellText.Segment.Kind, selected: Bool) -> Style {
        switch kind {
        case .text: selected ? .selected : .plain
        case .escape: selected ? Style.selected.withForeground(.cyan) : .accent
        case .null, .empty: selected ? Style.selected.dimmed() : .muted
        }
    }

    /// A cell in `width` columns: whole, or cut with "…" (Enter shows it whole).
    static func putCell(_ segments: [DestinationCellText.Segment], into frame: inout Frame, row: Int, column: Int,
                        width: Int, selected: Bool) {
        if selected { frame.fill(Rect(x: column, y: row, width: width, height: 1), style: .selected) }
        let total = segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        let budget = total <= width ? width : width - 1
        var used = 0
        for segment in segments {
            var text = ""
            var columns = 0
            for character in segment.text {
                let characterWidth = DisplayWidth.of(character)
                // An escape is not cut in half: it shows whole or not at all.
                if used + columns + characterWidth > budget { break }
                text.append(character)
                columns += characterWidth
            }
            if segment.kind == .escape && text != segment.text { break }
            frame.put(text, row: row, column: column + used, style: style(segment.kind, selected: selected))
            used += columns
            if text != segment.text { break }
        }
        if total > width { frame.put("…", row: row, column: column + used, style: selected ? .selected : .muted) }
    }

    /// The first title that fits beside the first note that fits (both shortened on purpose).
    static func putTitle(_ titles: [String], notes: [String], into frame: inout Frame, row: Int, left: Int, width: Int) {
        var chosen = (title: DisplayWidth.truncate(titles[titles.count - 1], toWidth: width), note: "")
        search: for note in notes {
            for title in titles where DisplayWidth.of(title) + (note.isEmpty ? 0 : 2 + DisplayWidth.of(note)) <= width {
                chosen = (title, note)
                break search
            }
        }
        frame.put(chosen.title, row: row, column: left, style: .accent)
        if !chosen.note.isEmpty {
            frame.put(chosen.note, row: row, column: left + width - DisplayWidth.of(chosen.note), style: .muted)
        }
    }

    /// As many of `parts` as fit, joined by " · ".
    static func putFitting(_ parts: [String], into frame: inout Frame, row: Int, left: Int, width: Int, style: Style) {
        var text = ""
        for part in parts {
            let next = text.isEmpty ? part : text + " · " + part
            guard DisplayWidth.of(next) <= width else { break }
            text = next
        }
        if text.isEmpty, let first = parts.first { text = DisplayWidth.truncate(first, toWidth: width) }
        frame.put(text, row: row, column: left, style: style)
    }
}
