import Logging
import ServiceLifecycle
import StitchAPI
import StitchDestination

/// Moves batches from the inbox into the destination, oldest first.
///
/// Consecutive waiting batches of one source load together, in acceptance order, in one
/// transaction (`Destination.load(group:)`, at most `groupLimit` batches or `groupByteLimit` bytes
/// of bodies), with one write of `loads.json`: while one-record batches arrive faster than one
/// commit each can keep up with, commits no longer queue behind each other on the disk the inbox
/// fsyncs on. A group the destination refuses loads again one batch at a time, to tell which one.
///
/// A batch leaves the inbox only after its load has committed, so a crash at any point
/// means at worst a replay, which the destination makes a no-op. On start it resumes
/// whatever an earlier run left behind.
///
/// Nothing answered 2xx vanishes. A batch loads; or, when the destination is only unavailable,
/// waits and is tried again; or its records go to `_sdc_rejected` with the reason (a batch the
/// destination refuses as a whole, or whose stored body cannot be read back). The stream then
/// shows an `error_state` in `GET /v4/{client_id}/loads`, and the server log says why. Only a
/// batch that cannot reach `_sdc_rejected` either (its file's header is damaged, or the
/// destination refuses even that) is set aside in `<data>/failed/`, still reported both ways.
struct InboxLoader: Service {
    let inbox: Inbox
    /// SQLite or PostgreSQL: the loader does not care which.
    let destination: any Destination
    let progress: LoadProgress
    let wakeups: AsyncStream<Void>
    let wake: @Sendable () -> Void
    let logger: Logger
    /// When each stream last loaded, for `GET /v4/{client_id}/loads`.
    let loadHistory: LoadHistory
    /// How long to wait before retrying after a failure that is not the batch's fault.
    var retryDelay: Duration = .seconds(1)
    /// While batches keep arriving, the loader waits until none arrived for `settleTime`, but no
    /// longer than `maxSettleTime`, so a stream of small batches loads in groups: each commit,
    /// `loads.json` write and wake-up competes with the requests for the same cores and disk.
    /// A lone batch waits `settleTime` at most.
    var settleTime: Duration = .milliseconds(3)
    var maxSettleTime: Duration = .milliseconds(20)

    /// What became of one batch.
    private enum Outcome {
        /// Loaded, rejected into `_sdc_rejected`, or set aside: the queue moves on.
        case done
        /// The destination is unavailable: stop here and try again later.
        case retry
    }

    func run() async throws {
        // What reading the inbox back found: torn records cut off, damaged ones (set aside as they come up).
        for note in inbox.recoveryNotes {
            logger.warning("Inbox recovered at start", metadata: ["found": "\(note)"])
        }
        await drain()
        for await _ in wakeups.cancelOnGracefulShutdown() {
            await drain()
        }
        await progress.stop()
        await destination.close()
    }

    /// At most this many batches load in one transaction: a group is all or none, and one refused
    /// batch makes the whole group load again one by one.
    static let groupLimit = 256
    /// And at most this many bytes of stored bodies (a single larger batch loads alone): each
    /// parsed batch stays in memory until its group commits.
    static let groupByteLimit = 4 << 20

    /// Waits while batches are still arriving (see `settleTime`).
    private func settle() async {
        let clock = ContinuousClock()
        let deadline = clock.now + maxSettleTime
        while let last = inbox.lastAcceptedAt, clock.now < deadline {
            let quiet = clock.now - last
            guard quiet < settleTime else { return }
            try? await Task.sleep(for: min(settleTime - quiet, deadline - clock.now))
        }
    }

    private func drain() async {
        await settle()
        var group: [DestinationBatch] = []
        var groupBytes = 0
        for number in inbox.pendingNumbers() {
            // A batch too large to join the group is not read until the group has loaded. Read
            // ahead, its body and parsed tree (~40 MB for a 20 MB batch) stayed in memory for the
            // whole load beside the group's body, tree and, since the packed-cell loader, its
            // arena of texts (~20 MB more while binding): ConcurrentUploadTests' peak went from
            // 290 MiB to 235 MiB (VmHWM) without it. The stored size counts the header line too,
            // so a batch that would only just fit loads in the next group instead.
            if !group.isEmpty, let size = inbox.storedSize(of: number), groupBytes + size > Self.groupByteLimit {
                guard await load(group) == .done else { return scheduleRetry() }
                group = []
                groupBytes = 0
            }
            let next = prepare(number)
            if case .ready(let batch) = next, let first = group.first, first.schemaName == batch.schemaName,
               group.count < Self.groupLimit, groupBytes + (batch.body?.count ?? 0) <= Self.groupByteLimit {
                group.append(batch)
                groupBytes += batch.body?.count ?? 0
                continue
            }
            // Anything else must wait until the batches before it have finished: order is kept.
            if !group.isEmpty {
                guard await load(group) == .done else { return scheduleRetry() }
                group = []
                groupBytes = 0
            }
            switch next {
            case .ready(let batch):
                group = [batch]
                groupBytes = batch.body?.count ?? 0
            case .rejected(let rejected):
                guard await reject(rejected) == .done else { return scheduleRetry() }
                await progress.processed(number)
            case .unreadable(let source, let stream, let reason):
                setAside(number, source: source, stream: stream, reason: reason)
                await progress.processed(number)
            }
        }
        if !group.isEmpty, await load(group) != .done { scheduleRetry() }
    }

    /// A stored batch read back, or what became of it when it cannot be.
    private enum Prepared {
        case ready(DestinationBatch)
        /// Its body cannot be read back: its records go to `_sdc_rejected`.
        case rejected(RejectedBatch)
        /// Not even its header can be read: it goes to `failed/`, with what could be salvaged.
        case unreadable(source: String?, stream: String?, reason: String)
    }

    private func prepare(_ number: Int64) -> Prepared {
        let entry: Inbox.Entry
        do {
            entry = try inbox.read(number)
        } catch {
            // Without its header the batch has no schema to be rejected into.
            let salvaged = inbox.salvage(number)
            return .unreadable(source: salvaged.schemaName, stream: salvaged.tableName, reason: "\(error)")
        }
        do {
            return .ready(try DestinationBatch(number: number, schemaName: entry.schemaName, body: entry.body,
                                               receivedAt: entry.receivedAt))
        } catch {
            // Accepted bodies were valid, so the file was damaged since: what is left of it is the record.
            return .rejected(RejectedBatch(
                number: number, schemaName: entry.schemaName, receivedAt: entry.receivedAt,
                tableName: Inbox.salvagedTableName(from: entry.body) ?? Self.unknownStream(number),
                reason: "Stored batch \(number) cannot be read back: \(error)",
                records: [String(decoding: entry.body, as: UTF8.self)]))
        }
    }

    /// Loads a group in one transaction; when the destination refuses it, one batch at a time.
    /// Each batch is reported processed as it finishes.
    private func load(_ group: [DestinationBatch]) async -> Outcome {
        guard group.count > 1 else { return group.isEmpty ? .done : await loadAlone(group[0]) }
        let summaries: [LoadSummary]
        do {
            summaries = try await destination.load(group: group, batchedAt: .now())
        } catch where error.isTransient {
            logger.warning("Loading paused; will retry", metadata: [
                "batches": "\(group[0].number)-\(group[group.count - 1].number)", "reason": "\(error)",
            ])
            return .retry
        } catch {
            // Rolled back: nothing of the group loaded. One at a time tells which batch is refused.
            for batch in group {
                guard await loadAlone(batch) == .done else { return .retry }
            }
            return .done
        }
        loadHistory.record(zip(summaries, group).compactMap { attempt(for: $0, batch: $1.number) })
        for (summary, batch) in zip(summaries, group) {
            inbox.remove(batch.number)
            logLoad(summary, batch: batch.number)
        }
        if let last = group.last { await progress.processed(last.number) }
        return .done
    }

    /// Loads one batch in its own transaction.
    private func loadAlone(_ batch: DestinationBatch) async -> Outcome {
        let number = batch.number
        do {
            let summary = try await destination.load(batch)
            if let attempt = attempt(for: summary, batch: number) { loadHistory.record([attempt]) }
            inbox.remove(number)
            logLoad(summary, batch: number)
        } catch where error.isTransient {
            logger.warning("Loading paused; will retry", metadata: ["batch": "\(number)", "reason": "\(error)"])
            return .retry
        } catch {
            // The destination refused the batch as a whole (e.g. a constraint a person added to a
            // table); its transaction rolled back. [?] Which record was at fault is unknown, so
            // every record goes to `_sdc_rejected` with the destination's own words.
            guard await reject(RejectedBatch(batch, reason: "The destination refused the batch: \(error)")) == .done else {
                return .retry
            }
        }
        await progress.processed(number)
        return .done
    }

    private func logLoad(_ summary: LoadSummary, batch number: Int64) {
        logger.debug("Loaded batch", metadata: [
            "batch": "\(number)", "schema": "\(summary.schemaName)", "table": "\(summary.tableName)",
            "rows": "\(summary.rowsOffered)", "rejected": "\(summary.rejected)",
        ])
        if summary.rejected > 0 {
            logger.warning("Records rejected into _sdc_rejected", metadata: [
                "batch": "\(number)", "schema": "\(summary.schemaName)", "table": "\(summary.tableName)",
                "rejected": "\(summary.rejected)", "reason": "\(summary.firstRejection ?? "")",
            ])
        }
    }

    /// Stores a batch's records in `_sdc_rejected` and reports the stream in error; sets the
    /// batch aside when even that is refused.
    private func reject(_ rejected: RejectedBatch) async -> Outcome {
        do {
            let summary = try await destination.reject(rejected)
            if !summary.wasReplay || !loadHistory.hasRecorded(batch: rejected.number, schema: summary.schemaName,
                                                              table: summary.tableName) {
                loadHistory.recordLoad(schema: summary.schemaName, table: summary.tableName, batch: rejected.number,
                                       at: .now(), error: Self.rejectionMessage(count: rejected.records.count,
                                                                                batch: rejected.number,
                                                                                reason: rejected.reason))
            }
            inbox.remove(rejected.number)
            logger.error("Batch rejected into _sdc_rejected", metadata: [
                "batch": "\(rejected.number)", "schema": "\(summary.schemaName)", "table": "\(summary.tableName)",
                "records": "\(rejected.records.count)", "reason": "\(rejected.reason)",
            ])
            return .done
        } catch where error.isTransient {
            logger.warning("Loading paused; will retry", metadata: ["batch": "\(rejected.number)", "reason": "\(error)"])
            return .retry
        } catch {
            setAside(rejected.number, source: rejected.schemaName,
                     stream: ObjectNames.canonical(rejected.tableName) ?? rejected.tableName,
                     reason: "\(rejected.reason); its records cannot be stored in _sdc_rejected either: \(error)")
            return .done
        }
    }

    /// Moves a batch to `failed/` and says so in the log and in `/loads`, so it is never silent.
    private func setAside(_ number: Int64, source: String?, stream: String?, reason: String) {
        let path = inbox.setAside(number, reason: reason)
        logger.error("Batch set aside in failed/", metadata: ["batch": "\(number)", "path": "\(path)", "reason": "\(reason)"])
        // [?] A stream that cannot be named still gets an entry, named after the batch, so
        // `/loads` shows that something failed.
        loadHistory.recordLoad(schema: source ?? "(unknown source)", table: stream ?? Self.unknownStream(number), batch: number,
                               at: .now(), error: "Batch \(number) could not be loaded and was set aside as \(path): \(reason)")
    }

    /// A successful load, or (when every record was rejected) the stream's error state; nil when
    /// there is nothing to record.
    private func attempt(for summary: LoadSummary, batch number: Int64) -> LoadHistory.Attempt? {
        // A replay after a crash did nothing now: what was recorded for this batch stands.
        if summary.wasReplay, loadHistory.hasRecorded(batch: number, schema: summary.schemaName, table: summary.tableName) {
            return nil
        }
        // [?] A batch whose records were all rejected loaded nothing: its stream is in an error
        // state until a later batch loads. Some records rejected among loaded ones are not: the
        // load happened, and `_sdc_rejected` and the log tell which were left out.
        let loadedNothing = summary.rowsOffered == 0 && summary.childRowsOffered == 0 && summary.ignored == 0
        let error = summary.rejected > 0 && loadedNothing
            ? Self.rejectionMessage(count: summary.rejected, batch: number, reason: summary.firstRejection ?? "")
            : nil
        return LoadHistory.Attempt(schema: summary.schemaName, table: summary.tableName, batch: number, time: .now(), error: error)
    }

    static func rejectionMessage(count: Int, batch: Int64, reason: String) -> String {
        "\(count) record\(count == 1 ? "" : "s") of batch \(batch) rejected into _sdc_rejected: \(reason)"
    }

    static func unknownStream(_ number: Int64) -> String { "(unreadable batch \(number))" }

    private func scheduleRetry() {
        let wake = self.wake
        let delay = retryDelay
        Task {
            try? await Task.sleep(for: delay)
            wake()
        }
    }
}
