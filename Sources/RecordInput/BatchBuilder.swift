import StitchAPI

/// How big the batcher lets a request get (spec §3.7).
public struct BatchLimits: Sendable, Hashable {
    /// Messages per request: at most the Import API's 20,000.
    public var maximumRecords: Int
    /// A batch is closed before a record would take its body past this many bytes; a record that
    /// is bigger on its own goes alone in a batch (as target-stitch does), up to `maximumBytes`.
    public var targetBytes: Int
    /// No request body is ever bigger: a record that does not fit alone is an error naming its line.
    public var maximumBytes: Int
    public var maximumDataPoints: Int

    public init(maximumRecords: Int = ImportLimits.maximumRecordsPerBatch, targetBytes: Int = BatchLimits.defaultTargetBytes,
                maximumBytes: Int = ImportLimits.maximumBodyBytes,
                maximumDataPoints: Int = ImportLimits.maximumDataPointsPerRecord) {
        self.maximumRecords = min(maximumRecords, ImportLimits.maximumRecordsPerBatch)
        self.maximumBytes = min(maximumBytes, ImportLimits.maximumBodyBytes)
        self.targetBytes = min(targetBytes, self.maximumBytes)
        self.maximumDataPoints = min(maximumDataPoints, ImportLimits.maximumDataPointsPerRecord)
    }

    /// 2 MB: big enough that per-request costs vanish (a few thousand records each), small enough
    /// that four requests in flight keep `push` within its 64 MB memory bound (4 MB batches came to
    /// 63 MiB peak in a debug build, 2 MB to 53 MiB), and that a retry resends little. target-stitch
    /// aims for 4 MB with one request in flight.
    public static let defaultTargetBytes = 2_000_000
}

/// The envelope of every batch of one table: everything but the messages (spec §3.3).
public struct BatchHeader: Sendable, Hashable {
    public var tableName: String
    public var schema: JSONValue
    /// nil leaves `key_names` out (append-only).
    public var keyNames: [String]?
    public var tableVersion: Int64?
    public var bookmarkNames: [String]?

    public init(tableName: String, schema: JSONValue, keyNames: [String]?, tableVersion: Int64? = nil,
                bookmarkNames: [String]? = nil) {
        self.tableName = tableName
        self.schema = schema
        self.keyNames = keyNames
        self.tableVersion = tableVersion
        self.bookmarkNames = bookmarkNames
    }

    /// Rows without a key are appended: a batch sent twice loads twice.
    public var isKeyless: Bool { keyNames?.isEmpty ?? true }

    /// `{"table_name":…,…,"messages":[`: the messages come last so they can be appended as they arrive.
    var prefix: [UInt8] {
        var object = JSONObject()
        object["table_name"] = .string(tableName)
        object["schema"] = schema
        if let keyNames { object["key_names"] = .array(keyNames.map(JSONValue.string)) }
        if let tableVersion { object["table_version"] = .integer(tableVersion) }
        if let bookmarkNames { object["bookmark_names"] = .array(bookmarkNames.map(JSONValue.string)) }
        var text = Array(JSONValue.object(object).jsonText.utf8)
        text.removeLast() // the closing brace
        text.append(contentsOf: (object.isEmpty ? "\"messages\":[" : ",\"messages\":[").utf8)
        return text
    }
}

/// A request body ready to send, and what it holds.
public struct Batch: Sendable {
    public var body: [UInt8]
    public var tableName: String
    public var messageCount: Int
    /// Lines of the input its first and last records came from (0 for messages the input did not hold).
    public var firstLine: Int
    public var lastLine: Int
    public var isKeyless: Bool
    /// Holds an `activate_version` message: sent only once every earlier batch is in.
    public var activatesVersion: Bool

    /// "lines 10–2,009", for messages.
    public var lineRange: String {
        if firstLine == 0 && lastLine == 0 { return "no input lines" }
        return firstLine == lastLine ? "line \(firstLine)" : "lines \(firstLine)–\(lastLine)"
    }
}

/// Builds request bodies of one table incrementally, closing each before it would pass the limits.
/// Pure: bytes in, bodies out.
///
/// Records are spliced in as written (the reader has checked that each is one JSON object), so a
/// record costs a copy, not a parse and a re-serialisation.
public struct BatchBuilder {
    public let header: BatchHeader
    public let limits: BatchLimits
    private let prefix: [UInt8]
    private var body: [UInt8] = []
    private var count = 0
    private var firstLine = 0
    private var lastLine = 0
    private var activates = false

    public init(header: BatchHeader, limits: BatchLimits) {
        self.header = header
        self.limits = limits
        prefix = header.prefix
    }

    public var isEmpty: Bool { count == 0 }
    public var bufferedMessages: Int { count }
    public var bufferedBytes: Int { body.count }

    private static let upsertStart = Array(#"{"action":"upsert","sequence":"#.utf8)
    private static let dataStart = Array(#","data":"#.utf8)
    private static let timeExtractedStart = Array(#","time_extracted":"#.utf8)
    private static let suffix = Array("]}".utf8)

    /// Adds an upsert of `data` (a JSON object's text). Returns the batch this closed, if the
    /// record did not fit in it; the record then starts the next batch.
    ///
    /// - Throws: `InputError` naming `line` for a record with too many data points, or one that
    ///   would not fit in a request even alone.
    public mutating func appendUpsert(data: ArraySlice<UInt8>, dataPoints: Int, sequence: Int64,
                                      timeExtracted: String? = nil, line: Int) throws(InputError) -> Batch? {
        if dataPoints > limits.maximumDataPoints {
            throw InputError(line: line,
                             "the record has more than \(limits.maximumDataPoints) data points, the most the Import API takes in one record")
        }
        // Written digit by digit: a 19-digit String would be a heap allocation per record.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let sequenceCount = withUnsafeMutableBytes(of: &digits) { Self.writeDecimal(sequence, into: $0) }
        let timeText = timeExtracted.map { Array(JSONValue.string($0).jsonText.utf8) }
        let size = Self.upsertStart.count + sequenceCount + Self.dataStart.count + data.count
            + (timeText.map { Self.timeExtractedStart.count + $0.count } ?? 0) + 1
        let closed = try makeRoom(for: size, line: line)
        body.append(contentsOf: Self.upsertStart)
        withUnsafeBytes(of: &digits) { body.append(contentsOf: $0[0..<sequenceCount]) }
        body.append(contentsOf: Self.dataStart)
        body.append(contentsOf: data)
        if let timeText {
            body.append(contentsOf: Self.timeExtractedStart)
            body.append(contentsOf: timeText)
        }
        body.append(UInt8(ascii: "}"))
        note(line: line)
        return closed
    }

    /// Writes `value` in decimal at the start of `buffer` (24 bytes: enough for any Int64) and
    /// returns how many bytes it took.
    static func writeDecimal(_ value: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var magnitude = value.magnitude
        if magnitude == 0 { buffer[0] = UInt8(ascii: "0"); return 1 }
        var count = 0
        if value < 0 { buffer[0] = UInt8(ascii: "-"); count = 1 }
        let start = count
        while magnitude > 0 {
            buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            count += 1
        }
        // Digits came out least significant first.
        var low = start, high = count - 1
        while low < high {
            buffer.swapAt(low, high)
            low += 1
            high -= 1
        }
        return count
    }

    /// Adds a message given whole (an `activate_version`, or a message of an input batch).
    public mutating func appendMessage(_ message: BatchMessage, dataPoints: Int, line: Int) throws(InputError) -> Batch? {
        if dataPoints > limits.maximumDataPoints {
            throw InputError(line: line,
                             "a message has more than \(limits.maximumDataPoints) data points, the most the Import API takes in one record")
        }
        let text = Array(message.json.jsonText.utf8)
        let closed = try makeRoom(for: text.count, line: line)
        body.append(contentsOf: text)
        if message.action == .activateVersion { activates = true }
        note(line: line)
        return closed
    }

    /// The batch being built, if it holds anything; the builder starts over empty.
    public mutating func finish() -> Batch? {
        guard count > 0 else { return nil }
        body.append(contentsOf: Self.suffix)
        let batch = Batch(body: body, tableName: header.tableName, messageCount: count, firstLine: firstLine,
                          lastLine: lastLine, isKeyless: header.isKeyless, activatesVersion: activates)
        body = []
        count = 0
        firstLine = 0
        lastLine = 0
        activates = false
        return batch
    }

    /// Closes the current batch if a message of `size` bytes would take it past a limit, and
    /// opens the body for the message (with its separator).
    private mutating func makeRoom(for size: Int, line: Int) throws(InputError) -> Batch? {
        let alone = prefix.count + size + Self.suffix.count
        if alone > limits.maximumBytes {
            throw InputError(line: line,
                             "the record makes a \(alone)-byte request on its own, over the Import API's limit of \(limits.maximumBytes) bytes per request")
        }
        var closed: Batch?
        if count > 0, count >= limits.maximumRecords || body.count + 1 + size + Self.suffix.count > limits.targetBytes {
            closed = finish()
        }
        if count == 0 {
            body.reserveCapacity(min(limits.targetBytes, max(alone, 64 * 1024)))
            body.append(contentsOf: prefix)
        } else {
            body.append(UInt8(ascii: ","))
        }
        return closed
    }

    private mutating func note(line: Int) {
        if count == 0 { firstLine = line }
        lastLine = line
        count += 1
    }
}
