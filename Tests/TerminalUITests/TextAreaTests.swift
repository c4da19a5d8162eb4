import Testing
@testable import TerminalUI

@Suite struct TextAreaTests {
    private func area(_ text: String, row: Int = 0, column: Int = 0, lineNumbers: Bool = false) -> TextArea {
        var area = TextArea(text: text, showsLineNumbers: lineNumbers)
        area.moveCursor(row: row, column: column)
        return area
    }

    private func press(_ keys: [Key], in area: inout TextArea) {
        for key in keys { #expect(area.handle(key) == true, "\(key)") }
    }

    @Test func textRoundTripsAndNormalisesInput() {
        #expect(TextArea().lines == [""])
        #expect(TextArea(text: "a\nb\n").lines == ["a", "b", ""])
        var area = TextArea(text: "x\r\ny\rz\tw\u{7}")
        #expect(area.lines == ["x", "y", "z    w"])
        area.text = "{\n  \"a\": 1\n}"
        #expect(area.text == "{\n  \"a\": 1\n}")
        #expect(area.cursor == Position(row: 0, column: 0))
    }

    @Test func typingAndEnterKeepIndentation() {
        var area = area("  foo", row: 0, column: 5)
        press([.enter, .character("b"), .character("日")], in: &area)
        #expect(area.lines == ["  foo", "  b日"])
        #expect(area.cursor == Position(row: 1, column: 4))
    }

    @Test func enterInsideIndentationDoesNotDuplicateIt() {
        var area = area("    x", row: 0, column: 2)
        press([.enter], in: &area)
        #expect(area.lines == ["  ", "    x"])
        #expect(area.cursor == Position(row: 1, column: 2))
    }

    @Test func enterSplitsTheLineAtTheCursor() {
        var area = area("hello world", row: 0, column: 5)
        press([.enter], in: &area)
        #expect(area.lines == ["hello", " world"])
        #expect(area.cursor == Position(row: 1, column: 0))
    }

    @Test func backspaceAtLineStartJoinsLines() {
        var area = area("ab\ncd", row: 1, column: 0)
        press([.backspace], in: &area)
        #expect(area.lines == ["abcd"])
        #expect(area.cursor == Position(row: 0, column: 2))
        press([.backspace], in: &area)
        #expect(area.lines == ["acd"])
    }

    @Test func deleteAtLineEndJoinsTheNextLine() {
        var area = area("ab\ncd", row: 0, column: 2)
        press([.delete], in: &area)
        #expect(area.lines == ["abcd"])
        press([.delete], in: &area)
        #expect(area.lines == ["abd"])
        #expect(area.cursor == Position(row: 0, column: 2))
    }

    @Test func leftAndRightWrapAcrossLines() {
        var area = area("ab\ncd", row: 1, column: 0)
        press([.left], in: &area)
        #expect(area.cursor == Position(row: 0, column: 2))
        press([.right], in: &area)
        #expect(area.cursor == Position(row: 1, column: 0))
    }

    @Test func upAndDownKeepTheGoalColumnByDisplayWidth() {
        var area = area("abcdef\nx\n日本語", row: 0, column: 4)
        press([.down], in: &area)
        #expect(area.cursor == Position(row: 1, column: 1))
        press([.down], in: &area)
        #expect(area.cursor == Position(row: 2, column: 2))  // display column 4 = after 日本
        press([.up, .up], in: &area)
        #expect(area.cursor == Position(row: 0, column: 4))
        press([.up], in: &area)
        #expect(area.cursor == Position(row: 0, column: 0))
    }

    @Test func homeEndAndPaging() {
        var area = area((1...30).map { "line \($0)" }.joined(separator: "\n"), row: 0, column: 2)
        area.pageHeight = 10
        press([.end], in: &area)
        #expect(area.cursor == Position(row: 0, column: 6))
        press([.home], in: &area)
        #expect(area.cursor == Position(row: 0, column: 0))
        press([.pageDown], in: &area)
        #expect(area.cursorRow == 10)
        press([.pageDown, .pageDown, .pageDown], in: &area)
        #expect(area.cursorRow == 29)
        press([.pageUp], in: &area)
        #expect(area.cursorRow == 19)
    }

    @Test func pasteKeepsNewlinesLiterally() {
        var area = area("[]", row: 0, column: 1)
        press([.paste("\n  1,\r\n  2\n")], in: &area)
        #expect(area.lines == ["[", "  1,", "  2", "]"])
        #expect(area.cursor == Position(row: 3, column: 0))
    }

    @Test func focusKeysAreLeftToTheCaller() {
        var area = area("x")
        for key: Key in [.tab, .backTab, .escape, .control("s"), .function(2), .resize] {
            #expect(area.handle(key) == false, "\(key)")
        }
        #expect(area.text == "x")
    }

    @Test func rendersLineNumbersAndScrollsVerticallyToTheCursor() {
        let text = (1...20).map { "row \($0)" }.joined(separator: "\n")
        let area = area(text, row: 11, column: 0, lineNumbers: true)
        var frame = Frame(size: Size(columns: 12, rows: 5))
        area.render(into: &frame, at: frame.bounds, focused: true)
        #expect(frame.text == """
         8 row 8
         9 row 9
        10 row 10
        11 row 11
        12 row 12
        """)
        #expect(frame[0, 0].style == .muted)
        #expect(frame.cursor == Position(row: 4, column: 3))
    }

    @Test func scrollsHorizontallyByDisplayWidth() {
        let area = area("日本語テキスト\nabcdefghijklmn", row: 0, column: 5)
        var frame = Frame(size: Size(columns: 6, rows: 2))
        area.render(into: &frame, at: frame.bounds, focused: true)
        // Cursor at display column 10 on キ (2 wide): the view starts at column 6.
        #expect(frame.lines == ["テキス", "ghijkl"])
        #expect(frame.cursor == Position(row: 0, column: 4))
    }

    @Test func wideCharacterCutByTheLeftEdgeShowsAsSpace() {
        var area = area("日本語\nabcdef", row: 1, column: 6)
        area.scrollToCursor(viewport: Size(columns: 4, rows: 2))
        #expect(area.scrollColumn == 3)  // inside 本 (columns 2-3)
        var frame = Frame(size: Size(columns: 4, rows: 2))
        area.render(into: &frame, at: frame.bounds, focused: true)
        #expect(frame.lines == [" 語", "def"])
        #expect(frame[0, 0] == .blank)
        #expect(frame[0, 1].text == "語")
        #expect(frame.cursor == Position(row: 1, column: 3))
    }

    @Test func rememberedScrollKeepsTheViewStill() {
        let text = (1...20).map { "\($0)" }.joined(separator: "\n")
        var area = area(text, row: 19, column: 0)
        area.scrollToCursor(viewport: Size(columns: 10, rows: 5))
        #expect(area.scrollRow == 15)
        #expect(area.pageHeight == 5)
        press([.up, .up], in: &area)
        var frame = Frame(size: Size(columns: 10, rows: 5))
        area.render(into: &frame, at: frame.bounds, focused: true)
        #expect(frame.lines.first == "16")
        #expect(frame.cursor == Position(row: 2, column: 0))
    }

    @Test func unfocusedAreaHidesTheCursor() {
        let area = area("x")
        var frame = Frame(size: Size(columns: 4, rows: 2))
        area.render(into: &frame, at: frame.bounds, focused: false)
        #expect(frame.cursor == nil)
        #expect(frame.text == "x\n")
    }
}
