/// What one attempt at sending a batch came to, as the retry policy sees it.
public enum AttemptOutcome: Sendable, Hashable {
    /// 2xx: accepted (201) or queued (202); either way Stitch has it.
    case accepted(statusCode: Int)
    /// 401 or 403: the token, region or source is wrong; every later batch would fail alike.
    case unauthorized(statusCode: Int, body: String)
    /// Any other 4xx but 429: the batch itself is refused, and sending it again cannot help.
    case rejected(statusCode: Int, body: String)
    /// 5xx, 429, or no reply at all (connection refused or closed, timeout): worth another try,
    /// not before `retryAfter` when the server said how long to wait (`Retry-After`).
    case transient(reason: String, retryAfter: Duration? = nil)

    /// Classifies an HTTP reply.
    public init(statusCode: Int, body: String, retryAfter: Duration? = nil) {
        switch statusCode {
        case 200..<300: self = .accepted(statusCode: statusCode)
        case 401, 403: self = .unauthorized(statusCode: statusCode, body: body)
        case 429: self = .transient(reason: "HTTP 429 (too many requests): \(body)", retryAfter: retryAfter)
        case 400..<500: self = .rejected(statusCode: statusCode, body: body)
        default: self = .transient(reason: "HTTP \(statusCode): \(body)", retryAfter: retryAfter)
        }
    }
}

/// When to send a batch again and how long to wait first: exponential backoff with jitter,
/// bounded in tries. Pure: the randomness comes in as a number, so tests can script it.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt; 0 never retries.
    public var maximumRetries: Int
    /// The wait before the first retry (before jitter); each retry doubles it.
    public var baseDelay: Duration
    /// No wait is longer.
    public var maximumDelay: Duration

    /// A server's `Retry-After` is honoured up to this; a longer one waits this long, so a push
    /// stays bounded in time whatever a proxy asks.
    public var maximumRetryAfter: Duration

    public init(maximumRetries: Int = 8, baseDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30),
                maximumRetryAfter: Duration = .seconds(120)) {
        self.maximumRetries = max(0, maximumRetries)
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
    }

    public enum Decision: Sendable, Hashable {
        /// Done: accepted, or refused in a way another try cannot change.
        case stop
        case retry(after: Duration)
        /// Transient, but out of tries.
        case giveUp
    }

    /// What to do after attempt number `attempt` (1 for the first) ended in `outcome`.
    /// `random` is uniform in 0..<1.
    public func decision(after attempt: Int, _ outcome: AttemptOutcome, random: Double) -> Decision {
        guard case .transient(_, let retryAfter) = outcome else { return .stop }
        guard attempt <= maximumRetries else { return .giveUp }
        let backoff = delay(beforeRetry: attempt, random: random)
        // The server's wait is a floor, not a replacement: clients told the same wait still spread out.
        guard let retryAfter else { return .retry(after: backoff) }
        return .retry(after: max(backoff, min(retryAfter, maximumRetryAfter)))
    }

    /// "Equal jitter": half the exponential delay, plus a random part of the other half, so
    /// clients that failed together do not come back together, and no wait is ever near zero
    /// (a restarting server gets time to come up).
    public func delay(beforeRetry retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(baseDelay * (1 << exponent), maximumDelay)
        let half = ceiling / 2
        return half + half * min(max(random, 0), 1)
    }
}
