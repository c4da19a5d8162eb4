import TerminalUI

/// Word-wrapped text written into a frame; returns the rows it took.
enum Paragraph {
    @discardableResult
    static func put(_ text: String, into frame: inout Frame, row: Int, column: Int, width: Int, maxRows: Int = .max,
                    style: Style = .plain) -> Int {
        var rows = 0
        for line in DisplayWidth.wrap(text, width: max(1, width)) {
            guard rows < maxRows, row + rows < frame.size.rows - 1 else { break }
            frame.put(line, row: row + rows, column: column, style: style, maxWidth: width)
            rows += 1
        }
        return rows
    }
}
