/// Lines of a `ByteInput`, numbered from 1, without their line break (LF or CRLF).
///
/// A line longer than `maximumLineBytes` is an error naming it as soon as that many bytes are
/// buffered, so one huge line cannot take memory without bound.
public struct LineReader {
    public let input: ByteInput
    public let maximumLineBytes: Int
    /// The number of the line last returned.
    public private(set) var lineNumber = 0

    public init(input: ByteInput, maximumLineBytes: Int) {
        self.input = input
        self.maximumLineBytes = maximumLineBytes
    }

    /// The next line as a slice of `input.buffer`, valid until the next call.
    public mutating func next() throws(InputError) -> ArraySlice<UInt8>? {
        var searchFrom = input.start
        while true {
            if let newline = input.index(of: 0x0A, from: searchFrom) {
                let start = input.start
                var end = newline
                if end > start, input.buffer[end - 1] == 0x0D { end -= 1 }
                // Checked before the line is consumed, so the error names this line (not the next)
                // whether or not all of it was buffered.
                try checkLength(end - start)
                input.start = newline + 1
                lineNumber += 1
                return input.buffer[start..<end]
            }
            try checkLength(input.available)
            searchFrom = input.buffer.count
            let before = input.start
            guard try input.fill() else {
                guard input.available > 0 else { return nil }
                let start = input.start
                input.start = input.buffer.count
                lineNumber += 1
                var end = input.buffer.count
                if input.buffer[end - 1] == 0x0D { end -= 1 }
                return input.buffer[start..<end]
            }
            // fill() moved the unconsumed bytes to the front.
            searchFrom -= before
        }
    }

    private func checkLength(_ count: Int) throws(InputError) {
        if count > maximumLineBytes {
            throw InputError(line: lineNumber + 1,
                             "the line is over \(maximumLineBytes) bytes, more than a batch request may hold (the Import API takes at most \(ImportLimitsText.body))")
        }
    }
}

/// How limits read in messages.
enum ImportLimitsText {
    static let body = "20 MiB per request"
}
