/// A single-line text editor: the value, its cursor and its horizontal scroll.
///
/// Pure value type: `handle(_:)` edits, `render(into:at:focused:)` draws. The cursor is an index
/// in `Character`s so editing never splits a grapheme; scrolling is measured in display columns
/// so CJK text keeps the cursor visible.
public struct TextField: Hashable, Sendable {
    private var storage: String
    /// Cursor position as a `Character` offset into `text` (0...text.count).
    public private(set) var cursor: Int
    /// Index of the first visible `Character` at the last `scrollToCursor(width:)`.
    public private(set) var scrollOffset: Int
    /// Shown (dimmed) while the value is empty.
    public var placeholder: String
    /// Draws one "•" per character instead of the value, for secrets.
    public var isMasked: Bool

    public init(text: String = "", placeholder: String = "", isMasked: Bool = false) {
        self.storage = TextInputSanitizer.singleLine(text)
        self.cursor = storage.count
        self.scrollOffset = 0
        self.placeholder = placeholder
        self.isMasked = isMasked
    }

    /// The value. Setting it moves the cursor to the end; line breaks and tabs become spaces.
    public var text: String {
        get { storage }
        set {
            storage = TextInputSanitizer.singleLine(newValue)
            cursor = storage.count
        }
    }

    public var isEmpty: Bool { storage.isEmpty }

    /// Moves the cursor to `index` (clamped to the text).
    public mutating func moveCursor(to index: Int) {
        cursor = min(max(0, index), storage.count)
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
            let characters = Array(storage)
            storage = String(characters[..<(cursor - 1)]) + String(characters[cursor...])
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < storage.count else { return true }
            let characters = Array(storage)
            storage = String(characters[..<cursor]) + String(characters[(cursor + 1)...])
        case .left, .control("b"):
            cursor = max(0, cursor - 1)
        case .right, .control("f"):
            cursor = min(storage.count, cursor + 1)
        case .home, .control("a"):
            cursor = 0
        case .end, .control("e"):
            cursor = storage.count
        case .control("u"):
            storage = String(storage.dropFirst(cursor))
            cursor = 0
        case .control("k"):
            storage = String(storage.prefix(cursor))
        case .control("w"):
            deleteWordBeforeCursor()
        default:
            return false
        }
        return true
    }

    private mutating func insert(_ inserted: String) {
        guard !inserted.isEmpty else { return }
        let characters = Array(storage)
        let head = String(characters[..<cursor]) + inserted
        storage = head + String(characters[cursor...])
        // A combining mark merges with the character before it, so count rather than add.
        cursor = min(head.count, storage.count)
    }

    private mutating func deleteWordBeforeCursor() {
        var characters = Array(storage)
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        storage = String(characters)
        cursor = start
    }

    // MARK: Scrolling

    /// The first visible character when the field is `width` columns wide: the stored
    /// `scrollOffset`, moved as little as possible so the cursor is visible and no space is
    /// wasted on the right.
    public func visibleStart(width: Int) -> Int {
        guard width > 0 else { return cursor }
        let widths = displayCharacters.map { DisplayWidth.of($0) }
        var start = min(scrollOffset, cursor)
        // Columns from `start` through the cursor cell (a blank cell when at the end).
        var span = widths[start..<cursor].reduce(0, +) + (cursor < widths.count ? widths[cursor] : 1)
        while span > width, start < cursor {
            span -= widths[start]
            start += 1
        }
        var tail = widths[start...].reduce(0, +) + 1
        while start > 0, tail + widths[start - 1] <= width {
            start -= 1
            tail += widths[start]
        }
        return start
    }

    /// Remembers the scroll position for a field `width` columns wide, so the next render keeps
    /// the text still while the cursor moves inside the visible part.
    public mutating func scrollToCursor(width: Int) {
        scrollOffset = visibleStart(width: width)
    }

    /// The characters as drawn: the value, or one bullet per character when masked.
    private var displayCharacters: [Character] {
        isMasked ? Array(repeating: "•", count: storage.count) : Array(storage)
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
        if storage.isEmpty {
            frame.put(DisplayWidth.truncate(placeholder, toWidth: line.width), row: line.y, column: line.x,
                      style: placeholderStyle, maxWidth: line.width)
            if focused { frame.cursor = Position(row: line.y, column: line.x) }
            return
        }
        let characters = displayCharacters
        let start = visibleStart(width: line.width)
        var column = 0
        var cursorColumn: Int?
        for index in start..<characters.count {
            if index == cursor { cursorColumn = column }
            guard column < line.width else { break }
            column += frame.put(String(characters[index]), row: line.y, column: line.x + column,
                                style: style, maxWidth: line.width - column)
        }
        if cursor == characters.count, column < line.width { cursorColumn = column }
        if focused, let cursorColumn {
            frame.cursor = Position(row: line.y, column: line.x + cursorColumn)
        }
    }
}
