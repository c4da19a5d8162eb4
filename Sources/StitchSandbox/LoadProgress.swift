/// How far the loader has got through the inbox, so callers can wait for their batches.
actor LoadProgress {
    private var lastAccepted: Int64
    private var lastProcessed: Int64 = 0
    private var isStopped = false
    private var waiters: [(id: Int, target: Int64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiterID = 0

    /// `pending`: batch numbers already in the inbox at start.
    init(pending: [Int64]) {
        lastAccepted = pending.last ?? 0
    }

    func accepted(_ number: Int64) {
        lastAccepted = max(lastAccepted, number)
    }

    /// The loader finished with a batch (loaded or set aside). Batches finish in order.
    func processed(_ number: Int64) {
        lastProcessed = max(lastProcessed, number)
        resumeWaiters()
    }

    /// Ends every wait: the loader will process nothing more.
    func stop() {
        isStopped = true
        resumeWaiters()
    }

    var isIdle: Bool { lastProcessed >= lastAccepted }

    /// Waits until every batch accepted so far is processed. False if the loader stopped first
    /// or the timeout passed.
    func waitUntilProcessed(timeout: Duration?) async -> Bool {
        let target = lastAccepted
        if lastProcessed >= target { return true }
        if isStopped { return false }
        let id = nextWaiterID
        nextWaiterID += 1
        if let timeout {
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(id)
            }
        }
        return await withCheckedContinuation { continuation in
            waiters.append((id, target, continuation))
        }
    }

    private func expire(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }

    private func resumeWaiters() {
        waiters.removeAll { waiter in
            if lastProcessed >= waiter.target {
                waiter.continuation.resume(returning: true)
                return true
            }
            if isStopped {
                waiter.continuation.resume(returning: false)
                return true
            }
            return false
        }
    }
}
