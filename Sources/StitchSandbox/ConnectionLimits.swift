/// How long a connection may keep the sandbox waiting, and how many may be open at once.
///
/// Every wait the server does on a client's behalf has a bound, so no client (stalled, slow or
/// gone) can hold a connection, a file descriptor or body budget forever.
public struct ConnectionLimits: Sendable {
    /// A new connection must deliver a complete request head within this time (nginx's
    /// `client_header_timeout`); a client that sends a header byte now and then is cut as well.
    public var requestHeadTimeout: Duration
    /// While the server waits for body bytes, at least `minimumBodyProgress` bytes must arrive
    /// within this time (nginx's `client_body_timeout`, plus a floor so that a byte a minute does
    /// not count as progress). Time spent not asking for the body (the client is ahead of us) does
    /// not count. The same bound applies to a client that stops reading our reply.
    public var bodyProgressTimeout: Duration
    public var minimumBodyProgress: Int
    /// A kept-alive connection with no request in flight is closed after this; above the common
    /// clients' own pool timeouts (AsyncHTTPClient 60 s, aiohttp 15 s), so they close first, as
    /// nginx's 75 s does.
    public var idleTimeout: Duration
    /// A request waiting for body budget answers 503 once no budget was freed for this long: the
    /// bodies ahead of it are stuck, not merely large.
    public var bodyBudgetPatience: Duration
    /// After a reply that ends a connection while the client may still be sending (413, 503, a
    /// malformed request), the server keeps reading and discarding what arrives, so that the
    /// client can finish writing and then read the reply, instead of seeing a reset. At most
    /// `lingerTime` in all, and until `lingerQuietTime` passes with nothing arriving (nginx's
    /// `lingering_time` and `lingering_timeout`).
    public var lingerTime: Duration
    public var lingerQuietTime: Duration
    /// Connections served at once; more are answered 503 and closed. Nil: 1,024, lowered to fit
    /// under the process's open-file limit (`RLIMIT_NOFILE`) with room left for files and
    /// databases, so that `accept` never meets `EMFILE` (which makes NIO's accept loop spin).
    public var maximumConnections: Int?

    public init(requestHeadTimeout: Duration = .seconds(20), bodyProgressTimeout: Duration = .seconds(30),
                minimumBodyProgress: Int = 1024, idleTimeout: Duration = .seconds(75),
                bodyBudgetPatience: Duration = .seconds(15), lingerTime: Duration = .seconds(30),
                lingerQuietTime: Duration = .seconds(5), maximumConnections: Int? = nil) {
        self.requestHeadTimeout = requestHeadTimeout
        self.bodyProgressTimeout = bodyProgressTimeout
        self.minimumBodyProgress = minimumBodyProgress
        self.idleTimeout = idleTimeout
        self.bodyBudgetPatience = bodyBudgetPatience
        self.lingerTime = lingerTime
        self.lingerQuietTime = lingerQuietTime
        self.maximumConnections = maximumConnections
    }
}
