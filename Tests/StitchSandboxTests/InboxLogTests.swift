import Foundation
import NIOConcurrencyHelpers
import StitchAPI
import Testing
@testable import StitchSandbox

/// The inbox's append-only log: records framed with length and checksums in segment files, one
/// fdatasync per group of concurrent writes, read back and checked at start.
@Suite("Inbox log")
struct InboxLogTests {
    let directory: String

    init() throws {
        directory = try makeDataDirectory()
    }

    var inboxDirectory: String { directory + "/inbox" }

    func body(_ index: Int, size: Int = 0) -> [UInt8] {
        Array(#"{"table_name":"t","messages":[{"action":"upsert","sequence":\#(index),"data":{"id":\#(index)}}]}"#.utf8)
            + [UInt8](repeating: 0x20, count: size)
    }

    @discardableResult
    func accept(_ inbox: Inbox, _ indices: some Sequence<Int>, size: Int = 0) async throws -> [Int64] {
        var numbers: [Int64] = []
        for index in indices {
            numbers.append(try await inbox.accept(sourceID: 7, schemaName: "s\(index)", receivedAt: .now(),
                                                  body: body(index, size: size)))
        }
        return numbers
    }

    func segments() -> [String] {
        Inbox.waitingFiles(inInbox: inboxDirectory).filter { $0.hasSuffix(".log") }
    }

    func size(_ name: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: inboxDirectory + "/" + name)[.size] as? Int)
    }

    /// Appends bytes to a segment, as a write cut short by a crash leaves them.
    func append(_ bytes: [UInt8], to name: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: inboxDirectory + "/" + name))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    func flipByte(at offset: Int, in name: String) throws {
        let path = inboxDirectory + "/" + name
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[offset] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    @Test("Batches are read back in order after a restart, the header and body intact; numbers go on growing")
    func restartWithPendingBatches() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await accept(try Inbox(dataDirectory: directory), 0..<5)
        #expect(first == first.sorted() && Set(first).count == 5)
        #expect(segments().count == 1)

        let reopened = try Inbox(dataDirectory: directory)
        #expect(reopened.recoveryNotes.isEmpty)
        #expect(reopened.pendingNumbers() == first)
        for (index, number) in first.enumerated() {
            let entry = try reopened.read(number)
            #expect(entry.body == body(index))
            #expect(entry.schemaName == "s\(index)")
            #expect(entry.sourceID == 7)
        }
        let later = try await accept(reopened, 5..<6)
        #expect(later[0] > first[4])
        #expect(try reopened.read(later[0]).body == body(5))
        // Removing every batch deletes the segment: an idle inbox is empty.
        for number in first + later { reopened.remove(number) }
        #expect(reopened.pendingNumbers().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inboxDirectory).isEmpty)
        #expect(try Inbox(dataDirectory: directory).pendingNumbers().isEmpty)
    }

    @Test("A torn tail (a header or a record cut short by a crash) is cut off at start; the whole records before it load")
    func tornTail() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let numbers = try await accept(try Inbox(dataDirectory: directory), 0..<3)
        let segment = try #require(segments().first)
        let whole = try size(segment)

        // Half a record header.
        try append([0x53, 0x42, 0x4C, 0x31, 0x10, 0x00], to: segment)
        let afterHeader = try Inbox(dataDirectory: directory)
        #expect(afterHeader.pendingNumbers() == numbers)
        #expect(try size(segment) == whole)
        #expect(afterHeader.recoveryNotes.count == 1)
        #expect(afterHeader.recoveryNotes.first?.contains("cut back to \(whole) bytes") == true)

        // A whole header whose payload never fully reached the disk.
        let next = try await accept(afterHeader, 3..<4)[0]
        let withFourth = try size(segment)
        let handle = try #require(FileHandle(forWritingAtPath: inboxDirectory + "/" + segment))
        try handle.truncate(atOffset: UInt64(withFourth - 10))
        try handle.close()
        let afterPayload = try Inbox(dataDirectory: directory)
        #expect(afterPayload.pendingNumbers() == numbers)
        #expect(try size(segment) == whole)
        #expect(afterPayload.recoveryNotes.first?.contains("batch \(next)") == true)
        // The log goes on after the cut: a new batch is stored whole and read back after another restart.
        let after = try await accept(afterPayload, 4..<5)[0]
        #expect(after > next)
        let again = try Inbox(dataDirectory: directory)
        #expect(again.recoveryNotes.isEmpty)
        #expect(again.pendingNumbers() == numbers + [after])
        #expect(try again.read(after).body == body(4))
    }

    @Test("A corrupted checksum: the last record is a torn write and cut off; one in the middle is refused by read and set aside, the rest load")
    func corruptedChecksum() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let numbers = try await accept(try Inbox(dataDirectory: directory), 0..<3, size: 100)
        let segment = try #require(segments().first)
        let recordSize = try size(segment) / 3

        // A byte of the last record's body.
        try flipByte(at: 3 * recordSize - 5, in: segment)
        let tail = try Inbox(dataDirectory: directory)
        #expect(tail.pendingNumbers() == Array(numbers.prefix(2)))
        #expect(try size(segment) == 2 * recordSize)
        #expect(tail.recoveryNotes.first?.contains("checksum") == true)

        // A byte of the first record's body: the record after it still reads.
        try flipByte(at: recordSize - 5, in: segment)
        let middle = try Inbox(dataDirectory: directory)
        #expect(middle.pendingNumbers() == Array(numbers.prefix(2)))
        #expect(middle.recoveryNotes.first?.contains("batch \(numbers[0])") == true)
        #expect(throws: Inbox.Failure.self) { try middle.read(numbers[0]) }
        #expect(try middle.read(numbers[1]).body == body(1, size: 100))
        #expect(middle.salvage(numbers[0]).schemaName == "s0")
        let path = middle.setAside(numbers[0], reason: "damaged")
        #expect(FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: path + ".error"))
        #expect(middle.pendingNumbers() == [numbers[1]])

        // A byte of a record header in the middle: its length cannot be trusted; the next whole record
        // is found after it, and the bytes between are kept in failed/.
        let fresh = try await accept(middle, 5..<6, size: 100)[0]
        try flipByte(at: recordSize + 9, in: segment)
        let third = try Inbox(dataDirectory: directory)
        // The first record, set aside but still in the segment, is skipped (inbox-loaded-through).
        #expect(third.pendingNumbers() == [fresh])
        #expect(try third.read(fresh).body == body(5, size: 100))
        #expect(third.recoveryNotes.contains { $0.contains("bytes \(recordSize)-\(2 * recordSize)") })
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory + "/failed")
        #expect(kept.contains(segment + ".at-\(recordSize).unreadable"), "\(kept)")
    }

    @Test("Many segments: a segment is deleted once every batch in it is removed, in order; a restart finds the rest")
    func manySegments() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inbox = try Inbox(dataDirectory: directory, segmentLimit: 1024)
        let numbers = try await accept(inbox, 0..<40, size: 200)
        let all = segments()
        #expect(all.count >= 8, "\(all)")
        // Each segment is named after its first batch.
        #expect(all.compactMap { Int64($0.dropLast(4)) }.allSatisfy(numbers.contains))
        #expect(inbox.pendingNumbers() == numbers)

        for number in numbers.prefix(20) { inbox.remove(number) }
        let left = segments()
        #expect(left.count < all.count)
        #expect(left.allSatisfy { name in numbers.dropFirst(20).contains { $0 >= Int64(name.dropLast(4)) ?? .max } })

        // The removed batches of a segment that still holds waiting ones are skipped after a restart
        // (inbox-loaded-through); without that note they would load again, which changes nothing.
        let reopened = try Inbox(dataDirectory: directory, segmentLimit: 1024)
        let pending = reopened.pendingNumbers()
        #expect(pending == Array(numbers.suffix(20)))
        try FileManager.default.removeItem(atPath: directory + "/" + Inbox.loadedMarkerName)
        let replaying = try Inbox(dataDirectory: directory, segmentLimit: 1024).pendingNumbers()
        #expect(replaying.count > 20 && replaying.count < 40 && Array(replaying.suffix(20)) == pending)
        for number in pending {
            #expect(try reopened.read(number).body == body(numbers.firstIndex(of: number) ?? -1, size: 200))
            reopened.remove(number)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: inboxDirectory).isEmpty)
    }

    @Test("Group commit: concurrent writers share fdatasyncs, every batch is stored once and read back")
    func groupCommit() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inbox = try Inbox(dataDirectory: directory)
        let count = 200
        let numbers = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for index in 0..<count {
                group.addTask {
                    let body = Array(#"{"index":\#(index)}"#.utf8) + [UInt8](repeating: 0x20, count: index % 3 == 0 ? 70_000 : 10)
                    return (index, try await inbox.accept(sourceID: 1, schemaName: "s", receivedAt: .now(), body: body))
                }
            }
            var numbers: [Int: Int64] = [:]
            for try await (index, number) in group { numbers[index] = number }
            return numbers
        }
        #expect(Set(numbers.values).count == count)
        #expect(inbox.syncRoundCount < count, "\(inbox.syncRoundCount) sync rounds for \(count) batches")
        let reopened = try Inbox(dataDirectory: directory)
        #expect(reopened.pendingNumbers() == numbers.values.sorted())
        for (index, number) in numbers {
            let entry = try reopened.read(number)
            #expect(entry.body.starts(with: Array(#"{"index":\#(index)}"#.utf8)))
        }
    }

    @Test("A failed fdatasync: every batch of its group is refused, none is pending or kept on disk, and the inbox goes on storing")
    func syncFailure() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The errno the next syncs fail with; 0: they run for real.
        let failure = NIOLockedValueBox<Int32>(0)
        let syncData: InboxSegment.DataSync = { descriptor in
            let code = failure.withLockedValue { $0 }
            return code == 0 ? InboxSegment.fdatasyncData(descriptor) : code
        }
        let inbox = try Inbox(dataDirectory: directory, syncData: syncData)
        let before = try await accept(inbox, 0..<2)

        failure.withLockedValue { $0 = EIO }
        // Small bodies (appended on the caller's thread) and large ones (on the queue), concurrently.
        let outcomes = await withTaskGroup(of: Result<Int64, any Error>.self) { group in
            for index in 2..<8 {
                group.addTask {
                    do {
                        return .success(try await inbox.accept(sourceID: 7, schemaName: "s\(index)", receivedAt: .now(),
                                                               body: body(index, size: index % 2 == 0 ? 70_000 : 0)))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 6)
        for outcome in outcomes {
            guard case .failure(let error) = outcome else {
                Issue.record("a batch was acknowledged although no sync succeeded: \(outcome)")
                continue
            }
            #expect(error is Inbox.Failure)
            #expect("\(error)".contains("fdatasync") && "\(error)".contains(String(cString: strerror(EIO))), "\(error)")
        }
        #expect(inbox.pendingNumbers() == before)

        failure.withLockedValue { $0 = 0 }
        let after = try await accept(inbox, 8..<9)
        #expect(inbox.pendingNumbers() == before + after)
        #expect(try inbox.read(after[0]).body == body(8))

        // On disk only the acknowledged batches: the refused records were cut off, not left to load after a restart.
        let reopened = try Inbox(dataDirectory: directory)
        #expect(reopened.recoveryNotes.isEmpty, "\(reopened.recoveryNotes)")
        #expect(reopened.pendingNumbers() == before + after)
        for (index, number) in zip([0, 1, 8], before + after) {
            #expect(try reopened.read(number).body == body(index))
            reopened.remove(number)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: inboxDirectory).isEmpty)
    }

    @Test("Compatibility: batch files of the format before the log load first, then the log's; each is deleted once removed")
    func oldFormatFiles() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: inboxDirectory, withIntermediateDirectories: true)
        let header = #"{"source_id":3,"schema":"old","received_at":"2026-11-30T12:00:00.000000Z"}"#
        for number in [41, 42] as [Int64] {
            try Data((header + "\n").utf8 + body(Int(number))).write(
                to: URL(fileURLWithPath: inboxDirectory + "/" + Inbox.fileName(of: number)))
        }
        try Data("1000".utf8).write(to: URL(fileURLWithPath: directory + "/batch-counter"))
        let inbox = try Inbox(dataDirectory: directory)
        let fresh = try await accept(inbox, 0..<1)[0]
        #expect(fresh > 1000)
        #expect(inbox.pendingNumbers() == [41, 42, fresh])
        let old = try inbox.read(41)
        #expect(old.schemaName == "old" && old.sourceID == 3 && old.body == body(41))
        inbox.remove(41)
        #expect(!FileManager.default.fileExists(atPath: inboxDirectory + "/" + Inbox.fileName(of: 41)))
        #expect(try Inbox(dataDirectory: directory).pendingNumbers() == [42, fresh])
    }
}

/// The files in a data directory's inbox that hold waiting batches (log segments, and batch files
/// of the format before the log): empty once the loader has loaded everything accepted.
func inboxWaitingFiles(_ dataDirectory: String) -> [String] {
    Inbox.waitingFiles(inInbox: dataDirectory + "/inbox")
}
