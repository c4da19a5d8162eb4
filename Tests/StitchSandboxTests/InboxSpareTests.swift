import Foundation
import Testing
@testable import StitchSandbox

/// A loaded batch's file is kept as a spare and overwritten by the next accepted batch, so a
/// stream of small batches does not allocate and free an inode per batch.
@Suite("Inbox spare files")
struct InboxSpareTests {
    func inode(_ path: String) throws -> UInt64 {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw TestFailure("no file at \(path)") }
        return UInt64(status.st_ino)
    }

    @Test("A removed batch's file becomes the next batch, with the new content only; the inbox holds batches only; a restart drops spares")
    func reusesRemovedFiles() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inbox = try Inbox(dataDirectory: directory)
        let long = Array(String(repeating: "x", count: 5000).utf8)
        let first = try await inbox.accept(sourceID: 1, schemaName: "s", receivedAt: .now(), body: long)
        let firstPath = inbox.directory + "/" + String(format: "%019lld", first) + Inbox.fileSuffix
        let firstInode = try inode(firstPath)
        inbox.remove(first)
        #expect(inbox.pendingNumbers().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.directory).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.spareDirectory).count == 1)

        let second = try await inbox.accept(sourceID: 2, schemaName: "t", receivedAt: .now(), body: Array("short".utf8))
        let secondPath = inbox.directory + "/" + String(format: "%019lld", second) + Inbox.fileSuffix
        #expect(try inode(secondPath) == firstInode)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.spareDirectory).isEmpty)
        let entry = try inbox.read(second)
        #expect(entry.body == Array("short".utf8) && entry.sourceID == 2 && entry.schemaName == "t")
        var status = stat()
        lstat(secondPath, &status)
        #expect(status.st_mode & 0o777 == 0o600)

        inbox.remove(second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.spareDirectory).count == 1)
        let restarted = try Inbox(dataDirectory: directory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: restarted.spareDirectory).isEmpty)
    }

    @Test("A spare that vanished is skipped: the batch is written to a new file")
    func missingSpare() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inbox = try Inbox(dataDirectory: directory)
        inbox.remove(try await inbox.accept(sourceID: 1, schemaName: "s", receivedAt: .now(), body: Array("one".utf8)))
        for name in try FileManager.default.contentsOfDirectory(atPath: inbox.spareDirectory) {
            try FileManager.default.removeItem(atPath: inbox.spareDirectory + "/" + name)
        }
        let number = try await inbox.accept(sourceID: 1, schemaName: "s", receivedAt: .now(), body: Array("two".utf8))
        #expect(try inbox.read(number).body == Array("two".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.directory).filter { !$0.hasSuffix(Inbox.fileSuffix) }.isEmpty)
    }
}
