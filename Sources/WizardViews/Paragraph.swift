import TerminalUI

/// Word-wrapped text written into a frame; returns the rows it took.
enum Paragraph {
    /// Wraps `text` to `width` and writes as many lines as `maxRows` and the frame allow (the
    /// help bar's row is never written). When lines are left over, the last one shown ends in "…"
    /// so a shortened instruction says it was shortened.
    @discardableResult
    static func put(_ text: String, into frame: inout Frame, row: Int, column: Int, width: Int, maxRows: Int = .max,
                    style: Style = .plain) -> Int {
        let lines = lines(text, width: width, maxRows: min(maxRows, frame.size.rows - 1 - row))
        if lines.isEmpty, !text.isEmpty { frame.noteCut(text, row: row, column: column) }
        for (offset, line) in lines.enumerated() {
            frame.put(line, row: row + offset, column: column, style: style, maxWidth: width)
        }
        return lines.count
    }

    /// The lines `put` writes: `text` wrapped to `width`, at most `maxRows` of them.
    static func lines(_ text: String, width: Int, maxRows: Int) -> [String] {
        guard maxRows > 0, width > 0 else { return [] }
        var lines = DisplayWidth.wrap(text, width: width)
        if lines.count > maxRows {
            let rest = lines[maxRows...].joined(separator: " ")
            lines = Array(lines.prefix(maxRows))
            lines[maxRows - 1] = DisplayWidth.truncate(lines[maxRows - 1] + " " + rest, toWidth: width)
        }
        return lines
    }
}
