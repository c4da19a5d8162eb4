import StitchAPI

/// CSV (RFC 4180) with a header row: each later row becomes a record whose members are the
/// header's names. Quoted fields may hold commas, doubled quotes and line breaks. A quote
/// anywhere else (inside an unquoted field, or text after a closing quote) is an error at its
/// line and column, and the rest of that line is skipped, so a reader that goes on resumes at
/// the next line.
///
/// A CSV cell has no type, so the JSON Schema decides: a column the schema declares `integer`,
/// `number` or `boolean` gets that JSON type when the cell reads as one; every other cell is a
/// string. An empty cell is null (CSV cannot tell "" from nothing; null is what a missing value
/// loads as).
public struct CSVReader: RecordReader {
    public let input: ByteInput
    private let keys: [[UInt8]]
    private let schema: JSONSchema?
    private let maximumRecordBytes: Int
    private var header: [ColumnWriter] = []
    /// The physical line at `input.start`, and the character column there.
    private var line = 1
    private var column = 1
    private var record: [UInt8] = []

    public init(input: ByteInput, keyNames: [String], schema: JSONSchema?, maximumRecordBytes: Int) {
        self.input = input
        keys = keyNames.map { Array($0.utf8) }
        self.schema = schema
        self.maximumRecordBytes = maximumRecordBytes
    }

    public var bytesRead: Int { input.totalBytesRead }

    public mutating func next() throws(InputError) -> InputRecord? {
        if header.isEmpty {
            guard let (names, headerLine) = try row() else { throw InputError(line: 0, "the CSV input is empty; it needs a header row") }
            var seen: Set<[UInt8]> = []
            for name in names {
                guard !name.isEmpty else { throw InputError(line: headerLine, "the header has an empty column name") }
                guard seen.insert(name).inserted else {
                    throw InputError(line: headerLine, "the header names \(String(decoding: name, as: UTF8.self)) twice")
                }
                guard let text = String(validating: name, as: UTF8.self) else {
                    throw InputError(line: headerLine, "the header is not valid UTF-8")
                }
                header.append(ColumnWriter(name: text, schema: schema))
            }
        }
        while true {
            guard let (fields, rowLine) = try row() else { return nil }
            if fields.count == 1 && fields[0].isEmpty { continue } // a blank line
            guard fields.count == header.count else {
                throw InputError(line: rowLine, "the row has \(fields.count) fields; the header has \(header.count)")
            }
            record.removeAll(keepingCapacity: true)
            record.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { record.append(UInt8(ascii: ",")) }
                guard header[index].write(field, to: &record) else {
                    throw InputError(line: rowLine, "the field \(header[index].name) is not valid UTF-8")
                }
            }
            record.append(UInt8(ascii: "}"))
            if record.count > maximumRecordBytes {
                throw InputError(line: rowLine, "the record is over \(maximumRecordBytes) bytes as JSON, more than a batch request may hold (the Import API takes at most \(ImportLimitsText.body))")
            }
            return try RecordScan.object(record[...], line: rowLine, keys: keys)
        }
    }

    private mutating func peek(_ offset: Int) throws(InputError) -> UInt8? {
        while input.start + offset >= input.buffer.count {
            guard try input.fill() else { return nil }
        }
        return input.buffer[input.start + offset]
    }

    /// One row's fields and the line it starts on; nil at the end of the input.
    private mutating func row() throws(InputError) -> (fields: [[UInt8]], line: Int)? {
        guard try peek(0) != nil else { return nil }
        let startLine = line
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterClosingQuote = false
        var quoteOpened = (line: line, column: column)
        var rowBytes = 0
        while true {
            guard let byte = try peek(0) else {
                if inQuotes {
                    throw InputError(line: quoteOpened.line, column: quoteOpened.column,
                                     "the quoted field that starts here is not closed before the input ends")
                }
                fields.append(field)
                return (fields, startLine)
            }
            let at = (line: line, column: column)
            input.start += 1
            rowBytes += 1
            if rowBytes > maximumRecordBytes {
                throw InputError(line: startLine, "the row is over \(maximumRecordBytes) bytes, more than a batch request may hold (the Import API takes at most \(ImportLimitsText.body))")
            }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if try peek(0) == UInt8(ascii: "\"") {
                        input.start += 1
                        column += 1
                        field.append(byte)
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty && !afterClosingQuote:
                inQuotes = true
                quoteOpened = at
            case UInt8(ascii: "\""):
                try skipRestOfLine(after: byte)
                throw InputError(line: at.line, column: at.column,
                                 afterClosingQuote ? "a quote right after a quoted field; double a quote inside a quoted field (\"\")"
                                                   : "a quote inside an unquoted field; quote the whole field and double the quotes in it (\"a \"\"b\"\"\")")
            case UInt8(ascii: ","):
                fields.append(field)
                field = []
                afterClosingQuote = false
            case 0x0A:
                if field.last == 0x0D { field.removeLast() }
                fields.append(field)
                return (fields, startLine)
            case 0x0D:
                field.append(byte)
            default:
                if afterClosingQuote {
                    try skipRestOfLine(after: byte)
                    throw InputError(line: at.line, column: at.column,
                                     "text after the closing quote of a field; a field is either quoted whole or not at all")
                }
                field.append(byte)
            }
        }
    }

    /// Consumes the rest of the physical line after a malformed field, so a caller that goes on
    /// starts at the next one.
    private mutating func skipRestOfLine(after byte: UInt8) throws(InputError) {
        if byte == 0x0A { return }
        while let next = try peek(0) {
            input.start += 1
            if next == 0x0A {
                line += 1
                column = 1
                return
            }
        }
    }
}

/// Writes one column's `"name":value` member, typed by the schema.
private struct ColumnWriter {
    enum Kind { case string, integer, number, boolean }

    let name: String
    private let prefix: [UInt8]
    private let kinds: Set<Kind>

    init(name: String, schema: JSONSchema?) {
        self.name = name
        prefix = Array((JSONValue.string(name).jsonText + ":").utf8)
        var kinds: Set<Kind> = []
        if let property = schema?.properties.first(where: { $0.name == name })?.schema {
            let types = Set(property.nonNullTypes)
            if types.contains("integer") { kinds.insert(.integer) }
            if types.contains("number") { kinds.insert(.number) }
            if types.contains("boolean") { kinds.insert(.boolean) }
        }
        self.kinds = kinds
    }

    /// False when the field is not valid UTF-8.
    func write(_ field: [UInt8], to output: inout [UInt8]) -> Bool {
        output.append(contentsOf: prefix)
        if field.isEmpty {
            output.append(contentsOf: "null".utf8)
            return true
        }
        if !kinds.isEmpty {
            if kinds.contains(.integer) || kinds.contains(.number), let number = Self.numberText(field, integerOnly: !kinds.contains(.number)) {
                output.append(contentsOf: number)
                return true
            }
            if kinds.contains(.boolean) {
                let lowered = field.map { $0 | 0x20 }
                if lowered == Array("true".utf8) || lowered == Array("false".utf8) {
                    output.append(contentsOf: lowered)
                    return true
                }
            }
        }
        guard let text = String(validating: field, as: UTF8.self) else { return false }
        output.append(contentsOf: JSONValue.string(text).jsonText.utf8)
        return true
    }

    /// The cell as a JSON number literal, if it is one (an integer, when `integerOnly`).
    private static func numberText(_ field: [UInt8], integerOnly: Bool) -> [UInt8]? {
        guard let scan = try? JSONTextScanner.scan(field), scan.kind == .number else { return nil }
        if integerOnly, field.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return nil
        }
        return field
    }
}
