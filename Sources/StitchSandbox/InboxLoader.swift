import Logging
import ServiceLifecycle
import StitchAPI
import StitchDestination

/// Moves batches from the inbox into the destination, oldest first, one at a time.
///
/// A batch leaves the inbox only after its load has committed, so a crash at any point
/// means at worst a replay, which the destination makes a no-op. On start it resumes
/// whatever an earlier run left behind.
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
            do {
                let entry = try inbox.read(number)
                let batch = try Self.destinationBatch(from: entry)
                let summary = try await destination.load(batch)
                loadHistory.recordLoad(schema: summary.schemaName, table: summary.tableName, at: .now())
                inbox.remove(number)
                logger.debug("Loaded batch", metadata: [
                    "batch": "\(number)", "schema": "\(summary.schemaName)", "table": "\(summary.tableName)",
                    "rows": "\(summary.rowsOffered)",
                ])
            } catch let error as DestinationError where error.isTransient {
                logger.warning("Loading paused; will retry", metadata: ["batch": "\(number)", "reason": "\(error)"])
                scheduleRetry()
                return
            } catch {
                logger.error("Batch set aside in failed/", metadata: ["batch": "\(number)", "reason": "\(error)"])
                inbox.setAside(number, reason: "\(error)")
            }
            await progress.processed(number)
        }
    }

    private func scheduleRetry() {
        let wake = self.wake
        let delay = retryDelay
        Task {
            try? await Task.sleep(for: delay)
            wake()
        }
    }

    static func destinationBatch(from entry: Inbox.Entry) throws -> DestinationBatch {
        let json = try JSONParser.parse(entry.body)
        return DestinationBatch(number: entry.number, schemaName: entry.schemaName, request: try BatchRequest(json: json),
                                receivedAt: entry.receivedAt)
    }
}
