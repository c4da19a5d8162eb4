import Testing
@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumnEach() {
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of(Unicode.Scalar("a")) == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(" ")) == 1)
    }

    @Test func cjkAndEmojiAreTwoColumns() {
        #expect(DisplayWidth.of(Unicode.Scalar("日")) == 2)
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("한국") == 4)
        #expect(DisplayWidth.of("ｶﾀｶﾅ") == 4)  // halfwidth katakana stays narrow
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("漢字かな 🎉") == 11)
    }

    @Test func combiningMarksAreZeroWidth() {
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("\u{E9}") == 1)
        #expect(DisplayWidth.of(Character("e\u{301}")) == 1)
    }

    @Test func emojiSequencesFollowWcwidthNotGraphemes() {
        // Measured per scalar like ncurses: ZWJ counts zero, each family member two.
        #expect(DisplayWidth.of("👨\u{200D}👩\u{200D}👧") == 6)
        #expect(DisplayWidth.of("🇯🇵") == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x1F1EF)!) == 1)
        #expect(DisplayWidth.of("❤\u{FE0F}") == 1)
        #expect(DisplayWidth.of("👍🏽") == 4)
    }

    @Test func controlsAreNegativeForScalarsAndZeroInStrings() {
        #expect(DisplayWidth.of(Unicode.Scalar(0x07)!) == -1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x9B)!) == -1)
        #expect(DisplayWidth.of(Unicode.Scalar(0)!) == 0)
        #expect(DisplayWidth.of("a\tb\n") == 2)
    }

    @Test func scalarsNewerThanGlibcAreUnknownButTakeOneColumnInText() {
        let shakingFace = Unicode.Scalar(0x1FAE8)!  // Unicode 15
        #expect(DisplayWidth.of(shakingFace) == -1)
        #expect(DisplayWidth.of(String(shakingFace)) == 1)  // drawn as U+FFFD
    }

    @Test func truncateKeepsShortTextAndEllipsizesLongText() {
        #expect(DisplayWidth.truncate("hello", toWidth: 5) == "hello")
        #expect(DisplayWidth.truncate("hello world", toWidth: 8) == "hello w…")
        #expect(DisplayWidth.truncate("hello", toWidth: 1) == "…")
        #expect(DisplayWidth.truncate("hello", toWidth: 0) == "")
    }

    @Test func truncateNeverSplitsAWideCharacterOrAGrapheme() {
        // 6 columns budget minus the ellipsis leaves 5: two wide chars (4), the third would be 6.
        let cut = DisplayWidth.truncate("日本語テキスト", toWidth: 6)
        #expect(cut == "日本…")
        #expect(DisplayWidth.of(cut) == 5)
        #expect(DisplayWidth.truncate("e\u{301}e\u{301}e\u{301}e\u{301}", toWidth: 3) == "e\u{301}e\u{301}…")
    }

    @Test func wrapBreaksAtSpacesAndDropsThem() {
        #expect(DisplayWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(DisplayWidth.wrap("a  b", width: 10) == ["a  b"])
        #expect(DisplayWidth.wrap("", width: 10) == [""])
        #expect(DisplayWidth.wrap("one\n\ntwo", width: 10) == ["one", "", "two"])
    }

    @Test func wrapHardBreaksWordsLongerThanTheLine() {
        #expect(DisplayWidth.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(DisplayWidth.wrap("ab abcdefgh", width: 4) == ["ab", "abcd", "efgh"])
    }

    @Test func wrapBreaksCJKByDisplayWidth() {
        let lines = DisplayWidth.wrap("日本語のテキストです", width: 7)
        #expect(lines == ["日本語", "のテキ", "ストで", "す"])
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 7 })
        #expect(DisplayWidth.wrap("token 日本語 ok", width: 8) == ["token 日", "本語 ok"])
    }

    @Test func wrapKeepsParagraphIndentation() {
        #expect(DisplayWidth.wrap("  indented text", width: 10) == ["  indented", "text"])
    }
}
