import RecordBatch
import StitchAPI

/// Sends the record editor's batch as as many requests as the Import API's limits need (by records
/// and by bytes, `BatchSplitter`), one at a time: each `.sendPart` effect names the row its request
/// starts at, the runner makes the body and POSTs it, and the reply (`SentPart`) says which rows it
/// held, so the next starts after them. The reducer never builds a body.
///
/// Stopping (Esc) takes effect between requests: the one in flight is answered and recorded, then
/// the run ends and says what was sent. A refusal (any non-2xx, e.g. a 401 for a revoked token) or
/// a request without a reply ends the run too: the later requests would meet the same fate.
///
/// Times come in the replies (`SentPart.sentAt`, `latency`), stamped by the runner's wall clock:
/// the reducer reads no clock, so it stays a pure function of its events and tests replay exactly.
public struct BatchSender: Sendable, Equatable {
    /// A send in progress.
    public struct Run: Sendable, Equatable {
        /// The batch as it was when sending began: edits made meanwhile go out with the next send.
        public var batch: RecordBatch
        public var token: ImportAccessToken
        public var importBaseURL: String
        public var totalRecords: Int
        /// The first row no request has held yet.
        public var nextRow: Int
        /// Records of accepted (2xx) requests.
        public var recordsSent = 0
        public var batchesSent = 0
        /// Unset sequences count from this (milliseconds), picked by the runner for the first request.
        public var sequenceBase: Int64?
        /// When the first request left and the last reply came, in ms since the epoch.
        public var startedAt: Int64?
        public var lastReplyAt: Int64?
        /// The request in flight.
        public var pendingID: Int
        /// Esc was pressed: the run ends when the request in flight is answered.
        public var isStopping = false
    }

    /// How a run ended.
    public enum Ending: Sendable, Equatable {
        case finished
        /// Esc, between requests.
        case stopped
        /// Request `batch` (1-based) was refused with this status, or got no reply (nil).
        case refused(batch: Int, statusCode: Int?, reason: String)
    }

    /// What a finished run sent, for the status line.
    public struct Summary: Sendable, Equatable {
        public var recordsSent: Int
        public var totalRecords: Int
        public var batchesSent: Int
        public var ending: Ending

        /// "sent 20,000 of 45,000 records in 1 batch; stopped".
        public var text: String {
            let batches = "\(Count.grouped(batchesSent)) batch\(batchesSent == 1 ? "" : "es")"
            let records = recordsSent == totalRecords
                ? "\(Count.grouped(totalRecords)) record\(totalRecords == 1 ? "" : "s")"
                : "\(Count.grouped(recordsSent)) of \(Count.grouped(totalRecords)) records"
            let sent = "sent \(records) in \(batches)"
            switch ending {
            case .finished:
                return sent
            case .stopped:
                return sent + "; stopped"
            case .refused(let batch, let status?, _):
                return sent + "; stopped: batch \(batch) was refused (HTTP \(status))"
            case .refused(let batch, nil, let reason):
                return sent + "; stopped: batch \(batch) got no reply (\(reason))"
            }
        }
    }

    /// Progress of the run in flight: records, batches, records/s and ETA.
    public struct Progress: Sendable, Equatable {
        public var recordsSent: Int
        public var totalRecords: Int
        public var batchesSent: Int
        /// Records per second so far; nil before the first reply.
        public var recordsPerSecond: Double?
        /// Seconds left at that rate; nil before the first reply.
        public var secondsLeft: Int?
        public var isStopping: Bool

        public var fraction: Double { totalRecords == 0 ? 1 : Double(recordsSent) / Double(totalRecords) }

        /// "20,000 / 45,000 records · 1 batch · 9,500 records/s · ETA 0:03".
        public var text: String {
            var text = "\(Count.grouped(recordsSent)) / \(Count.grouped(totalRecords)) records · "
                + "\(Count.grouped(batchesSent)) batch\(batchesSent == 1 ? "" : "es")"
            if let recordsPerSecond { text += " · \(Count.grouped(Int(recordsPerSecond.rounded()))) records/s" }
            if let secondsLeft { text += " · ETA \(secondsLeft / 60):" + (secondsLeft % 60 < 10 ? "0" : "") + "\(secondsLeft % 60)" }
            if isStopping { text += " · stopping after this batch" }
            return text
        }
    }

    public private(set) var run: Run?
    /// The last run's outcome, until the next starts.
    public private(set) var lastSummary: Summary?
    /// Numbers requests (runs' and resends'): replies are matched by it.
    private var lastID = 0

    public init() {}

    public var isSending: Bool { run != nil }

    /// A new request number (resends take theirs here too, so numbers never collide).
    public mutating func issueID() -> Int {
        lastID += 1
        return lastID
    }

    /// Starts sending every row of `batch`: the first request's effect, or nil when a send is
    /// already running or there is nothing to send. The caller checks first that the batch has no
    /// problems (`EditorDocument.problems`): nothing is sent while any remains.
    public mutating func start(_ batch: RecordBatch, token: ImportAccessToken, importBaseURL: String) -> WizardEffect? {
        guard run == nil, batch.rowCount > 0 else { return nil }
        let id = issueID()
        run = Run(batch: batch, token: token, importBaseURL: importBaseURL, totalRecords: batch.rowCount, nextRow: 0,
                  pendingID: id)
        lastSummary = nil
        return .sendPart(id: id, batch, fromRow: 0, sequenceBase: nil, token: token, importBaseURL: importBaseURL)
    }

    /// Esc: no request after the one in flight.
    public mutating func stop() {
        run?.isStopping = true
    }

    /// What a reply did to the run.
    public enum Step: Sendable, Equatable {
        /// Not the run's request (a resend's).
        case notTheRuns
        /// The next request.
        case next(WizardEffect)
        case ended(Summary)
    }

    /// A reply: when it answers the run's request, the run moves on (the next request's effect)
    /// or ends.
    public mutating func receive(_ part: SentPart) -> Step {
        guard var current = run, part.id == current.pendingID else { return .notTheRuns }
        current.sequenceBase = current.sequenceBase ?? part.sequenceBase
        current.startedAt = current.startedAt ?? part.sentAt
        current.lastReplyAt = part.repliedAt
        current.nextRow = max(current.nextRow, part.rows.upperBound)
        let number = current.batchesSent + 1
        if part.isAccepted {
            current.recordsSent += part.recordCount
            current.batchesSent += 1
        }
        let ending: Ending?
        if !part.isAccepted {
            ending = .refused(batch: number, statusCode: part.statusCode, reason: part.failure ?? part.body)
        } else if current.nextRow >= current.totalRecords {
            ending = .finished
        } else if current.isStopping {
            ending = .stopped
        } else {
            ending = nil
        }
        if let ending {
            let summary = Summary(recordsSent: current.recordsSent, totalRecords: current.totalRecords,
                                  batchesSent: current.batchesSent, ending: ending)
            lastSummary = summary
            run = nil
            return .ended(summary)
        }
        current.pendingID = issueID()
        run = current
        return .next(.sendPart(id: current.pendingID, current.batch, fromRow: current.nextRow, sequenceBase: current.sequenceBase,
                         token: current.token, importBaseURL: current.importBaseURL))
    }

    public var progress: Progress? {
        guard let run else { return nil }
        var rate: Double?
        var left: Int?
        if let start = run.startedAt, let last = run.lastReplyAt, last > start, run.recordsSent > 0 {
            let perSecond = Double(run.recordsSent) * 1_000 / Double(last - start)
            rate = perSecond
            left = Int((Double(run.totalRecords - run.recordsSent) / perSecond).rounded(.up))
        }
        return Progress(recordsSent: run.recordsSent, totalRecords: run.totalRecords, batchesSent: run.batchesSent,
                        recordsPerSecond: rate, secondsLeft: left, isStopping: run.isStopping)
    }
}

/// Counts as people read them.
public enum Count {
    /// 45000 → "45,000".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }
}
