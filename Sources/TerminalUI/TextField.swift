/// A single-line text editor: the value, its cursor and its horizontal scroll.
///
/// Pure value type: `handle(_:)` edits, `render(into:at:focused:)` draws. The cursor is an index
/// in `Character`s so editing never splits a grapheme; scrolling is measured in display columns
/// so CJK text keeps the cursor visible.
public struct TextField: Hashable, Sendable {
    /// The value, one element per `Character`: typing, deleting and scrolling cost what they touch
    /// near the cursor, not the whole value. As one `String`, every key rebuilt and recounted it, so
    /// 25,892 characters typed (an unbracketed paste) took minutes, keys and Ctrl-C waiting behind them.
    private var characters: [Character]
    /// Cursor position as a `Character` offset into `text` (0...text.count).
    public private(set) var cursor: Int
    /// Index of the first visible `Character` at the last `scrollToCursor(width:)`.
    public private(set) var scrollOffset: Int
    /// Shown (dimmed) while the value is empty.
    public var placeholder: String
    /// Draws one "•" per character instead of the value, for secrets.
    public var isMasked: Bool

    public init(text: String = "", placeholder: String = "", isMasked: Bool = false) {
        self.characters = Array(TextInputSanitizer.singleLine(text))
        self.cursor = characters.count
        self.scrollOffset = 0
        self.placeholder = placeholder
        self.isMasked = isMasked
    }

    /// The value. Setting it moves the cursor to the end; line breaks and tabs become spaces.
    public var text: String {
        get { String(characters) }
        set {
            characters = Array(TextInputSanitizer.singleLine(newValue))
            cursor = characters.count
        }
    }

    public var isEmpty: Bool { characters.isEmpty }

    /// Moves the cursor to `index` (clamped to the text).
    public mutating func moveCursor(to index: Int) {
        cursor = min(max(0, index), characters.count)
    }

    // MARK: Editing

    /// Applies `key`. Returns true if the field consumed it; Enter, Tab, Esc, Up/Down and unknown
    /// control keys are left for the caller (focus movement, submit, cancel).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            guard !character.unicodeScalars.contains(where: { WidthTable.isControl($0.value) }) else { return false }
            insert(String(character))
        case .paste(let pasted):
            insert(TextInputSanitizer.singleLine(pasted))
        case .backspace, .control("h"):
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
            rejoin(at: cursor)
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
            rejoin(at: cursor)
        case .left, .control("b"):
            cursor = max(0, cursor - 1)
        case .right, .control("f"):
            cursor = min(characters.count, cursor + 1)
        case .home, .control("a"):
            cursor = 0
        case .end, .control("e"):
            cursor = characters.count
        case .control("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .control("k"):
            characters.removeLast(characters.count - cursor)
        case .control("w"):
            deleteWordBeforeCursor()
        default:
            return false
        }
        return true
    }

    /// Inserts at the cursor and puts the cursor after the insertion. Only the characters beside
    /// the cursor can merge with it (a combining mark joins the letter before it, a regional
    /// indicator its pair), so only they are read again as characters.
    private mutating func insert(_ inserted: String) {
        guard !inserted.isEmpty else { return }
        let lower = max(0, cursor - 1)
        let upper = min(characters.count, cursor + 1)
        let head = String(characters[lower..<cursor]) + inserted
        let window = Array(head + String(characters[cursor..<upper]))
        characters.replaceSubrange(lower..<upper, with: window)
        cursor = lower + min(head.count, window.count)
    }

    /// After a deletion at `index`: the characters now beside each other there are read again,
    /// in case they form one (two halves of a flag).
    private mutating func rejoin(at index: Int) {
        guard index > 0, index < characters.count else { return }
        let joined = Array(String(characters[index - 1]) + String(characters[index]))
        guard joined.count != 2 else { return }
        characters.replaceSubrange((index - 1)...index, with: joined)
        if cursor > index { cursor -= 1 }
    }

    private mutating func deleteWordBeforeCursor() {
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
        rejoin(at: cursor)
    }

    // MARK: Scrolling

    /// The first visible character when the field is `width` columns wide: the stored
    /// `scrollOffset`, moved as little as possible so the cursor is visible and no space is
    /// wasted on the right. Measures only the characters that can be on screen.
    public func visibleStart(width: Int) -> Int {
        guard width > 0 else { return cursor }
        // The smallest start at or after the remembered one from which the cursor's cell (a blank
        // cell when at the end) still fits: found walking back from the cursor.
        var start = cursor
        var span = cursor < characters.count ? columns(at: cursor) : 1
        let earliest = min(scrollOffset, cursor)
        while start > earliest, span + columns(at: start - 1) <= width {
            start -= 1
            span += columns(at: start)
        }
        // Columns from `start` to the end (with the cell after it), counted only while they fit:
        // with room left, the start moves back so no space is wasted on the right.
        var tail = 1
        var index = start
        while index < characters.count, tail <= width {
            tail += columns(at: index)
            index += 1
        }
        while start > 0, tail + columns(at: start - 1) <= width {
            start -= 1
            tail += columns(at: start)
        }
        return start
    }

    /// Remembers the scroll position for a field `width` columns wide, so the next render keeps
    /// the text still while the cursor moves inside the visible part.
    public mutating func scrollToCursor(width: Int) {
        scrollOffset = visibleStart(width: width)
    }

    /// The character at `index` as drawn: itself, or a bullet when masked.
    private func displayed(at index: Int) -> Character {
        isMasked ? "•" : characters[index]
    }

    private func columns(at index: Int) -> Int {
        DisplayWidth.of(displayed(at: index))
    }

    // MARK: Rendering

    /// Draws the field into the first row of `rect`; when `focused`, sets `frame.cursor`.
    public func render(
        into frame: inout Frame,
        at rect: Rect,
        focused: Bool,
        style: Style = .input,
        placeholderStyle: Style = Style.muted.underlined()
    ) {
        let line = rect.row(0)
        guard !line.isEmpty else { return }
        frame.fill(line, style: style)
        if characters.isEmpty {
            frame.put(DisplayWidth.truncate(placeholder, toWidth: line.width), row: line.y, column: line.x,
                      style: placeholderStyle, maxWidth: line.width)
            if focused { frame.cursor = Position(row: line.y, column: line.x) }
            return
        }
        let start = visibleStart(width: line.width)
        var column = 0
        var cursorColumn: Int?
        for index in start..<characters.count {
            if index == cursor { cursorColumn = column }
            guard column < line.width else { break }
            column += frame.put(String(displayed(at: index)), row: line.y, column: line.x + column,
                                style: style, maxWidth: line.width - column)
        }
        if cursor == characters.count, column < line.width { cursorColumn = column }
        if focused, let cursorColumn {
            frame.cursor = Position(row: line.y, column: line.x + cursorColumn)
        }
    }
}
