import Foundation
import StitchAPI

/// A stored batch body parsed for the loader: one flat array of tokens over the body's bytes
/// instead of a `JSONValue` tree (issue 9).
///
/// The gate has already parsed and validated the body with StitchAPI's `JSONParser`; the loader
/// reads it back only to shred its records, and a tree costs an allocation per object, array and
/// long string, reference counting on every step of the walk, and as much again to free it. Here
/// a record is a run of 16-byte tokens; a string without escapes is a range of the body itself.
///
/// Same grammar and limits as `JSONParser` (strict RFC 8259, UTF-8 validated, 512 levels, integers
/// that fit Int64 kept exact, other numbers read by `Double(String)`). Anything it cannot read
/// makes `init` fail, and the caller falls back to `JSONParser`, so a damaged body is described in
/// the parser's own words.
struct BatchTape: Sendable, Hashable {
    enum Kind: UInt8, Sendable {
        case null, falseValue, trueValue, integer, number
        /// A string as it lies in the body (no escapes): `payload` is its offset there.
        case bodyString
        /// A string with escapes, decoded into `decoded`: `payload` is its offset there.
        case decodedString
        /// `count` members (a key token, then its value's tokens, each); `payload` is the index past the object.
        case object
        /// `count` elements; `payload` is the index past the array.
        case array
    }

    struct Token: Sendable, Hashable {
        var kind: Kind
        /// A string's length in bytes; an object's members; an array's elements.
        var count: UInt32
        /// The integer; the double's bits; a string's offset; a container's end index.
        var payload: Int64
    }

    let body: [UInt8]
    private(set) var tokens: [Token] = []
    /// The UTF-8 of strings with escapes, decoded.
    private(set) var decoded: [UInt8] = []

    /// nil when the body is not JSON as `JSONParser` reads it.
    init?(parsing body: [UInt8]) {
        guard body.count < Int(UInt32.max) else { return nil }
        self.body = body
        // About one token per 12 bytes in a typical batch: one growth step at most.
        tokens.reserveCapacity(body.count / 12 + 16)
        let parsed: Bool = body.withUnsafeBufferPointer { bytes in
            var parser = Parser(bytes: bytes)
            parser.skipWhitespace()
            guard parser.parseValue(into: &tokens, decoded: &decoded) else { return false }
            parser.skipWhitespace()
            return parser.index == bytes.count
        }
        guard parsed else { return nil }
    }

    /// The index of the token after the value at `index`.
    func end(of index: Int) -> Int {
        let token = tokens[index]
        switch token.kind {
        case .object, .array: return Int(token.payload)
        default: return index + 1
        }
    }

    /// A string token's UTF-8, in place: valid only inside `body`.
    func withBytes<Result>(of index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let token = tokens[index]
        let start = Int(token.payload), count = Int(token.count)
        let storage = token.kind == .decodedString ? decoded : self.body
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start ..< start + count])) }
    }

    /// A string token as a String.
    func string(at index: Int) -> String {
        withBytes(of: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a string token spells `name`.
    func string(at index: Int, equals name: StaticString) -> Bool {
        withBytes(of: index) { bytes in
            guard bytes.count == name.utf8CodeUnitCount else { return false }
            guard let base = bytes.baseAddress else { return true }
            return memcmp(base, name.utf8Start, bytes.count) == 0
        }
    }

    /// The value of the last member named `name` of the object at `index` (a repeated key takes
    /// its last value, as in `JSONObject`).
    func member(_ name: StaticString, of index: Int) -> Int? {
        members([name], of: index)[0]
    }

    /// `member(_:of:)` for several names, in one pass over the object's members.
    func members(_ names: [StaticString], of index: Int) -> [Int?] {
        var found = [Int?](repeating: nil, count: names.count)
        guard tokens[index].kind == .object else { return found }
        var position = index + 1
        for _ in 0 ..< tokens[index].count {
            let length = Int(tokens[position].count)
            for (slot, name) in names.enumerated() where name.utf8CodeUnitCount == length && string(at: position, equals: name) {
                found[slot] = position + 1
            }
            position = end(of: position + 1)
        }
        return found
    }

    /// The value at `index` as `JSONParser` makes it (a repeated key keeps its first position and
    /// takes its last value): for the schema, and for a record the shredder's fast walk leaves
    /// to the tree-based one.
    func value(at index: Int) -> JSONValue {
        let token = tokens[index]
        switch token.kind {
        case .null: return .null
        case .falseValue: return .bool(false)
        case .trueValue: return .bool(true)
        case .integer: return .integer(token.payload)
        case .number: return .number(Double(bitPattern: UInt64(bitPattern: token.payload)))
        case .bodyString, .decodedString: return .string(string(at: index))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(token.count))
            var position = index + 1
            for _ in 0 ..< token.count {
                elements.append(value(at: position))
                position = end(of: position)
            }
            return .array(elements)
        case .object:
            return .object(object(at: index))
        }
    }

    /// The object at `index` as a `JSONObject`.
    func object(at index: Int) -> JSONObject {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(Int(tokens[index].count))
        var position = index + 1
        for _ in 0 ..< tokens[index].count {
            members.append((string(at: position), value(at: position + 1)))
            position = end(of: position + 1)
        }
        // Assigned one by one, as `JSONObject.parsed` does for repeated keys.
        return JSONObject(members)
    }

    /// A strict reader over the body, writing tokens.
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0
        static let maximumDepth = 512

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(into tokens: inout [Token], decoded: inout [UInt8]) -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return parseObject(into: &tokens, decoded: &decoded)
            case UInt8(ascii: "["): return parseArray(into: &tokens, decoded: &decoded)
            case UInt8(ascii: "\""): return parseString(into: &tokens, decoded: &decoded)
            case UInt8(ascii: "t"): return literal("true", .trueValue, into: &tokens)
            case UInt8(ascii: "f"): return literal("false", .falseValue, into: &tokens)
            case UInt8(ascii: "n"): return literal("null", .null, into: &tokens)
            case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return parseNumber(into: &tokens)
            default: return false
            }
        }

        private mutating func literal(_ text: StaticString, _ kind: Kind, into tokens: inout [Token]) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0 ..< count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            tokens.append(Token(kind: kind, count: 0, payload: 0))
            return true
        }

        private mutating func parseObject(into tokens: inout [Token], decoded: inout [UInt8]) -> Bool {
            parseContainer(.object, closing: UInt8(ascii: "}"), into: &tokens, decoded: &decoded)
        }

        private mutating func parseArray(into tokens: inout [Token], decoded: inout [UInt8]) -> Bool {
            parseContainer(.array, closing: UInt8(ascii: "]"), into: &tokens, decoded: &decoded)
        }

        /// An object's members (a key, ':', a value) or an array's elements, up to `closing`.
        @inline(__always)
        private mutating func parseContainer(_ kind: Kind, closing: UInt8, into tokens: inout [Token], decoded: inout [UInt8]) -> Bool {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { return false }
            let at = tokens.count
            tokens.append(Token(kind: kind, count: 0, payload: 0))
            index += 1
            skipWhitespace()
            var count: UInt32 = 0
            if index < bytes.count, bytes[index] == closing {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    if kind == .object {
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
                              parseString(into: &tokens, decoded: &decoded) else { return false }
                        skipWhitespace()
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                        index += 1
                        skipWhitespace()
                    }
                    guard parseValue(into: &tokens, decoded: &decoded) else { return false }
                    count += 1
                    skipWhitespace()
                    guard index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == closing else { return false }
                    index += 1
                    break
                }
            }
            tokens[at].count = count
            tokens[at].payload = Int64(tokens.count)
            return true
        }

        private mutating func parseString(into tokens: inout [Token], decoded: inout [UInt8]) -> Bool {
            index += 1
            let start = index
            var end = index
            var isASCII = true
            // Eight bytes at a time while they are plain ASCII text (no quote, backslash or control
            // character); the byte loop below takes over at the first chunk that is not.
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while end + 8 <= bytes.count, Self.isPlainASCII(raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)) {
                    end += 8
                }
            }
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                if byte >= 0x80 { isASCII = false }
                if byte == UInt8(ascii: "\"") {
                    guard isASCII || JSONLexing.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[start ..< end])) else { return false }
                    index = end + 1
                    tokens.append(Token(kind: .bodyString, count: UInt32(end - start), payload: Int64(start)))
                    return true
                }
                end += 1
            }
            return parseEscapedString(into: &tokens, decoded: &decoded)
        }

        /// Whether eight bytes hold no quote, backslash, control character (< 0x20) or non-ASCII
        /// byte (the "has a zero byte" bit trick, applied to each condition).
        @inline(__always)
        static func isPlainASCII(_ word: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let control = (word &- ones &* 0x20) & ~word & highs
            return word & highs == 0 && control == 0 && !hasZeroByte(quote) && !hasZeroByte(backslash)
        }

        /// The general path, as `JSONParser.parseEscapedString`: escapes decoded, control
        /// characters refused, the result validated as UTF-8.
        private mutating func parseEscapedString(into tokens: inout [Token], decoded: inout [UInt8]) -> Bool {
            let start = decoded.count
            var runStart = index
            while true {
                guard index < bytes.count else { return false }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart ..< index]))
                    index += 1
                    break
                }
                if byte < 0x20 { return false }
                if byte == UInt8(ascii: "\\") {
                    decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart ..< index]))
                    index += 1
                    guard index < bytes.count else { return false }
                    let escape = bytes[index]
                    index += 1
                    if escape == UInt8(ascii: "u") {
                        guard case .success(let escaped) = JSONLexing.unicodeEscape(bytes, at: index),
                              let encoded = UTF8.encode(escaped.scalar) else { return false }
                        decoded.append(contentsOf: encoded)
                        index = escaped.end
                    } else {
                        guard let byte = JSONLexing.escapedByte(escape) else { return false }
                        decoded.append(byte)
                    }
                    runStart = index
                    continue
                }
                index += 1
            }
            let valid = decoded.withUnsafeBufferPointer { JSONLexing.isValidUTF8(UnsafeBufferPointer(rebasing: $0[start...])) }
            guard valid else { return false }
            tokens.append(Token(kind: .decodedString, count: UInt32(decoded.count - start), payload: Int64(start)))
            return true
        }

        private mutating func parseNumber(into tokens: inout [Token]) -> Bool {
            let start = index
            guard case .success(let literal) = JSONLexing.numberLiteral(bytes, at: start) else { return false }
            index = literal.end
            let isInteger = literal.isInteger
            if isInteger, let value = JSONLexing.exactInteger(bytes, from: start, to: index) {
                tokens.append(Token(kind: .integer, count: 0, payload: value))
                return true
            }
            // The same conversion as `JSONParser`'s, so a number reads the same on both paths.
            guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< index]), as: UTF8.self))
            else { return false }
            tokens.append(Token(kind: .number, count: 0, payload: Int64(bitPattern: value.bitPattern)))
            return true
        }
    }
}

/// A batch read from its stored body through `BatchTape`: the envelope as a `BatchRequest` whose
/// upserts carry no `data` (it stays in the tape), and where each message's record starts.
struct TapedBatch: Sendable, Hashable {
    var request: BatchRequest
    var tape: BatchTape
    /// Per message, the token of its `data` object; -1 for none.
    var dataTokens: [Int]

    /// nil when the body is not a batch `BatchRequest(json:)` reads without complaint: the caller
    /// then reads it that way, for the same result or the same error.
    init?(body: [UInt8]) {
        guard let tape = BatchTape(parsing: body), tape.tokens.first?.kind == .object else { return nil }
        guard let nameToken = tape.member("table_name", of: 0),
              [.bodyString, .decodedString].contains(tape.tokens[nameToken].kind) else { return nil }
        let tableName = tape.string(at: nameToken)
        guard !tableName.isEmpty,
              let schemaToken = tape.member("schema", of: 0), tape.tokens[schemaToken].kind == .object,
              let messagesToken = tape.member("messages", of: 0), tape.tokens[messagesToken].kind == .array
        else { return nil }
        var messages: [BatchMessage] = []
        var dataTokens: [Int] = []
        messages.reserveCapacity(Int(tape.tokens[messagesToken].count))
        dataTokens.reserveCapacity(Int(tape.tokens[messagesToken].count))
        var position = messagesToken + 1
        for _ in 0 ..< tape.tokens[messagesToken].count {
            let message = position
            position = tape.end(of: position)
            guard tape.tokens[message].kind == .object else { return nil }
            let found = tape.members(["action", "sequence", "data", "time_extracted"], of: message)
            guard let actionToken = found[0], Self.isString(tape, actionToken),
                  let action = Self.action(tape, actionToken),
                  let sequenceToken = found[1], tape.tokens[sequenceToken].kind == .integer
            else { return nil }
            let dataToken = found[2].flatMap { tape.tokens[$0].kind == .object ? $0 : nil }
            if action == .upsert && dataToken == nil { return nil }
            let timeExtracted = found[3].flatMap {
                Self.isString(tape, $0) ? tape.string(at: $0) : nil
            }
            // An upsert's data stays in the tape; an activate_version's (if any) is read as usual.
            let data = action == .upsert ? nil : dataToken.map(tape.object(at:))
            messages.append(BatchMessage(action: action, sequence: tape.tokens[sequenceToken].payload, data: data,
                                         timeExtracted: timeExtracted))
            dataTokens.append(action == .upsert ? dataToken ?? -1 : -1)
        }
        var keyNames: [String]?
        if let keysToken = tape.member("key_names", of: 0) {
            guard tape.tokens[keysToken].kind == .array else { return nil }
            var keys: [String] = []
            var element = keysToken + 1
            for _ in 0 ..< tape.tokens[keysToken].count {
                guard Self.isString(tape, element) else { return nil }
                keys.append(tape.string(at: element))
                element = tape.end(of: element)
            }
            keyNames = keys
        }
        var tableVersion: Int64?
        if let versionToken = tape.member("table_version", of: 0) {
            guard tape.tokens[versionToken].kind == .integer else { return nil }
            tableVersion = tape.tokens[versionToken].payload
        }
        let bookmarkNames = tape.member("bookmark_names", of: 0).flatMap { tape.value(at: $0).arrayValue?.compactMap(\.stringValue) }
        request = BatchRequest(tableName: tableName, schema: tape.value(at: schemaToken), messages: messages, keyNames: keyNames,
                               tableVersion: tableVersion, bookmarkNames: bookmarkNames)
        self.tape = tape
        self.dataTokens = dataTokens
    }

    /// A message's action, as `BatchMessage.Action(rawValue:)` reads it, without making a String
    /// for the usual one.
    private static func action(_ tape: BatchTape, _ index: Int) -> BatchMessage.Action? {
        if tape.string(at: index, equals: "upsert") { return .upsert }
        return BatchMessage.Action(rawValue: tape.string(at: index))
    }

    private static func isString(_ tape: BatchTape, _ index: Int) -> Bool {
        tape.tokens[index].kind == .bodyString || tape.tokens[index].kind == .decodedString
    }

    /// The record of message `index` as a tree (for the tree-based shredder and exact sizes).
    func data(ofMessage index: Int) -> JSONObject? {
        guard index < dataTokens.count, dataTokens[index] >= 0 else { return nil }
        return tape.object(at: dataTokens[index])
    }
}
