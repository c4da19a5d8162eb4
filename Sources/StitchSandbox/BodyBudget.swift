/// How many request-body bytes the Import API may hold at once, across all connections.
///
/// A request reserves its declared size (or the 20 MiB maximum when it declares none) before
/// reading a byte of its body, and gives it back once the batch is stored or refused. While it
/// waits, its body stays in the socket: TCP back-pressure holds the client, not our memory. So
/// twenty clients each sending 20 MB cost at most `capacity` bytes of bodies (plus their parsed
/// form, which the blocking pool's fixed thread count bounds), rather than 400 MB.
///
/// Waiters are served first-fit in arrival order: a one-record batch is not stuck behind a
/// 20 MB one that does not fit yet, so small clients keep being served at once.
///
/// A waiter gives up when its client is gone, or when no budget at all was freed for its
/// `patience`: then the bodies ahead of it are stuck (a holder sending slowly, say), and a prompt
/// 503 serves the client better than silence. A long queue that keeps moving never gives up.
actor BodyBudget {
    let capacity: Int
    private var available: Int
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var lastRelease = ContinuousClock.now

    private struct Waiter {
        var id: Int
        var bytes: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    init(capacity: Int) {
        self.capacity = capacity
        available = capacity
    }

    /// Waits until `bytes` (capped at the capacity, so any request can eventually go) are free,
    /// then holds them. Returns the amount held, to hand back to `release`; nil if it gave up
    /// (see the type's comment), holding nothing.
    func reserve(_ bytes: Int, patience: Duration, isConnected: @escaping @Sendable () -> Bool) async -> Int? {
        let wanted = min(max(0, bytes), capacity)
        if wanted <= available {
            available -= wanted
            return wanted
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let watchdog = Task { await self.watch(id, patience: patience, isConnected: isConnected) }
        let granted = await withCheckedContinuation { continuation in
            waiters.append(Waiter(id: id, bytes: wanted, continuation: continuation))
        }
        watchdog.cancel()
        return granted ? wanted : nil
    }

    /// When room was last freed (or the budget made): read by `/v2/import/status` to tell a queue that
    /// moves from one that is stuck.
    var lastReleased: ContinuousClock.Instant { lastRelease }

    func release(_ bytes: Int) {
        available = min(capacity, available + bytes)
        lastRelease = .now
        var index = 0
        while index < waiters.count {
            if waiters[index].bytes <= available {
                let waiter = waiters.remove(at: index)
                available -= waiter.bytes
                waiter.continuation.resume(returning: true)
            } else {
                index += 1
            }
        }
    }

    /// Checks on a waiter a few times a second until it is served or gives up.
    private func watch(_ id: Int, patience: Duration, isConnected: @Sendable () -> Bool) async {
        let since = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: min(patience, .milliseconds(250)))
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
            if !isConnected() || ContinuousClock.now - max(since, lastRelease) >= patience {
                waiters.remove(at: index).continuation.resume(returning: false)
                return
            }
        }
    }
}
