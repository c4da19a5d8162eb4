import Foundation
import StitchAPI
import StitchSandbox
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `stitch-sandbox` binary, as `swift test` builds it next to the test bundle.
enum SandboxBinary {
    static var path: String? {
        BuiltProducts.isBuilt(SandboxProcess.binaryName) ? BuiltProducts.path(SandboxProcess.binaryName) : nil
    }

    static var isAvailable: Bool { path != nil && FileManager.default.isExecutableFile(atPath: curlPath) }
}

private let fakeConnectToken = "ac_" + String(repeating: "0", count: 39) + "1"

@Suite("stitch-sandbox executable", .enabled(if: SandboxBinary.isAvailable), .serialized)
struct ExecutableTests {
    @Test("A 201 survives kill -9 right after the reply; the restarted sandbox loads the row")
    func durableAcrossKill() async throws {
        let directory = try makeDataDirectory()
        let first = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: fakeConnectToken)
        let base = try await first.waitUntilListening()
        #expect(first.standardOutput.contains("Connect token: \(fakeConnectToken)"))
        let token = try await makeImportSource(base: base, connectToken: fakeConnectToken).token

        let pushed = try await request("POST", base + "/v2/import/batch", token: token, body: customersBatch)
        first.signal(SIGKILL)
        #expect(pushed.status == 201)
        #expect(try await first.waitForExit().signal == SIGKILL)
        // One segment of the inbox log holding the batch.
        let inboxFiles = inboxWaitingFiles(directory)
        let loadedAlready = customerRow(id: "1", dataDirectory: directory) != nil
        #expect(inboxFiles.count == 1 || loadedAlready, "the batch is neither in the inbox nor loaded")

        let second = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: fakeConnectToken)
        _ = try await second.waitUntilListening()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while customerRow(id: "1", dataDirectory: directory) == nil, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(customerRow(id: "1", dataDirectory: directory) == ["1", "Finn", "15", "false"])
        second.signal(SIGINT)
        #expect(try await second.waitForExit().succeeded)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/inbox").isEmpty)
    }

    @Test("SIGTERM stops it cleanly with exit status 0")
    func sigterm() async throws {
        let process = try SandboxProcess(arguments: ["--port", "0", "--data", try makeDataDirectory()],
                                         connectToken: fakeConnectToken)
        let base = try await process.waitUntilListening()
        #expect(try await request("GET", base + "/v2/import/status").status == 200)
        process.signal(SIGTERM)
        #expect(try await process.waitForExit().succeeded)
    }

    @Test("A port in use is reported as such, with a way out")
    func portInUse() async throws {
        try await withSandbox { sandbox in
            let process = try SandboxProcess(arguments: ["--port", String(sandbox.port), "--data", try makeDataDirectory()],
                                             connectToken: fakeConnectToken)
            #expect(try await process.waitForExit().exitCode != 0)
            #expect(process.standardError.contains("Port \(sandbox.port) on 127.0.0.1 is already in use"))
            #expect(!process.standardError.contains(fakeConnectToken))
        }
    }

    @Test("A data directory that cannot be created is reported with its path")
    func dataDirectoryNotWritable() async throws {
        let file = try makeDataDirectory() + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let process = try SandboxProcess(arguments: ["--port", "0", "--data", file + "/data"], connectToken: fakeConnectToken)
        #expect(try await process.waitForExit().exitCode != 0)
        #expect(process.standardError.contains("Cannot write to the data directory (\(file)/data)"))
    }
}
