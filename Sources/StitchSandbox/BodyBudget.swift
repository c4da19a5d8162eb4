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
actor BodyBudget {
    let capacity: Int
    private var available: Int
    private var waiters: [(bytes: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(capacity: Int) {
        self.capacity = capacity
        available = capacity
    }

    /// Waits until `bytes` (capped at the capacity, so any request can eventually go) are free,
    /// then holds them. Returns the amount held, to hand back to `release`.
    func reserve(_ bytes: Int) async -> Int {
        let wanted = min(max(0, bytes), capacity)
        if wanted <= available {
            available -= wanted
            return wanted
        }
        await withCheckedContinuation { continuation in
            waiters.append((wanted, continuation))
        }
        return wanted
    }

    func release(_ bytes: Int) {
        available = min(capacity, available + bytes)
        var index = 0
        while index < waiters.count {
            if waiters[index].bytes <= available {
                let waiter = waiters.remove(at: index)
                available -= waiter.bytes
                waiter.continuation.resume()
            } else {
                index += 1
            }
        }
    }
}
