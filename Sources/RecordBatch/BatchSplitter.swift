import StitchAPI
import RecordInput

/// The rows of a batch as request bodies within the Import API's limits, made one at a time by
/// StitchPush's `BatchBuilder` (the batcher `push` uses), so the sender holds one body at a time
/// and can stop between them.
///
/// Limits default to the API's maximums, 20,000 records and 20 MiB per request: a person's test
/// push should become as few requests as the API allows (45,000 small rows are three requests).
public struct BatchSplitter {
    /// A request body and the rows it holds.
    public struct Part: Sendable {
        public var batch: Batch
        public var rows: Range<Int>
    }

    public let source: RecordBatch
    private var builder: BatchBuilder
    private let writer: RecordJSONWriter
    /// The current row's JSON, reused row after row (the builder copies it into the body).
    private var recordBytes: [UInt8] = []
    private var clock: SequenceClock
    private var nextRow = 0
    private var partStart = 0

    /// - Parameter now: milliseconds since the epoch, the `sequence` of the first row without one
    ///   (each later one takes one more: `SequenceClock`).
    public init(_ batch: RecordBatch, now: Int64,
                limits: BatchLimits = BatchLimits(targetBytes: ImportLimits.maximumBodyBytes)) {
        self.init(batch, startingAt: 0, now: now, limits: limits)
    }

    /// A splitter whose first request starts at row `row`: the record editor sends one request at a
    /// time, each made by a new splitter where the last one ended, so nothing is held between them.
    ///
    /// Unset sequences count from `now + row`, so requests made this way from one `now` carry the
    /// sequences one splitter would have given them, or fewer (rows with a set sequence take none):
    /// always rising from one request to the next, so a later request wins for the same key.
    public init(_ batch: RecordBatch, startingAt row: Int, now: Int64,
                limits: BatchLimits = BatchLimits(targetBytes: ImportLimits.maximumBodyBytes)) {
        source = batch
        builder = BatchBuilder(header: BatchHeader(tableName: batch.tableName, schema: batch.schema,
                                                   keyNames: batch.keyNames, tableVersion: batch.tableVersion,
                                                   bookmarkNames: batch.bookmarkNames),
                               limits: limits)
        writer = RecordJSONWriter(batch)
        let start = min(max(0, row), batch.rowCount)
        let first = now &+ Int64(start)
        clock = SequenceClock(now: { first })
        nextRow = start
        partStart = start
    }

    /// The next request, or nil when every row is in one.
    ///
    /// - Throws: `BatchProblem` for a row that cannot be sent even alone (too many data points,
    ///   too many bytes), which `BatchChecks` reports before sending.
    public mutating func next() throws(BatchProblem) -> Part? {
        while nextRow < source.rowCount {
            let row = nextRow
            recordBytes.removeAll(keepingCapacity: true)
            let dataPoints = writer.write(row: row, to: &recordBytes)
            let closed: Batch?
            do throws(InputError) {
                closed = try builder.appendUpsert(data: recordBytes[...], dataPoints: dataPoints,
                                                  sequence: source.sequence(ofRow: row) ?? clock.next(),
                                                  timeExtracted: source.timeExtracted(ofRow: row), line: row + 1)
            } catch {
                throw BatchProblem(row: row, column: nil, error.message)
            }
            nextRow += 1
            if let closed {
                // This row opened the next request.
                let part = Part(batch: closed, rows: partStart..<row)
                partStart = row
                return part
            }
        }
        guard let last = builder.finish() else { return nil }
        let part = Part(batch: last, rows: partStart..<nextRow)
        partStart = nextRow
        return part
    }

    /// Every request at once (tests, small batches).
    public static func parts(of batch: RecordBatch, now: Int64,
                             limits: BatchLimits = BatchLimits(targetBytes: ImportLimits.maximumBodyBytes))
        throws(BatchProblem) -> [Part]
    {
        var splitter = BatchSplitter(batch, now: now, limits: limits)
        var parts: [Part] = []
        while let part = try splitter.next() { parts.append(part) }
        return parts
    }
}

extension BatchProblem: Error {}
