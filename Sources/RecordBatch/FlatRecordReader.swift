#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StitchAPI

/// Reads a JSONL line that is one JSON object straight into a batch's columns, without a
/// `JSONValue` tree per line: what made opening a million-record file slow (issue 8).
///
/// It reads exactly what `JSONParser` reads and stores exactly what `RecordBatch.appendRecord` of
/// the parsed object stores, or declines, changing nothing: then the loader parses the line to a
/// tree as before, which also names the fault of a bad line. So it declines on anything it does
/// not handle itself, which are all rare in files of records: a syntax error or bytes that are not
/// UTF-8, a repeated key (the tree keeps its first position and last value), a number `Double`
/// cannot read, nesting deeper than `maximumNestedDepth`. Nested objects and arrays are parsed by
/// `JSONParser` one value at a time, as the whole line's parse would have met them.
///
/// The members of a line are first collected (`members`), and the batch is touched only once the
/// whole line has been read, so a line that turns out bad leaves nothing behind.
struct FlatRecordReader {
    private enum Kind: UInt8 {
        case null, `false`, `true`, integer, number
        /// Text in the line as it is (`start`, `count`).
        case text
        /// Text with escapes, decoded into `decoded` (`start`, `count`).
        case decodedText
        /// An object or array: `nested[payload]`.
        case nested
    }

    private struct Member {
        /// The column; negative for a name not yet a column: `newNames[-column - 1]`.
        var column: Int
        var kind: Kind
        var payload: Int64
        var start: Int
        var count: Int
    }

    /// Deeper nested values go to the tree parser, which alone knows its depth limit's message.
    static let maximumNestedDepth = 256

    private var members: [Member] = []
    private var decoded: [UInt8] = []
    private var nested: [JSONValue] = []
    private var newNames: [String] = []
    /// Each column's name as UTF-8, to compare keys without making Strings.
    private var nameBytes: [[UInt8]] = []
    /// The column the member at each position named last time: records of a file mostly list
    /// the same keys in the same order.
    private var columnAtPosition: [Int] = []
    /// The line (`attempt`) that last named each column, to see repeated keys.
    private var namedBy: [Int] = []
    private var attempt = 0
    private var hasDeclaredColumns = false

    /// Appends the line as the batch's next row and notes its values in `facts`; false, changing
    /// nothing, when the tree parser should read the line instead.
    mutating func append(_ line: UnsafeBufferPointer<UInt8>, to batch: inout RecordBatch,
                         columnIndex: inout [String: Int], facts: inout [SchemaInference.ColumnFacts]) -> Bool {
        attempt += 1
        members.removeAll(keepingCapacity: true)
        decoded.removeAll(keepingCapacity: true)
        nested.removeAll(keepingCapacity: true)
        newNames.removeAll(keepingCapacity: true)
        while nameBytes.count < batch.columns.count {
            // Cells of a declared column take its type (a date-time's strings): the tree's way.
            if batch.columns[nameBytes.count].isDeclared { hasDeclaredColumns = true }
            nameBytes.append(Array(batch.columns[nameBytes.count].name.utf8))
        }
        guard !hasDeclaredColumns else { return false }
        while namedBy.count < batch.columns.count { namedBy.append(0) }
        while facts.count < batch.columns.count { facts.append(SchemaInference.ColumnFacts()) }
        guard read(line, columnIndex: columnIndex) else { return false }
        commit(line, to: &batch, columnIndex: &columnIndex, facts: &facts)
        return true
    }

    // MARK: - Reading

    /// Reads the object into `members`; false when the line is not one the reader takes.
    private mutating func read(_ line: UnsafeBufferPointer<UInt8>, columnIndex: [String: Int]) -> Bool {
        var cursor = Cursor(bytes: line)
        cursor.skipWhitespace()
        guard cursor.take(UInt8(ascii: "{")) else { return false }
        cursor.skipWhitespace()
        if !cursor.take(UInt8(ascii: "}")) {
            while true {
                cursor.skipWhitespace()
                guard cursor.peek == UInt8(ascii: "\""), let key = cursor.readString(decodingInto: &decoded),
                      let column = resolve(key, in: line, position: members.count, columnIndex: columnIndex)
                else { return false }
                cursor.skipWhitespace()
                guard cursor.take(UInt8(ascii: ":")) else { return false }
                cursor.skipWhitespace()
                guard var member = readValue(&cursor) else { return false }
                member.column = column
                members.append(member)
                cursor.skipWhitespace()
                if cursor.take(UInt8(ascii: ",")) { continue }
                guard cursor.take(UInt8(ascii: "}")) else { return false }
                break
            }
        }
        cursor.skipWhitespace()
        return cursor.isAtEnd
    }

    private mutating func readValue(_ cursor: inout Cursor) -> Member? {
        guard let byte = cursor.peek else { return nil }
        switch byte {
        case UInt8(ascii: "\""):
            guard let text = cursor.readString(decodingInto: &decoded) else { return nil }
            return Member(column: 0, kind: text.isDecoded ? .decodedText : .text, payload: 0, start: text.start, count: text.count)
        case UInt8(ascii: "t"):
            guard cursor.take(literal: "true") else { return nil }
            return Member(column: 0, kind: .true, payload: 0, start: 0, count: 0)
        case UInt8(ascii: "f"):
            guard cursor.take(literal: "false") else { return nil }
            return Member(column: 0, kind: .false, payload: 0, start: 0, count: 0)
        case UInt8(ascii: "n"):
            guard cursor.take(literal: "null") else { return nil }
            return Member(column: 0, kind: .null, payload: 0, start: 0, count: 0)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = cursor.readNumber() else { return nil }
            switch number {
            case .integer(let value): return Member(column: 0, kind: .integer, payload: value, start: 0, count: 0)
            case .number(let value):
                return Member(column: 0, kind: .number, payload: Int64(bitPattern: value.bitPattern), start: 0, count: 0)
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard let extent = cursor.skipNested(maximumDepth: Self.maximumNestedDepth),
                  let value = try? JSONParser.parse(UnsafeBufferPointer(rebasing: cursor.bytes[extent]))
            else { return nil }
            nested.append(value)
            return Member(column: 0, kind: .nested, payload: Int64(nested.count - 1), start: 0, count: 0)
        default:
            return nil
        }
    }

    /// The column a key names (negative: a new one), or nil for a repeated key.
    private mutating func resolve(_ key: Cursor.Text, in line: UnsafeBufferPointer<UInt8>, position: Int,
                                  columnIndex: [String: Int]) -> Int? {
        var column: Int?
        let name: String
        let range = key.start..<(key.start + key.count)
        if key.isDecoded {
            name = decoded.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
        } else {
            let bytes = UnsafeBufferPointer(rebasing: line[range])
            if position < columnAtPosition.count {
                let cached = columnAtPosition[position]
                let same = nameBytes[cached].withUnsafeBufferPointer { name in
                    guard name.count == bytes.count else { return false }
                    guard let left = name.baseAddress, let right = bytes.baseAddress else { return true }  // both empty
                    return memcmp(left, right, bytes.count) == 0
                }
                if same { column = cached }
            }
            name = column == nil ? String(decoding: bytes, as: UTF8.self) : ""
        }
        if column == nil {
            // A String key compares as the tree's JSONObject and `columnIndex` compare keys
            // (canonically equivalent spellings are one key).
            if let known = columnIndex[name] {
                column = known
            } else {
                guard !newNames.contains(name) else { return nil }
                newNames.append(name)
                return -newNames.count
            }
        }
        guard let column, namedBy[column] != attempt else { return nil }
        namedBy[column] = attempt
        remember(column, at: position)
        return column
    }

    /// Padding with the same (valid) column keeps every entry a column to compare with.
    private mutating func remember(_ column: Int, at position: Int) {
        while columnAtPosition.count <= position { columnAtPosition.append(column) }
        columnAtPosition[position] = column
    }

    // MARK: - Appending

    private mutating func commit(_ line: UnsafeBufferPointer<UInt8>, to batch: inout RecordBatch,
                                 columnIndex: inout [String: Int], facts: inout [SchemaInference.ColumnFacts]) {
        let row = batch.rowCount
        var filled = 0
        var newColumns: [Int] = []
        let decodedText = decoded  // read by the closure while it changes other members of self
        decodedText.withUnsafeBufferPointer { decoded in
            for member in members {
                var column = member.column
                if column < 0 {
                    // New columns are made in the order their names first appear, as appendRecord makes them.
                    let name = newNames[-column - 1]
                    column = batch.appendUndeclaredColumn(named: name)
                    columnIndex[name] = column
                    nameBytes.append(Array(name.utf8))
                    namedBy.append(attempt)
                    newColumns.append(column)
                    while facts.count <= column { facts.append(SchemaInference.ColumnFacts()) }
                }
                switch member.kind {
                case .null:
                    batch.cells[column].appendNull()
                    facts[column].sawNull = true
                case .false, .true:
                    batch.cells[column].appendBoolean(member.kind == .true)
                    facts[column].noteKind(.boolean)
                case .integer:
                    batch.cells[column].appendInteger(member.payload)
                    facts[column].noteKind(.integer)
                case .number:
                    let number = Double(bitPattern: UInt64(bitPattern: member.payload))
                    batch.cells[column].appendNumber(number)
                    facts[column].noteNumber(number)
                case .text, .decodedText:
                    let source = member.kind == .text ? line : decoded
                    let text = UnsafeBufferPointer(rebasing: source[member.start..<(member.start + member.count)])
                    batch.cells[column].appendString(utf8: text)
                    facts[column].noteString(utf8: text)
                case .nested:
                    let cell = CellValue(nested[Int(member.payload)])
                    batch.cells[column].append(cell)
                    facts[column].note(cell)
                }
                filled += 1
            }
        }
        batch.finishAppendedRow(row, filledColumns: filled)
        // Keys that were new are at these positions next time, as known columns.
        for (position, member) in members.enumerated() where member.column < 0 {
            remember(newColumns[-member.column - 1], at: position)
        }
    }
}

// MARK: - The bytes of one line

/// A position in a line's bytes, with the readers of JSON's tokens as `JSONParser` reads them.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    /// A string's text: in the line, or decoded into the reader's buffer.
    struct Text {
        var start: Int
        var count: Int
        var isDecoded: Bool
    }

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func take(literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// The string at the cursor (on its opening quote); nil when it is not valid (a control
    /// character, a bad escape or surrogate, bytes that are not UTF-8, no closing quote).
    mutating func readString(decodingInto decoded: inout [UInt8]) -> Text? {
        index += 1
        let start = index
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = Text(start: start, count: index - start, isDecoded: false)
                index += 1
                guard isASCII || JSONLexing.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])) else { return nil }
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        return readEscapedString(from: start, into: &decoded)
    }

    /// The general path, as `JSONParser.parseEscapedString` decodes: escapes to their UTF-8, the
    /// whole then checked as UTF-8.
    private mutating func readEscapedString(from start: Int, into decoded: inout [UInt8]) -> Text? {
        let decodedStart = decoded.count
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            if byte < 0x20 { return nil }
            if byte != UInt8(ascii: "\\") {
                decoded.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            if escape == UInt8(ascii: "u") {
                guard case .success(let escaped) = JSONLexing.unicodeEscape(bytes, at: index) else { return nil }
                Self.appendUTF8(of: escaped.scalar.value, to: &decoded)
                index = escaped.end
            } else {
                guard let byte = JSONLexing.escapedByte(escape) else { return nil }
                decoded.append(byte)
            }
        }
        let count = decoded.count - decodedStart
        let valid = decoded.withUnsafeBufferPointer { JSONLexing.isValidUTF8(UnsafeBufferPointer(rebasing: $0[decodedStart...])) }
        return valid ? Text(start: decodedStart, count: count, isDecoded: true) : nil
    }

    private static func appendUTF8(of code: UInt32, to bytes: inout [UInt8]) {
        switch code {
        case ..<0x80:
            bytes.append(UInt8(code))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | code >> 6))
            bytes.append(UInt8(0x80 | code & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | code >> 12))
            bytes.append(UInt8(0x80 | code >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | code & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | code >> 18))
            bytes.append(UInt8(0x80 | code >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | code >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | code & 0x3F))
        }
    }

    enum Number {
        case integer(Int64)
        case number(Double)
    }

    /// A number as `JSONParser.parseNumber` reads it: an integer literal that fits is an Int64,
    /// anything else the Double its text reads as.
    mutating func readNumber() -> Number? {
        let start = index
        let isNegative = bytes[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        // Up to 19 significant digits are summed as they go (for integers and the fast Double).
        var mantissa: UInt64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { return nil }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
        }
        let integerDigits = digits
        var isInteger = true
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0")) }
                if mantissa > 0 || digits > 0 { digits += 1 }  // leading zeros of 0.001 are not significant
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        var exponentIsSmall = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            var exponentIsNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentIsNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) {
                if exponent < 10_000 { exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")) } else { exponentIsSmall = false }
                index += 1
            }
            if exponentIsNegative { exponent = -exponent }
        }
        if isInteger, integerDigits <= 19 {
            // 19 digits may still overflow Int64: checked as JSONParser's exactInteger does.
            if isNegative, mantissa <= UInt64(Int64.max) + 1 {
                return .integer(mantissa == UInt64(Int64.max) + 1 ? .min : -Int64(mantissa))
            }
            if !isNegative, mantissa <= UInt64(Int64.max) { return .integer(Int64(mantissa)) }
        }
        // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 10^22 are both exact
        // Doubles, so one multiplication or division rounds once, to the value strtod gives.
        let power = exponent - fractionDigits
        if exponentIsSmall, digits <= 15, (-22...22).contains(power) {
            var value = Double(mantissa)
            if power < 0 { value /= Self.powersOfTen[-power] } else { value *= Self.powersOfTen[power] }
            return .number(isNegative ? -value : value)
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(literal) else { return nil }
        return .number(value)
    }

    private static let powersOfTen: [Double] = (0...22).map { power in
        var value = 1.0
        for _ in 0..<power { value *= 10 }
        return value
    }

    /// Steps over the object or array at the cursor; its bytes' range, or nil when it does not
    /// close on the line or nests deeper than `maximumDepth`. Only brackets and strings are
    /// followed: `JSONParser` then reads the range strictly.
    mutating func skipNested(maximumDepth: Int) -> Range<Int>? {
        let start = index
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maximumDepth { return nil }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return start..<index }
            case UInt8(ascii: "\""):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
            default:
                break
            }
        }
        return nil
    }

    private func isDigit(_ byte: UInt8) -> Bool { JSONLexing.isDigit(byte) }
}
