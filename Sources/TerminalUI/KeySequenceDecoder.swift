/// What a terminal library hands over for one read: a character, or a key it already recognised.
public enum TerminalInput: Hashable, Sendable {
    /// A byte as the terminal sent it: UTF-8 text and escape sequences. The decoder assembles the
    /// UTF-8 itself, dropping bytes that are not UTF-8 rather than what follows them.
    case byte(UInt8)
    /// A character already decoded from UTF-8, escape sequences included.
    case scalar(Unicode.Scalar)
    /// A key the library recognised itself (arrows through terminfo, a resize).
    case key(Key)
    /// The library recognised a bracketed-paste start (`ESC[200~`) or end (`ESC[201~`) marker.
    case pasteStart
    case pasteEnd
}

/// Turns terminal input into keys: recognises the escape sequences keys send, and drops every
/// other sequence a terminal may emit (focus reports, mouse reports, OSC/DCS/APC/PM/SOS strings,
/// unknown CSI and SS3 sequences, charset designations) so that none of it is typed as text.
///
/// Pure: time is passed in. An ESC-started sequence not complete `escapeTimeout` after its ESC is
/// ended (a lone ESC is the Esc key; a partial sequence is dropped), and a bracketed paste whose
/// end marker never comes is delivered after `pasteSilence` without input or `pasteTimeout` in
/// all, so a stray marker can neither freeze the screen nor swallow typing. Call `expire(at:)`
/// whenever a read finds no input, so those deadlines pass without new input.
///
/// Grammar (ECMA-48 / xterm ctlseqs): CSI = ESC [ params(0x30–0x3F)* intermediates(0x20–0x2F)*
/// final(0x40–0x7E); SS3 = ESC O final; strings = ESC ] (OSC), ESC P (DCS), ESC X (SOS), ESC ^
/// (PM), ESC _ (APC), each ended by BEL or ST (ESC \); nF = ESC intermediates(0x20–0x2F)+
/// final(0x30–0x7E); X10 mouse = ESC [ M and three bytes. The 8-bit C1 forms (U+009B CSI, …) too.
public struct KeySequenceDecoder: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public var escapeTimeout: Duration
    public var pasteSilence: Duration
    public var pasteTimeout: Duration
    /// A paste longer than this (in scalars) is delivered in parts, so memory stays bounded.
    public var pasteChunk: Int

    private enum State: Sendable {
        case ground
        /// ESC seen, nothing after it yet.
        case escape
        case csi(parameters: String, intermediates: String, isMalformed: Bool)
        case ss3(parameters: String)
        /// ESC followed by intermediates: a charset designation or similar, ended by 0x30–0x7E.
        case nF
        /// OSC, DCS, SOS, PM or APC: everything up to BEL or ST is dropped.
        case string(sawEscape: Bool)
        /// X10 mouse report: ESC [ M and then this many raw bytes.
        case mouse(remaining: Int)
        /// Linux console F1–F5: ESC [ [ A…E.
        case linuxFunction
        /// Inside a bracketed paste; the text so far is in `pasteText`. `escape` is a control
        /// sequence inside the paste: the end marker, or something dropped whole.
        case paste(previousWasCarriageReturn: Bool, escape: PasteEscape?)
    }

    /// A control sequence met inside a paste, parsed with the same grammar as outside.
    private enum PasteEscape: Sendable {
        case start
        case csi(String)
        case ss3
        case string(sawEscape: Bool)
        case nF
        /// An X10 mouse report's raw bytes after ESC [ M, as outside a paste.
        case mouse(remaining: Int)
    }

    private var state = State.ground
    /// Kept outside `state` so appending does not copy it.
    private var pasteText = ""
    private var pasteLength = 0
    /// A UTF-8 character's bytes so far, how many it has in all, and when its first came.
    private var utf8Bytes: [UInt8] = []
    private var utf8Length = 0
    private var utf8Started: Instant?
    /// When the current sequence (or paste) started, and when its last input came.
    private var started: Instant?
    private var lastInput: Instant?

    public init(escapeTimeout: Duration = .milliseconds(50), pasteSilence: Duration = .milliseconds(400),
                pasteTimeout: Duration = .seconds(5), pasteChunk: Int = 1 << 20) {
        self.escapeTimeout = escapeTimeout
        self.pasteSilence = pasteSilence
        self.pasteTimeout = pasteTimeout
        self.pasteChunk = max(1, pasteChunk)
    }

    /// True when no sequence, paste or UTF-8 character is waiting for more input.
    public var isIdle: Bool {
        guard utf8Bytes.isEmpty else { return false }
        if case .ground = state { return true }
        return false
    }

    /// Keys that `input`, arriving at `now`, completes.
    public mutating func feed(_ input: TerminalInput, at now: Instant) -> [Key] {
        var keys = expire(at: now)
        if !isIdle { lastInput = now }
        switch input {
        case .byte(let byte):
            if let scalar = assembleUTF8(byte, at: now) { consume(scalar, at: now, into: &keys) }
        case .scalar(let scalar):
            consume(scalar, at: now, into: &keys)
        case .key(let key):
            consumeKey(key, at: now, into: &keys)
        case .pasteStart:
            abandonSequence(into: &keys)
            if case .paste = state { return keys }  // a nested start is ignored
            startPaste(at: now)
        case .pasteEnd:
            if case .paste = state {
                if !pasteText.isEmpty { keys.append(.paste(pasteText)) }
                reset()
            } else {
                abandonSequence(into: &keys)  // a stray end marker is dropped
            }
        }
        return keys
    }

    /// Keys released because a deadline passed by `now` with no input: a lone Esc, an
    /// unterminated paste. Partial sequences are dropped.
    public mutating func expire(at now: Instant) -> [Key] {
        if let utf8Started, now - utf8Started >= escapeTimeout {
            dropUTF8()  // a character whose remaining bytes never came
        }
        guard let started else { return [] }
        switch state {
        case .ground:
            return []
        case .paste:
            let silentSince = lastInput ?? started
            guard now - silentSince >= pasteSilence || now - started >= pasteTimeout else { return [] }
            let text = pasteText
            reset()
            return text.isEmpty ? [] : [.paste(text)]
        case .escape:
            guard now - started >= escapeTimeout else { return [] }
            reset()
            return [.escape]
        default:
            guard now - started >= escapeTimeout else { return [] }
            reset()
            return []
        }
    }

    // MARK: - Inputs

    private mutating func consumeKey(_ key: Key, at now: Instant, into keys: inout [Key]) {
        if case .paste(_, let escape) = state {
            switch key {
            case .resize:
                keys.append(.resize)  // never swallowed: the screen must follow the terminal's size
            case .enter:
                appendPasted("\n", into: &keys)  // curses' KEY_ENTER for a pasted line break
                state = .paste(previousWasCarriageReturn: false, escape: escape)
            default:
                break  // a key recognised inside pasted text is not text
            }
            return
        }
        abandonSequence(into: &keys)
        keys.append(key)
    }

    private mutating func consume(_ scalar: Unicode.Scalar, at now: Instant, into keys: inout [Key]) {
        let value = scalar.value
        switch state {
        case .ground:
            ground(scalar, at: now, into: &keys)

        case .escape:
            switch value {
            case 0x5B: state = .csi(parameters: "", intermediates: "", isMalformed: false)  // [
            case 0x4F: state = .ss3(parameters: "")  // O
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .string(sawEscape: false)  // ] P X ^ _
            case 0x1B:
                keys.append(.escape)  // Esc pressed twice: the first one is complete
                begin(.escape, at: now)
            case 0x20...0x2F: state = .nF
            case 0x30...0x7E: reset()  // ESC + printable: Alt+key or a single-character function, unused
            default:
                // A control key or non-ASCII text right after Esc: both are keys of their own.
                keys.append(.escape)
                reset()
                ground(scalar, at: now, into: &keys)
            }

        case .csi(var parameters, var intermediates, var isMalformed):
            switch value {
            case 0x30...0x3F:
                if !intermediates.isEmpty { isMalformed = true }
                if parameters.unicodeScalars.count < 32 { parameters.unicodeScalars.append(scalar) } else { isMalformed = true }
                state = .csi(parameters: parameters, intermediates: intermediates, isMalformed: isMalformed)
            case 0x20...0x2F:
                if intermediates.unicodeScalars.count < 8 { intermediates.unicodeScalars.append(scalar) } else { isMalformed = true }
                state = .csi(parameters: parameters, intermediates: intermediates, isMalformed: isMalformed)
            case 0x40...0x7E:
                reset()
                if !isMalformed {
                    csiFinal(scalar, parameters: parameters, intermediates: intermediates, at: now, into: &keys)
                }
            case 0x7F:
                break  // DEL inside a sequence is ignored (ECMA-48)
            default:
                interrupt(with: scalar, at: now, into: &keys)
            }

        case .ss3(var parameters):
            switch value {
            case 0x30...0x3F where parameters.unicodeScalars.count < 8:
                parameters.unicodeScalars.append(scalar)
                state = .ss3(parameters: parameters)
            case 0x40...0x7E:
                reset()
                if let key = Self.ss3Keys[value] { keys.append(key) }
            default:
                interrupt(with: scalar, at: now, into: &keys)
            }

        case .nF:
            switch value {
            case 0x20...0x2F: break
            case 0x30...0x7E: reset()
            default: interrupt(with: scalar, at: now, into: &keys)
            }

        case .string(let sawEscape):
            switch value {
            case 0x07, 0x9C: reset()  // BEL (xterm's OSC end) or the 8-bit ST
            case 0x5C where sawEscape: reset()  // ESC \ = ST
            case 0x1B: state = .string(sawEscape: true)
            case 0x03:
                // Ctrl-C must work even while a report is being swallowed.
                reset()
                keys.append(.control("c"))
            case 0x18, 0x1A: reset()  // CAN and SUB cancel a string (ECMA-48)
            default:
                if sawEscape {
                    // ESC followed by anything but "\" ends the string and starts a new sequence.
                    begin(.escape, at: now)
                    consume(scalar, at: now, into: &keys)
                }
            }

        case .mouse(let remaining):
            if value == 0x03 {
                reset()
                keys.append(.control("c"))
            } else if remaining <= 1 {
                reset()
            } else {
                state = .mouse(remaining: remaining - 1)
            }

        case .linuxFunction:
            reset()
            if (0x41...0x45).contains(value) {
                keys.append(.function(Int(value - 0x40)))
            } else if value < 0x20 || value == 0x1B {
                ground(scalar, at: now, into: &keys)
            }

        case .paste(let previousWasCarriageReturn, let escape):
            if let escape {
                pasteEscape(escape, scalar, at: now, into: &keys)
                return
            }
            switch value {
            case 0x1B:
                state = .paste(previousWasCarriageReturn: false, escape: .start)
                return
            case 0x9B:
                state = .paste(previousWasCarriageReturn: false, escape: .csi(""))
                return
            case 0x03:
                endPasteWithCtrlC(into: &keys)
                return
            case 0x0D:
                appendPasted("\n", into: &keys)
            case 0x0A:
                if !previousWasCarriageReturn { appendPasted("\n", into: &keys) }
            case 0x00:
                break
            default:
                appendPasted(scalar, into: &keys)
            }
            state = .paste(previousWasCarriageReturn: value == 0x0D, escape: nil)
        }
    }

    /// A character outside any sequence.
    private mutating func ground(_ scalar: Unicode.Scalar, at now: Instant, into keys: inout [Key]) {
        let value = scalar.value
        switch value {
        case 0x1B: begin(.escape, at: now)
        case 0x9B: begin(.csi(parameters: "", intermediates: "", isMalformed: false), at: now)
        case 0x8F: begin(.ss3(parameters: ""), at: now)
        case 0x90, 0x98, 0x9D, 0x9E, 0x9F: begin(.string(sawEscape: false), at: now)
        case 0x09: keys.append(.tab)
        case 0x0A, 0x0D: keys.append(.enter)  // Enter is CR in raw mode, LF through some terminals
        case 0x08, 0x7F: keys.append(.backspace)
        case 0x01...0x1A:
            // Ctrl-A…Ctrl-Z (raw mode delivers Ctrl-C, Ctrl-S, Ctrl-Z as bytes, not signals).
            if let letter = Unicode.Scalar(value + 0x60) { keys.append(.control(Character(letter))) }
        case 0x00, 0x1C...0x1F, 0x80...0x9F:
            break  // NUL, Ctrl-\ … Ctrl-_, other C1 controls: no key
        default:
            keys.append(.character(Character(scalar)))
        }
    }

    /// A character that cannot continue the current sequence: the sequence is dropped and the
    /// character handled on its own (a control key, new text, or the start of the next sequence).
    private mutating func interrupt(with scalar: Unicode.Scalar, at now: Instant, into keys: inout [Key]) {
        reset()
        ground(scalar, at: now, into: &keys)
    }

    private mutating func csiFinal(_ final: Unicode.Scalar, parameters: String, intermediates: String, at now: Instant,
                                   into keys: inout [Key]) {
        guard intermediates.isEmpty else { return }
        // Private-mode parameters (<, =, >, ?) mark reports (SGR mouse, device attributes), not keys.
        if let first = parameters.unicodeScalars.first, (0x3C...0x3F).contains(first.value) { return }
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let first = numbers.first.flatMap { $0 }
        switch final {
        case "M" where parameters.isEmpty:
            begin(.mouse(remaining: 3), at: now)  // X10 mouse: three raw bytes follow
        case "[" where parameters.isEmpty:
            begin(.linuxFunction, at: now)
        case "~":
            guard let first else { return }
            if first == 200 {
                startPaste(at: now)
            } else if let key = Self.tildeKeys[first] {
                keys.append(key)
            }
        default:
            // Letter finals: arrows and friends, with or without modifiers ("1;5A" is Ctrl-Up).
            guard numbers.count <= 2, numbers.allSatisfy({ $0 != nil }) || parameters.isEmpty,
                  let key = Self.csiLetterKeys[final.value] else { return }
            if parameters.isEmpty || first == 1 { keys.append(key) }
        }
    }

    /// A control sequence inside a paste is not text: it is dropped whole (ESC, parameters and
    /// final byte), except the end marker CSI 201 ~, which ends the paste. Ctrl-C still works.
    private mutating func pasteEscape(_ escape: PasteEscape, _ scalar: Unicode.Scalar, at now: Instant,
                                      into keys: inout [Key]) {
        let value = scalar.value
        func next(_ escape: PasteEscape?) { state = .paste(previousWasCarriageReturn: false, escape: escape) }
        /// Not part of the sequence: the sequence is dropped and the character is pasted text.
        func text() {
            next(nil)
            consume(scalar, at: now, into: &keys)
        }
        if value == 0x03 {
            endPasteWithCtrlC(into: &keys)
            return
        }
        switch escape {
        case .start:
            switch value {
            case 0x5B: next(.csi(""))
            case 0x4F: next(.ss3)
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: next(.string(sawEscape: false))
            case 0x1B: next(.start)
            case 0x20...0x2F: next(.nF)
            case 0x30...0x7E: next(nil)
            default: text()
            }
        case .csi(let collected):
            switch value {
            case 0x20...0x3F: next(.csi(collected.unicodeScalars.count < 32 ? collected + String(scalar) : collected))
            case 0x40...0x7E:
                if collected == "201", value == 0x7E {
                    if !pasteText.isEmpty { keys.append(.paste(pasteText)) }
                    reset()
                } else if collected.isEmpty, value == 0x4D {
                    // ESC [ M is an X10 mouse report here too: its three bytes are not text.
                    next(.mouse(remaining: 3))
                } else {
                    next(nil)
                }
            case 0x1B: next(.start)
            default: text()
            }
        case .ss3:
            if (0x40...0x7E).contains(value) { next(nil) } else { text() }
        case .mouse(let remaining):
            next(remaining > 1 ? .mouse(remaining: remaining - 1) : nil)
        case .string(let sawEscape):
            switch value {
            case 0x07, 0x9C: next(nil)
            case 0x5C where sawEscape: next(nil)
            case 0x1B: next(.string(sawEscape: true))
            default:
                if sawEscape {
                    next(.start)
                    pasteEscape(.start, scalar, at: now, into: &keys)
                }
            }
        case .nF:
            switch value {
            case 0x20...0x2F: break
            case 0x30...0x7E: next(nil)
            default: text()
            }
        }
    }

    /// Ctrl-C inside a paste that may never end: what came is delivered, then the key.
    private mutating func endPasteWithCtrlC(into keys: inout [Key]) {
        if !pasteText.isEmpty { keys.append(.paste(pasteText)) }
        reset()
        keys.append(.control("c"))
    }

    // MARK: - UTF-8

    /// Adds one byte to the character being assembled; returns the character once complete.
    /// A byte that cannot be UTF-8 here is dropped on its own, and a lead byte whose
    /// continuation never comes is dropped without taking the next character with it.
    private mutating func assembleUTF8(_ byte: UInt8, at now: Instant) -> Unicode.Scalar? {
        if !utf8Bytes.isEmpty {
            if byte & 0xC0 == 0x80 {
                utf8Bytes.append(byte)
                guard utf8Bytes.count == utf8Length else { return nil }
                defer { dropUTF8() }
                return Self.scalar(fromUTF8: utf8Bytes)
            }
            dropUTF8()  // the character broke off: what arrived is judged on its own
        }
        switch byte {
        case 0x00...0x7F: return Unicode.Scalar(byte)
        case 0xC2...0xDF: utf8Length = 2
        case 0xE0...0xEF: utf8Length = 3
        case 0xF0...0xF4: utf8Length = 4
        default: return nil  // a stray continuation byte, an overlong lead, or not UTF-8 (0xF5–0xFF)
        }
        utf8Bytes = [byte]
        utf8Started = now
        return nil
    }

    private mutating func dropUTF8() {
        utf8Bytes = []
        utf8Length = 0
        utf8Started = nil
    }

    /// The scalar complete UTF-8 `bytes` encode; nil for overlong forms, surrogates and values
    /// above U+10FFFF.
    static func scalar(fromUTF8 bytes: [UInt8]) -> Unicode.Scalar? {
        guard let lead = bytes.first else { return nil }
        let (initial, minimum): (UInt32, UInt32) = switch bytes.count {
        case 2: (UInt32(lead & 0x1F), 0x80)
        case 3: (UInt32(lead & 0x0F), 0x800)
        case 4: (UInt32(lead & 0x07), 0x10000)
        default: (UInt32(lead), 0)
        }
        let value = bytes.dropFirst().reduce(initial) { ($0 << 6) | UInt32($1 & 0x3F) }
        guard value >= minimum else { return nil }
        return Unicode.Scalar(value)  // nil for surrogates and above U+10FFFF
    }

    /// Adds to the paste; a paste reaching `pasteChunk` scalars is delivered and continues empty.
    private mutating func appendPasted(_ scalar: Unicode.Scalar, into keys: inout [Key]) {
        pasteText.unicodeScalars.append(scalar)
        pasteLength += 1
        if pasteLength >= pasteChunk {
            keys.append(.paste(pasteText))
            pasteText = ""
            pasteLength = 0
        }
    }

    // MARK: - State

    private mutating func begin(_ newState: State, at now: Instant) {
        state = newState
        started = now
        lastInput = now
    }

    private mutating func startPaste(at now: Instant) {
        begin(.paste(previousWasCarriageReturn: false, escape: nil), at: now)
        pasteText = ""
        pasteLength = 0
    }

    private mutating func reset() {
        state = .ground
        started = nil
        lastInput = nil
        pasteText = ""
        pasteLength = 0
    }

    /// Ends an unfinished sequence before an unrelated input: a lone ESC was the Esc key.
    private mutating func abandonSequence(into keys: inout [Key]) {
        switch state {
        case .ground, .paste: return
        case .escape: keys.append(.escape)
        default: break
        }
        reset()
    }

    // MARK: - Tables (xterm, VT220, rxvt and the Linux console)

    /// CSI <letter>, optionally "1;<modifier>": the modifier is dropped.
    private static let csiLetterKeys: [UInt32: Key] = [
        0x41: .up, 0x42: .down, 0x43: .right, 0x44: .left, 0x48: .home, 0x46: .end,
        0x5A: .backTab,  // CSI Z
        0x50: .function(1), 0x51: .function(2), 0x52: .function(3), 0x53: .function(4),
    ]

    /// CSI <number> ~ (VT220 editing and function keys).
    private static let tildeKeys: [Int: Key] = [
        1: .home, 3: .delete, 4: .end, 5: .pageUp, 6: .pageDown, 7: .home, 8: .end,
        11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4), 15: .function(5),
        17: .function(6), 18: .function(7), 19: .function(8), 20: .function(9), 21: .function(10),
        23: .function(11), 24: .function(12),
    ]

    /// SS3 <letter> (application cursor and keypad mode).
    private static let ss3Keys: [UInt32: Key] = [
        0x41: .up, 0x42: .down, 0x43: .right, 0x44: .left, 0x48: .home, 0x46: .end, 0x4D: .enter,
        0x50: .function(1), 0x51: .function(2), 0x52: .function(3), 0x53: .function(4),
    ]
}
