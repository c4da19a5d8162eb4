import Foundation
import StitchAPI
import StitchSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `stitch-sandbox` binary, as `swift test` builds it next to the test bundle.
enum SandboxBinary {
    static var path: String? {
        var candidates: [String] = []
        if let executable = Bundle.main.executablePath {
            candidates.append((executable as NSString).deletingLastPathComponent + "/stitch-sandbox")
        }
        let argument0 = (CommandLine.arguments.first ?? "") as NSString
        candidates.append(argument0.deletingLastPathComponent + "/stitch-sandbox")
        // Tests/StitchSandboxTests/<file> -> package root -> .build/debug
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/stitch-sandbox").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var isAvailable: Bool { path != nil && FileManager.default.isExecutableFile(atPath: curlPath) }
}

/// A running `stitch-sandbox` process and what it printed.
///
/// Its output goes to files rather than pipes: Foundation's `readabilityHandler` can read a
/// descriptor that is being closed as the process exits, and crash the test process.
final class SandboxProcess {
    let process: Process
    private let outputPath: String
    private let errorPath: String

    init(arguments: [String], connectToken: String) throws {
        let binary = try #require(SandboxBinary.path)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_SANDBOX_CONNECT_TOKEN"] = connectToken
        process.environment = environment
        let base = NSTemporaryDirectory() + "stitch-sandbox-process-" + UUID().uuidString
        outputPath = base + ".out"
        errorPath = base + ".err"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? output.close()
            try? errors.close()
        }
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    var standardOutput: String { Self.contents(of: outputPath) }
    var standardError: String { Self.contents(of: errorPath) }

    private static func contents(of path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The base URL from the "listening on" line, once printed.
    func baseURL(timeout: Duration = .seconds(60)) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let line = standardOutput.split(separator: "\n").first(where: { $0.hasPrefix("Stitch sandbox listening on ") }) {
                return String(line.dropFirst("Stitch sandbox listening on ".count))
            }
            if !process.isRunning { throw TestFailure("exited early: \(standardError)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no listening line; stdout: \(standardOutput) stderr: \(standardError)")
    }

    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning {
            guard clock.now < deadline else { throw TestFailure("did not exit") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }
}

private let fakeConnectToken = "ac_" + String(repeating: "0", count: 39) + "1"

@Suite("stitch-sandbox executable", .enabled(if: SandboxBinary.isAvailable), .serialized)
struct ExecutableTests {
    @Test("A 201 survives kill -9 right after the reply; the restarted sandbox loads the row")
    func durableAcrossKill() async throws {
        let directory = try makeDataDirectory()
        let first = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: fakeConnectToken)
        let base = try await first.baseURL()
        #expect(first.standardOutput.contains("Connect token: \(fakeConnectToken)"))
        let token = try await makeImportSource(base: base, connectToken: fakeConnectToken).token

        let pushed = try await request("POST", base + "/v2/import/batch", token: token, body: customersBatch)
        first.signal(SIGKILL)
        #expect(pushed.status == 201)
        _ = try await first.waitForExit()
        #expect(first.process.terminationReason == .uncaughtSignal)
        let inboxFiles = try FileManager.default.contentsOfDirectory(atPath: directory + "/inbox").filter { $0.hasSuffix(".batch") }
        let loadedAlready = customerRow(id: "1", dataDirectory: directory) != nil
        #expect(inboxFiles.count == 1 || loadedAlready, "the batch is neither in the inbox nor loaded")

        let second = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: fakeConnectToken)
        _ = try await second.baseURL()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while customerRow(id: "1", dataDirectory: directory) == nil, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(customerRow(id: "1", dataDirectory: directory) == ["1", "Finn", "15", "false"])
        second.signal(SIGINT)
        #expect(try await second.waitForExit() == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/inbox").filter { $0.hasSuffix(".batch") }.isEmpty)
    }

    @Test("SIGTERM stops it cleanly with exit status 0")
    func sigterm() async throws {
        let process = try SandboxProcess(arguments: ["--port", "0", "--data", try makeDataDirectory()],
                                         connectToken: fakeConnectToken)
        let base = try await process.baseURL()
        #expect(try await request("GET", base + "/v2/import/status").status == 200)
        process.signal(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }

    @Test("A port in use is reported as such, with a way out")
    func portInUse() async throws {
        try await withSandbox { sandbox in
            let process = try SandboxProcess(arguments: ["--port", String(sandbox.port), "--data", try makeDataDirectory()],
                                             connectToken: fakeConnectToken)
            #expect(try await process.waitForExit() != 0)
            #expect(process.standardError.contains("Port \(sandbox.port) on 127.0.0.1 is already in use"))
            #expect(!process.standardError.contains(fakeConnectToken))
        }
    }

    @Test("A data directory that cannot be created is reported with its path")
    func dataDirectoryNotWritable() async throws {
        let file = try makeDataDirectory() + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let process = try SandboxProcess(arguments: ["--port", "0", "--data", file + "/data"], connectToken: fakeConnectToken)
        #expect(try await process.waitForExit() != 0)
        #expect(process.standardError.contains("Cannot write to the data directory (\(file)/data)"))
    }
}
