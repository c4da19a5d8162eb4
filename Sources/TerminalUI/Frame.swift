/// A screenful of styled cells: what a view renders and what the backend blits.
///
/// Text is laid out per Unicode scalar with `wcwidth` semantics, the same way ncurses advances its
/// cursor, so `text` matches what a real terminal shows (verified against tmux `capture-pane`).
public struct Frame: Hashable, Sendable {
    public let size: Size
    /// Row-major cells, `size.rows * size.columns` of them.
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown, or nil to hide it.
    public var cursor: Position?
    /// Texts that `put` could not show in full, cut by `maxWidth` or the right edge. Views shorten
    /// (`DisplayWidth.truncate`, with "…") or wrap (`DisplayWidth.wrap`) on purpose, so an entry
    /// here is a cut nobody chose; tests check that screens leave this empty. Not part of equality.
    public private(set) var cuts: [Cut] = []

    /// A text `put` cut short: where it started and the whole text it was given.
    public struct Cut: Hashable, Sendable, CustomStringConvertible {
        public var row: Int
        public var column: Int
        public var text: String
        public var description: String { "row \(row), column \(column): “\(text)”" }
    }

    /// Zero-width scalars a cell can carry: ncurses' `cchar_t` holds 1 spacing + 4 combining.
    static let maxCombiningScalars = 4

    public init(size: Size) {
        let clamped = Size(columns: max(0, size.columns), rows: max(0, size.rows))
        self.size = clamped
        self.cells = Array(repeating: .blank, count: clamped.columns * clamped.rows)
        self.cursor = nil
    }

    /// The whole frame as a rectangle at the origin.
    public var bounds: Rect { Rect(size: size) }

    public subscript(row: Int, column: Int) -> Cell {
        get {
            precondition(isInside(row: row, column: column), "cell (\(row), \(column)) outside \(size)")
            return cells[row * size.columns + column]
        }
        set {
            precondition(isInside(row: row, column: column), "cell (\(row), \(column)) outside \(size)")
            cells[row * size.columns + column] = newValue
        }
    }

    /// The same cell as `frame[row, column]`, with labels for call sites that prefer them.
    public subscript(row row: Int, column column: Int) -> Cell {
        get { self[row, column] }
        set { self[row, column] = newValue }
    }

    public func isInside(row: Int, column: Int) -> Bool {
        row >= 0 && row < size.rows && column >= 0 && column < size.columns
    }

    // MARK: Writing

    /// Writes `text` starting at (`row`, `column`), clipped to the frame and to `maxWidth` columns.
    ///
    /// - U+200D and control characters are dropped (terminals disagree on ZWJ sequences);
    ///   scalars the C library's `wcwidth` does not know yet are drawn as U+FFFD.
    /// - Zero-width scalars (combining marks, variation selectors) attach to the previous cell.
    /// - A double-width character fills a cell plus a continuation cell; if it does not fit
    ///   before the right edge or `maxWidth`, a space is written instead.
    /// - Returns: the number of columns the cursor advanced, at most `maxWidth`.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol,
        row: Int,
        column: Int,
        style: Style = .plain,
        maxWidth: Int? = nil
    ) -> Int {
        guard row >= 0, row < size.rows else { return 0 }
        var limit = size.columns
        if let maxWidth {
            let (end, overflow) = column.addingReportingOverflow(max(0, maxWidth))
            if !overflow { limit = min(limit, end) }
        }
        var nextColumn = column
        var lastCellColumn: Int?  // where zero-width scalars attach; nil after a clipped character
        var combiningCount = 0

        for scalar in text.unicodeScalars {
            guard let (scalar, width) = WidthTable.layout(scalar) else { continue }
            if width == 0 {
                if let attachColumn = lastCellColumn, combiningCount < Self.maxCombiningScalars {
                    cells[row * size.columns + attachColumn].text.unicodeScalars.append(scalar)
                    combiningCount += 1
                }
                continue
            }
            if nextColumn >= limit {
                cuts.append(Cut(row: row, column: column, text: String(text)))
                break
            }
            combiningCount = 0
            if nextColumn + width > limit {
                // Half a wide character cannot be drawn: pad with a space instead.
                if nextColumn >= 0 { place(" ", width: 1, style: style, row: row, column: nextColumn) }
                nextColumn += 1
                lastCellColumn = nil
                cuts.append(Cut(row: row, column: column, text: String(text)))
                break
            }
            if nextColumn < 0 {
                // Clipped at the left edge; a wide character straddling it leaves a space.
                if nextColumn + width > 0 { place(" ", width: 1, style: style, row: row, column: 0) }
                nextColumn += width
                lastCellColumn = nil
                continue
            }
            place(String(scalar), width: width, style: style, row: row, column: nextColumn)
            lastCellColumn = nextColumn
            nextColumn += width
        }
        return max(0, nextColumn - column)
    }

    /// Records that a view had no room at all for `text` (a paragraph below the last row), so
    /// that losing it is as visible to tests as a `put` cut at the right edge.
    public mutating func noteCut(_ text: String, row: Int, column: Int) {
        cuts.append(Cut(row: row, column: column, text: text))
    }

    /// Paints `rect` (clipped to the frame) with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX {
                place(" ", width: 1, style: style, row: row, column: column)
            }
        }
    }

    /// Draws a single-line border around the edge of `rect` with an optional title in the top
    /// edge ("┌─ Title ───┐"). The interior is left untouched.
    public mutating func box(_ rect: Rect, title: String? = nil, style: Style = .plain, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let inner = rect.width - 2
        let horizontal = String(repeating: "─", count: inner)
        put("┌" + horizontal + "┐", row: rect.y, column: rect.x, style: style)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", row: row, column: rect.x, style: style)
            put("│", row: row, column: rect.maxX - 1, style: style)
        }
        put("└" + horizontal + "┘", row: rect.maxY - 1, column: rect.x, style: style)

        if let title, !title.isEmpty, inner >= 3 {
            // "─ Title ─": keep one rule character on each side of the padded title.
            let available = inner - 2
            let shown = DisplayWidth.truncate(title, toWidth: available - 2)
            guard !shown.isEmpty else { return }
            put(" " + shown + " ", row: rect.y, column: rect.x + 2, style: titleStyle ?? style, maxWidth: available)
        }
    }

    /// Writes one cell (`width` 1 or 2) and repairs wide characters it partially overwrites, so
    /// the grid never holds half a wide character.
    private mutating func place(_ text: String, width: Int, style: Style, row: Int, column: Int) {
        let start = row * size.columns
        if cells[start + column].isContinuation, column > 0 {
            cells[start + column - 1] = .blank(cells[start + column - 1].style)
        }
        let after = column + width
        if after < size.columns, cells[start + after].isContinuation {
            cells[start + after] = .blank(cells[start + after].style)
        }
        cells[start + column] = Cell(text: text, style: style)
        if width == 2 {
            cells[start + column + 1] = .continuation(style)
        }
    }
}

extension Frame {
    // Equality is about what a terminal shows: the cells and the cursor, not how they were written.
    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.size == rhs.size && lhs.cells == rhs.cells && lhs.cursor == rhs.cursor
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
        hasher.combine(cells)
        hasher.combine(cursor)
    }
}
