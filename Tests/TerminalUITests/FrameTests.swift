import Testing
@testable import TerminalUI

@Suite struct FrameTests {
    @Test func newFrameIsBlankWithHiddenCursor() {
        let frame = Frame(size: Size(columns: 4, rows: 2))
        #expect(frame.cells.count == 8)
        #expect(frame[1, 3] == .blank)
        #expect(frame.cursor == nil)
        #expect(frame.text == "\n")
    }

    @Test func putWritesAsciiAndReturnsColumnsUsed() {
        var frame = Frame(size: Size(columns: 10, rows: 2))
        let used = frame.put("hi", row: 1, column: 3, style: .error)
        #expect(used == 2)
        #expect(frame[1, 3] == Cell(text: "h", style: .error))
        #expect(frame[row: 1, column: 4] == frame[1, 4])
        #expect(frame[1, 4].text == "i")
        #expect(frame.lines == ["", "   hi"])
    }

    @Test func wideCharactersTakeACellAndAContinuation() {
        var frame = Frame(size: Size(columns: 10, rows: 1))
        let used = frame.put("日本語", row: 0, column: 1)
        #expect(used == 6)
        #expect(frame[0, 1].text == "日")
        #expect(frame[0, 2].isContinuation)
        #expect(frame[0, 2].text == "")
        #expect(frame[0, 3].text == "本")
        #expect(frame.text == " 日本語")
    }

    @Test func wideCharacterThatDoesNotFitAtTheEdgeBecomesASpace() {
        var frame = Frame(size: Size(columns: 5, rows: 1))
        let used = frame.put("abcd日", row: 0, column: 0, style: .accent)
        #expect(used == 5)
        #expect(frame[0, 4] == Cell(text: " ", style: .accent))
        #expect(frame.text == "abcd")
    }

    @Test func maxWidthClipsAndPadsAHalfWideCharacter() {
        var frame = Frame(size: Size(columns: 10, rows: 1))
        let used = frame.put("ab日本", row: 0, column: 2, maxWidth: 3)
        #expect(used == 3)
        #expect(frame[0, 4].text == " ")
        #expect(!frame[0, 5].isContinuation)
        #expect(frame[0, 5].text == " ")
        #expect(frame.text == "  ab")
    }

    @Test func zeroWidthScalarsAttachToThePreviousCell() {
        var frame = Frame(size: Size(columns: 10, rows: 1))
        let used = frame.put("e\u{301}x❤\u{FE0F}", row: 0, column: 0)
        #expect(used == 3)
        #expect(frame[0, 0].text == "e\u{301}")
        #expect(frame[0, 1].text == "x")
        #expect(frame[0, 2].text == "❤\u{FE0F}")
    }

    @Test func combiningMarksAreCappedToWhatACursesCellHolds() {
        var frame = Frame(size: Size(columns: 4, rows: 1))
        frame.put("a" + String(repeating: "\u{301}", count: 7), row: 0, column: 0)
        #expect(frame[0, 0].text.unicodeScalars.count == 1 + Frame.maxCombiningScalars)
    }

    @Test func zeroWidthJoinerIsDroppedSoFamiliesLayOutAsSeparateEmoji() {
        var frame = Frame(size: Size(columns: 10, rows: 1))
        let used = frame.put("👨\u{200D}👩\u{200D}👧", row: 0, column: 0)
        #expect(used == 6)
        #expect(frame[0, 0].text == "👨")
        #expect(frame[0, 2].text == "👩")
        #expect(frame[0, 4].text == "👧")
        #expect(!frame.cells.contains { $0.text.unicodeScalars.contains("\u{200D}") })
    }

    @Test func controlCharactersAreDroppedAndUnknownScalarsReplaced() {
        var frame = Frame(size: Size(columns: 10, rows: 1))
        let used = frame.put("a\tb\u{1B}c\u{1FAE8}", row: 0, column: 0)
        #expect(used == 4)
        #expect(frame.text == "abc\u{FFFD}")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var frame = Frame(size: Size(columns: 6, rows: 1))
        frame.put("日本語", row: 0, column: 0)
        frame.put("x", row: 0, column: 1)  // right half of 日
        #expect(frame[0, 0] == .blank)
        #expect(frame.text == " x本語")
        frame.put("y", row: 0, column: 2)  // left half of 本
        #expect(!frame[0, 3].isContinuation)
        #expect(frame.text == " xy 語")
    }

    @Test func textClippedAtTheLeftEdgeKeepsAlignment() {
        var frame = Frame(size: Size(columns: 6, rows: 1))
        let used = frame.put("日本", row: 0, column: -1)
        #expect(used == 4)  // the advance, so `column += put(...)` stays aligned
        #expect(frame[0, 0].text == " ")
        #expect(frame[0, 1].text == "本")
        #expect(frame.text == " 本")
    }

    @Test func maxWidthCountsFromTheStartColumnEvenWhenClipped() {
        var frame = Frame(size: Size(columns: 6, rows: 1))
        #expect(frame.put("abcdef", row: 0, column: -2, maxWidth: 4) == 4)
        #expect(frame.text == "cd")
        #expect(frame.put("xyz", row: 0, column: 4, maxWidth: .max) == 2)
        #expect(frame.text == "cd  xy")
    }

    @Test func putOutsideTheFrameIsIgnored() {
        var frame = Frame(size: Size(columns: 3, rows: 1))
        #expect(frame.put("x", row: 1, column: 0) == 0)
        #expect(frame.put("x", row: -1, column: 0) == 0)
        #expect(frame.put("x", row: 0, column: 3) == 0)
        #expect(frame.text == "")
    }

    @Test func fillPaintsTheClippedRectangle() {
        var frame = Frame(size: Size(columns: 4, rows: 3))
        frame.put("日本", row: 1, column: 0)
        frame.fill(Rect(x: 1, y: 1, width: 10, height: 1), style: .selected)
        #expect(frame[1, 0] == .blank)  // its right half was painted over
        #expect(frame[1, 1] == Cell(text: " ", style: .selected))
        #expect(frame[1, 3].style == .selected)
        #expect(frame[0, 1].style == .plain)
        #expect(frame[2, 1].style == .plain)
    }

    @Test func boxDrawsUnicodeBordersWithATitle() {
        var frame = Frame(size: Size(columns: 12, rows: 4))
        frame.box(Rect(x: 0, y: 0, width: 12, height: 4), title: "Hi", style: .muted)
        #expect(frame.text == """
        ┌─ Hi ─────┐
        │          │
        │          │
        └──────────┘
        """)
        #expect(frame[0, 0].style == .muted)
        #expect(frame[0, 3].text == "H")
    }

    @Test func boxTruncatesAWideTitle() {
        var frame = Frame(size: Size(columns: 10, rows: 3))
        frame.box(Rect(x: 0, y: 0, width: 10, height: 3), title: "日本語テキスト", titleStyle: .title)
        #expect(frame.lines[0] == "┌─ 日… ──┐")
        #expect(DisplayWidth.of(frame.lines[0]) == 10)
        #expect(frame[0, 3].style == .title)
    }

    @Test func boxTooSmallDrawsNothing() {
        var frame = Frame(size: Size(columns: 5, rows: 3))
        frame.box(Rect(x: 0, y: 0, width: 1, height: 3))
        #expect(frame.text == "\n\n")
    }

    @Test func ansiTextEmitsSgrOnStyleChangesAndResetsPerLine() {
        var frame = Frame(size: Size(columns: 8, rows: 2))
        frame.put("E", row: 0, column: 0, style: .error)
        frame.put("ok", row: 0, column: 1)
        frame.put("日", row: 1, column: 0, style: .selected)
        #expect(frame.ansiText == "\u{1B}[0;1;31mE\u{1B}[0mok\n\u{1B}[0;1;7m日\u{1B}[0m")
    }

    @Test func ansiTextKeepsTrailingSpacesThatAreVisible() {
        var frame = Frame(size: Size(columns: 4, rows: 1))
        frame.fill(Rect(x: 0, y: 0, width: 2, height: 1), style: .selected)
        frame.fill(Rect(x: 2, y: 0, width: 2, height: 1), style: .muted)  // dim spaces look blank
        #expect(frame.ansiText == "\u{1B}[0;1;7m  \u{1B}[0m")
        #expect(frame.text == "")
    }

    @Test func styleSgrCoversEveryAttribute() {
        let style = Style(foreground: .yellow, background: .blue, bold: true, dim: true, reverse: true, underline: true)
        #expect(style.sgr == "\u{1B}[0;1;2;4;7;33;44m")
        #expect(Style.plain.sgr == "\u{1B}[0m")
    }
}
