import Dispatch
import NIOConcurrencyHelpers
import RecordInput

/// Sends the batches the reader thread builds: at most `concurrency` in flight (the reader blocks
/// for a free slot, so at most that many built batches are ever in memory), each retried by the
/// policy, and Singer STATEs passed on only once every batch before them was accepted.
final class BatchDispatcher: Sendable {
    private struct State {
        var progress = PushProgress()
        var rejected: [RejectedBatch] = []
        var unauthorized: (statusCode: Int, body: String)?
        var gaveUp: String?
        var keylessRetries = 0
        var warnedKeyless = false
        /// Batches numbered 0..<contiguous were all accepted.
        var contiguous = 0
        var acceptedAhead: Set<Int> = []
        /// STATEs waiting for batches: (the number of batches that must be in first, value).
        var pendingStates: [(after: Int, value: String)] = []
        /// After a failure no STATE is written again (as target-stitch does).
        var statesBlocked = false
        var statesWritten = 0

        var isStopped: Bool { unauthorized != nil || gaveUp != nil }
    }

    private let transport: any BatchTransport
    private let policy: RetryPolicy
    private let concurrency: Int
    private let slots: DispatchSemaphore
    private let events: PushEvents
    private let state: NIOLockedValueBox<State>

    init(transport: any BatchTransport, configuration: PushConfiguration, events: PushEvents, totalBytes: Int?) {
        self.transport = transport
        policy = configuration.retry
        concurrency = configuration.concurrency
        slots = DispatchSemaphore(value: configuration.concurrency)
        self.events = events
        var initial = State()
        initial.progress.totalBytes = totalBytes
        state = NIOLockedValueBox(initial)
    }

    var progress: PushProgress { state.withLockedValue { $0.progress } }

    /// Whether sending should stop (authentication failed, or retries ran out).
    var isStopped: Bool { state.withLockedValue { $0.isStopped } }

    /// Counts records read, for progress.
    func noteRead(records: Int, bytes: Int) {
        state.withLockedValue {
            $0.progress.recordsRead += records
            $0.progress.bytesRead = bytes
        }
    }

    /// Starts sending `batch` once a slot is free; blocks the calling (reader) thread until then.
    /// A batch that activates a table version waits for every earlier batch, and every later batch
    /// waits for it. Returns false, sending nothing, once the push has stopped.
    func submit(_ batch: Batch) -> Bool {
        if batch.activatesVersion { drain() }
        slots.wait()
        let number: Int? = state.withLockedValue { state in
            guard !state.isStopped else { return nil }
            state.progress.batchesBuilt += 1
            return state.progress.batchesBuilt - 1
        }
        guard let number else {
            slots.signal()
            return false
        }
        Task {
            await self.deliver(batch, number: number)
            self.slots.signal()
        }
        if batch.activatesVersion { drain() }
        return true
    }

    /// Blocks until no batch is in flight.
    func drain() {
        for _ in 0..<concurrency { slots.wait() }
        for _ in 0..<concurrency { slots.signal() }
    }

    /// A STATE read after every batch submitted so far: written once they are all accepted.
    func pass(state value: String) {
        state.withLockedValue { state in
            guard !state.statesBlocked else { return }
            let after = state.progress.batchesBuilt
            if state.contiguous >= after {
                events.state(value)
                state.statesWritten += 1
            } else {
                state.pendingStates.append((after, value))
            }
        }
    }

    func summary(inputError: InputError?) -> PushSummary {
        state.withLockedValue { state in
            var summary = PushSummary(progress: state.progress)
            summary.rejected = state.rejected.sorted { $0.number < $1.number }
            summary.unauthorized = state.unauthorized
            summary.gaveUp = state.gaveUp
            summary.inputError = inputError
            summary.statesWritten = state.statesWritten
            summary.keylessRetries = state.keylessRetries
            return summary
        }
    }

    private func deliver(_ batch: Batch, number: Int) async {
        var attempt = 1
        while true {
            if isStopped { return }
            let outcome = await transport.send(batch.body)
            switch policy.decision(after: attempt, outcome, random: Double.random(in: 0..<1)) {
            case .stop:
                record(outcome, of: batch, number: number)
                return
            case .retry(let delay):
                if case .transient(let reason, _) = outcome { noteRetry(of: batch, number: number, reason: reason, delay: delay) }
                try? await Task.sleep(for: delay)
                attempt += 1
            case .giveUp:
                if case .transient(let reason, _) = outcome {
                    state.withLockedValue { state in
                        if state.gaveUp == nil { state.gaveUp = "batch \(number + 1) (\(batch.lineRange)): \(reason)" }
                        state.statesBlocked = true
                    }
                }
                return
            }
        }
    }

    private func noteRetry(of batch: Batch, number: Int, reason: String, delay: Duration) {
        let warnKeyless = state.withLockedValue { state -> Bool in
            state.progress.retries += 1
            guard batch.isKeyless else { return false }
            state.keylessRetries += 1
            defer { state.warnedKeyless = true }
            return !state.warnedKeyless
        }
        let milliseconds = delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
        events.notice("Retrying batch \(number + 1) (\(batch.lineRange)) in \(milliseconds) ms: \(reason)")
        if warnKeyless {
            events.notice("Warning: table \(batch.tableName) has no key, so rows are appended: a retried batch whose "
                + "first reply was lost can load twice.")
        }
    }

    private func record(_ outcome: AttemptOutcome, of batch: Batch, number: Int) {
        state.withLockedValue { state in
            switch outcome {
            case .accepted:
                state.progress.recordsAccepted += batch.messageCount
                state.progress.batchesAccepted += 1
                state.acceptedAhead.insert(number)
                while state.acceptedAhead.remove(state.contiguous) != nil { state.contiguous += 1 }
                guard !state.statesBlocked else { return }
                while let first = state.pendingStates.first, first.after <= state.contiguous {
                    state.pendingStates.removeFirst()
                    events.state(first.value)
                    state.statesWritten += 1
                }
            case .rejected(let statusCode, let body):
                state.rejected.append(RejectedBatch(number: number + 1, tableName: batch.tableName, lines: batch.lineRange,
                                                    statusCode: statusCode, body: body))
                state.statesBlocked = true
            case .unauthorized(let statusCode, let body):
                if state.unauthorized == nil { state.unauthorized = (statusCode, body) }
                state.statesBlocked = true
            case .transient:
                break // handled by the policy's giveUp
            }
        }
    }
}
