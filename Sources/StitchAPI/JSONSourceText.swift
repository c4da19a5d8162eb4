/// Values of a JSON document as the document spells them.
///
/// `JSONParser` keeps a number as an Int64 or a Double, which forgets how it was written (`1.0`,
/// `1e3`) and rounds what a Double cannot hold (`12345678901234567890.5`). Where a value must be
/// shown exactly as it was sent (a rejected record, spec §4.9), its text is read back from the
/// source here, only when asked, so parsing stays as fast as it is.
///
/// The document is one the parser accepted. Anything else gives nil rather than a guess, and
/// never reads out of bounds.
public enum JSONSourceText {
    /// Where `document[array][i][member]` is spelled, for each element `i` of the top-level
    /// object's member `array`: nil for an element that is not an object or lacks `member`.
    /// A repeated key counts by its last occurrence, as in the parsed value. Nil when the
    /// document is not an object with such an array.
    public static func elementMemberRanges(in bytes: [UInt8], array: String, member: String) -> [Range<Int>?]? {
        var scanner = Scanner(bytes: bytes)
        guard let arrayStart = scanner.lastMember(array), scanner.byte(at: arrayStart) == UInt8(ascii: "[") else { return nil }
        scanner.index = arrayStart + 1
        var ranges: [Range<Int>?] = []
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "]") { return ranges }
        while true {
            scanner.skipWhitespace()
            let elementStart = scanner.index
            guard scanner.skipValue() else { return nil }
            let elementEnd = scanner.index
            var element = Scanner(bytes: bytes, index: elementStart)
            if scanner.byte(at: elementStart) == UInt8(ascii: "{"), let start = element.lastMember(member) {
                var value = Scanner(bytes: bytes, index: start)
                ranges.append(value.skipValue() && value.index <= elementEnd ? start..<value.index : nil)
            } else {
                ranges.append(nil)
            }
            scanner.skipWhitespace()
            switch scanner.current {
            case UInt8(ascii: ","): scanner.index += 1
            case UInt8(ascii: "]"): return ranges
            default: return nil
            }
        }
    }

    /// The text of `bytes[range]` without whitespace between tokens; strings, numbers and
    /// literals exactly as written.
    public static func compact(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return "" }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = Scanner(bytes: bytes, index: index).stringEnd() ?? range.upperBound
                output.append(contentsOf: bytes[index..<min(end, range.upperBound)])
                index = end
            } else {
                if !Scanner.isWhitespace(byte) { output.append(byte) }
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A forward reader over valid JSON.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var current: UInt8? { byte(at: index) }

        func byte(at position: Int) -> UInt8? { position >= 0 && position < bytes.count ? bytes[position] : nil }

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        mutating func skipWhitespace() {
            while let byte = current, Self.isWhitespace(byte) { index += 1 }
        }

        /// Just past the string starting at `index` (its closing quote included).
        func stringEnd() -> Int? {
            var position = index + 1
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\\"): position += 2
                case UInt8(ascii: "\""): return position + 1
                default: position += 1
                }
            }
            return nil
        }

        /// Moves past one value (after any whitespace before it).
        mutating func skipValue() -> Bool {
            skipWhitespace()
            guard let first = current else { return false }
            switch first {
            case UInt8(ascii: "\""):
                guard let end = stringEnd() else { return false }
                index = end
                return true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let byte = current {
                    switch byte {
                    case UInt8(ascii: "\""):
                        guard let end = stringEnd() else { return false }
                        index = end
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                    default: break
                    }
                    index += 1
                    if depth == 0 { return true }
                }
                return false
            default:
                // A number or a literal: up to the next delimiter.
                let start = index
                while let byte = current, !Self.isWhitespace(byte), byte != UInt8(ascii: ","),
                      byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]") {
                    index += 1
                }
                return index > start
            }
        }

        /// In the object starting at `index` (after whitespace): where the value of the last
        /// member named `key` starts, or nil.
        mutating func lastMember(_ key: String) -> Int? {
            skipWhitespace()
            guard current == UInt8(ascii: "{") else { return nil }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") { return nil }
            let wanted = Array(key.utf8)
            var found: Int?
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\""), let keyEnd = stringEnd() else { return nil }
                let matches = Self.keyMatches(bytes, index..<keyEnd, wanted)
                index = keyEnd
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                if matches { found = index }
                guard skipValue() else { return nil }
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): return found
                default: return nil
                }
            }
        }

        /// Whether the string literal in `range` (quotes included) means `wanted`.
        private static func keyMatches(_ bytes: [UInt8], _ range: Range<Int>, _ wanted: [UInt8]) -> Bool {
            let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
            if !bytes[inner].contains(UInt8(ascii: "\\")) { return bytes[inner].elementsEqual(wanted) }
            // Escaped keys are rare: let the parser decode them.
            guard case .string(let decoded)? = try? JSONParser.parse(bytes[range]) else { return false }
            return Array(decoded.utf8) == wanted
        }
    }
}
