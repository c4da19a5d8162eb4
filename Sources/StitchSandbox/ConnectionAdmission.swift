#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers

/// Counts the connections being served and decides whether one more can be.
///
/// Two tiers keep the process under its open-file limit. Up to `served` connections are served;
/// the next `refusals` are accepted only to be answered 503 and closed (a client learns at once
/// that it should come back, rather than hang); past both, the server stops accepting and new
/// connections wait in the kernel's listen backlog. Stopping before `accept` fails matters:
/// on `EMFILE`, NIO 2.101's accept loop retries at once, spinning a core (the pending
/// connection keeps the socket readable, and its `AcceptBackoffHandler` is never asked).
final class ConnectionAdmission: Sendable {
    let served: Int
    let refusals: Int
    /// Connections being served, and whether the last one was refused (so that a flood of
    /// refusals logs once, not once per connection).
    private let state = NIOLockedValueBox((open: 0, refusing: false))
    private let logger: Logger

    /// Connections the server accepts at most (served plus being refused).
    var acceptedAtMost: Int { served + refusals }

    init(limit: Int?, openFileLimit: Int? = ConnectionAdmission.openFileLimit(), logger: Logger) {
        // File descriptors kept free for what is not a connection: the inbox, SQLite (a pool per
        // schema, each with its database, WAL and shared-memory files), PostgreSQL, NIO's own.
        let usable = openFileLimit.map { max(16, $0 - max(64, $0 / 4)) } ?? Int.max
        let refusals = max(1, min(64, usable / 8))
        let served = max(1, min(limit ?? 1024, usable - refusals))
        self.served = served
        self.refusals = refusals
        self.logger = logger
    }

    /// Whether a new connection is served; if so, `release()` must follow when it closes.
    func admit() -> Bool {
        let (admitted, startsRefusing) = state.withLockedValue { state -> (Bool, Bool) in
            guard state.open < served else {
                defer { state.refusing = true }
                return (false, !state.refusing)
            }
            state.open += 1
            state.refusing = false
            return (true, false)
        }
        if startsRefusing {
            logger.notice("Connection limit reached: new connections are answered 503 until some close",
                          metadata: ["served": "\(served)"])
        }
        return admitted
    }

    func release() {
        state.withLockedValue { $0.open -= 1 }
    }

    /// The soft `RLIMIT_NOFILE`; nil when unlimited or unknown.
    static func openFileLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        let unlimited = rlim_t.max  // RLIM_INFINITY, which Swift cannot import from glibc's macro
        #else
        let resource = RLIMIT_NOFILE
        let unlimited = RLIM_INFINITY
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != unlimited else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}
