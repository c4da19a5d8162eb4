/// Serialising a frame for tests, goldens and screenshots.
extension Frame {
    /// The visible text of each row, with trailing spaces trimmed and continuation cells skipped.
    public var lines: [String] {
        (0..<size.rows).map { row in
            var line = ""
            for column in 0..<size.columns {
                let cell = cells[row * size.columns + column]
                if !cell.isContinuation { line += cell.text }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// The frame as plain text: one line per row joined with "\n" (no trailing newline).
    /// Matches `tmux capture-pane -p` of the same frame blitted by ncurses.
    public var text: String {
        lines.joined(separator: "\n")
    }

    /// The frame as text with SGR escape sequences, for `.ans` goldens (`cat` shows the colours).
    /// Each row starts unstyled and ends with a reset if it changed the style; trailing cells that
    /// would look blank anyway are trimmed.
    public var ansiText: String {
        (0..<size.rows).map { row in
            let rowCells = cells[(row * size.columns)..<((row + 1) * size.columns)]
            let visibleEnd = rowCells.lastIndex { cell in
                !(cell.isContinuation || (cell.text == " " && cell.style.isInvisibleOnBlank))
            }
            guard let visibleEnd else { return "" }
            var line = ""
            var current = Style.plain
            for cell in rowCells[rowCells.startIndex...visibleEnd] where !cell.isContinuation {
                if cell.style != current {
                    line += cell.style.sgr
                    current = cell.style
                }
                line += cell.text
            }
            if current != .plain { line += "\u{1B}[0m" }
            return line
        }.joined(separator: "\n")
    }
}

extension Style {
    /// A complete SGR sequence selecting exactly this style (it starts with a reset).
    public var sgr: String {
        var codes = ["0"]
        if bold { codes.append("1") }
        if dim { codes.append("2") }
        if underline { codes.append("4") }
        if reverse { codes.append("7") }
        if foreground != .default { codes.append(String(30 + foreground.rawValue)) }
        if background != .default { codes.append(String(40 + background.rawValue)) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
