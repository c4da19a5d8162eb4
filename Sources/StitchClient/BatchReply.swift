import StitchAPI

/// A 2xx reply to `POST /v2/import/batch`. 201 means accepted; 202 means queued after an
/// internal problem and retried by Stitch. Neither means loaded yet (spec §3.3).
public struct BatchReply: Sendable, Hashable {
    public var statusCode: Int
    public var status: BatchStatus
    /// The body as received (with the token redacted, should a server ever echo it).
    public var bodyText: String
    /// From sending the request to having read the whole reply.
    public var latency: Duration

    public init(statusCode: Int, status: BatchStatus, bodyText: String, latency: Duration) {
        self.statusCode = statusCode
        self.status = status
        self.bodyText = bodyText
        self.latency = latency
    }

    /// 202: accepted but queued for re-processing.
    public var isQueued: Bool { statusCode == 202 }
}
