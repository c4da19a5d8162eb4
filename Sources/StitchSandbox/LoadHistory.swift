import Foundation
import StitchAPI
import StitchDestination

/// The last load attempt of every stream, for `GET /v4/{client_id}/loads` (spec §2.5.10).
///
/// The loader records each batch it loads (or fails to load); request handlers read. Kept in
/// `<data>/loads.json` so a restart does not forget when data landed. That file is a report,
/// not data: it is replaced atomically but without fsync, so a crash may lose the last entry,
/// which the loader's replay of the unfinished batch records again.
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

        enum CodingKeys: String, CodingKey {
            case sourceName = "source_name"
            case streamName = "stream_name"
            case attemptedAt = "attempted_at"
            case lastBatchLoadedAt = "last_batch_loaded_at"
            case error
        }
    }

    /// Streams loaded longer ago than this are no longer listed ("one for each stream that
    /// has had an attempted load in the past 60 days").
    static let window: Int64 = 60 * 24 * 60 * 60

    private let path: String
    private let entries: Locked<[Entry]>

    /// Reads `<dataDirectory>/loads.json`; a missing or unreadable file starts an empty history,
    /// since losing a report must not stop the sandbox.
    init(dataDirectory: String) {
        path = dataDirectory + "/loads.json"
        let saved = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode([Entry].self, from: $0) }
        entries = Locked(saved ?? [])
    }

    /// Records that a batch for `schema`.`table` was loaded at `time`, or failed with `error`.
    func recordLoad(schema: String, table: String, at time: UTCTimestamp, error: String? = nil) {
        let entry = Entry(sourceName: schema, streamName: table, attemptedAt: time.destinationText,
                          lastBatchLoadedAt: error == nil ? time.destinationText : nil, error: error)
        entries.withLock { entries in
            if let index = entries.firstIndex(where: { $0.sourceName == schema && $0.streamName == table }) {
                // Batches can finish out of order across restarts; the newer attempt wins.
                guard entries[index].attemptedAt <= entry.attemptedAt else { return }
                entries[index] = entry
            } else {
                entries.append(entry)
            }
            save(entries)
        }
    }

    /// The streams attempted within the window before `now`, ordered by `stream_name` (A–Z,
    /// documented), then by source name.
    func lastLoads(now: UTCTimestamp = .now()) -> [Entry] {
        let cutoff = UTCTimestamp(secondsSinceEpoch: now.secondsSinceEpoch - Self.window).destinationText
        return entries.withLock { $0 }
            .filter { $0.attemptedAt >= cutoff }
            .sorted { ($0.streamName, $0.sourceName) < ($1.streamName, $1.sourceName) }
    }

    private func save(_ entries: [Entry]) {
        guard let data = try? JSONEncoder().encode(entries) else { return }
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
