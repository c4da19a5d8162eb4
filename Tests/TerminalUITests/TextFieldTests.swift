import Testing
@testable import TerminalUI

@Suite struct TextFieldTests {
    private func typed(_ text: String, into field: TextField = TextField()) -> TextField {
        var field = field
        for character in text { #expect(field.handle(.character(character)) == true) }
        return field
    }

    private func rendered(_ field: TextField, width: Int, focused: Bool = true) -> Frame {
        var frame = Frame(size: Size(columns: width + 2, rows: 1))
        field.render(into: &frame, at: Rect(x: 1, y: 0, width: width, height: 1), focused: focused)
        return frame
    }

    @Test func typingInsertsAtTheCursor() {
        var field = typed("hllo")
        #expect(field.cursor == 4)
        for _ in 0..<3 { #expect(field.handle(.left) == true) }
        #expect(field.handle(.character("é")) == true)
        #expect(field.text == "héllo")
        #expect(field.cursor == 2)
    }

    @Test func backspaceAndDeleteRemoveWholeCharacters() {
        var field = typed("ae\u{301}日b")
        #expect(field.handle(.backspace) == true)
        #expect(field.text == "ae\u{301}日")
        field.moveCursor(to: 1)
        #expect(field.handle(.delete) == true)
        #expect(field.text == "a日")
        field.moveCursor(to: 0)
        #expect(field.handle(.backspace) == true)  // consumed even at the start
        #expect(field.text == "a日")
    }

    @Test func navigationKeys() {
        var field = typed("hello")
        #expect(field.handle(.home) == true)
        #expect(field.cursor == 0)
        #expect(field.handle(.end) == true)
        #expect(field.cursor == 5)
        #expect(field.handle(.control("a")) == true)
        #expect(field.cursor == 0)
        #expect(field.handle(.left) == true)
        #expect(field.cursor == 0)
        #expect(field.handle(.control("e")) == true)
        #expect(field.cursor == 5)
        #expect(field.handle(.right) == true)
        #expect(field.cursor == 5)
    }

    @Test func killKeys() {
        var field = typed("hello big world")
        field.moveCursor(to: 9)
        #expect(field.handle(.control("u")) == true)
        #expect(field.text == " world")
        #expect(field.cursor == 0)

        field = typed("hello big world")
        field.moveCursor(to: 5)
        #expect(field.handle(.control("k")) == true)
        #expect(field.text == "hello")

        field = typed("hello big world")
        #expect(field.handle(.control("w")) == true)
        #expect(field.text == "hello big ")
    }

    @Test func keysForTheCallerAreNotConsumed() {
        var field = typed("x")
        for key: Key in [.enter, .tab, .backTab, .escape, .up, .down, .control("c"), .control("s"), .resize, .function(1)] {
            #expect(field.handle(key) == false, "\(key)")
        }
        #expect(field.text == "x")
    }

    @Test func pasteInsertsLiterallyWithNewlinesAsSpaces() {
        var field = typed("ab")
        field.moveCursor(to: 1)
        #expect(field.handle(.paste("one\r\ntwo\nthree\tq")) == true)
        #expect(field.text == "aone two three qb")
        #expect(field.cursor == 16)
    }

    @Test func pasteDropsControlCharactersButKeepsUnknownScalars() {
        var field = TextField()
        #expect(field.handle(.paste("a\u{1B}[31mb\u{7}\u{1FAE8}")) == true)
        #expect(field.text == "a[31mb\u{1FAE8}")
        #expect(field.handle(.character("\u{7}")) == false)
    }

    @Test func combiningMarkTypedSeparatelyJoinsItsLetter() {
        var field = typed("e")
        #expect(field.handle(.character("\u{301}")) == true)
        #expect(field.text == "e\u{301}")
        #expect(field.text.count == 1)
        #expect(field.cursor == 1)
    }

    @Test func settingTextMovesCursorToTheEndAndFlattensLines() {
        var field = TextField(text: "a\nb")
        #expect(field.text == "a b")
        #expect(field.cursor == 3)
        field.text = "xy"
        #expect(field.cursor == 2)
    }

    @Test func rendersValuePlaceholderAndCursor() {
        var frame = rendered(typed("abc"), width: 6)
        #expect(frame.text == " abc")
        #expect(frame[0, 1].style == .input)
        #expect(frame[0, 6].style == .input)  // the whole field is painted
        #expect(frame[0, 7].style == .plain)
        #expect(frame.cursor == Position(row: 0, column: 4))

        frame = rendered(TextField(placeholder: "name"), width: 6)
        #expect(frame.text == " name")
        #expect(frame[0, 1].style.dim)
        #expect(frame.cursor == Position(row: 0, column: 1))

        frame = rendered(typed("abc"), width: 6, focused: false)
        #expect(frame.cursor == nil)
    }

    @Test func maskedFieldShowsOneBulletPerCharacter() {
        let field = typed("s3cr3t日", into: TextField(isMasked: true))
        let frame = rendered(field, width: 10)
        #expect(frame.text == " •••••••")
        #expect(!frame.text.contains("s3cr3t"))
        #expect(frame.cursor == Position(row: 0, column: 8))
    }

    @Test func scrollsSoTheCursorStaysVisible() {
        var field = typed("abcdefghij")
        var frame = rendered(field, width: 5)
        #expect(frame.text == " ghij")  // four characters plus the cursor cell
        #expect(frame.cursor == Position(row: 0, column: 5))

        field.moveCursor(to: 0)
        frame = rendered(field, width: 5)
        #expect(frame.text == " abcde")
        #expect(frame.cursor == Position(row: 0, column: 1))
    }

    @Test func rememberedScrollKeepsTheTextStillWhileTheCursorMovesInside() {
        var field = typed("abcdefghij")
        field.scrollToCursor(width: 5)
        #expect(field.scrollOffset == 6)
        _ = field.handle(.left)
        _ = field.handle(.left)
        #expect(rendered(field, width: 5).text == " ghij")
        #expect(rendered(field, width: 5).cursor == Position(row: 0, column: 3))

        // Without the remembered offset the cursor drags the text along instead.
        var fresh = typed("abcdefghij")
        fresh.moveCursor(to: 8)
        #expect(rendered(fresh, width: 5).text == " efghi")
    }

    @Test func scrollingIsMeasuredInDisplayColumnsForCJK() {
        var field = typed("日本語テキスト")
        var frame = rendered(field, width: 6)
        #expect(frame.text == " スト")
        #expect(frame.cursor == Position(row: 0, column: 5))

        field.moveCursor(to: 0)
        frame = rendered(field, width: 5)
        #expect(frame.text == " 日本")  // 語 does not fit in the last column
        #expect(frame[0, 5].text == " ")
        #expect(frame.cursor == Position(row: 0, column: 1))
    }

    @Test func deletingWhileScrolledPullsTextBackIntoView() {
        var field = typed("abcdefghij")
        field.scrollToCursor(width: 5)
        for _ in 0..<6 { _ = field.handle(.backspace) }
        #expect(field.text == "abcd")
        #expect(rendered(field, width: 5).text == " abcd")
    }
}
