#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StitchAPI
import RecordInput

/// Writes a `RecordBatch` to a file: the whole batch body (`table_name`, `schema`, `key_names`,
/// one message per line) or the rows alone as JSONL, both of which `RecordFileLoader` reads back.
///
/// The text goes to a temporary file beside the target, which is synced and then put in place in
/// one step, so a crash or a full disk never leaves half a file where the user's was. Without
/// `overwrite` an existing file is never replaced (the temporary file is linked, not renamed, so
/// a file that appears meanwhile is not clobbered either). The file gets mode 0644.
public enum RecordFileWriter {
    /// What a name's extension says to write: `.jsonl`/`.ndjson` the rows, anything else the batch body.
    public static func format(forPath path: String) -> RecordFormat {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") ? .jsonl : .batch
    }

    /// Writes `batch` to `path`; unset sequences take `now` (milliseconds), one more per row, as
    /// sending would number them (a batch body needs one per message). Returns the rows written.
    public static func write(_ batch: RecordBatch, to path: String, format: RecordFormat, overwrite: Bool,
                             sequencesFrom now: Int64) throws(RecordFileWriteError) -> Int {
        guard format == .batch || format == .jsonl else { throw .unsupportedFormat(format) }
        guard !path.isEmpty else { throw .noPath }
        if !overwrite, access(path, F_OK) == 0 { throw .exists(path) }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) : "."
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(RecordFileLoader.tableName(forPath: path)).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system(path, operation: "create", errno) }
        var placed = false
        defer { if !placed { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            try fill(descriptor, with: batch, path: path, format: format, sequencesFrom: now)
        }
        if overwrite {
            guard rename(temporary, path) == 0 else { throw .system(path, operation: "replace", errno) }
        } else {
            guard link(temporary, path) == 0 else {
                throw errno == EEXIST ? .exists(path) : .system(path, operation: "create", errno)
            }
            unlink(temporary)
        }
        placed = true
        return batch.rowCount
    }

    private static func fill(_ descriptor: Int32, with batch: RecordBatch, path: String, format: RecordFormat,
                             sequencesFrom now: Int64) throws(RecordFileWriteError) {
        var output = Output(descriptor: descriptor, path: path)
        if format == .jsonl {
            for row in 0..<batch.rowCount {
                output.append(JSONValue.object(batch.record(row)).jsonText)
                output.append("\n")
                try output.flushIfFull()
            }
        } else {
            try writeBatch(batch, to: &output, sequencesFrom: now)
        }
        try output.flush()
        // The umask may have narrowed the mode given to open.
        guard fchmod(descriptor, 0o644) == 0, fsync(descriptor) == 0 else { throw .system(path, operation: "write", errno) }
    }

    /// `{"table_name":…,"schema":…,"key_names":…,"messages":[` then one message per line, `]}`.
    private static func writeBatch(_ batch: RecordBatch, to output: inout Output, sequencesFrom now: Int64) throws(RecordFileWriteError) {
        var envelope = batch.request(rows: 0..<0, sequencesFrom: now).json.objectValue ?? JSONObject()
        envelope["messages"] = nil
        let head = JSONValue.object(envelope).jsonText
        output.append(String(head.dropLast()))
        output.append(envelope.isEmpty ? "\"messages\":[" : ",\"messages\":[")
        var clock = SequenceClock(now: { now })
        for row in 0..<batch.rowCount {
            let message = BatchMessage(sequence: batch.sequence(ofRow: row) ?? clock.next(), data: batch.record(row),
                                       timeExtracted: batch.timeExtracted(ofRow: row))
            output.append(row == 0 ? "\n" : ",\n")
            output.append(message.json.jsonText)
            try output.flushIfFull()
        }
        output.append("\n]}\n")
    }

    /// Bytes gathered and written a megabyte at a time.
    private struct Output {
        let descriptor: Int32
        let path: String
        var buffer: [UInt8] = []

        init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
            buffer.reserveCapacity(1 << 20 + 4_096)
        }

        mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

        mutating func flushIfFull() throws(RecordFileWriteError) {
            if buffer.count >= 1 << 20 { try flush() }
        }

        mutating func flush() throws(RecordFileWriteError) {
            var written = 0
            while written < buffer.count {
                let count = buffer.withUnsafeBytes { bytes in
                    writeBytes(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .system(path, operation: "write", errno)
                }
                written += count
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }
}

/// `write(2)`, under a name the writer's own `write` does not hide.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// Why a batch could not be written, with what to do about it.
public enum RecordFileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    case noPath
    /// The file is there and `overwrite` was not given.
    case exists(String)
    case unsupportedFormat(RecordFormat)
    /// A system call failed: the path, what was being done, errno.
    case system(String, operation: String, Int32)

    public var description: String {
        switch self {
        case .noPath: "give a file name to save to (.json for the batch, .jsonl for the rows)"
        case .exists(let path): "\(path) already exists"
        case .unsupportedFormat(let format): "the editor saves a batch body (.json) or JSONL (.jsonl), not \(format.rawValue)"
        case .system(let path, let operation, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))" + Self.advice(code)
        }
    }

    private static func advice(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: " (does the folder exist?)"
        case EACCES, EPERM, EROFS: " (choose a folder you can write to)"
        case ENOSPC, EDQUOT: " (free some space, or save elsewhere)"
        case EISDIR: " (give a file name, not a folder)"
        default: ""
        }
    }
}
