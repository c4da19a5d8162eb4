/// Top-level JSON objects read one at a time from a stream, either as the elements of one JSON
/// array (`[{…}, {…}]`) or as a sequence of objects separated by whitespace (what target-stitch's
/// `--output-file` writes). Only one object is in memory at a time.
///
/// This finds where each object ends (braces outside strings); the caller validates its text.
public struct JSONObjectStream {
    public let input: ByteInput
    private let insideArray: Bool
    private let maximumObjectBytes: Int
    private let what: String
    /// The line at `input.start`.
    private var line = 1
    private var position: Position = .start
    /// Objects returned so far.
    public private(set) var count = 0

    private enum Position { case start, inArray, afterElement, done }

    public init(input: ByteInput, insideArray: Bool, maximumObjectBytes: Int, what: String) {
        self.input = input
        self.insideArray = insideArray
        self.maximumObjectBytes = maximumObjectBytes
        self.what = what
    }

    /// The next object's text (a slice of `input.buffer`, valid until the next call) and the line it starts on.
    public mutating func next() throws(InputError) -> (bytes: ArraySlice<UInt8>, line: Int)? {
        while true {
            try skipWhitespace()
            let byte = try peek()
            switch position {
            case .done:
                guard byte == nil else { throw InputError(line: line, "unexpected text after the closing ']'") }
                return nil
            case .start where insideArray:
                guard byte == UInt8(ascii: "[") else {
                    throw InputError(line: line, byte == nil ? "the input is empty; expected a JSON array of records"
                                                              : "expected a JSON array of records, starting with '['")
                }
                input.start += 1
                position = .inArray
                try skipWhitespace()
                if try peek() == UInt8(ascii: "]") {
                    input.start += 1
                    position = .done
                }
                continue
            case .afterElement where insideArray:
                switch byte {
                case UInt8(ascii: ",")?:
                    input.start += 1
                    position = .inArray
                    continue
                case UInt8(ascii: "]")?:
                    input.start += 1
                    position = .done
                    continue
                case nil:
                    throw InputError(line: line, "the JSON array ends without its closing ']'")
                default:
                    throw InputError(line: line, "expected ',' or ']' after \(what) \(count)")
                }
            default:
                guard let byte else {
                    if insideArray { throw InputError(line: line, "the JSON array ends without its closing ']'") }
                    return nil
                }
                guard byte == UInt8(ascii: "{") else {
                    throw InputError(line: line, "\(what) \(count + 1) must be a JSON object")
                }
                return try object()
            }
        }
    }

    private mutating func peek() throws(InputError) -> UInt8? {
        while input.available == 0 {
            guard try input.fill() else { return nil }
        }
        return input.buffer[input.start]
    }

    private mutating func skipWhitespace() throws(InputError) {
        while let byte = try peek() {
            switch byte {
            case 0x0A: line += 1; input.start += 1
            case 0x20, 0x09, 0x0D: input.start += 1
            default: return
            }
        }
    }

    /// The object at `input.start`, up to its matching brace.
    private mutating func object() throws(InputError) -> (bytes: ArraySlice<UInt8>, line: Int) {
        let startLine = line
        var offset = 0
        var depth = 0
        var inString = false
        var escaped = false
        var newlines = 0
        while true {
            if input.start + offset >= input.buffer.count {
                if offset > maximumObjectBytes {
                    throw InputError(line: startLine,
                                     "\(what) \(count + 1) is over \(maximumObjectBytes) bytes, more than a batch request may hold (the Import API takes at most \(ImportLimitsText.body))")
                }
                guard try input.fill() else {
                    throw InputError(line: startLine, "\(what) \(count + 1) is cut off: the input ends inside it")
                }
                continue
            }
            let byte = input.buffer[input.start + offset]
            offset += 1
            if byte == 0x0A { newlines += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    let range = input.start..<(input.start + offset)
                    input.start += offset
                    line += newlines
                    count += 1
                    position = .afterElement
                    return (input.buffer[range], startLine)
                }
            default: break
            }
        }
    }
}

/// A JSON array of records, streamed element by element.
public struct JSONArrayReader: RecordReader {
    private var stream: JSONObjectStream
    private let keys: [[UInt8]]

    public init(input: ByteInput, keyNames: [String], maximumRecordBytes: Int) {
        stream = JSONObjectStream(input: input, insideArray: true, maximumObjectBytes: maximumRecordBytes,
                                  what: "record")
        keys = keyNames.map { Array($0.utf8) }
    }

    public var bytesRead: Int { stream.input.totalBytesRead }

    public mutating func next() throws(InputError) -> InputRecord? {
        guard let (bytes, line) = try stream.next() else { return nil }
        return try RecordScan.object(bytes, line: line, keys: keys, what: "record \(stream.count)")
    }
}
