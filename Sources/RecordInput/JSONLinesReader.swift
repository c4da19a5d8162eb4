/// JSON Lines: one record (a JSON object) per line; blank lines are skipped.
public struct JSONLinesReader: RecordReader {
    private var lines: LineReader
    private let keys: [[UInt8]]

    public init(input: ByteInput, keyNames: [String], maximumRecordBytes: Int) {
        lines = LineReader(input: input, maximumLineBytes: maximumRecordBytes)
        keys = keyNames.map { Array($0.utf8) }
    }

    public var bytesRead: Int { lines.input.totalBytesRead }

    public mutating func next() throws(InputError) -> InputRecord? {
        while let line = try lines.next() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return try RecordScan.object(line, line: lines.lineNumber, keys: keys)
        }
        return nil
    }
}
