#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOConcurrencyHelpers
import StitchAPI
import StitchDestination

/// The durable queue between the Import API and the loader: an append-only log in `<data>/inbox/`.
///
/// Each accepted batch is one record (`InboxRecordFrame`: length, batch number, checksums; then the
/// header line and the body) appended to the newest segment file (`InboxSegment`). `accept` returns
/// only once the record is fdatasync'd: that is what a 201 promises. Requests that arrive while a
/// sync runs wait for the next one together (group commit), so concurrent batches share one
/// fdatasync. One append and one fdatasync replace the file, rename and two fsyncs per batch of the
/// format before the log, which is what a one-record 201 mostly waited on.
///
/// Numbers only ever grow (reserved in `batch-counter`), so log order is acceptance order. A segment
/// is deleted once every batch in it is loaded (not fsync'd: a lost deletion means a replay, which
/// the destination makes a no-op), the newest one too, so an idle inbox is an empty directory and a
/// file in it means batches waiting. On start the segments are read back and each record checked
/// (see `init`): a torn record at the end, from a crash mid-write, was never acknowledged and is cut off.
///
/// Only the destination writer speaks SQL, so this is files.
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

    /// The format before the log: one file per batch, `<19-digit number>.batch`, holding the header
    /// line and the body. Compatibility: such files left in an inbox by an older version are loaded
    /// (before any batch of the log: their numbers are lower) and deleted once loaded; new batches
    /// never use it. Failed batches are still set aside in this shape in `failed/`.
    static let fileSuffix = ".batch"
    /// Numbers are reserved on disk this many at a time, so most batches cost no extra write;
    /// after a crash the unused rest of a block is skipped, which keeps numbers increasing.
    static let reservationBlock: Int64 = 1000
    /// A segment takes new records until it holds this many bytes, so that the loaded front of a
    /// long stream can be deleted while later batches wait.
    static let defaultSegmentLimit: Int64 = 8 << 20
    /// Bodies up to this size are written on the calling thread when no other write is under way.
    static let atOnceBodyLimit = 64 * 1024

    let directory: String
    let failedDirectory: String
    let segmentLimit: Int64
    /// How segments are synced: fdatasync, unless a test makes it fail.
    private let syncData: InboxSegment.DataSync
    /// What start-up found and did (torn tails cut off, damaged records), for the loader to log.
    let recoveryNotes: [String]
    private let counterPath: String
    /// `<data>/inbox-loaded-through`: every batch up to this number is loaded, so a restart skips
    /// them in the segments still kept for later batches. Written after each removal, not synced
    /// (a lost write means replays, which change nothing); -1 when it cannot be opened.
    private let loadedMarker: Int32
    /// Serial. Writes that cannot run on the calling thread (see `accept`).
    private let queue = DispatchQueue(label: "stitch-sandbox.inbox")
    /// Sync rounds that outlast the request that started them; apart from `queue`, so that small
    /// batches' syncs never wait behind a 20 MB body being written.
    private let syncQueue = DispatchQueue(label: "stitch-sandbox.inbox-sync")
    /// Held while a batch is numbered and appended, so numbers and records are in the same order,
    /// and while a segment is created or deleted.
    private let writeLock = NIOLock()
    private let state: NIOLockedValueBox<State>
    private let lastAccept = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    /// Where a waiting batch is.
    private enum Place {
        case log(InboxSegment, frameOffset: Int64, payloadLength: Int, damage: String?)
        /// An inbox file of the format before the log.
        case file(path: String)
    }

    private struct State {
        var next: Int64
        var reservedThrough: Int64
        /// The segment new records go to (nil: the next record starts one), and its length.
        var active: InboxSegment?
        var activeEnd: Int64 = 0
        /// Batches written and not yet removed, in number order from `orderStart`.
        var places: [Int64: Place] = [:]
        var order: [Int64] = []
        var orderStart = 0
        /// Batches not yet removed per segment (by path): at zero the segment is deleted.
        var waitingInSegment: [String: Int] = [:]
        // Group commit.
        var writtenThrough: Int64
        var syncedThrough: Int64
        /// Segments written since the last sync round took its list.
        var unsynced: [InboxSegment] = []
        var isSyncing = false
        var waiters: [(number: Int64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Batches whose sync failed, with the reason, until their writer learns it.
        var lost: [Int64: String] = [:]
        /// Writes requested and not yet appended (see `accept`).
        var writesInProgress = 0
        /// Sync rounds run so far (each one fdatasync per segment written), for tests of group commit.
        var syncRounds = 0
    }

    /// Sync rounds run since start: fewer than batches accepted when concurrent requests shared them.
    var syncRoundCount: Int { state.withLockedValue { $0.syncRounds } }

    /// The files of an inbox directory that hold waiting batches (log segments, and batch files of
    /// the format before the log): none once every batch is loaded. For observers outside the
    /// sandbox (tests, the benchmark), which cannot ask it.
    static func waitingFiles(inInbox directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(InboxSegment.suffix) || $0.hasSuffix(fileSuffix) }.sorted()
    }

    /// When the last batch was stored (nil: none since start), so the loader can let a burst settle.
    var lastAcceptedAt: ContinuousClock.Instant? { lastAccept.withLockedValue { $0 } }

    /// Opens the inbox and recovers it: every segment is read and each record's checksums checked.
    /// A record cut short or failing its checksum at the very end of the newest segment is a write a
    /// crash interrupted, never acknowledged (its fdatasync had not returned): the file is cut back to
    /// the record before. A record failing its checksum elsewhere was damaged on disk since: it stays,
    /// and the loader sets it aside in `failed/` like any batch it cannot read; bytes after a damaged
    /// record header in an older segment cannot be split into records and are copied to `failed/`.
    init(dataDirectory: String, segmentLimit: Int64 = defaultSegmentLimit,
         syncData: @escaping InboxSegment.DataSync = InboxSegment.fdatasyncData) throws(SandboxError) {
        self.segmentLimit = segmentLimit
        self.syncData = syncData
        directory = dataDirectory + "/inbox"
        failedDirectory = dataDirectory + "/failed"
        counterPath = dataDirectory + "/batch-counter"
        let markerPath = dataDirectory + "/" + Self.loadedMarkerName
        let loadedThrough = DurableFile.read(markerPath)
            .flatMap { Int64(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        loadedMarker = open(markerPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        let fileManager = FileManager.default
        let names: [String]
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Spare files of the format before the log (loaded batches kept for reuse): not batches.
            try? fileManager.removeItem(atPath: dataDirectory + "/inbox-spare")
            // Leftover temporary files were never renamed, so no 201 was sent for them.
            for name in try fileManager.contentsOfDirectory(atPath: directory) where name.contains(".tmp-") {
                try? fileManager.removeItem(atPath: directory + "/" + name)
            }
            names = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            throw .dataDirectoryNotWritable(path: directory, reason: error.localizedDescription)
        }
        var notes: [String] = []
        var places: [Int64: Place] = [:]
        var waiting: [String: Int] = [:]
        var active: InboxSegment?
        var activeEnd: Int64 = 0
        for number in Self.fileNumbers(in: names) {
            let path = directory + "/" + Self.fileName(of: number)
            if number <= loadedThrough { unlink(path) } else { places[number] = .file(path: path) }
        }
        let segmentNames = names.compactMap { name in InboxSegment.firstNumber(inFileName: name).map { ($0, name) } }
            .sorted { $0.0 < $1.0 }
        for (index, (firstNumber, name)) in segmentNames.enumerated() {
            let path = directory + "/" + name
            let isNewest = index == segmentNames.count - 1
            let segment: InboxSegment
            do {
                segment = try InboxSegment.existing(path, firstNumber: firstNumber, syncData: syncData)
            } catch {
                throw .dataDirectoryNotWritable(path: path, reason: error.description)
            }
            let scan = segment.scan()
            var records = scan.records
            var end = scan.end
            var tail = scan.tail
            if isNewest, let last = records.last, let damage = last.damage {
                records.removeLast()
                end = last.frameOffset
                tail = "the record of batch \(last.number) at byte \(last.frameOffset) is torn: \(damage)"
            }
            for gap in scan.gaps {
                let kept = dataDirectory + "/failed/" + name + ".at-\(gap.start).unreadable"
                let reason = "bytes \(gap.start)-\(gap.end) of \(path) are not a record (a damaged record header)"
                Self.keepUnreadable(of: segment, from: gap.start, to: gap.end, at: kept, reason: reason)
                notes.append("\(reason); they were copied to \(kept), and the records after them load")
            }
            if let tail {
                if isNewest {
                    do {
                        try segment.truncate(to: end)
                    } catch {
                        throw .dataDirectoryNotWritable(path: path, reason: error.description)
                    }
                    notes.append("\(path): cut back to \(end) bytes, after its last whole record: \(tail) "
                                 + "(a write a crash interrupted, never acknowledged)")
                } else {
                    let kept = dataDirectory + "/failed/" + name + ".unreadable"
                    Self.keepUnreadable(of: segment, from: end, to: segment.size ?? end, at: kept, reason: tail)
                    notes.append("\(path): \(tail); the bytes from there on cannot be read as batches and were copied to \(kept)")
                }
            }
            // What a crash left in the page cache only is made durable before it loads.
            try? segment.sync()
            // Loaded already: the segment was kept for batches after them.
            records.removeAll { $0.number <= loadedThrough }
            for record in records {
                places[record.number] = .log(segment, frameOffset: record.frameOffset,
                                             payloadLength: record.payloadLength, damage: record.damage)
                if let damage = record.damage {
                    notes.append("\(path): batch \(record.number) at byte \(record.frameOffset): \(damage)")
                }
            }
            if records.isEmpty {
                unlink(path)
            } else {
                waiting[path] = records.count
                if isNewest, end < segmentLimit {
                    active = segment
                    activeEnd = end
                }
            }
        }
        recoveryNotes = notes
        let reserved = DurableFile.read(counterPath).flatMap { Int64(String(decoding: $0, as: UTF8.self)) } ?? 0
        let highest = max(places.keys.max() ?? 0, loadedThrough)
        let next = max(reserved, highest) + 1
        var state = State(next: next, reservedThrough: next - 1, writtenThrough: next - 1, syncedThrough: next - 1)
        state.active = active
        state.activeEnd = activeEnd
        state.places = places
        state.order = places.keys.sorted()
        state.waitingInSegment = waiting
        self.state = NIOLockedValueBox(state)
    }

    deinit {
        if loadedMarker >= 0 { close(loadedMarker) }
    }

    static let loadedMarkerName = "inbox-loaded-through"

    /// Stores a batch durably and returns its number.
    ///
    /// A small batch while no other write is requested is appended right here: the trip to the
    /// inbox's queue and back was two thread switches, a measurable share of a one-record batch's
    /// 201. The request that finds no sync under way then runs one on its thread (well under a
    /// millisecond); requests arriving meanwhile suspend until a sync covers their records, so the
    /// pool's other threads stay free. Large bodies are appended on the queue.
    func accept(sourceID: Int, schemaName: String, receivedAt: UTCTimestamp, body: [UInt8]) async throws -> Int64 {
        var header = JSONObject()
        header["source_id"] = .integer(Int64(sourceID))
        header["schema"] = .string(schemaName)
        header["received_at"] = .string(receivedAt.destinationText)
        let headerLine = Array((JSONValue.object(header).jsonText + "\n").utf8)
        let isFirst = state.withLockedValue { state -> Bool in
            state.writesInProgress += 1
            return state.writesInProgress == 1
        }
        let number: Int64
        if isFirst, body.count <= Self.atOnceBodyLimit {
            defer { state.withLockedValue { $0.writesInProgress -= 1 } }
            number = try append(headerLine: headerLine, body: body, payloadChecksum: CRC32C.checksum(headerLine, body))
        } else {
            number = try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    let result = Result {
                        // Checksummed here too: a 20 MB body takes milliseconds, not for a pool thread.
                        try self.append(headerLine: headerLine, body: body, payloadChecksum: CRC32C.checksum(headerLine, body))
                    }
                    self.state.withLockedValue { $0.writesInProgress -= 1 }
                    continuation.resume(with: result)
                }
            }
        }
        try await waitUntilDurable(number)
        lastAccept.withLockedValue { $0 = ContinuousClock.now }
        return number
    }

    /// Batch numbers waiting in the inbox, oldest first: only those already durable.
    func pendingNumbers() -> [Int64] {
        state.withLockedValue { state in
            while state.orderStart < state.order.count, state.places[state.order[state.orderStart]] == nil {
                state.orderStart += 1
            }
            if state.orderStart > 1024, state.orderStart * 2 > state.order.count {
                state.order.removeFirst(state.orderStart)
                state.orderStart = 0
            }
            var numbers: [Int64] = []
            for number in state.order[state.orderStart...] where number <= state.syncedThrough {
                if state.places[number] != nil { numbers.append(number) }
            }
            return numbers
        }
    }

    func read(_ number: Int64) throws(Failure) -> Entry {
        guard let place = state.withLockedValue({ $0.places[number] }) else {
            throw .unreadable(number: number, reason: "it is no longer in the inbox")
        }
        if case .log(_, _, _, let damage?) = place { throw .unreadable(number: number, reason: damage) }
        guard var bytes = Self.payload(of: place) else {
            throw .unreadable(number: number, reason: "it cannot be read from the disk")
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

    /// How many bytes batch `number` holds on disk (its header line and body), without reading
    /// them: the loader decides from it whether the batch joins the group it is filling before the
    /// body is read and parsed. nil when the batch is not waiting or its file cannot be examined.
    func storedSize(of number: Int64) -> Int? {
        switch state.withLockedValue({ $0.places[number] }) {
        case .log(_, _, let payloadLength, _)?:
            return payloadLength
        case .file(let path)?:
            var status = stat()
            return stat(path, &status) == 0 ? Int(status.st_size) : nil
        case nil:
            return nil
        }
    }

    /// Forgets a loaded batch. When it was the last one waiting in its segment, the segment is
    /// deleted, not fsync'd: if the deletion is lost, its batches load again, which changes nothing.
    func remove(_ number: Int64) {
        let (emptied, loadedThrough) = state.withLockedValue { state -> (Place?, Int64?) in
            guard let place = state.places.removeValue(forKey: number) else { return (nil, nil) }
            while state.orderStart < state.order.count, state.places[state.order[state.orderStart]] == nil {
                state.orderStart += 1
            }
            // Every batch before the first still waiting is done (batches are appended in number order).
            let loadedThrough = state.orderStart < state.order.count ? state.order[state.orderStart] - 1 : state.writtenThrough
            guard case .log(let segment, _, _, _) = place else { return (place, loadedThrough) }
            let left = (state.waitingInSegment[segment.path] ?? 1) - 1
            state.waitingInSegment[segment.path] = left
            return (left == 0 ? place : nil, loadedThrough)
        }
        if let loadedThrough, loadedMarker >= 0 {
            let text = Array((String(repeating: "0", count: max(0, 19 - String(loadedThrough).count)) + String(loadedThrough) + "\n").utf8)
            _ = text.withUnsafeBytes { pwrite(loadedMarker, $0.baseAddress, $0.count, 0) }
        }
        switch emptied {
        case .file(let path)?:
            unlink(path)
        case .log(let segment, _, _, _)?:
            // Under the write lock, so no batch is being appended to the segment as it goes.
            writeLock.withLock {
                let isEmpty = state.withLockedValue { state -> Bool in
                    guard state.waitingInSegment[segment.path] == 0 else { return false }
                    state.waitingInSegment[segment.path] = nil
                    if state.active === segment { state.active = nil }
                    return true
                }
                if isEmpty { unlink(segment.path) }
            }
        case nil:
            break
        }
    }

    /// Moves a batch that can never load, not even into `_sdc_rejected`, to `<data>/failed/` (as
    /// `<number>.batch`: its header line and body, as the inbox files before the log held them),
    /// with the reason beside it, so the queue moves on and a person can inspect it. Returns its
    /// new path. The loader reports every such batch in the log and in `/loads` (see `InboxLoader`).
    @discardableResult
    func setAside(_ number: Int64, reason: String) -> String {
        let fileManager = FileManager.default
        try? fileManager.createDirectory(atPath: failedDirectory, withIntermediateDirectories: true)
        let name = Self.fileName(of: number)
        let target = failedDirectory + "/" + name
        try? fileManager.removeItem(atPath: target)
        switch state.withLockedValue({ $0.places[number] }) {
        case .file(let path)?:
            try? fileManager.moveItem(atPath: path, toPath: target)
        case let place?:
            try? DurableFile.write(Self.payload(of: place) ?? [], to: target)
        case nil:
            break
        }
        try? Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: target + ".error"))
        remove(number)
        return target
    }

    /// What can still be told of a batch that `read` refuses: its schema and its table, when
    /// their text survived. Best effort, for reporting only.
    func salvage(_ number: Int64) -> (schemaName: String?, tableName: String?) {
        guard let place = state.withLockedValue({ $0.places[number] }), let bytes = Self.payload(of: place) else {
            return (nil, nil)
        }
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

    // MARK: Appending

    private func append(headerLine: [UInt8], body: [UInt8], payloadChecksum: UInt32) throws -> Int64 {
        let payloadLength = headerLine.count + body.count
        guard payloadLength <= InboxRecordFrame.payloadLimit else { throw Failure.io("the batch is too large to store") }
        return try writeLock.withLock { () throws -> Int64 in
            let number = try reserveNumber()
            let (current, end) = state.withLockedValue { state -> (InboxSegment?, Int64) in
                guard let active = state.active, state.activeEnd < self.segmentLimit else { return (nil, 0) }
                return (active, state.activeEnd)
            }
            let segment: InboxSegment
            if let current {
                segment = current
            } else {
                do {
                    segment = try InboxSegment.create(in: directory, firstNumber: number, syncData: syncData)
                } catch {
                    throw Failure.io("cannot store the batch: \(error)")
                }
                state.withLockedValue { state in
                    state.active = segment
                    state.activeEnd = 0
                    state.waitingInSegment[segment.path] = 0
                }
            }
            let frame = InboxRecordFrame(number: number, payloadLength: payloadLength, payloadChecksum: payloadChecksum)
            // One write for a small record; a large body is not copied into a second buffer.
            let parts = body.count <= Self.atOnceBodyLimit ? [frame.encoded + headerLine + body] : [frame.encoded + headerLine, body]
            do {
                try segment.write(parts, at: end)
            } catch {
                // A partial record would read as a torn tail; cut it off now.
                try? segment.truncate(to: end)
                throw Failure.io("cannot store the batch: \(error)")
            }
            state.withLockedValue { state in
                state.places[number] = .log(segment, frameOffset: end, payloadLength: payloadLength, damage: nil)
                state.order.append(number)
                state.waitingInSegment[segment.path, default: 0] += 1
                state.activeEnd = end + Int64(InboxRecordFrame.size + payloadLength)
                state.writtenThrough = number
                if !state.unsynced.contains(where: { $0 === segment }) { state.unsynced.append(segment) }
            }
            return number
        }
    }

    /// The next batch number; reserves a block on disk when the last one is used up. Under `writeLock`.
    private func reserveNumber() throws -> Int64 {
        let (number, through) = state.withLockedValue { state -> (Int64, Int64?) in
            defer { state.next += 1 }
            return (state.next, state.next > state.reservedThrough ? state.next + Self.reservationBlock - 1 : nil)
        }
        if let through {
            do {
                try DurableFile.write(Array(String(through).utf8), to: counterPath)
            } catch {
                state.withLockedValue { $0.next -= 1 }
                throw Failure.io("cannot reserve batch numbers: \(error)")
            }
            state.withLockedValue { $0.reservedThrough = through }
        }
        return number
    }

    // MARK: Group commit

    /// Returns once batch `number` (already appended) is durable.
    private func waitUntilDurable(_ number: Int64) async throws {
        enum Role { case done, lost(String), leader, follower }
        let role = state.withLockedValue { state -> Role in
            if let reason = state.lost.removeValue(forKey: number) { return .lost(reason) }
            if state.syncedThrough >= number { return .done }
            if state.isSyncing { return .follower }
            state.isSyncing = true
            return .leader
        }
        switch role {
        case .done:
            return
        case .lost(let reason):
            throw Failure.io(reason)
        case .leader:
            // This thread syncs: the common case of one request at a time costs no thread switch.
            syncRounds(handingOff: true)
            if let reason = state.withLockedValue({ $0.lost.removeValue(forKey: number) }) { throw Failure.io(reason) }
        case .follower:
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Next { case resume, fail(String), wait, lead }
                let next = state.withLockedValue { state -> Next in
                    if let reason = state.lost.removeValue(forKey: number) { return .fail(reason) }
                    if state.syncedThrough >= number { return .resume }
                    state.waiters.append((number, continuation))
                    guard !state.isSyncing else { return .wait }
                    // The round that was under way ended before this request began waiting.
                    state.isSyncing = true
                    return .lead
                }
                switch next {
                case .resume: continuation.resume()
                case .fail(let reason): continuation.resume(throwing: Failure.io(reason))
                case .wait: break
                case .lead: syncQueue.async { self.syncRounds(handingOff: false) }
                }
            }
        }
    }

    /// Syncs what was written, resumes the requests it covers, and goes on while requests wait.
    /// Runs with `isSyncing` set, by one thread at a time; clears it when no request waits.
    /// `handingOff`: a request's own thread, which leaves further rounds to the queue once its
    /// batch is durable, so its 201 does not wait for batches that came after it.
    private func syncRounds(handingOff: Bool) {
        while true {
            let (target, segments) = state.withLockedValue { state -> (Int64, [InboxSegment]) in
                defer { state.unsynced = [] }
                state.syncRounds += 1
                return (state.writtenThrough, state.unsynced)
            }
            var failure: String?
            for segment in segments {
                do { try segment.sync() } catch { failure = "cannot store the batch: \(error)" }
            }
            if let failure { abandonUnsynced(reason: failure) }
            let (ready, failed, more) = state.withLockedValue { state in
                if failure == nil { state.syncedThrough = max(state.syncedThrough, target) }
                var ready: [CheckedContinuation<Void, any Error>] = []
                var failed: [(CheckedContinuation<Void, any Error>, String)] = []
                state.waiters.removeAll { waiter in
                    if let reason = state.lost.removeValue(forKey: waiter.number) {
                        failed.append((waiter.continuation, reason))
                        return true
                    }
                    guard waiter.number <= state.syncedThrough else { return false }
                    ready.append(waiter.continuation)
                    return true
                }
                let more = !state.waiters.isEmpty
                if !more { state.isSyncing = false }
                return (ready, failed, more)
            }
            for continuation in ready { continuation.resume() }
            for (continuation, reason) in failed { continuation.resume(throwing: Failure.io(reason)) }
            guard more else { return }
            if handingOff {
                syncQueue.async { self.syncRounds(handingOff: false) }
                return
            }
        }
    }

    /// After a failed sync nothing written since the last good one can be trusted to be on disk:
    /// those batches are refused (their requests get a 503), cut off the segments, and the next
    /// batch starts a new segment.
    private func abandonUnsynced(reason: String) {
        writeLock.withLock {
            let cuts = state.withLockedValue { state -> [(InboxSegment, Int64)] in
                var cuts: [String: (InboxSegment, Int64)] = [:]
                for number in state.order[state.orderStart...] where number > state.syncedThrough {
                    guard case .log(let segment, let offset, _, _)? = state.places.removeValue(forKey: number) else { continue }
                    state.waitingInSegment[segment.path, default: 1] -= 1
                    state.lost[number] = reason
                    if cuts[segment.path] == nil { cuts[segment.path] = (segment, offset) }
                }
                state.writtenThrough = state.syncedThrough
                state.active = nil
                state.unsynced = []
                return Array(cuts.values)
            }
            for (segment, offset) in cuts {
                try? segment.truncate(to: offset)
                if state.withLockedValue({ $0.waitingInSegment[segment.path] == 0 }) {
                    state.withLockedValue { $0.waitingInSegment[segment.path] = nil }
                    unlink(segment.path)
                }
            }
        }
    }

    // MARK: Files

    private static func payload(of place: Place) -> [UInt8]? {
        switch place {
        case .file(let path):
            DurableFile.read(path)
        case .log(let segment, let frameOffset, let payloadLength, _):
            segment.read(at: frameOffset + Int64(InboxRecordFrame.size), length: payloadLength)
        }
    }

    /// Copies bytes of a segment that cannot be split into records to `failed/`, for a person.
    private static func keepUnreadable(of segment: InboxSegment, from start: Int64, to end: Int64, at path: String,
                                       reason: String) {
        guard end > start, let bytes = segment.read(at: start, length: Int(end - start)) else { return }
        let failed = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: failed, withIntermediateDirectories: true)
        try? DurableFile.write(bytes, to: path)
        try? Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: path + ".error"))
    }

    /// `<19-digit number>.batch`: a batch file of the format before the log, and a set-aside batch.
    static func fileName(of number: Int64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 19 - digits.count)) + digits + fileSuffix
    }

    private static func fileNumbers(in names: [String]) -> [Int64] {
        names.filter { $0.hasSuffix(fileSuffix) }.compactMap { Int64($0.dropLast(fileSuffix.count)) }.sorted()
    }
}
