/// The byte-level rules of JSON text that every reader here applies the same way: `JSONParser`,
/// `JSONTextScanner`, the record editor's `FlatRecordReader` and the loader's `BatchTape`. Each
/// reader keeps its own loop and its own way of failing (an error with an offset, or nil); what
/// a run of bytes means is decided only here, so the readers cannot drift apart.
///
/// `@inlinable` over buffer pointers: the callers' hot loops live in other modules and must
/// still inline these (a call per byte or per string would show in the loader and the editor).
public enum JSONLexing {
    @inlinable
    public static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The four hex digits of a `\u` escape at `bytes[index...]`; nil when fewer than four bytes
    /// remain or one of them is not a hex digit.
    @inlinable
    public static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for position in index ..< index + 4 {
            guard let digit = hexDigit(bytes[position]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    @inlinable
    public static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The integer literal `bytes[start..<end]` (an optional '-', then digits, as the number
    /// grammar has checked) if it fits in Int64. Accumulated as a negative number so that
    /// Int64.min fits too.
    @inlinable
    public static func exactInteger(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int64? {
        let isNegative = bytes[start] == UInt8(ascii: "-")
        var value: Int64 = 0
        for position in (isNegative ? start + 1 : start) ..< end {
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowDigit) = shifted.subtractingReportingOverflow(Int64(bytes[position] - UInt8(ascii: "0")))
            if overflowShift || overflowDigit { return nil }
            value = next
        }
        if isNegative { return value }
        return value == .min ? nil : -value
    }

    /// The length of the well-formed multi-byte UTF-8 sequence starting at `bytes[index]` (a byte
    /// of 0x80 or more), or nil when it is not one: Unicode Table 3-7, so no overlong forms,
    /// surrogates or code points past U+10FFFF, and the whole sequence before `bytes.count`.
    @inlinable
    public static func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard bytes.count - index >= length else { return nil }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { return nil }
        for offset in 2 ..< length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Whether `bytes` are well-formed UTF-8: what `String(validating:as:)` accepts, without
    /// making a String.
    @inlinable
    public static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let length = utf8SequenceLength(bytes, at: index) else { return false }
            index += length
        }
        return true
    }

    /// The byte a one-letter escape (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`) stands for; nil for
    /// any other letter, `u` included.
    @inlinable
    public static func escapedByte(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return letter
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// Why a `\u` escape cannot be decoded, and the offset `JSONParser` reports it at.
    public struct UnicodeEscapeFault: Error, Sendable, Equatable {
        public enum Reason: Sendable, Equatable {
            /// Fewer than four hex digits (in the escape or in the low surrogate's).
            case invalidHex
            /// A high surrogate not followed by `\u`.
            case unpairedSurrogate
            /// A high surrogate followed by an escape that is not a low surrogate.
            case invalidSurrogatePair
            /// A lone low surrogate.
            case notAScalar
        }

        public var reason: Reason
        public var offset: Int

        @inlinable
        public init(_ reason: Reason, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    /// The scalar of the `\u` escape whose four hex digits start at `bytes[index]` (a high surrogate
    /// joined with the `\uXXXX` low surrogate that must follow it), and the index past the escape.
    @inlinable
    public static func unicodeEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int)
        -> Result<(scalar: Unicode.Scalar, end: Int), UnicodeEscapeFault>
    {
        guard var code = hex4(bytes, at: index) else { return .failure(UnicodeEscapeFault(.invalidHex, at: index)) }
        var end = index + 4
        if (0xD800 ... 0xDBFF).contains(code) {
            guard end + 1 < bytes.count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u") else {
                return .failure(UnicodeEscapeFault(.unpairedSurrogate, at: end))
            }
            guard let low = hex4(bytes, at: end + 2) else { return .failure(UnicodeEscapeFault(.invalidHex, at: end + 2)) }
            end += 6
            guard (0xDC00 ... 0xDFFF).contains(low) else { return .failure(UnicodeEscapeFault(.invalidSurrogatePair, at: end)) }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { return .failure(UnicodeEscapeFault(.notAScalar, at: end)) }
        return .success((scalar, end))
    }

    /// Why a number literal is not one, and the offset `JSONParser` reports it at.
    public struct NumberFault: Error, Sendable, Equatable {
        /// A zero followed by a digit ("Leading zeros are not allowed"); otherwise a missing digit.
        public var isLeadingZero: Bool
        public var offset: Int

        @inlinable
        public init(isLeadingZero: Bool, offset: Int) {
            self.isLeadingZero = isLeadingZero
            self.offset = offset
        }
    }

    /// The end of the number literal starting at `bytes[start]` (a '-' or a digit), and whether it
    /// is an integer (no fraction, no exponent): RFC 8259's number grammar.
    @inlinable
    public static func numberLiteral(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int)
        -> Result<(end: Int, isInteger: Bool), NumberFault>
    {
        var index = start
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return .failure(NumberFault(isLeadingZero: false, offset: index)) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { return .failure(NumberFault(isLeadingZero: true, offset: index)) }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return .failure(NumberFault(isLeadingZero: false, offset: index)) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return .failure(NumberFault(isLeadingZero: false, offset: index)) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return .success((index, isInteger))
    }
}
