import StitchAPI

/// Maps Singer messages to Import API batches the way target-stitch 4.0.3 does (spec §5.1):
///
/// - one table per stream: `table_name` = stream, `schema` = the stream's schema as sent,
///   `key_names` = `key_properties` (always sent, possibly empty), `bookmark_names` =
///   `bookmark_properties` when the SCHEMA has them;
/// - a RECORD becomes `{"action":"upsert","data":…,"sequence":…}` plus its `time_extracted`;
///   records that carry a `version` go in batches with that `table_version`;
/// - ACTIVATE_VERSION becomes `{"action":"activate_version","sequence":…}` alone in its batch,
///   with the version as `table_version`; it is sent only after every batch before it is in;
/// - buffers are flushed on any SCHEMA, on a stream's version change, when the buffered bytes of
///   all streams reach the batch size, and at the end; a STATE is passed on once every record
///   read before it is in a batch, and written only after those batches were accepted.
///
/// Pure: messages in, outputs out. Sequences come from the clock it is given.
public struct SingerMapper {
    public enum Output {
        case batch(Batch)
        /// Write this STATE value once every batch output before it has been accepted.
        case state(String)
    }

    private struct Stream {
        var builder: BatchBuilder
        var version: Int64?
    }

    private let limits: BatchLimits
    private var clock: SequenceClock
    private var streams: [String: Stream] = [:]
    /// Streams in the order their SCHEMA came, so flushes are deterministic.
    private var order: [String] = []
    /// The latest STATE read while records were buffered; passed on after the next flush.
    private var pendingState: String?

    public init(limits: BatchLimits, clock: SequenceClock = SequenceClock()) {
        self.limits = limits
        self.clock = clock
    }

    public mutating func map(_ message: SingerMessage) throws(InputError) -> [Output] {
        switch message {
        case .schema(let stream, let schema, let keys, let bookmarks, _):
            var outputs = flushAll()
            let previousVersion = streams[stream]?.version
            let header = BatchHeader(tableName: stream, schema: schema, keyNames: keys, tableVersion: previousVersion,
                                     bookmarkNames: bookmarks)
            if streams[stream] == nil { order.append(stream) }
            streams[stream] = Stream(builder: BatchBuilder(header: header, limits: limits), version: previousVersion)
            outputs += passPendingState()
            return outputs

        case .record(let name, let record, let version, let timeExtracted):
            guard var stream = streams[name] else {
                throw InputError(line: record.line, "a RECORD for stream \(name) came before its SCHEMA")
            }
            var outputs: [Output] = []
            if stream.version != version {
                if let batch = stream.builder.finish() { outputs.append(.batch(batch)) }
                var header = stream.builder.header
                header.tableVersion = version
                stream = Stream(builder: BatchBuilder(header: header, limits: limits), version: version)
            }
            if let closed = try stream.builder.appendUpsert(data: record.data, dataPoints: record.dataPoints,
                                                             sequence: clock.next(), timeExtracted: timeExtracted,
                                                             line: record.line) {
                outputs.append(.batch(closed))
            }
            streams[name] = stream
            if bufferedBytes >= limits.targetBytes { outputs += flushAll() + passPendingState() }
            return outputs

        case .activateVersion(let name, let version, let line):
            guard let stream = streams[name] else {
                throw InputError(line: line, "an ACTIVATE_VERSION for stream \(name) came before its SCHEMA")
            }
            var outputs = flushAll()
            var header = stream.builder.header
            header.tableVersion = version
            var builder = BatchBuilder(header: header, limits: limits)
            _ = try builder.appendMessage(BatchMessage(action: .activateVersion, sequence: clock.next(), data: nil),
                                          dataPoints: 0, line: line)
            if let batch = builder.finish() { outputs.append(.batch(batch)) }
            outputs += passPendingState()
            return outputs

        case .state(let value, _):
            if streams.values.contains(where: { !$0.builder.isEmpty }) {
                pendingState = value
                return []
            }
            return [.state(value)]
        }
    }

    /// Everything still buffered, then the last STATE.
    public mutating func finish() -> [Output] {
        flushAll() + passPendingState()
    }

    private var bufferedBytes: Int { streams.values.reduce(0) { $0 + $1.builder.bufferedBytes } }

    private mutating func flushAll() -> [Output] {
        var outputs: [Output] = []
        for name in order {
            guard var stream = streams[name], let batch = stream.builder.finish() else { continue }
            streams[name] = stream
            outputs.append(.batch(batch))
        }
        return outputs
    }

    private mutating func passPendingState() -> [Output] {
        guard let state = pendingState else { return [] }
        pendingState = nil
        return [.state(state)]
    }
}
