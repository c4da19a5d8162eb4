import RecordBatch
import StitchAPI

/// One request the record editor sent, and what became of it after: the history panel's row.
public struct HistoryEntry: Sendable, Equatable {
    /// 1-based, in the order replies came.
    public var number: Int
    public var part: SentPart
    /// The batch the request was made from, kept (a reference, copy-on-write) so `r` resends the
    /// same rows even after edits. The price: the first edit after a send copies the edited column
    /// once, since the history still holds the old one.
    public var batch: RecordBatch
    /// The entry this one resent, if any.
    public var resendOf: Int?
    public var load: LoadState
    /// The in-process sandbox's destination after the load: rows, and this batch's rejects.
    public var readback: LoadReadback?

    public init(number: Int, part: SentPart, batch: RecordBatch, resendOf: Int? = nil, load: LoadState,
                readback: LoadReadback? = nil) {
        self.number = number
        self.part = part
        self.batch = batch
        self.resendOf = resendOf
        self.load = load
        self.readback = readback
    }
}

/// Where an accepted batch is on its way into the destination (issue 8: "every batch followed").
/// A 2xx means accepted, not loaded (spec §3.3): the loads endpoint says when its stream loaded.
public enum LoadState: Sendable, Equatable {
    /// Not accepted (a refusal, or no reply): nothing will load.
    case notAccepted
    /// Accepted, but it cannot be followed (no source known, or the loads endpoint refused us).
    case notFollowed(String)
    /// Accepted; `waited` milliseconds since it was sent, as of the last poll.
    case waiting(waited: Int64)
    /// Its stream loaded at `at` (the loads endpoint's `last_batch_loaded_at`).
    case loaded(at: String, waited: Int64)
    /// Its stream is in an error state (`error_state`), with the message.
    case loadError(String, waited: Int64)

    public var isWaiting: Bool { if case .waiting = self { true } else { false } }
}

/// How often the loads endpoint is asked. Stitch rate-limits it with the other jobs endpoints to
/// 30 requests per 10 minutes per client and loads take minutes there, so it is polled every 30 s
/// at first; the in-process sandbox loads in well under a second and is polled every 0.5 s. Each
/// poll that finds nothing new doubles the wait, up to four times the first.
public enum LoadPolling {
    public static func delay(afterFruitlessPolls polls: Int, isSandbox: Bool) -> Duration {
        let first: Duration = isSandbox ? .milliseconds(500) : .seconds(30)
        return first * (1 << min(max(0, polls), 2))
    }

    /// Whether a stream's `last_batch_loaded_at` is at or after a request sent at `sentAt` (ms since
    /// the epoch). The endpoint gives whole seconds, so the comparison is by second [?]: a load in
    /// the same second as the send counts, which on Stitch (loads take minutes) is never an
    /// earlier batch's, and in the sandbox at worst shows "loaded" a poll early.
    public static func isLoaded(_ lastBatchLoadedAt: String?, sentAt: Int64) -> Bool {
        guard let text = lastBatchLoadedAt, let loaded = DateTimeValue(parsing: text) else { return false }
        return loaded.epochSeconds >= sentAt.floorDivided(by: 1_000)
    }

    /// The load of `table` in source `sourceName` among `loads`: the stream is the table, named as
    /// the destination names it (the sandbox lowercases), so names are compared without case [?].
    public static func load(of table: String, sourceName: String, in loads: [StreamLoad]) -> StreamLoad? {
        let stream = table.lowercased()
        return loads.first { $0.sourceName == sourceName && $0.streamName.lowercased() == stream }
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
