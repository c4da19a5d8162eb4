import StitchAPI

/// One record read from the input: the text of its JSON object, where it came from, and what the
/// batcher and the key rules need to know about it without parsing it again.
public struct InputRecord {
    /// The record's JSON object as written (a slice of the reader's buffer: valid until the
    /// reader's next call).
    public var data: ArraySlice<UInt8>
    /// 1-based line where the record starts.
    public var line: Int
    public var dataPoints: Int
    /// The top-level members named as keys, in the order of the key names.
    public var keys: [JSONTextScanner.Member?]
}

/// A source of records, read lazily from a stream.
public protocol RecordReader {
    mutating func next() throws(InputError) -> InputRecord?
    /// Input bytes read so far, for progress.
    var bytesRead: Int { get }
}

extension JSONTextScanner.Kind {
    var noun: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

enum RecordScan {
    /// Scans one record's text: it must be a JSON object; syntax errors give their column.
    static func object(_ bytes: ArraySlice<UInt8>, line: Int, keys: [[UInt8]], what: String = "the record")
        throws(InputError) -> InputRecord
    {
        let scan: JSONTextScanner.Scan
        do {
            scan = try JSONTextScanner.scan(bytes, members: keys)
        } catch {
            throw InputError(line: line, "\(what) is not valid JSON: \(error.message) (byte \(error.offset + 1) of the record)")
        }
        guard scan.kind == .object else {
            throw InputError(line: line, "\(what) must be a JSON object, not \(scan.kind.noun)")
        }
        return InputRecord(data: bytes[scan.valueRange], line: line, dataPoints: scan.dataPoints, keys: scan.members)
    }
}
