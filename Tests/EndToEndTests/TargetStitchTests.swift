import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// target-stitch 4.0.3, the Singer target Stitch runs itself, installed unmodified from PyPI into
/// a venv the test makes, pushes a Singer stream into the real `stitch-sandbox` over loopback.
/// What lands in the SQLite destination is compared with what the stream said.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct TargetStitchTests {
    static let requirement = "target-stitch==4.0.3"

    @Test func targetStitchLoadsASingerStreamIntoTheSandbox() throws {
        let work = try temporaryDirectory("target-stitch")
        defer { try? FileManager.default.removeItem(at: work) }
        let venv = try PythonVenv.create(at: work.appendingPathComponent("venv"), installing: [Self.requirement])

        let data = work.appendingPathComponent("data")
        let log = work.appendingPathComponent("sandbox.log")
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: "ac_e2e_fake_connect_token", logFile: log)
        defer { sandbox.stop() }

        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Singer Target E2E")
        // The token travels in a file only the owner can read, never on a command line.
        let batchURL = sandbox.baseURL + "/v2/import/batch"
        let config = work.appendingPathComponent("config.json")
        try writeTargetStitchConfig(for: source, batchURL: batchURL, to: config)
        #expect(try FileManager.default.attributesOfItem(atPath: config.path)[.posixPermissions] as? Int == 0o600)

        let sync = SingerSync()
        let input = work.appendingPathComponent("singer.jsonl")
        try writeSingerStream(sync, to: input)

        let started = ContinuousClock.now
        let target = try execute(venv.executable("target-stitch"), ["--config", config.path],
                                 standardInput: input.path, timeout: .seconds(300))
        let elapsed = ContinuousClock.now - started
        let succeeded = target.succeeded
        try #require(succeeded, """
            target-stitch ended with \(target.endDescription) after \(elapsed). Its standard error:
            \(target.standardError)
            The sandbox log:
            \(tail(of: log))
            """)

        // STATE goes to stdout only once every batch before it was accepted, in order.
        let emitted = try target.standardOutput.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        // Compared first and printed on failure: the operands' own dump would bury the message.
        let endsWithFinalState = emitted.last == sync.states.last
        #expect(endsWithFinalState, "stdout does not end with \(sync.states.last?.jsonText ?? "")\n\(target.standardOutput)")
        #expect(isSubsequence(emitted, of: sync.states), "stdout holds states not sent, or out of order: \(target.standardOutput)")

        // A batch leaves the inbox only once its load has committed (or it was set aside in failed/).
        let database = data.appendingPathComponent("destination/\(source.schema).sqlite")
        try waitForLoads(dataDirectory: data, database: database)
        try expectDestination(database, holds: sync)
    }
}

