import Foundation

/// The figures as Markdown tables, ready to paste into the README.
struct BenchmarkReport {
    var machine: String
    var accept: AcceptResults?
    var largeBatchRecords: Int
    var load: [LoadFigures]
    var loadBatches: Int
    var loadRecordsPerBatch: Int
    var rounds: Int

    var text: String {
        var lines = ["### Figures", "", machine, ""]
        if let accept {
            lines += [
                "Accept: `POST /v2/import/batch` over loopback to the release `stitch-sandbox` (SQLite destination); "
                    + "a 201 means the batch is on disk (fsync'd). Latency is the client's: request sent to 201 read.",
                "",
                "| batch size | clients | batches | records/s | batches/s | p50 ms | p99 ms |",
                "|---|---:|---:|---:|---:|---:|---:|",
            ]
            for figure in accept.figures {
                let size = figure.recordsPerBatch == 1 ? "1 record"
                    : "\(Self.grouped(figure.recordsPerBatch)) records (\(Self.megabytes(accept.largeBodyBytes)))"
                lines.append("| \(size) | \(figure.clients) | \(Self.grouped(figure.batches)) | "
                    + "\(Self.grouped(Int(figure.recordsPerSecond.rounded()))) | \(Self.decimal(figure.batchesPerSecond)) | "
                    + "\(Self.decimal(figure.p50Milliseconds)) | \(Self.decimal(figure.p99Milliseconds)) |")
            }
            let probe = accept.durableWriteMilliseconds
            let (before, after) = accept.durableWriteBeforeAndAfter
            lines += ["", "The disk, same run: one small file written, fsync'd, renamed and its directory fsync'd "
                + "(what the inbox did per batch before its log) takes \(Self.decimal(probe.median)) ms "
                + "(median; mean \(Self.decimal(probe.mean)) ms; median \(Self.decimal(before)) ms before the sandbox "
                + "started, \(Self.decimal(after)) ms after the one-record phases)."]
            // Other I/O on the machine lengthens the probe and the 201s unevenly, so a ratio taken while
            // it came and went says little; say so rather than let the ratio pass for a check.
            if min(before, after) > 0, max(before, after) > 1.5 * min(before, after) {
                lines += ["", "The two probes differ by more than half: the disk's pace changed during the run "
                    + "(other I/O on the machine), so the ratio below is no check of the goal."]
            }
            // Issue 9's goal for the sandbox's own ceiling: a one-record 201 within 2× the disk's durable write.
            if let single = accept.figures.first(where: { $0.recordsPerBatch == 1 && $0.clients == 1 }), probe.median > 0 {
                lines += ["", "One-record p50 (1 client) ÷ durable write: \(Self.ratio(single.p50Milliseconds / probe.median)) "
                    + "(\(Self.decimal(single.p50Milliseconds)) ms ÷ \(Self.decimal(probe.median)) ms; goal ≤ 2.00)."]
            }
            let load = accept.sandboxLoad
            lines += ["", "Sandbox end to end: the \(Self.grouped(load.rows)) records of the large batches, first request "
                + "to last load committed in SQLite: \(Self.grouped(Int(load.rowsPerSecond.rounded()))) rows/s "
                + "(\(Self.decimal(load.wallTime.seconds)) s).", ""]
        }
        if !load.isEmpty {
            let rows = loadBatches * loadRecordsPerBatch
            lines += [
                "Load: \(Self.grouped(rows)) rows (\(loadBatches) × \(Self.grouped(loadRecordsPerBatch))-record batches) "
                    + "into a fresh table, median of \(rounds) rounds; the native tools import the same rows, "
                    + "exported from the table our loader filled.",
                "",
                "| destination | ours rows/s | native | native rows/s | ours ÷ native (per round) |",
                "|---|---:|---|---:|---:|",
            ]
            for figure in load {
                let perRound = figure.ratios.map(Self.ratio).joined(separator: ", ")
                lines.append("| \(figure.destination) | \(Self.grouped(Int(figure.oursRowsPerSecond.rounded()))) | "
                    + "\(figure.nativeName.replacingOccurrences(of: "|", with: "\\|")) | "
                    + "\(Self.grouped(Int(figure.nativeRowsPerSecond.rounded()))) | "
                    + "\(Self.ratio(figure.ratio)) (\(perRound)) |")
            }
            lines.append("")
            let notes = load.map {
                "\($0.destination): JSON parsing is \(Int(($0.parsingShare * 100).rounded()))% of ours; "
                    + "\(Self.decimal($0.nativeStartup.seconds * 1000)) ms of tool start-up subtracted from native"
            }
            lines.append(notes.joined(separator: ". ") + ".")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Three significant figures at most, one decimal at least below 100.
    static func decimal(_ value: Double) -> String {
        if value >= 100 { return grouped(Int(value.rounded())) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    static func ratio(_ value: Double) -> String { String(format: "%.2f", value) }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
