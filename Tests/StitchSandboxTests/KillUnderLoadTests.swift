import Foundation
import StitchAPI
import StitchDestination
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

private let connectToken = "ac_" + String(repeating: "0", count: 39) + "4"

/// kill -9 at random moments while clients push: a 201 must mean the batch loads, exactly once.
@Suite("stitch-sandbox killed while clients push", .enabled(if: SandboxBinary.isAvailable), .serialized)
struct KillUnderLoadTests {
    static let rounds = 10
    static let clients = 3
    static let recordsPerBatch = 25
    /// Per round, so the test ends even if a kill never lands.
    static let batchesPerRound = 400

    @Test("Every batch that got a 2xx is loaded once; none is loaded twice; none loads in part",
          arguments: KilledDestination.available)
    func killNineWhilePushing(destination: KilledDestination) async throws {
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        var random = SplitMix64(seed: seed)
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = PushLedger()
        var token: String?
        // A schema of its own, so runs sharing one PostgreSQL database never meet.
        let displayName = "Pushes \(String(seed, radix: 16))"
        let arguments = ["--port", "0", "--data", directory] + destination.arguments

        for round in 0..<Self.rounds {
            let sandbox = try SandboxProcess(arguments: arguments, connectToken: connectToken)
            let base = try await sandbox.waitUntilListening()
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            let importToken: String
            if let token { importToken = token } else {
                importToken = try await makeImportSource(base: base, connectToken: connectToken, displayName: displayName).token
                token = importToken
            }
            // Early kills land while the loader replays what the last round left; later ones mid-push.
            let delay = Duration.milliseconds(Int.random(in: 0...1200, using: &random))
            let pid = sandbox.pid
            let killer = Task {
                try? await Task.sleep(for: delay)
                kill(pid, SIGKILL)
            }
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<Self.clients {
                    group.addTask { await Self.push(port: port, token: importToken, ledger: ledger, round: round) }
                }
            }
            await killer.value
            sandbox.signal(SIGKILL)
            _ = try await sandbox.waitForExit()
        }

        // A last, undisturbed run loads whatever is left, then stops cleanly.
        let final = try SandboxProcess(arguments: arguments, connectToken: connectToken)
        _ = try await final.waitUntilListening()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(180)
        while try Self.inboxCount(directory) > 0, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        final.signal(SIGINT)
        #expect(try await final.waitForExit().succeeded)
        #expect(try Self.inboxCount(directory) == 0, "seed \(seed): the inbox never emptied")
        let failed = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/failed")) ?? []
        #expect(failed.isEmpty, "seed \(seed): batches set aside: \(failed)")

        let schema = SourceName.derive(fromDisplayName: displayName)
        defer { destination.dropSchema(schema) }
        var counts: [Int: Int] = [:]
        for eventID in try destination.eventIDs(schema: schema, dataDirectory: directory) {
            counts[eventID, default: 0] += 1
        }
        let summary = await ledger.summary
        let loadedBatches = Set(counts.keys.map { $0 / 1000 })

        #expect(summary.acknowledged.count > 0, "seed \(seed): no batch was ever acknowledged")
        #expect(counts.values.allSatisfy { $0 == 1 }, "seed \(seed): rows loaded twice: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(10))")
        let lost = summary.acknowledged.subtracting(loadedBatches)
        #expect(lost.isEmpty, "seed \(seed): acknowledged but not loaded: \(lost.sorted().prefix(10))")
        let unknown = loadedBatches.subtracting(summary.attempted)
        #expect(unknown.isEmpty, "seed \(seed): loaded but never sent: \(unknown.sorted().prefix(10))")
        for batch in loadedBatches {
            let rows = (0..<Self.recordsPerBatch).filter { counts[batch * 1000 + $0] != nil }.count
            #expect(rows == Self.recordsPerBatch, "seed \(seed): batch \(batch) loaded \(rows) of \(Self.recordsPerBatch) rows")
        }
        print("kill -9 under load on \(destination) (seed \(seed)): \(summary.attempted.count) batches sent, "
              + "\(summary.acknowledged.count) acknowledged, \(loadedBatches.count) loaded, "
              + "\(summary.attempted.count - summary.acknowledged.count) cut off by a kill")
    }

    // MARK: Helpers

    /// Pushes batches until the sandbox stops answering.
    private static func push(port: Int, token: String, ledger: PushLedger, round: Int) async {
        while let batch = await ledger.nextBatch(round: round, limit: batchesPerRound) {
            let body = Array(Self.batch(number: batch).utf8)
            let head = batchRequestHead(port: port, token: token, length: body.count)
            do {
                let reply = try await rawExchange(port: port, head: head, body: body, timeoutSeconds: 30)
                await ledger.record(batch, status: reply.status)
                if !(200..<300).contains(reply.status) { return }
            } catch {
                return  // Killed mid-exchange: this batch's fate is unknown, which is allowed.
            }
        }
    }

    /// A keyless batch: replaying it would append its rows again, so a double load shows.
    static func batch(number: Int) -> String {
        let messages = (0..<recordsPerBatch).map { index in
            #"{"action":"upsert","sequence":\#(number * 1000 + index),"data":{"event_id":\#(number * 1000 + index),"#
                + #""batch":\#(number),"note":"record \#(index) of batch \#(number)"}}"#
        }
        return #"{"table_name":"events","schema":{"properties":{"event_id":{"type":"integer"},"#
            + #""batch":{"type":"integer"},"note":{"type":"string"}}},"messages":["# + messages.joined(separator: ",") + "]}"
    }

    private static func inboxCount(_ directory: String) throws -> Int {
        _ = try FileManager.default.contentsOfDirectory(atPath: directory + "/inbox")
        return inboxWaitingFiles(directory).count
    }
}

/// Where the killed sandbox loads: SQLite always, PostgreSQL when `STITCH_TEST_POSTGRES_URL` is set
/// (`.ci/run` sets it).
enum KilledDestination: Sendable, CustomStringConvertible {
    case sqlite
    case postgres(String)

    static var available: [KilledDestination] {
        guard let url = ProcessInfo.processInfo.environment["STITCH_TEST_POSTGRES_URL"], !url.isEmpty else {
            return [.sqlite]
        }
        return [.sqlite, .postgres(url)]
    }

    var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    var arguments: [String] {
        switch self {
        case .sqlite: []
        case .postgres(let url): ["--destination", url]
        }
    }

    /// Every `event_id` in `<schema>.events`, duplicates included.
    func eventIDs(schema: String, dataDirectory: String) throws -> [Int] {
        switch self {
        case .sqlite:
            let table = try DestinationReader.rows(schema: schema, table: "events", dataDirectory: dataDirectory,
                                                   limit: 10_000_000)
            let column = try #require(table.columns.firstIndex(of: "event_id"))
            return table.rows.map { Int($0[column]) ?? -1 }
        case .postgres(let url):
            let output = try runPSQL(url: url, "SELECT event_id FROM \"\(schema)\".events")
            return output.split(separator: "\n").map { Int($0) ?? -1 }
        }
    }

    /// Leaves a shared PostgreSQL database as it was (SQLite files go with the data directory).
    func dropSchema(_ schema: String) {
        if case .postgres(let url) = self { _ = try? runPSQL(url: url, "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
    }

    private func runPSQL(url: String, _ query: String) throws -> String {
        let psql = try ChildProcess.run("/usr/bin/psql", [url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", query],
                                        timeout: .seconds(60))
        guard psql.succeeded else { throw TestFailure("psql failed (\(psql.endDescription)): \(psql.standardError)") }
        return psql.standardOutput
    }
}

/// Which batches were sent and which were acknowledged, across clients and rounds.
private actor PushLedger {
    private var next = 0
    private var sentThisRound: [Int: Int] = [:]
    private(set) var attempted: Set<Int> = []
    private(set) var acknowledged: Set<Int> = []

    func nextBatch(round: Int, limit: Int) -> Int? {
        guard sentThisRound[round, default: 0] < limit else { return nil }
        sentThisRound[round, default: 0] += 1
        next += 1
        attempted.insert(next)
        return next
    }

    func record(_ batch: Int, status: Int) {
        if (200..<300).contains(status) { acknowledged.insert(batch) }
    }

    var summary: (attempted: Set<Int>, acknowledged: Set<Int>) { (attempted, acknowledged) }
}
