/// A strict RFC 8259 parser that produces `JSONValue`, keeping key order and exact integers.
/// Foundation's decoders sort keys away and round large integers, and both matter here.
public struct JSONParser {
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 512

    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes))
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("Unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(SyntaxError) -> JSONValue {
        guard index < bytes.count else { throw error("Unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("Unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("Invalid literal") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw error("Invalid literal")
        }
        index += count
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("JSON nested too deeply") }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
        // The array becomes the object's storage as is. Room for a few members up front skips the
        // smallest growth steps without much slack in the many small objects of a batch.
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(4)
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("Expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("Expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("Unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(JSONObject.parsed(members))
            }
            throw error("Expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array([]) }
        var values: [JSONValue] = []
        while true {
            skipWhitespace()
            let value = try parseValue()
            values.append(value)
            skipWhitespace()
            guard index < bytes.count else { throw error("Unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(values)
            }
            throw error("Expected ',' or ']'")
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1
        // Most strings have no escapes: find the closing quote and validate the bytes in place.
        var end = index
        var isASCII = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { isASCII = false }
            if byte == UInt8(ascii: "\"") {
                let string = isASCII ? text(index..<end) : validatedText(index..<end)
                index = end + 1
                guard let string else { throw error("Invalid UTF-8 in string") }
                return string
            }
            end += 1
        }
        return try parseEscapedString()
    }

    /// The general path: escapes decoded, control characters refused.
    private mutating func parseEscapedString() throws(SyntaxError) -> String {
        var scalars = String.UnicodeScalarView()
        var start = index
        var raw: [UInt8] = []
        func flush(_ parser: JSONParser, upTo end: Int) { raw.append(contentsOf: parser.bytes[start..<end]) }
        while true {
            guard index < bytes.count else { throw error("Unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(self, upTo: index)
                index += 1
                break
            }
            if byte < 0x20 { throw error("Control character in string") }
            if byte == UInt8(ascii: "\\") {
                flush(self, upTo: index)
                index += 1
                guard index < bytes.count else { throw error("Unterminated escape") }
                let escape = bytes[index]
                index += 1
                let decoded: Unicode.Scalar
                if escape == UInt8(ascii: "u") {
                    let at = index
                    switch bytes.withUnsafeBufferPointer({ JSONLexing.unicodeEscape($0, at: at) }) {
                    case .success(let escaped):
                        decoded = escaped.scalar
                        index = escaped.end
                    case .failure(let fault):
                        let message = switch fault.reason {
                        case .invalidHex, .notAScalar: "Invalid unicode escape"
                        case .unpairedSurrogate: "Unpaired surrogate"
                        case .invalidSurrogatePair: "Invalid surrogate pair"
                        }
                        throw SyntaxError(message: message, offset: fault.offset)
                    }
                } else {
                    guard let byte = JSONLexing.escapedByte(escape) else { throw error("Invalid escape") }
                    decoded = Unicode.Scalar(byte)
                }
                raw.append(contentsOf: Array(String(Character(decoded)).utf8))
                start = index
                continue
            }
            index += 1
        }
        guard let string = String(validating: raw, as: UTF8.self) else { throw error("Invalid UTF-8 in string") }
        scalars.append(contentsOf: string.unicodeScalars)
        return String(scalars)
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONValue {
        let start = index
        let isInteger: Bool
        switch bytes.withUnsafeBufferPointer({ JSONLexing.numberLiteral($0, at: start) }) {
        case .success(let literal):
            index = literal.end
            isInteger = literal.isInteger
        case .failure(let fault):
            index = fault.offset
            throw error(fault.isLeadingZero ? "Leading zeros are not allowed" : "Invalid number")
        }
        if isInteger, let value = exactInteger(from: start, to: index) { return .integer(value) }
        let literal = text(start..<index)
        guard let value = Double(literal) else { throw error("Invalid number") }
        return .number(value)
    }

    // Both decode from a buffer pointer: from an ArraySlice the standard library takes a generic path
    // that looks up type metadata on every call, which cost more than the decoding itself.

    /// `bytes[range]`, known to be ASCII (or to be repaired when not valid UTF-8), as a String.
    private func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// `bytes[range]` as a String, or nil when it is not valid UTF-8.
    private func validatedText(_ range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private func exactInteger(from start: Int, to end: Int) -> Int64? {
        bytes.withUnsafeBufferPointer { JSONLexing.exactInteger($0, from: start, to: end) }
    }
}

extension JSONValue {
    /// Compact JSON text, keys in document order.
    public var jsonText: String {
        var output = ""
        write(to: &output, indent: nil, level: 0)
        return output
    }

    /// Indented JSON text (two spaces), keys in document order.
    public var prettyJSONText: String {
        var output = ""
        write(to: &output, indent: "  ", level: 0)
        return output
    }

    private func write(to output: inout String, indent: String?, level: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value):
            if value.isFinite, value.rounded() == value, abs(value) < 1e15 { output += String(Int64(value)) }
            else if value.isFinite { output += "\(value)" }
            else { output += "null" }
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let values):
            if values.isEmpty { output += "[]"; return }
            output += "["
            for (offset, value) in values.enumerated() {
                if offset > 0 { output += "," }
                if let indent { output += "\n" + String(repeating: indent, count: level + 1) }
                value.write(to: &output, indent: indent, level: level + 1)
            }
            if let indent { output += "\n" + String(repeating: indent, count: level) }
            output += "]"
        case .object(let object):
            if object.isEmpty { output += "{}"; return }
            output += "{"
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { output += "," }
                if let indent { output += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.writeString(member.key, to: &output)
                output += indent == nil ? ":" : ": "
                member.value.write(to: &output, indent: indent, level: level + 1)
            }
            if let indent { output += "\n" + String(repeating: indent, count: level) }
            output += "}"
        }
    }

    private static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
