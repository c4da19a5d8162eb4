#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOConcurrencyHelpers

/// Whether the batch path can take a batch now: what `GET /v2/import/status` reports. Spec §3.2
/// documents a 503 as "the Import API has problems; do not post data", so status is not OK when a
/// batch sent now would not get its 201 in reasonable time:
/// - the inbox cannot be written: checked on every status request by creating and writing a small
///   file there (a full disk, or a missing or replaced directory, refuses it), and, after a batch
///   could not be stored, by a complete durable write (fsync, rename, directory fsync) until one
///   succeeds;
/// - receiving is stuck: requests have waited for room to receive their bodies while no room was
///   freed (the uploads holding it have stalled), or one gave up for that reason recently;
/// - validating is stuck: a received batch has waited for a validation thread (`ValidationLanes`).
///
/// It keeps only what the routes report; the routes pass what it checks (the inbox directory, the
/// lanes, the body budget's last release) to `problem`.
final class ImportHealth: Sendable {
    /// The bounds beyond which waiting counts as stuck [?]: the docs give none. A request gives up on
    /// body room after `ConnectionLimits.bodyBudgetPatience` (15 s) without room freed; status says so
    /// earlier, and for a while after such a refusal. A batch waits for a validation thread only
    /// behind other validations, each bounded to seconds.
    struct Limits: Sendable {
        var bodyRoomStall: Duration = .seconds(5)
        /// How long a refusal for want of body room keeps status not OK, unless room is freed after it.
        var bodyRoomRefusalMemory: Duration = .seconds(30)
        var validationWait: Duration = .seconds(15)
        /// How long a probe of the inbox may take before the disk counts as stuck.
        var probeTimeout: Duration = .seconds(5)
    }

    let limits: Limits
    private let state = NIOLockedValueBox(State())

    private struct State {
        /// Why the last batch could not be stored, until a later write succeeds.
        var storeFailure: String?
        var nextTicket = 0
        /// Requests waiting for body room, by ticket: since when.
        var bodyRoomWaits: [Int: ContinuousClock.Instant] = [:]
        var lastBodyRoomRefusal: ContinuousClock.Instant?
    }

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    // MARK: What the routes report

    /// A batch was stored (nil) or could not be (the reason).
    func recordStore(failure: String?) {
        state.withLockedValue { $0.storeFailure = failure }
    }

    /// Runs `reserve` (waiting for body room), remembering meanwhile since when this request waits,
    /// and remembering when it comes back empty-handed (nil: the request gave up).
    func waitingForBodyRoom<Held>(_ reserve: () async -> Held?) async -> Held? {
        let ticket = state.withLockedValue { state in
            defer { state.nextTicket += 1 }
            state.bodyRoomWaits[state.nextTicket] = .now
            return state.nextTicket
        }
        let held = await reserve()
        state.withLockedValue { state in
            state.bodyRoomWaits[ticket] = nil
            if held == nil { state.lastBodyRoomRefusal = .now }
        }
        return held
    }

    // MARK: The verdict

    /// Why a batch sent now would not be accepted in reasonable time, worded for the client; nil when
    /// the batch path is healthy. `lastBodyRelease`: when the body budget last freed room.
    func problem(inboxDirectory: String, lanes: ValidationLanes, lastBodyRelease: ContinuousClock.Instant,
                 now: ContinuousClock.Instant = .now) async -> String? {
        let (storeFailure, oldestWait, lastRefusal) = state.withLockedValue { state in
            (state.storeFailure, state.bodyRoomWaits.values.min(), state.lastBodyRoomRefusal)
        }
        if let outcome = await probeInbox(inboxDirectory, durably: storeFailure != nil) {
            return "Batches cannot be stored: the inbox \(inboxDirectory) cannot be written (\(outcome)). Do not send data until this is fixed (free disk space, or restore the directory)."
        }
        if let storeFailure {
            // Unless another batch failed meanwhile: its failure is for the next status to recheck.
            state.withLockedValue { if $0.storeFailure == storeFailure { $0.storeFailure = nil } }
        }
        if let oldestWait, now - max(oldestWait, lastBodyRelease) > limits.bodyRoomStall {
            let stalled = now - max(oldestWait, lastBodyRelease)
            return "Batches are not being received: requests have waited \(Self.seconds(stalled)) s for room to receive their bodies while none was freed (the uploads ahead of them have stalled). Retry later."
        }
        if let lastRefusal, lastRefusal > lastBodyRelease, now - lastRefusal < limits.bodyRoomRefusalMemory {
            return "Batches are not being received: a request was refused \(Self.seconds(now - lastRefusal)) s ago after waiting for room to receive its body, and none has been freed since. Retry later."
        }
        if let (lane, waited) = lanes.longestWait(now: now), waited > limits.validationWait {
            return "Batches are not being validated: a \(lane.rawValue) batch has waited \(Self.seconds(waited)) s for a thread. Retry later."
        }
        return nil
    }

    private static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds }

    // MARK: Probing the inbox

    /// Nil when a file could be written in the inbox, else why not. Runs the blocking calls on a
    /// dispatch thread, and gives up waiting after `probeTimeout`, so a hung disk makes status report
    /// it rather than hang too.
    private func probeInbox(_ directory: String, durably: Bool) async -> String? {
        let timeout = limits.probeTimeout
        return await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let pending = NIOLockedValueBox<CheckedContinuation<String?, Never>?>(continuation)
            let finish: @Sendable (String?) -> Void = { outcome in
                pending.withLockedValue { waiting in
                    waiting?.resume(returning: outcome)
                    waiting = nil
                }
            }
            DispatchQueue.global().async { finish(Self.probe(directory, durably: durably)) }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                finish("a test write did not finish within \(Self.seconds(timeout)) s")
            }
        }
    }

    /// Creates a file in `directory` and writes a block to it (a full disk refuses the block), then
    /// removes it; `durably` does what storing a batch does instead (`DurableFile.write`: fsync,
    /// rename, directory fsync). The name contains ".tmp-", which the inbox clears at start, and does
    /// not end in ".batch", which the loader reads, so a probe left by a crash is harmless.
    static func probe(_ directory: String, durably: Bool) -> String? {
        let path = directory + "/.status-probe.tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let block = [UInt8](repeating: 0x0A, count: 4096)
        if durably {
            do {
                try DurableFile.write(block, to: path, mode: 0o600)
            } catch {
                return error.description
            }
            unlink(path)
            return nil
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return "create \(path): \(String(cString: strerror(errno)))" }
        defer {
            close(descriptor)
            unlink(path)
        }
        let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == block.count else {
            return "write \(path): " + (written < 0 ? String(cString: strerror(errno)) : "only \(written) bytes written")
        }
        return nil
    }
}
