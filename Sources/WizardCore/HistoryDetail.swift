import StitchAPI
import TerminalUI

/// The lines of one history entry's detail (issue 8: "Enter opens the full request and reply"):
/// the request and the start of its body, the whole reply, where the load is, and the request as a
/// curl command line. Built here, not in the view, so the panel scrolls over the lines the view draws.
public enum HistoryDetail {
    public enum Kind: Sendable, Equatable {
        case heading, section, plain, muted, success, error, warning, command
    }

    public struct Line: Sendable, Equatable {
        public var text: String
        public var kind: Kind
    }

    /// Every line, wrapped to `width`; the body and the curl command are broken at the width (not
    /// at spaces), so no character of them is lost.
    public static func lines(_ entry: HistoryEntry, isSandbox: Bool, width: Int) -> [Line] {
        var lines: [Line] = []
        func add(_ text: String, _ kind: Kind = .plain, indent: Int = 2, hard: Bool = false) {
            let room = max(1, width - indent)
            let pieces = hard ? hardWrap(text, width: room) : DisplayWidth.wrap(text, width: room)
            lines += pieces.map { Line(text: String(repeating: " ", count: indent) + $0, kind: kind) }
        }
        func gap() { lines.append(Line(text: "", kind: .plain)) }
        let part = entry.part
        var heading = "Batch \(entry.number)"
        if let original = entry.resendOf { heading += " (resend of batch \(original))" }
        add(heading + " · sent \(HistoryText.time(part.sentAt)) UTC", .heading, indent: 0)
        gap()
        add("Request", .section, indent: 0)
        add("POST \(part.url)")
        let rows = part.rows.isEmpty ? "no rows"
            : "rows \(Count.grouped(part.rows.lowerBound + 1))–\(Count.grouped(part.rows.upperBound))"
        add("table \(part.tableName) · \(rows) (\(Count.grouped(part.recordCount)) record\(part.recordCount == 1 ? "" : "s"))"
            + " · \(Count.grouped(part.requestBytes)) bytes")
        if !part.requestPreview.isEmpty {
            add(part.previewIsWhole ? "body:"
                : "body (the first \(Count.grouped(part.requestPreview.utf8.count)) of \(Count.grouped(part.requestBytes)) bytes):",
                .muted)
            add(part.requestPreview, indent: 4, hard: true)
        }
        gap()
        add("Reply", .section, indent: 0)
        if let failure = part.failure {
            add("no reply · " + failure, .error)
        } else {
            add("HTTP \(part.statusCode.map(String.init) ?? "—") · \(HistoryText.milliseconds(part.latency)) ms",
                part.isAccepted ? .success : .error)
            for line in ReplyLines.lines(of: part.body) { add(line, indent: 4) }
        }
        gap()
        add("Load", .section, indent: 0)
        add(HistoryText.load(entry), HistoryText.kind(of: entry))
        if case .loaded(let at, _) = entry.load { add("last_batch_loaded_at \(at)", .muted) }
        if entry.load.isWaiting, !isSandbox {
            add("Loads take minutes on Stitch; GET /v4/{client_id}/loads is polled every 30 s or more (it allows 30 requests "
                + "in 10 minutes).", .muted)
        }
        if let readback = entry.readback {
            add("\(part.tableName) holds " + (readback.rowCount.map { "\(Count.grouped($0)) row\($0 == 1 ? "" : "s")" } ?? "no table yet"))
            if readback.rejectedCount > 0 {
                add("\(Count.grouped(readback.rejectedCount)) record\(readback.rejectedCount == 1 ? "" : "s") of this batch "
                    + "went to _sdc_rejected:", .warning)
                for reject in readback.rejected { add("rejected: \(reject.reason) · \(reject.record)", indent: 4) }
            } else {
                add("no record of this batch went to _sdc_rejected", .muted)
            }
        }
        gap()
        add("Copy as curl (the token is read from $STITCH_IMPORT_TOKEN"
            + (part.previewIsWhole ? ")" : "; save the body as batch.json first)"), .section, indent: 0)
        add(CurlCommand.text(for: part), .command, indent: 0, hard: true)
        return lines
    }

    static func hardWrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for character in paragraph {
                let characterWidth = DisplayWidth.of(character)
                if lineWidth + characterWidth > width, !line.isEmpty {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                line.append(character)
                lineWidth += characterWidth
            }
            lines.append(line)
        }
        return lines
    }
}

/// The history's texts, shared by the list, the detail and the line mode.
public enum HistoryText {
    /// The Batch Status body's `status` and `message`, or the error body's, else the body's first line.
    public static func reply(_ part: SentPart) -> String {
        if let failure = part.failure { return failure }
        let (status, message) = part.replyStatus
        if status != nil || message != nil {
            let first = message.map { String($0.split(separator: "\n").first ?? "") }
            return [status, first].compactMap { $0 }.joined(separator: ": ")
        }
        return String(part.body.split(separator: "\n").first ?? "")
    }

    /// Where the request is on its way into the destination.
    public static func load(_ entry: HistoryEntry) -> String {
        switch entry.load {
        case .notAccepted:
            return "not accepted"
        case .notFollowed(let why):
            return "accepted · not followed: \(why)"
        case .waiting(let waited):
            return "accepted · waiting for load \(clock(waited))"
        case .loaded(_, let waited):
            var text = "loaded after \(clock(waited))"
            if let rejected = entry.readback?.rejectedCount, rejected > 0 { text += " · \(Count.grouped(rejected)) rejected" }
            return text
        case .loadError(let message, _):
            // With the sandbox the destination says what happened: records set aside in
            // _sdc_rejected are "rejected" with their reason (issue 8), not a bare stream error.
            if let readback = entry.readback, readback.rejectedCount > 0 {
                let count = readback.rejectedCount
                var text = "\(Count.grouped(count)) record\(count == 1 ? "" : "s") rejected"
                if let reason = readback.rejected.first?.reason { text += " · " + reason }
                return text
            }
            return "load error: " + message
        }
    }

    public static func kind(of entry: HistoryEntry) -> HistoryDetail.Kind {
        switch entry.load {
        case .notAccepted, .loadError: .error
        case .loaded: (entry.readback?.rejectedCount ?? 0) > 0 ? .warning : .success
        case .waiting, .notFollowed: .plain
        }
    }

    /// "22:13:20" (UTC) for milliseconds since the epoch.
    public static func time(_ milliseconds: Int64) -> String {
        let text = CivilCalendar.utcText(epochSeconds: milliseconds.floorDivided(by: 1_000))
        return String(text.dropFirst(11).prefix(8))
    }

    /// "0:05", "12:34", "1:02:03".
    public static func clock(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1_000)
        let two = { (value: Int64) in value < 10 ? "0\(value)" : "\(value)" }
        if seconds >= 3_600 { return "\(seconds / 3_600):\(two(seconds / 60 % 60)):\(two(seconds % 60))" }
        return "\(seconds / 60):\(two(seconds % 60))"
    }

    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
