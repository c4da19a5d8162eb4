import Logging
import ServiceLifecycle
import StitchAPI
import StitchDestination

/// Moves batches from the inbox into the destination, oldest first, one at a time.
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

    /// What became of one batch.
    private enum Outcome {
        /// Loaded, rejected into `_sdc_rejected`, or set aside: the queue moves on.
        case done
        /// The destination is unavailable: stop here and try again later.
        case retry
    }

    func run() async throws {
        await drain()
        for await _ in wakeups.cancelOnGracefulShutdown() {
            await drain()
        }
        await progress.stop()
        await destination.close()
    }

    private func drain() async {
        for number in inbox.pendingNumbers() {
            guard await process(number) == .done else {
                scheduleRetry()
                return
            }
            await progress.processed(number)
        }
    }

    private func process(_ number: Int64) async -> Outcome {
        let entry: Inbox.Entry
        do {
            entry = try inbox.read(number)
        } catch {
            // Without its header the batch has no schema to be rejected into.
            let salvaged = inbox.salvage(number)
            setAside(number, source: salvaged.schemaName, stream: salvaged.tableName, reason: "\(error)")
            return .done
        }
        let batch: DestinationBatch
        do {
            batch = try DestinationBatch(number: number, schemaName: entry.schemaName, body: entry.body,
                                         receivedAt: entry.receivedAt)
        } catch {
            // Accepted bodies were valid, so the file was damaged since: what is left of it is the record.
            let rejected = RejectedBatch(
                number: number, schemaName: entry.schemaName, receivedAt: entry.receivedAt,
                tableName: Inbox.salvagedTableName(from: entry.body) ?? Self.unknownStream(number),
                reason: "Stored batch \(number) cannot be read back: \(error)",
                records: [String(decoding: entry.body, as: UTF8.self)])
            return await reject(rejected)
        }
        do {
            let summary = try await destination.load(batch)
            record(summary, batch: number)
            inbox.remove(number)
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
            return .done
        } catch where error.isTransient {
            logger.warning("Loading paused; will retry", metadata: ["batch": "\(number)", "reason": "\(error)"])
            return .retry
        } catch {
            // The destination refused the batch as a whole (e.g. a constraint a person added to a
            // table); its transaction rolled back. [?] Which record was at fault is unknown, so
            // every record goes to `_sdc_rejected` with the destination's own words.
            return await reject(RejectedBatch(batch, reason: "The destination refused the batch: \(error)"))
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

    /// A successful load, or (when every record was rejected) the stream's error state.
    private func record(_ summary: LoadSummary, batch number: Int64) {
        // A replay after a crash did nothing now: what was recorded for this batch stands.
        if summary.wasReplay, loadHistory.hasRecorded(batch: number, schema: summary.schemaName, table: summary.tableName) {
            return
        }
        // [?] A batch whose records were all rejected loaded nothing: its stream is in an error
        // state until a later batch loads. Some records rejected among loaded ones are not: the
        // load happened, and `_sdc_rejected` and the log tell which were left out.
        let loadedNothing = summary.rowsOffered == 0 && summary.childRowsOffered == 0 && summary.ignored == 0
        let error = summary.rejected > 0 && loadedNothing
            ? Self.rejectionMessage(count: summary.rejected, batch: number, reason: summary.firstRejection ?? "")
            : nil
        loadHistory.recordLoad(schema: summary.schemaName, table: summary.tableName, batch: number, at: .now(), error: error)
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
