import Testing
@testable import TerminalUI

/// Issue 12: the decoder as a pure function of input and time. Bytes arrive as the terminal
/// library hands them over (one scalar per read); the clock is a parameter.
struct KeySequenceDecoderTests {
    /// A decoder with a clock the test moves by hand.
    struct Harness {
        var decoder = KeySequenceDecoder()
        var now = ContinuousClock.now

        /// Feeds `text` one scalar at a time, 1 ms apart (a burst, as a terminal sends a sequence).
        mutating func type(_ text: String) -> [Key] {
            var keys: [Key] = []
            for scalar in text.unicodeScalars {
                now += .milliseconds(1)
                keys += decoder.feed(.scalar(scalar), at: now)
            }
            return keys
        }

        /// Feeds raw bytes, 1 ms apart, as the terminal wrote them.
        mutating func type(bytes: [UInt8]) -> [Key] {
            var keys: [Key] = []
            for byte in bytes {
                now += .milliseconds(1)
                keys += decoder.feed(.byte(byte), at: now)
            }
            return keys
        }

        mutating func feed(_ input: TerminalInput) -> [Key] {
            now += .milliseconds(1)
            return decoder.feed(input, at: now)
        }

        /// Lets `duration` pass without input, as the read loop's timeouts do (every 30 ms).
        mutating func wait(_ duration: Duration) -> [Key] {
            var keys: [Key] = []
            let end = now + duration
            while now < end {
                now = min(end, now + .milliseconds(30))
                keys += decoder.expire(at: now)
            }
            return keys
        }

        /// Everything `text` produces, including what its deadlines release afterwards.
        mutating func decode(_ text: String) -> [Key] {
            type(text) + wait(.seconds(10))
        }
    }

    static func decode(_ text: String) -> [Key] {
        var harness = Harness()
        return harness.decode(text)
    }

    // MARK: Plain keys

    @Test func textAndControlKeys() {
        #expect(Self.decode("ab日") == [.character("a"), .character("b"), .character("日")])
        #expect(Self.decode("\r\n\t\u{7F}\u{8}") == [.enter, .enter, .tab, .backspace, .backspace])
        #expect(Self.decode("\u{3}\u{13}\u{4}") == [.control("c"), .control("s"), .control("d")])
        #expect(Self.decode("\u{0}\u{1C}\u{1F}\u{85}").isEmpty)
    }

    @Test func aLoneEscIsTheEscKeyAfterTheTimeout() {
        var harness = Harness()
        #expect(harness.type("\u{1B}").isEmpty, "it may be the start of a sequence")
        #expect(harness.wait(.milliseconds(20)).isEmpty)
        #expect(harness.wait(.milliseconds(60)) == [.escape])
        #expect(harness.decoder.isIdle)
    }

    @Test func escFollowedByAControlKeyIsBothKeys() {
        #expect(Self.decode("\u{1B}\u{3}") == [.escape, .control("c")])
        #expect(Self.decode("\u{1B}\r") == [.escape, .enter])
        #expect(Self.decode("\u{1B}\u{1B}") == [.escape, .escape])
    }

    // MARK: Keys sent as sequences

    @Test(arguments: [
        ("\u{1B}[A", Key.up), ("\u{1B}[B", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
        ("\u{1B}OA", .up), ("\u{1B}OD", .left), ("\u{1B}[H", .home), ("\u{1B}[F", .end), ("\u{1B}OH", .home),
        ("\u{1B}[1~", .home), ("\u{1B}[4~", .end), ("\u{1B}[7~", .home), ("\u{1B}[8~", .end),
        ("\u{1B}[3~", .delete), ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown), ("\u{1B}[Z", .backTab),
        ("\u{1B}OP", .function(1)), ("\u{1B}[15~", .function(5)), ("\u{1B}[24~", .function(12)),
        ("\u{1B}[[B", .function(2)), ("\u{1B}[1;5A", .up), ("\u{1B}[1;2C", .right), ("\u{9B}B", .down),
        ("\u{1B}OM", .enter),
    ])
    func keySequences(sequence: String, key: Key) {
        #expect(Self.decode(sequence) == [key])
    }

    // MARK: What is never typed

    @Test(arguments: [
        // Focus in and out.
        "\u{1B}[I", "\u{1B}[O",
        // OSC, ended by BEL or by ST; a colour report; a hyperlink; the 8-bit form.
        "\u{1B}]0;title\u{7}", "\u{1B}]11;rgb:0000/0000/0000\u{1B}\\", "\u{1B}]8;;http://x\u{1B}\\", "\u{9D}2;t\u{9C}",
        // DCS, APC, PM, SOS strings.
        "\u{1B}P1$r0m\u{1B}\\", "\u{1B}_Gi=1;OK\u{1B}\\", "\u{1B}^privacy\u{1B}\\", "\u{1B}Xsos\u{1B}\\",
        // Mouse: X10 (three raw bytes), SGR press and release, urxvt.
        "\u{1B}[M !!", "\u{1B}[M`5(", "\u{1B}[<0;10;5M", "\u{1B}[<0;10;5m", "\u{1B}[<65;3;4M", "\u{1B}[32;10;5M",
        // Unknown CSI: device attributes, cursor position report, kitty keys, insert, private modes.
        "\u{1B}[?1;2c", "\u{1B}[12;40R", "\u{1B}[97;5u", "\u{1B}[2~", "\u{1B}[?2004$y", "\u{1B}[>0;276;0c",
        "\u{1B}[1 q", "\u{1B}[201~",
        // SS3 with an unknown final, charset designation, single-character escapes (Alt+key).
        "\u{1B}Oz", "\u{1B}(B", "\u{1B}#8", "\u{1B}7", "\u{1B}x",
    ])
    func sequencesThatAreNotKeysAreDropped(sequence: String) {
        #expect(Self.decode(sequence).isEmpty, "\(sequence.debugDescription) reached the editor")
    }

    @Test func textAroundDroppedSequencesSurvives() {
        let keys = Self.decode("a\u{1B}[Ib\u{1B}]0;x\u{7}c\u{1B}[<0;1;1Md\u{1B}[M !!e")
        #expect(keys == ["a", "b", "c", "d", "e"].map { Key.character(Character($0)) })
    }

    @Test func anUnfinishedSequenceIsDroppedAfterTheTimeoutAndTypingResumes() {
        var harness = Harness()
        #expect(harness.type("\u{1B}[12;4").isEmpty)
        #expect(harness.wait(.milliseconds(100)).isEmpty, "a partial sequence is not a key")
        #expect(harness.decoder.isIdle)
        #expect(harness.type("x") == [.character("x")])
    }

    @Test func anUnterminatedOSCDoesNotSwallowTypingForLong() {
        var harness = Harness()
        #expect(harness.type("\u{1B}]0;title").isEmpty)
        _ = harness.wait(.milliseconds(100))
        #expect(harness.type("hi") == [.character("h"), .character("i")])
    }

    @Test func ctrlCCutsThroughAnySequence() {
        for start in ["\u{1B}[12", "\u{1B}]0;t", "\u{1B}P1", "\u{1B}[M ", "\u{1B}O", "\u{1B}("] {
            var harness = Harness()
            _ = harness.type(start)
            #expect(harness.type("\u{3}") == [.control("c")], "Ctrl-C after \(start.debugDescription)")
        }
    }

    @Test func keysFromTheLibraryEndAPendingEscape() {
        var harness = Harness()
        _ = harness.type("\u{1B}")
        #expect(harness.feed(.key(.up)) == [.escape, .up])
        #expect(harness.feed(.key(.resize)) == [.resize])
    }

    // MARK: Bracketed paste

    @Test func aPasteIsOneKeyWithItsLineBreaks() {
        #expect(Self.decode("\u{1B}[200~line 1\r\nline 2\rline 3\nend\u{1B}[201~")
                == [.paste("line 1\nline 2\nline 3\nend")])
        var harness = Harness()
        _ = harness.feed(.pasteStart)
        _ = harness.type("{\"a\": 1}")
        #expect(harness.feed(.pasteEnd) == [.paste("{\"a\": 1}")])
    }

    /// Findings F7: a control sequence inside a paste is dropped whole, never left half as text.
    @Test(arguments: ["\u{1B}[I", "\u{1B}[201b", "\u{1B}[A", "\u{1B}OA", "\u{1B}]0;t\u{7}", "\u{1B}]0;t\u{1B}\\",
                      "\u{1B}(B", "\u{1B}x", "\u{1B}[<0;1;1M", "\u{9B}2J"])
    func escapeSequencesInsideAPasteAreDroppedWhole(sequence: String) {
        #expect(Self.decode("\u{1B}[200~a" + sequence + "b\u{1B}[201~") == [.paste("ab")])
    }

    @Test func keysTypedDuringAnUnterminatedPasteDoNotBecomeText() {
        var harness = Harness()
        _ = harness.type("\u{1B}[200~ab\u{1B}[I\u{1B}[A\u{1B}[B")
        #expect(harness.wait(.seconds(1)) == [.paste("ab")])
    }

    /// Found by the monkey (seed 762296248651157799): an X10 mouse report inside an unterminated
    /// paste left its three raw bytes ("!!!") in the pasted text.
    @Test func anX10MouseReportInsideAPasteIsDroppedWhole() {
        var harness = Harness()
        #expect(harness.type("\u{1B}[200~ab\u{1B}[M!!!cd\u{1B}[201~") == [.paste("abcd")])
        var unterminated = Harness()
        let keys = unterminated.type("\u{1B}[200~ab\u{1B}[M!!!cd") + unterminated.wait(.seconds(1))
        #expect(keys == [.paste("abcd")])
    }

    // MARK: UTF-8 (findings F6)

    @Test func utf8IsAssembledFromBytes() {
        var harness = Harness()
        #expect(harness.type(bytes: Array("aé日🚀".utf8)) == [.character("a"), .character("é"), .character("日"),
                                                              .character("🚀")])
    }

    /// A byte that is not UTF-8 is dropped alone; what came with it is still typed.
    @Test(arguments: [[0xC3], [0xFF], [0x9B], [0xC0, 0xAF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xED, 0xA0, 0x80],
                      [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8DoesNotSwallowWhatFollows(invalid: [UInt8]) {
        var harness = Harness()
        let keys = harness.type(bytes: invalid + Array("abc".utf8)) + harness.wait(.seconds(1))
        #expect(keys == [.character("a"), .character("b"), .character("c")])
    }

    @Test func anIncompleteCharacterIsDroppedAfterTheTimeout() {
        var harness = Harness()
        #expect(harness.type(bytes: [0xE6, 0x97]).isEmpty)
        #expect(!harness.decoder.isIdle)
        _ = harness.wait(.milliseconds(100))
        #expect(harness.decoder.isIdle)
        #expect(harness.type(bytes: [0x78]) == [.character("x")])
    }

    @Test func aPasteOfBytesKeepsItsUTF8AndDropsInvalidBytes() {
        var harness = Harness()
        let bytes = Array("\u{1B}[200~".utf8) + Array("Café ".utf8) + [0xC3] + Array("日本\u{1B}[201~".utf8)
        #expect(harness.type(bytes: bytes) == [.paste("Café 日本")])
    }

    /// The freeze: a paste start whose end never comes. The text is delivered after a short
    /// silence, and typing afterwards is typing again.
    @Test func anUnterminatedPasteEndsAfterSilence() {
        var harness = Harness()
        #expect(harness.type("\u{1B}[200~pasted").isEmpty)
        #expect(harness.wait(.milliseconds(200)).isEmpty)
        #expect(harness.wait(.milliseconds(300)) == [.paste("pasted")])
        #expect(harness.decoder.isIdle)
        #expect(harness.type("x") == [.character("x")])
    }

    @Test func anUnterminatedPasteEndsEvenWhileInputKeepsComing() {
        var harness = Harness()
        _ = harness.type("\u{1B}[200~")
        var keys: [Key] = []
        for _ in 0..<60 {  // a key every 100 ms for 6 s: never silent for long
            keys += harness.type("k")
            keys += harness.wait(.milliseconds(100))
        }
        #expect(keys.contains { if case .paste = $0 { true } else { false } }, "the paste ended by the time limit")
        #expect(keys.last == .character("k"), "keys typed after that are keys again")
    }

    @Test func ctrlCEndsAStuckPaste() {
        var harness = Harness()
        _ = harness.type("\u{1B}[200~abc")
        #expect(harness.type("\u{3}") == [.paste("abc"), .control("c")])
    }

    @Test func aResizeDuringAPasteIsNotSwallowed() {
        var harness = Harness()
        _ = harness.type("\u{1B}[200~ab")
        #expect(harness.feed(.key(.resize)) == [.resize])
        #expect(harness.type("c\u{1B}[201~") == [.paste("abc")])
    }

    @Test func aHugePasteArrivesInBoundedParts() {
        var harness = Harness(decoder: KeySequenceDecoder(pasteChunk: 4))
        #expect(harness.type("\u{1B}[200~abcdefghij\u{1B}[201~") == [.paste("abcd"), .paste("efgh"), .paste("ij")])
    }
}
