import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Where request bodies are parsed and validated: off Swift's cooperative pool, on two fixed pools of
/// threads chosen by body size, so that big batches never hold the threads small ones need.
///
/// Parsing and validating a 20 MB batch takes a few hundred milliseconds of CPU (seconds in a debug
/// build). On one shared pool with a thread per core, two or three of them made every one-record batch
/// queue behind them. Here:
/// - bodies above `smallBodyLimit` run on the large lane, one thread per core; its fixed thread count
///   also bounds how many big parsed batches are in memory at once;
/// - smaller bodies run on the small lane, which big ones never enter. A small body's validation is
///   itself short: parsing is linear, and pattern matching is bounded by `BatchValidator`'s budget per
///   byte, so even a hostile small batch holds a small-lane thread for a fraction of a second.
///
/// The lanes remember when each queued job arrived, so `/v2/import/status` can tell when batches have
/// waited too long for a thread (`longestWait`).
final class ValidationLanes: Sendable {
    /// A one-record batch is a few hundred bytes and target-stitch's usual batches at most 4 MB; 1 MiB
    /// keeps hand-made and small programmatic batches on the fast lane [?].
    static let smallBodyLimit = 1024 * 1024
    static let smallLaneThreads = 2

    enum Lane: String, Sendable {
        case small, large
    }

    private let small: NIOThreadPool
    private let large: NIOThreadPool
    private let queue = NIOLockedValueBox(Queue())

    private struct Queue {
        var nextTicket = 0
        /// Jobs submitted and not yet started, by ticket.
        var waiting: [Int: (lane: Lane, since: ContinuousClock.Instant)] = [:]
    }

    init(largeLaneThreads: Int = System.coreCount, smallLaneThreads: Int = ValidationLanes.smallLaneThreads) {
        small = NIOThreadPool(numberOfThreads: max(1, smallLaneThreads))
        large = NIOThreadPool(numberOfThreads: max(1, largeLaneThreads))
        small.start()
        large.start()
    }

    /// The routes that own the lanes go away when their sandbox stops; the threads go with them once
    /// the work they hold is done.
    deinit {
        small.shutdownGracefully { _ in }
        large.shutdownGracefully { _ in }
    }

    static func lane(forBodyOfSize bytes: Int) -> Lane {
        bytes <= smallBodyLimit ? .small : .large
    }

    /// Runs `work` on the lane for a body of `bodySize` bytes. Nil when the request's task was cancelled
    /// before the work started (the client is gone), so nobody waits for an answer.
    func run<Result: Sendable>(bodySize: Int, _ work: @escaping @Sendable () -> Result) async -> Result? {
        await run(on: Self.lane(forBodyOfSize: bodySize), work)
    }

    func run<Result: Sendable>(on lane: Lane, _ work: @escaping @Sendable () -> Result) async -> Result? {
        let ticket = queue.withLockedValue { queue in
            defer { queue.nextTicket += 1 }
            queue.waiting[queue.nextTicket] = (lane, .now)
            return queue.nextTicket
        }
        // Also when the job never starts (cancelled in the queue).
        defer { queue.withLockedValue { _ = $0.waiting.removeValue(forKey: ticket) } }
        let pool = lane == .small ? small : large
        return try? await pool.runIfActive { [queue] in
            queue.withLockedValue { _ = $0.waiting.removeValue(forKey: ticket) }
            return work()
        }
    }

    /// The lane whose oldest queued job has waited longest for a thread, and for how long; nil when no
    /// job is waiting.
    func longestWait(now: ContinuousClock.Instant = .now) -> (lane: Lane, waited: Duration)? {
        queue.withLockedValue { queue in
            queue.waiting.values.min { $0.since < $1.since }.map { ($0.lane, now - $0.since) }
        }
    }
}
