import Foundation
import RecordInput
import StitchAPI

/// A batch the Import API refused (a 4xx other than 401, 403 and 429).
public struct RejectedBatch: Sendable, Hashable {
    /// 1-based, in the order batches were built.
    public var number: Int
    public var tableName: String
    public var lines: String
    public var statusCode: Int
    public var body: String
}

/// Counters a running push shares with its progress display.
public struct PushProgress: Sendable, Hashable {
    public var recordsRead = 0
    public var recordsAccepted = 0
    public var batchesBuilt = 0
    public var batchesAccepted = 0
    public var bytesRead = 0
    /// The input's size when it is a regular file.
    public var totalBytes: Int?
    public var retries = 0
}

/// How a push ended.
public struct PushSummary: Sendable {
    public var progress: PushProgress
    public var rejected: [RejectedBatch] = []
    public var inputError: InputError?
    /// 401/403: status and body.
    public var unauthorized: (statusCode: Int, body: String)?
    /// Why the last try of a batch failed, once retries ran out.
    public var gaveUp: String?
    public var statesWritten = 0
    public var elapsed: Duration = .zero
    public var dryRun = false
    public var keylessRetries = 0
    /// The process's peak resident memory (Linux `VmHWM`), when the caller fills it in.
    public var peakResidentBytes: Int?

    /// 0 all accepted; 1 some batches rejected (or the input is invalid); 3 authentication;
    /// 4 network or server gave up. (2, usage, comes from the argument parser.)
    public var exitStatus: Int32 {
        if unauthorized != nil { return 3 }
        if gaveUp != nil { return 4 }
        if !rejected.isEmpty || inputError != nil { return 1 }
        return 0
    }

    public var recordsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(progress.recordsAccepted) / seconds : 0
    }

    /// The machine-readable summary (`--json`).
    public var json: JSONValue {
        var object = JSONObject()
        object["exit_status"] = .integer(Int64(exitStatus))
        object["dry_run"] = .bool(dryRun)
        object["records_read"] = .integer(Int64(progress.recordsRead))
        object["records_accepted"] = .integer(Int64(progress.recordsAccepted))
        object["batches"] = .integer(Int64(progress.batchesBuilt))
        object["batches_accepted"] = .integer(Int64(progress.batchesAccepted))
        object["retries"] = .integer(Int64(progress.retries))
        object["bytes_read"] = .integer(Int64(progress.bytesRead))
        object["seconds"] = .number((recordsPerSecondSeconds * 1000).rounded() / 1000)
        object["records_per_second"] = .number(recordsPerSecond.rounded())
        object["rejected_batches"] = .array(rejected.map { batch in
            .object(JSONObject([
                ("batch", .integer(Int64(batch.number))), ("table_name", .string(batch.tableName)),
                ("lines", .string(batch.lines)), ("status", .integer(Int64(batch.statusCode))), ("body", .string(batch.body)),
            ]))
        })
        if let inputError {
            object["input_error"] = .object(JSONObject([("line", .integer(Int64(inputError.line))),
                                                        ("message", .string(inputError.message))]))
        }
        if let unauthorized {
            object["unauthorized"] = .object(JSONObject([("status", .integer(Int64(unauthorized.statusCode))),
                                                         ("body", .string(unauthorized.body))]))
        }
        if let gaveUp { object["gave_up"] = .string(gaveUp) }
        object["states_written"] = .integer(Int64(statesWritten))
        if let peakResidentBytes { object["peak_resident_bytes"] = .integer(Int64(peakResidentBytes)) }
        return .object(object)
    }

    private var recordsPerSecondSeconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The summary for a person: what was sent, then each problem with what to do.
    public var text: String {
        var lines: [String] = []
        let verb = dryRun ? "checked" : "accepted"
        let seconds = String(format: "%.1f", recordsPerSecondSeconds)
        lines.append("\(progress.recordsAccepted.grouped) of \(progress.recordsRead.grouped) records \(verb) in "
            + "\(progress.batchesAccepted.grouped) of \(progress.batchesBuilt.grouped) batches, \(seconds) s "
            + "(\(Int(recordsPerSecond).grouped) records/s)"
            + (progress.retries > 0 ? ", \(progress.retries.grouped) retries" : "") + ".")
        for batch in rejected {
            lines.append("Batch \(batch.number) (\(batch.tableName), \(batch.lines)) was rejected: HTTP \(batch.statusCode) \(batch.body)")
        }
        if let inputError { lines.append("Stopped reading at \(inputError).") }
        if let unauthorized {
            lines.append("Not authorized (HTTP \(unauthorized.statusCode) \(unauthorized.body)): check the token "
                + "(--token-file or STITCH_IMPORT_TOKEN), the region or --import-url, and that the source is active.")
        }
        if let gaveUp { lines.append("Gave up after \(progress.retries) retries: \(gaveUp)") }
        if keylessRetries > 0 {
            lines.append("Warning: \(keylessRetries) retries went to keyless tables; a batch whose reply was lost may have loaded twice there.")
        }
        return lines.joined(separator: "\n")
    }
}

extension Int {
    /// 1234567 as "1,234,567".
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (self < 0 ? "-" : "") + result
    }
}
