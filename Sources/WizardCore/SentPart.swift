import StitchAPI

/// One request of the record editor's batch and what became of it: the reply to a `.sendPart`
/// effect. The runner makes the request body, so the reducer never holds one; it keeps only the
/// start of it for the detail view.
public struct SentPart: Sendable, Equatable {
    /// The reducer's number for the request (`BatchSender` and `HistoryPanel` match replies by it).
    public var id: Int
    /// The batch's rows the request held; empty when it could not be made.
    public var rows: Range<Int>
    public var tableName: String
    /// Where it went (`…/v2/import/batch`), for the detail view and "copy as curl".
    public var url: String
    /// The request body's size in bytes.
    public var requestBytes: Int
    /// The start of the request body as sent (at most `previewBytes`), for the detail view; the
    /// whole body when it is that short.
    public var requestPreview: String
    /// The HTTP status; nil when no reply came (`failure` says why) or no request could be made.
    public var statusCode: Int?
    /// The reply body as received (the token scrubbed), or the failure's sentence.
    public var body: String
    public var latency: Duration
    /// When the request left, in milliseconds since the epoch, by the runner's wall clock.
    public var sentAt: Int64
    /// The `sequence` base the rows without one counted from (the run's first request picks it).
    public var sequenceBase: Int64
    /// Why there is no reply: a connection failure, or a row that cannot be sent.
    public var failure: String?

    public static let previewBytes = 4_096

    public init(id: Int, rows: Range<Int>, tableName: String, url: String, requestBytes: Int, requestPreview: String,
                statusCode: Int?, body: String, latency: Duration, sentAt: Int64, sequenceBase: Int64,
                failure: String? = nil) {
        self.id = id
        self.rows = rows
        self.tableName = tableName
        self.url = url
        self.requestBytes = requestBytes
        self.requestPreview = requestPreview
        self.statusCode = statusCode
        self.body = body
        self.latency = latency
        self.sentAt = sentAt
        self.sequenceBase = sequenceBase
        self.failure = failure
    }

    public var recordCount: Int { rows.count }
    public var isAccepted: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
    /// The whole body is in `requestPreview`.
    public var previewIsWhole: Bool { requestPreview.utf8.count == requestBytes }

    /// When the reply had come, in milliseconds since the epoch.
    public var repliedAt: Int64 { sentAt + Int64(latency.components.seconds * 1_000 + latency.components.attoseconds / 1_000_000_000_000_000) }

    /// The Batch Status body's `status` and `message` (or an error body's), when the body is JSON.
    public var replyStatus: (status: String?, message: String?) {
        guard let json = try? JSONParser.parse(body) else { return (nil, nil) }
        var message = json["message"]?.stringValue ?? json["error"]?.stringValue
        if message == nil, case .array(let errors)? = json["errors"], let first = errors.first {
            message = first["message"]?.stringValue ?? first["reason"].map { $0.stringValue ?? $0.jsonText }
        }
        return (json["status"]?.stringValue, message)
    }
}

/// What the in-process sandbox's destination holds for a table after a load (`.readLoad`).
public struct LoadReadback: Sendable, Equatable {
    /// The request (`SentPart.id`) this was read for.
    public var id: Int
    public var table: String
    /// Rows in the table now; nil when it does not exist.
    public var rowCount: Int?
    /// Records for the table that went to `_sdc_rejected` since the request was sent.
    public var rejectedCount: Int
    /// The first of them.
    public var rejected: [LoadReject]

    public init(id: Int, table: String, rowCount: Int?, rejectedCount: Int, rejected: [LoadReject]) {
        self.id = id
        self.table = table
        self.rowCount = rowCount
        self.rejectedCount = rejectedCount
        self.rejected = rejected
    }
}

/// A record the destination set aside in `_sdc_rejected`, with why.
public struct LoadReject: Sendable, Equatable {
    public var reason: String
    public var record: String

    public init(reason: String, record: String) {
        self.reason = reason
        self.record = record
    }
}
