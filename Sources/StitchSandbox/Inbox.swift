#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOConcurrencyHelpers
import StitchAPI
import StitchDestination

/// The durable queue between the Import API and the loader: `<data>/inbox/`, one file per
/// accepted batch, named by a number that only ever grows, so names sort in acceptance order.
///
/// `accept` returns only once the batch is on disk (file fsync'd, renamed, directory fsync'd):
/// that is what a 201 promises. Only the destination writer speaks SQL, so this is files.
final class Inbox: Sendable {
    struct Entry: Sendable {
        var number: Int64
        var sourceID: Int
        var schemaName: String
        var receivedAt: UTCTimestamp
        var body: [UInt8]
    }

    enum Failure: Error, Sendable, CustomStringConvertible {
        case io(String)
        case unreadable(number: Int64, reason: String)

        var description: String {
            switch self {
            case .io(let reason): reason
            case .unreadable(let number, let reason): "inbox batch \(number) is unreadable: \(reason)"
            }
        }
    }

    static let fileSuffix = ".batch"
    /// Numbers are reserved on disk this many at a time, so most batches cost no extra write;
    /// after a crash the unused rest of a block is skipped, which keeps numbers increasing.
    static let reservationBlock: Int64 = 1000

    let directory: String
    let failedDirectory: String
    /// Files of loaded batches kept for reuse (see `remove`), outside `directory` so that only
    /// batches are ever in it; emptied at start.
    let spareDirectory: String
    /// Enough for a burst of small batches; more are deleted.
    static let spareLimit = 32
    private let spares = NIOLockedValueBox<(names: [String], next: Int)>((names: [], next: 0))
    private let counterPath: String
    /// Serial. Blocking file I/O runs here rather than on Swift's cooperative threads, except
    /// for a small batch when no other write is waiting (see `accept`).
    private let queue = DispatchQueue(label: "stitch-sandbox.inbox")
    private let counter: NIOLockedValueBox<(next: Int64, reservedThrough: Int64)>
    private let lastAccept = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    /// When the last batch was stored (nil: none since start), so the loader can let a burst settle.
    var lastAcceptedAt: ContinuousClock.Instant? { lastAccept.withLockedValue { $0 } }

    init(dataDirectory: String) throws(SandboxError) {
        directory = dataDirectory + "/inbox"
        failedDirectory = dataDirectory + "/failed"
        spareDirectory = dataDirectory + "/inbox-spare"
        counterPath = dataDirectory + "/batch-counter"
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? fileManager.removeItem(atPath: spareDirectory)
            try fileManager.createDirectory(atPath: spareDirectory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            // Leftover temporary files were never renamed, so no 201 was sent for them.
            for name in try fileManager.contentsOfDirectory(atPath: directory) where name.contains(".tmp-") {
                try? fileManager.removeItem(atPath: directory + "/" + name)
            }
        } catch {
            throw .dataDirectoryNotWritable(path: directory, reason: error.localizedDescription)
        }
        let reserved = DurableFile.read(counterPath).flatMap { Int64(String(decoding: $0, as: UTF8.self)) } ?? 0
        let highest = Self.numbers(in: directory).last ?? 0
        let next = max(reserved, highest) + 1
        counter = NIOLockedValueBox((next: next, reservedThrough: next - 1))
    }

    /// Held while a batch is numbered and written, so numbers and files appear in the same order
    /// whichever thread writes.
    private let writeLock = NIOLock()
    /// Writes requested and not finished, on either path (see `accept`).
    private let writesInProgress = NIOLockedValueBox(0)
    /// Bodies up to this size may be written on the calling thread.
    static let atOnceBodyLimit = 64 * 1024

    /// Stores a batch durably and returns its number.
    ///
    /// A small batch while no other write is requested is written right here: the trip to the
    /// inbox's queue and back was two thread switches, a measurable share of a one-record batch's
    /// 201. The calling (cooperative) thread then blocks for one durable write, well under a
    /// millisecond, and never waits for another write: only the first of concurrent requests takes
    /// this path, so the pool's other threads stay free. Others, and large bodies, go to the queue.
    func accept(sourceID: Int, schemaName: String, receivedAt: UTCTimestamp, body: [UInt8]) async throws -> Int64 {
        let isFirst = writesInProgress.withLockedValue { count -> Bool in
            count += 1
            return count == 1
        }
        if isFirst, body.count <= Self.atOnceBodyLimit {
            defer { writesInProgress.withLockedValue { $0 -= 1 } }
            return try writeLock.withLock {
                try write(sourceID: sourceID, schemaName: schemaName, receivedAt: receivedAt, body: body)
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let result = Result {
                    try self.writeLock.withLock {
                        try self.write(sourceID: sourceID, schemaName: schemaName, receivedAt: receivedAt, body: body)
                    }
                }
                self.writesInProgress.withLockedValue { $0 -= 1 }
                continuation.resume(with: result)
            }
        }
    }

    /// Batch numbers waiting in the inbox, oldest first.
    func pendingNumbers() -> [Int64] { Self.numbers(in: directory) }

    func read(_ number: Int64) throws(Failure) -> Entry {
        guard var bytes = DurableFile.read(path(of: number)) else {
            throw .unreadable(number: number, reason: "the file is missing")
        }
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              let header = try? JSONParser.parse(bytes[..<newline]),
              case .integer(let sourceID)? = header["source_id"],
              let schemaName = header["schema"]?.stringValue,
              let receivedText = header["received_at"]?.stringValue,
              let receivedAt = UTCTimestamp(iso8601: receivedText)
        else { throw .unreadable(number: number, reason: "the header line is damaged") }
        // In place: a 20 MB body is not copied once more.
        bytes.removeSubrange(...newline)
        return Entry(number: number, sourceID: Int(sourceID), schemaName: schemaName, receivedAt: receivedAt,
                     body: bytes)
    }

    /// Forgets a loaded batch. Not fsync'd: if the removal is lost, the batch loads again,
    /// which changes nothing. The file is moved to `spareDirectory` for `accept` to overwrite
    /// (an inode reused rather than freed and allocated again), up to `spareLimit` of them.
    func remove(_ number: Int64) {
        let spare = spares.withLockedValue { spares -> String? in
            guard spares.names.count < Self.spareLimit else { return nil }
            spares.next += 1
            return spareDirectory + "/spare-\(spares.next)"
        }
        // Not synced either: the next `accept` that reuses the spare fsyncs the inbox directory, and
        // the file system's journal commits this rename with (or before) that one.
        if let spare, rename(path(of: number), spare) == 0 {
            spares.withLockedValue { $0.names.append(spare) }
        } else {
            unlink(path(of: number))
        }
    }

    /// Moves a batch that can never load, not even into `_sdc_rejected`, to `<data>/failed/`, with
    /// the reason beside it, so the queue moves on and a person can inspect it. Returns its new path.
    /// The loader reports every such batch in the log and in `/loads` (see `InboxLoader`).
    @discardableResult
    func setAside(_ number: Int64, reason: String) -> String {
        let fileManager = FileManager.default
        try? fileManager.createDirectory(atPath: failedDirectory, withIntermediateDirectories: true)
        let name = Self.fileName(of: number)
        try? fileManager.removeItem(atPath: failedDirectory + "/" + name)
        try? fileManager.moveItem(atPath: path(of: number), toPath: failedDirectory + "/" + name)
        try? Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: failedDirectory + "/" + name + ".error"))
        return failedDirectory + "/" + name
    }

    /// What can still be told of a batch whose file `read` refuses: its schema and its table, when
    /// their text survived. Best effort, for reporting only.
    func salvage(_ number: Int64) -> (schemaName: String?, tableName: String?) {
        guard let bytes = DurableFile.read(path(of: number)) else { return (nil, nil) }
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        return (Self.salvagedString("schema", from: bytes[..<newline]),
                Self.salvagedString("table_name", from: bytes[newline...]))
    }

    /// The batch's `table_name` found in a body that does not parse (see `salvage`).
    static func salvagedTableName(from body: [UInt8]) -> String? {
        salvagedString("table_name", from: body[...])
    }

    /// The first `"key": "text"` in damaged JSON, read leniently.
    private static func salvagedString(_ key: String, from bytes: ArraySlice<UInt8>) -> String? {
        let needle = Array("\"\(key)\"".utf8)
        var start = bytes.startIndex
        while start + needle.count <= bytes.endIndex {
            guard bytes[start..<(start + needle.count)].elementsEqual(needle) else {
                start += 1
                continue
            }
            var index = start + needle.count
            func skipSpace() { while index < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
            skipSpace()
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else { start += 1; continue }
            index += 1
            skipSpace()
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { start += 1; continue }
            var end = index + 1
            while end < bytes.endIndex, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
            guard end < bytes.endIndex, case .string(let text)? = try? JSONParser.parse(bytes[index...end]) else { return nil }
            return text
        }
        return nil
    }

    // MARK: Private

    private func write(sourceID: Int, schemaName: String, receivedAt: UTCTimestamp, body: [UInt8]) throws -> Int64 {
        let number = try counter.withLockedValue { counter throws -> Int64 in
            if counter.next > counter.reservedThrough {
                let through = counter.next + Self.reservationBlock - 1
                do {
                    try DurableFile.write(Array(String(through).utf8), to: counterPath)
                } catch {
                    throw Failure.io("cannot reserve batch numbers: \(error)")
                }
                counter.reservedThrough = through
            }
            defer { counter.next += 1 }
            return counter.next
        }
        var header = JSONObject()
        header["source_id"] = .integer(Int64(sourceID))
        header["schema"] = .string(schemaName)
        header["received_at"] = .string(receivedAt.destinationText)
        let headerLine = Array((JSONValue.object(header).jsonText + "\n").utf8)
        do {
            let spare = spares.withLockedValue { $0.names.popLast() }
            try DurableFile.write([headerLine, body], to: path(of: number), reusing: spare)
        } catch {
            throw Failure.io("cannot store the batch: \(error)")
        }
        lastAccept.withLockedValue { $0 = ContinuousClock.now }
        return number
    }

    private func path(of number: Int64) -> String { directory + "/" + Self.fileName(of: number) }

    private static func fileName(of number: Int64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 19 - digits.count)) + digits + fileSuffix
    }

    private static func numbers(in directory: String) -> [Int64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(fileSuffix) }
            .compactMap { Int64($0.dropLast(fileSuffix.count)) }
            .sorted()
    }
}
