import RecordInput
import StitchAPI

/// What a push reads and how it becomes batches.
public enum PushMode: Sendable {
    /// Records of one table (jsonl, json, csv): every batch has `header`. For CSV, `header.schema`
    /// also types the cells.
    case records(RecordFormat, header: BatchHeader)
    /// Batch bodies, each sent as is (split only when over the limits).
    case batches
    /// A Singer stream mapped as target-stitch maps it.
    case singer
}

/// Where the input comes from. Sendable, so the reader thread can open it there.
public enum PushInput: Sendable {
    /// An open descriptor (stdin, or a file the command opened); `size` for progress, when known.
    case descriptor(Int32, size: Int?)
    case bytes([UInt8])

    var size: Int? {
        switch self {
        case .descriptor(_, let size): size
        case .bytes(let bytes): bytes.count
        }
    }

    func open() -> ByteInput {
        switch self {
        case .descriptor(let descriptor, _): ByteInput(descriptor: descriptor)
        case .bytes(let bytes): ByteInput(bytes: bytes)
        }
    }
}

/// How a push runs.
public struct PushConfiguration: Sendable {
    /// Requests in flight at once; also how many built batches may wait in memory.
    public var concurrency: Int
    public var retry: RetryPolicy
    public var limits: BatchLimits

    public init(concurrency: Int = PushConfiguration.defaultConcurrency, retry: RetryPolicy = RetryPolicy(),
                limits: BatchLimits = BatchLimits()) {
        self.concurrency = max(1, concurrency)
        self.retry = retry
        self.limits = limits
    }

    /// Enough to keep a server's cores busy while one request is on the wire; more only adds
    /// memory (each in-flight batch is held for a possible retry).
    public static let defaultConcurrency = 4
}

/// What a push tells its caller while it runs. Called from the reader thread and sending tasks.
public struct PushEvents: Sendable {
    /// A Singer STATE value, to be written to stdout (in order, each once).
    public var state: @Sendable (String) -> Void
    /// A line for a person (retries, warnings), for stderr.
    public var notice: @Sendable (String) -> Void

    public init(state: @escaping @Sendable (String) -> Void = { _ in }, notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.state = state
        self.notice = notice
    }
}
