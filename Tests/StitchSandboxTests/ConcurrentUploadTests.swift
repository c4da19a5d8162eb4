import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

private let connectToken = "ac_" + String(repeating: "0", count: 39) + "3"

@Suite("stitch-sandbox under concurrent uploads", .enabled(if: SandboxBinary.isAvailable), .serialized)
struct ConcurrentUploadTests {
    static let bigUploads = 20
    /// Just under the 20 MiB limit.
    static let bigBodySize = 20 * 1024 * 1024 - 4096

    @Test("Twenty 20 MB batches in flight: a small client is served meanwhile, all are stored, memory stays bounded")
    func twentyBigBatches() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sandbox = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: connectToken)
        defer { sandbox.signal(SIGKILL) }
        let base = try await sandbox.waitUntilListening()
        let port = try #require(Int(base.split(separator: ":").last ?? ""))
        let token = try await makeImportSource(base: base, connectToken: connectToken, displayName: "Uploads").token
        let residentAtStart = try #require(Self.memory(of: sandbox.pid, "VmRSS"))

        // Every upload has sent its head and its first 64 KiB, and waits: twenty requests in flight.
        let bodies = (0..<Self.bigUploads).map { Self.bigBody(client: $0, size: Self.bigBodySize) }
        let uploads = bodies.map {
            HeldUpload(port: port, path: "/v2/import/batch", token: token, body: $0, prefix: 64 * 1024)
        }

        // Meanwhile a one-record batch is stored at once.
        let small = try await rawExchange(port: port, head: batchRequestHead(port: port, token: token, length: customersBatch.utf8.count),
                                          body: Array(customersBatch.utf8), timeoutSeconds: 30)
        #expect(small.status == 201, "\(small.body)")

        let replies = try await withThrowingTaskGroup(of: RawReply.self) { group in
            for upload in uploads { group.addTask { try await upload.finish() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.count == Self.bigUploads)
        #expect(replies.allSatisfy { $0.status == 201 }, "\(replies.map { "\($0.status) \($0.body.prefix(200))" })")

        // Bodies wait in their sockets until there is room, so the peak stays near three bodies
        // and their parsed copies, whatever the number of clients; holding all twenty would need
        // 400 MiB for the raw bodies alone.
        let peak = try #require(Self.memory(of: sandbox.pid, "VmHWM"))
        let bound = residentAtStart + 12 * Self.bigBodySize
        #expect(peak < bound, "peak resident \(peak / 1_048_576) MiB, bound \(bound / 1_048_576) MiB")
        print("twenty 20 MB batches: peak resident \(peak / 1_048_576) MiB (at start \(residentAtStart / 1_048_576) MiB)")
    }

    // MARK: Helpers

    /// A valid batch of exactly `size` bytes: a thousand records carrying long strings.
    static func bigBody(client: Int, size: Int) -> [UInt8] {
        let records = 1000
        func body(padding: Int) -> String {
            let filler = String(repeating: "x", count: padding)
            let messages = (0..<records).map { index in
                #"{"action":"upsert","sequence":\#(index),"data":{"id":\#(client * records + index),"blob":"\#(filler)"}}"#
            }
            return #"{"table_name":"blobs","key_names":["id"],"schema":{"properties":{"id":{"type":"integer"},"#
                + #""blob":{"type":"string"}}},"messages":["# + messages.joined(separator: ",") + "]}"
        }
        let empty = body(padding: 0).utf8.count
        let perRecord = (size - empty) / records
        var text = body(padding: perRecord)
        // Top up the last bytes with spaces, which JSON allows between tokens.
        text += String(repeating: " ", count: size - text.utf8.count)
        return Array(text.utf8)
    }

    /// A `/proc/<pid>/status` figure in bytes (`VmRSS` now, `VmHWM` the peak).
    static func memory(of pid: pid_t, _ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return kilobytes.map { $0 * 1024 }
    }
}
