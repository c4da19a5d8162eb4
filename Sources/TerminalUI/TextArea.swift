/// A multi-line text editor (for JSON schemas and records): lines, a cursor, and scrolling.
///
/// Pure value type like `TextField`. The cursor column is a `Character` offset within its line;
/// horizontal scrolling is in display columns so lines with CJK text scroll together.
public struct TextArea: Hashable, Sendable {
    /// The lines, without "\n". Never empty: an empty text is one empty line.
    public private(set) var lines: [String]
    /// The cursor's line (0-based).
    public private(set) var cursorRow: Int
    /// The cursor's `Character` offset within its line (0...line.count).
    public private(set) var cursorColumn: Int
    /// First visible line at the last `scrollToCursor(viewport:)`.
    public private(set) var scrollRow: Int
    /// First visible display column at the last `scrollToCursor(viewport:)`.
    public private(set) var scrollColumn: Int
    /// Draws right-aligned line numbers in a gutter left of the text.
    public var showsLineNumbers: Bool
    /// Lines moved by Page Up / Page Down; `scrollToCursor(viewport:)` sets it to the viewport.
    public var pageHeight: Int
    /// Display column that Up/Down try to keep, so moving through a short line does not lose it.
    private var goalColumn: Int?

    /// Spaces a tab expands to (tabs have no width in a `Frame`).
    public static let tabWidth = 4

    public init(text: String = "", showsLineNumbers: Bool = false) {
        self.lines = Self.split(text)
        self.cursorRow = 0
        self.cursorColumn = 0
        self.scrollRow = 0
        self.scrollColumn = 0
        self.showsLineNumbers = showsLineNumbers
        self.pageHeight = 10
        self.goalColumn = nil
    }

    /// The lines joined with "\n". Setting it normalises line breaks, expands tabs, drops other
    /// control characters and moves the cursor and the scroll position to the start.
    public var text: String {
        get { lines.joined(separator: "\n") }
        set {
            lines = Self.split(newValue)
            cursorRow = 0
            cursorColumn = 0
            scrollRow = 0
            scrollColumn = 0
            goalColumn = nil
        }
    }

    public var cursor: Position { Position(row: cursorRow, column: cursorColumn) }

    /// Moves the cursor to `row` and `column` (a `Character` offset), clamped to the text.
    public mutating func moveCursor(row: Int, column: Int) {
        cursorRow = min(max(0, row), lines.count - 1)
        cursorColumn = min(max(0, column), lines[cursorRow].count)
        goalColumn = nil
    }

    private static func split(_ text: String) -> [String] {
        TextInputSanitizer.multiline(text, tabWidth: tabWidth)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    // MARK: Editing

    /// Applies `key`. Returns true if the area consumed it; Tab, Shift-Tab, Esc and unknown
    /// control keys are left for the caller (focus movement, cancel, save).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            if character == "\n" || character == "\r\n" || character == "\r" {
                insertLineBreak()
            } else if character.unicodeScalars.contains(where: { WidthTable.isControl($0.value) }) {
                return false
            } else {
                insert(String(character))
            }
        case .paste(let pasted):
            insert(TextInputSanitizer.multiline(pasted, tabWidth: Self.tabWidth))
        case .enter:
            insertLineBreak()
        case .backspace, .control("h"):
            deleteBackward()
        case .delete, .control("d"):
            deleteForward()
        case .left, .control("b"):
            if cursorColumn > 0 {
                cursorColumn -= 1
            } else if cursorRow > 0 {
                cursorRow -= 1
                cursorColumn = lines[cursorRow].count
            }
            goalColumn = nil
        case .right, .control("f"):
            if cursorColumn < lines[cursorRow].count {
                cursorColumn += 1
            } else if cursorRow < lines.count - 1 {
                cursorRow += 1
                cursorColumn = 0
            }
            goalColumn = nil
        case .up, .control("p"):
            if cursorRow == 0 {
                cursorColumn = 0
                goalColumn = nil
            } else {
                moveVertically(by: -1)
            }
        case .down, .control("n"):
            if cursorRow == lines.count - 1 {
                cursorColumn = lines[cursorRow].count
                goalColumn = nil
            } else {
                moveVertically(by: 1)
            }
        case .pageUp:
            let step = max(1, pageHeight)
            scrollRow = max(0, scrollRow - step)
            moveVertically(by: -step)
        case .pageDown:
            let step = max(1, pageHeight)
            scrollRow = min(max(0, lines.count - step), scrollRow + step)
            moveVertically(by: step)
        case .home, .control("a"):
            cursorColumn = 0
            goalColumn = nil
        case .end, .control("e"):
            cursorColumn = lines[cursorRow].count
            goalColumn = nil
        case .control("k"):
            let line = lines[cursorRow]
            if cursorColumn == line.count {
                deleteForward()  // at the end of a line, Ctrl-K joins the next one
            } else {
                lines[cursorRow] = String(line.prefix(cursorColumn))
            }
            goalColumn = nil
        default:
            return false
        }
        return true
    }

    /// Inserts `inserted` (which may contain "\n") at the cursor; the cursor ends after it.
    private mutating func insert(_ inserted: String) {
        guard !inserted.isEmpty else { return }
        let line = Array(lines[cursorRow])
        let head = String(line[..<cursorColumn])
        let tail = String(line[cursorColumn...])
        var newLines = (head + inserted).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lastIndex = newLines.count - 1
        let lastHead = newLines[lastIndex]
        newLines[lastIndex] = lastHead + tail
        lines.replaceSubrange(cursorRow...cursorRow, with: newLines)
        cursorRow += lastIndex
        cursorColumn = min(lastHead.count, lines[cursorRow].count)
        goalColumn = nil
    }

    /// Splits the line at the cursor; the new line starts with the current line's indentation
    /// (up to the cursor, so Enter inside the indentation does not duplicate it).
    private mutating func insertLineBreak() {
        let line = Array(lines[cursorRow])
        let indentation = line.prefix { $0 == " " }.prefix(cursorColumn)
        let head = String(line[..<cursorColumn])
        let tail = String(line[cursorColumn...])
        lines[cursorRow] = head
        lines.insert(String(indentation) + tail, at: cursorRow + 1)
        cursorRow += 1
        cursorColumn = indentation.count
        goalColumn = nil
    }

    private mutating func deleteBackward() {
        if cursorColumn > 0 {
            var line = Array(lines[cursorRow])
            line.remove(at: cursorColumn - 1)
            lines[cursorRow] = String(line)
            cursorColumn -= 1
        } else if cursorRow > 0 {
            let removed = lines.remove(at: cursorRow)
            cursorRow -= 1
            cursorColumn = lines[cursorRow].count
            lines[cursorRow] += removed
        }
        goalColumn = nil
    }

    private mutating func deleteForward() {
        if cursorColumn < lines[cursorRow].count {
            var line = Array(lines[cursorRow])
            line.remove(at: cursorColumn)
            lines[cursorRow] = String(line)
        } else if cursorRow < lines.count - 1 {
            let removed = lines.remove(at: cursorRow + 1)
            lines[cursorRow] += removed
        }
        goalColumn = nil
    }

    private mutating func moveVertically(by delta: Int) {
        let goal = goalColumn ?? Self.displayColumn(of: cursorColumn, in: lines[cursorRow])
        cursorRow = min(max(0, cursorRow + delta), lines.count - 1)
        cursorColumn = Self.characterIndex(atDisplayColumn: goal, in: lines[cursorRow])
        goalColumn = goal
    }

    /// Display columns before the `index`-th character of `line`.
    static func displayColumn(of index: Int, in line: String) -> Int {
        line.prefix(index).reduce(0) { $0 + DisplayWidth.of($1) }
    }

    /// The last character index whose display column does not exceed `column`
    /// (never inside a wide character).
    static func characterIndex(atDisplayColumn column: Int, in line: String) -> Int {
        var used = 0
        var index = 0
        for character in line {
            let width = DisplayWidth.of(character)
            if used + width > column { break }
            used += width
            index += 1
        }
        return index
    }

    // MARK: Scrolling

    /// Columns taken by the line-number gutter (digits plus one space), 0 when hidden.
    public var gutterWidth: Int {
        showsLineNumbers ? String(lines.count).count + 1 : 0
    }

    /// The first visible line and display column for a text viewport of `viewport` cells
    /// (excluding the gutter): the stored scroll position moved as little as possible so the
    /// cursor is visible.
    public func visibleOrigin(viewport: Size) -> Position {
        var row = min(scrollRow, max(0, lines.count - max(1, viewport.rows)))
        if cursorRow < row { row = cursorRow }
        if viewport.rows > 0, cursorRow >= row + viewport.rows { row = cursorRow - viewport.rows + 1 }

        let line = lines[cursorRow]
        let cursorX = Self.displayColumn(of: cursorColumn, in: line)
        let cursorCellWidth = cursorColumn < line.count ? max(1, DisplayWidth.of(Array(line)[cursorColumn])) : 1
        var column = scrollColumn
        if cursorX < column { column = cursorX }
        if viewport.columns > 0, cursorX + cursorCellWidth > column + viewport.columns {
            column = cursorX + cursorCellWidth - viewport.columns
        }
        return Position(row: row, column: max(0, column))
    }

    /// Remembers the scroll position for a text viewport of `viewport` cells and uses its height
    /// as the Page Up / Page Down step.
    public mutating func scrollToCursor(viewport: Size) {
        let origin = visibleOrigin(viewport: viewport)
        scrollRow = origin.row
        scrollColumn = origin.column
        pageHeight = max(1, viewport.rows)
    }

    /// The text viewport of a `rect` the area is rendered into (the part right of the gutter).
    public func textViewport(in rect: Rect) -> Rect {
        rect.splitLeft(min(gutterWidth, rect.width)).rest
    }

    // MARK: Rendering

    /// Draws the visible lines into `rect`; when `focused`, sets `frame.cursor`.
    public func render(
        into frame: inout Frame,
        at rect: Rect,
        focused: Bool,
        style: Style = .plain,
        gutterStyle: Style = .muted
    ) {
        guard !rect.isEmpty else { return }
        let (gutter, textRect) = rect.splitLeft(min(gutterWidth, rect.width))
        frame.fill(gutter, style: gutterStyle)
        frame.fill(textRect, style: style)
        let origin = visibleOrigin(viewport: textRect.size)
        for offset in 0..<rect.height {
            let index = origin.row + offset
            guard index < lines.count else { break }
            let y = rect.y + offset
            if !gutter.isEmpty {
                let number = String(index + 1)
                let padded = String(repeating: " ", count: max(0, gutter.width - 1 - number.count)) + number
                frame.put(padded, row: y, column: gutter.x, style: gutterStyle, maxWidth: gutter.width)
            }
            Self.draw(lines[index], skippingColumns: origin.column, into: &frame,
                      at: Rect(x: textRect.x, y: y, width: textRect.width, height: 1), style: style)
        }
        if focused, !textRect.isEmpty {
            let x = Self.displayColumn(of: cursorColumn, in: lines[cursorRow]) - origin.column
            let y = cursorRow - origin.row
            if x >= 0, x < textRect.width, y >= 0, y < textRect.height {
                frame.cursor = Position(row: textRect.y + y, column: textRect.x + x)
            }
        }
    }

    /// Draws `line` scrolled left by `skipped` display columns into the one-row `rect`;
    /// a wide character cut by the left edge shows as a space.
    private static func draw(_ line: String, skippingColumns skipped: Int, into frame: inout Frame,
                             at rect: Rect, style: Style) {
        var column = 0
        for character in line {
            let width = DisplayWidth.of(character)
            defer { column += width }
            if column + width <= skipped { continue }
            let x = column - skipped
            if x >= rect.width { break }
            if x < 0 {
                frame.put(String(repeating: " ", count: x + width), row: rect.y, column: rect.x, style: style,
                          maxWidth: rect.width)
                continue
            }
            frame.put(String(character), row: rect.y, column: rect.x + x, style: style, maxWidth: rect.width - x)
        }
    }
}
