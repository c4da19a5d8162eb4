/// A strict RFC 8259 pass over JSON text that builds no values: it checks the syntax, counts the
/// data points (`DataPoints`' rule: every scalar at any depth), and finds where chosen members of a
/// top-level object are spelled.
///
/// A client that forwards records as they were written (the `push` command splices each record's
/// text into a batch body) needs exactly that, and building a `JSONValue` per record only to write
/// it back out would cost several times more. It accepts what `JSONParser` accepts; a test checks
/// the two against each other. One difference: an object with a repeated key counts the data
/// points of every occurrence, where the parsed value keeps only the last, so the count is never
/// lower than `DataPoints.count` of the parsed record (a client refusing on it errs on the safe side).
public enum JSONTextScanner {
    public enum Kind: Sendable, Hashable {
        case object, array, string, number, bool, null
    }

    /// Where one member's value is spelled, as offsets into the scanned bytes.
    public struct Member: Sendable, Hashable {
        public var valueRange: Range<Int>
        public var kind: Kind
        /// Data points inside this member's value.
        public var dataPoints: Int
    }

    public struct Scan: Sendable, Hashable {
        public var kind: Kind
        /// Where the value is, without surrounding whitespace.
        public var valueRange: Range<Int>
        public var dataPoints: Int
        /// For each requested name, its member in a top-level object (the last one, should a key
        /// repeat, as `JSONParser` keeps), or nil.
        public var members: [Member?]
    }

    static let maximumDepth = 512

    /// Scans `range` of `bytes`, which must hold exactly one JSON value and optional whitespace.
    /// Offsets in the result are indices of `bytes`.
    public static func scan(_ bytes: [UInt8], in range: Range<Int>? = nil, members names: [[UInt8]] = [])
        throws(JSONParser.SyntaxError) -> Scan
    {
        let range = range ?? 0..<bytes.count
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range outside the bytes")
        return try bytes.withUnsafeBufferPointer { buffer throws(JSONParser.SyntaxError) -> Scan in
            var cursor = Cursor(bytes: buffer, index: range.lowerBound, end: range.upperBound)
            return try cursor.document(names: names)
        }
    }

    public static func scan(_ bytes: ArraySlice<UInt8>, members names: [[UInt8]] = []) throws(JSONParser.SyntaxError)
        -> Scan
    {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParser.SyntaxError) -> Scan in
            var cursor = Cursor(bytes: buffer, index: 0, end: buffer.count)
            var result = try cursor.document(names: names)
            // Offsets of the slice's own indices, like the [UInt8] form.
            let base = bytes.startIndex
            result.valueRange = (result.valueRange.lowerBound + base)..<(result.valueRange.upperBound + base)
            for index in result.members.indices {
                guard let member = result.members[index] else { continue }
                result.members[index]?.valueRange =
                    (member.valueRange.lowerBound + base)..<(member.valueRange.upperBound + base)
            }
            return result
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int
        var dataPoints = 0
        var depth = 0

        func error(_ message: String) -> JSONParser.SyntaxError {
            JSONParser.SyntaxError(message: message, offset: index)
        }

        mutating func document(names: [[UInt8]]) throws(JSONParser.SyntaxError) -> Scan {
            skipWhitespace()
            let start = index
            var members = [Member?](repeating: nil, count: names.count)
            let kind: Kind
            if index < end, bytes[index] == UInt8(ascii: "{") {
                try object(names: names, found: &members)
                kind = .object
            } else {
                kind = try value()
            }
            let valueEnd = index
            skipWhitespace()
            guard index == end else { throw error("Unexpected text after the JSON value") }
            return Scan(kind: kind, valueRange: start..<valueEnd, dataPoints: dataPoints, members: members)
        }

        mutating func skipWhitespace() {
            while index < end {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value() throws(JSONParser.SyntaxError) -> Kind {
            guard index < end else { throw error("Unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                var none: [Member?] = []
                try object(names: [], found: &none)
                return .object
            case UInt8(ascii: "["):
                try array()
                return .array
            case UInt8(ascii: "\""):
                _ = try string()
                dataPoints += 1
                return .string
            case UInt8(ascii: "t"):
                try literal("true")
                dataPoints += 1
                return .bool
            case UInt8(ascii: "f"):
                try literal("false")
                dataPoints += 1
                return .bool
            case UInt8(ascii: "n"):
                try literal("null")
                dataPoints += 1
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
                dataPoints += 1
                return .number
            default:
                throw error("Unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
            }
        }

        mutating func literal(_ text: StaticString) throws(JSONParser.SyntaxError) {
            let count = text.utf8CodeUnitCount
            guard end - index >= count else { throw error("Invalid literal") }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] {
                throw error("Invalid literal")
            }
            index += count
        }

        mutating func enter() throws(JSONParser.SyntaxError) {
            depth += 1
            if depth > JSONTextScanner.maximumDepth { throw error("JSON nested too deeply") }
        }

        /// An object; at the top level (`names` not empty) it records where the named members are.
        mutating func object(names: [[UInt8]], found: inout [Member?]) throws(JSONParser.SyntaxError) {
            try enter()
            defer { depth -= 1 }
            index += 1
            skipWhitespace()
            if index < end, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw error("Expected a string key") }
                let key = try string()
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: ":") else { throw error("Expected ':' after a key") }
                index += 1
                skipWhitespace()
                let before = dataPoints
                let start = index
                let kind = try value()
                if !names.isEmpty, let slot = match(key, names) {
                    found[slot] = Member(valueRange: start..<index, kind: kind, dataPoints: dataPoints - before)
                }
                skipWhitespace()
                guard index < end else { throw error("Unexpected end of input") }
                switch bytes[index] {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return
                default: throw error("Expected ',' or '}' in an object")
                }
            }
        }

        /// Which requested name a key is: raw bytes compared directly; a key with escapes decoded first.
        func match(_ key: (range: Range<Int>, escaped: Bool), _ names: [[UInt8]]) -> Int? {
            let raw = UnsafeBufferPointer(rebasing: bytes[key.range])
            if !key.escaped {
                return names.firstIndex { name in name.count == raw.count && name.elementsEqual(raw) }
            }
            let quoted = UnsafeBufferPointer(rebasing: bytes[(key.range.lowerBound - 1)..<(key.range.upperBound + 1)])
            guard case .string(let decoded)? = try? JSONParser.parse(quoted) else { return nil }
            let utf8 = Array(decoded.utf8)
            return names.firstIndex { $0 == utf8 }
        }

        mutating func array() throws(JSONParser.SyntaxError) {
            try enter()
            defer { depth -= 1 }
            index += 1
            skipWhitespace()
            if index < end, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                _ = try value()
                skipWhitespace()
                guard index < end else { throw error("Unexpected end of input") }
                switch bytes[index] {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return
                default: throw error("Expected ',' or ']' in an array")
                }
            }
        }

        /// A string starting at its opening quote; returns the range between the quotes and
        /// whether it holds escapes.
        mutating func string() throws(JSONParser.SyntaxError) -> (range: Range<Int>, escaped: Bool) {
            index += 1
            let start = index
            var escaped = false
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return (start..<(index - 1), escaped)
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                    guard index < end else { break }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 1
                    case UInt8(ascii: "u"):
                        try unicodeEscape()
                    default:
                        throw error("Invalid escape sequence")
                    }
                } else if byte < 0x20 {
                    throw error("Unescaped control character in a string")
                } else if byte < 0x80 {
                    index += 1
                } else {
                    try utf8Sequence()
                }
            }
            throw error("Unterminated string")
        }

        /// `\uXXXX` after the backslash; a high surrogate must be followed by a low one, as
        /// `JSONParser` requires to make a String of it.
        mutating func unicodeEscape() throws(JSONParser.SyntaxError) {
            let first = try hex4()
            if (0xD800...0xDBFF).contains(first) {
                guard end - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("Invalid surrogate pair")
                }
                index += 1
                let second = try hex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw error("Invalid surrogate pair") }
            } else if (0xDC00...0xDFFF).contains(first) {
                throw error("Invalid surrogate pair")
            }
        }

        /// `uXXXX`, starting at the `u`.
        mutating func hex4() throws(JSONParser.SyntaxError) -> UInt32 {
            index += 1
            guard let value = JSONLexing.hex4(UnsafeBufferPointer(rebasing: bytes[..<end]), at: index) else {
                // The error's offset is that of the first byte that is not a hex digit, when all four are there.
                if end - index >= 4 { while JSONLexing.hexDigit(bytes[index]) != nil { index += 1 } }
                throw error("Invalid \\u escape")
            }
            index += 4
            return value
        }

        /// One well-formed multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates).
        mutating func utf8Sequence() throws(JSONParser.SyntaxError) {
            guard let length = JSONLexing.utf8SequenceLength(UnsafeBufferPointer(rebasing: bytes[..<end]), at: index) else {
                throw error("Invalid UTF-8 in a string")
            }
            index += length
        }

        mutating func number() throws(JSONParser.SyntaxError) {
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, isDigit(bytes[index]) else { throw error("Invalid number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < end, isDigit(bytes[index]) { index += 1 }
            }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < end, isDigit(bytes[index]) else { throw error("Invalid number") }
                while index < end, isDigit(bytes[index]) { index += 1 }
            }
            if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < end, isDigit(bytes[index]) else { throw error("Invalid number") }
                while index < end, isDigit(bytes[index]) { index += 1 }
            }
        }

        func isDigit(_ byte: UInt8) -> Bool { JSONLexing.isDigit(byte) }
    }
}
