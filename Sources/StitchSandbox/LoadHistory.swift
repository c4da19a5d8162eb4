#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Foundation
import NIOConcurrencyHelpers
import StitchAPI
import StitchDestination

/// The last load attempt of every stream, for `GET /v4/{client_id}/loads` (spec §2.5.10).
///
/// The loader records each batch it loads (or fails to load); request handlers read. Kept in
/// `<data>/loads.json` so a restart does not forget when data landed. That file is a report,
/// not data, written once per group of batches the loader loads together: replaced atomically
/// (a new file renamed over the old), never fsync'd. A killed process loses nothing (the kernel
/// still writes what it was given). An OS crash or power loss can lose the entries of the last
/// seconds, or on a file system that does not order the rename after the data even leave an
/// empty file, which reads as an empty history: `/loads` then forgets when streams last loaded
/// until they load again. The data is unaffected: the destination's own bookkeeping, not this
/// file, decides what was loaded.
final class LoadHistory: Sendable {
    /// The last attempt for one stream of one source schema.
    struct Entry: Codable, Sendable, Hashable {
        /// The source's `name`, i.e. the destination schema.
        var sourceName: String
        var streamName: String
        /// When the last attempt happened, successful or not (UTC, `destinationText`).
        var attemptedAt: String
        /// The last attempt, if it succeeded; null while the stream is in an error state
        /// (documented: "If the load for the stream is currently in an error state, this will be null").
        var lastBatchLoadedAt: String?
        /// Why the last attempt failed; nil when it succeeded.
        var error: String?
        /// The inbox number of the batch attempted; absent in files written before it was kept.
        var batch: Int64?

        enum CodingKeys: String, CodingKey {
            case sourceName = "source_name"
            case streamName = "stream_name"
            case attemptedAt = "attempted_at"
            case lastBatchLoadedAt = "last_batch_loaded_at"
            case error
            case batch
        }
    }

    /// Streams loaded longer ago than this are no longer listed ("one for each stream that
    /// has had an attempted load in the past 60 days").
    static let window: Int64 = 60 * 24 * 60 * 60

    private let path: String
    /// Next to `path`, so the rename stays within one file system; one per process, and writes are
    /// serialised by `entries`' lock.
    private let temporaryPath: String
    private let entries: NIOLockedValueBox<[Entry]>

    /// Reads `<dataDirectory>/loads.json`; a missing or unreadable file starts an empty history,
    /// since losing a report must not stop the sandbox.
    init(dataDirectory: String) {
        path = dataDirectory + "/loads.json"
        temporaryPath = path + ".tmp-\(getpid())"
        let saved = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode([Entry].self, from: $0) }
        entries = NIOLockedValueBox(saved ?? [])
    }

    /// One load attempt: batch `batch` for `schema`.`table` loaded at `time`, or failed with `error`.
    struct Attempt: Sendable {
        var schema: String
        var table: String
        var batch: Int64?
        var time: UTCTimestamp
        var error: String?
    }

    /// Records that batch `batch` for `schema`.`table` was loaded at `time`, or failed with `error`.
    func recordLoad(schema: String, table: String, batch: Int64? = nil, at time: UTCTimestamp, error: String? = nil) {
        record([Attempt(schema: schema, table: table, batch: batch, time: time, error: error)])
    }

    /// Records attempts in their order, with one write of the file.
    func record(_ attempts: [Attempt]) {
        entries.withLockedValue { entries in
            var changed = false
            for attempt in attempts {
                let entry = Entry(sourceName: attempt.schema, streamName: attempt.table, attemptedAt: attempt.time.destinationText,
                                  lastBatchLoadedAt: attempt.error == nil ? attempt.time.destinationText : nil,
                                  error: attempt.error, batch: attempt.batch)
                if let index = entries.firstIndex(where: { $0.sourceName == attempt.schema && $0.streamName == attempt.table }) {
                    // Batches can finish out of order across restarts; the newer attempt wins.
                    guard entries[index].attemptedAt <= entry.attemptedAt else { continue }
                    // Loads within one clock tick record the same entry; the file would not change.
                    if entries[index] == entry { continue }
                    entries[index] = entry
                } else {
                    entries.append(entry)
                }
                changed = true
            }
            if changed { save(entries) }
        }
    }

    /// Whether the stream's last attempt recorded is batch `batch`: a replay of it after a crash
    /// then has nothing to add (and must not turn a recorded failure into a success).
    func hasRecorded(batch: Int64, schema: String, table: String) -> Bool {
        entries.withLockedValue { entries in
            entries.contains { $0.sourceName == schema && $0.streamName == table && $0.batch == batch }
        }
    }

    /// The streams attempted within the window before `now`, ordered by `stream_name` (A–Z,
    /// documented), then by source name.
    func lastLoads(now: UTCTimestamp = .now()) -> [Entry] {
        let cutoff = UTCTimestamp(secondsSinceEpoch: now.secondsSinceEpoch - Self.window).destinationText
        return entries.withLockedValue { $0 }
            .filter { $0.attemptedAt >= cutoff }
            .sorted { ($0.streamName, $0.sourceName) < ($1.streamName, $1.sourceName) }
    }

    /// Writes a temporary file, then renames it over `path`: a reader, or a restart after the
    /// process was killed, finds the old or the new report, never a torn one. Not fsync'd (see the
    /// type's comment for what that costs after an OS crash): an fsync per load competed with the
    /// inbox's own fsyncs, which are what a `201` waits for. Plain system calls, since this runs
    /// after every load and Foundation adds work around them; failures are ignored, as losing a
    /// report must not stop loading.
    private func save(_ entries: [Entry]) {
        guard let data = try? JSONEncoder().encode(entries) else { return }
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        var complete = true
        data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { complete = false; return }
                offset += written
            }
        }
        close(descriptor)
        if complete, rename(temporaryPath, path) == 0 { return }
        unlink(temporaryPath)
    }
}
