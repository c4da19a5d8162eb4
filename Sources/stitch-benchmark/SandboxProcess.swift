import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real `stitch-sandbox` binary, running in its own process on a free loopback port with a
/// throwaway data directory, so the accept figures include everything a client would see.
///
/// The tests' launcher (`SandboxProcess` in Tests/StitchTestSupport, on posix_spawn) is not used
/// here: an executable cannot depend on a test-support target, and moving test plumbing into a
/// module under Sources for one benchmark is not worth it. This one also waits until the inbox
/// is empty between phases, and it runs once per benchmark, where Foundation's occasional
/// `Process.run` crash costs a rerun, not a red CI.
final class SandboxProcess {
    let dataDirectory: String
    let connectToken: String
    private let process: Process
    private let output = LockedText()
    private let errors = LockedText()

    /// Starts the binary; `baseURL()` waits for it to listen.
    init(binary: String, dataDirectory: String) throws(BenchmarkError) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw .missingTool(binary, hint: "build it with `swift build -c release --product stitch-sandbox`")
        }
        self.dataDirectory = dataDirectory
        // A fresh random token per run: the Connect API needs one, and nothing else ever sees it.
        connectToken = "ac_bench" + (0..<32).map { _ in String(Int.random(in: 0...9)) }.joined()
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--host", "127.0.0.1", "--port", "0", "--data", dataDirectory]
        var environment = ProcessInfo.processInfo.environment
        // Through the environment, not argv: other users can read a command line.
        environment["STITCH_SANDBOX_CONNECT_TOKEN"] = connectToken
        environment.removeValue(forKey: "STITCH_SANDBOX_DESTINATION")
        process.environment = environment
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let output = self.output, errors = self.errors
        outPipe.fileHandleForReading.readabilityHandler = { output.append($0.availableData) }
        errPipe.fileHandleForReading.readabilityHandler = { errors.append($0.availableData) }
        do {
            try process.run()
        } catch {
            throw .commandFailed(binary, status: -1, output: "\(error)")
        }
    }

    /// The URL from the "listening on" line the sandbox prints once it accepts connections.
    func baseURL(timeout: Duration = .seconds(30)) async throws -> String {
        let prefix = "Stitch sandbox listening on "
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let line = output.text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            guard process.isRunning else {
                throw BenchmarkError.commandFailed("stitch-sandbox", status: process.terminationStatus, output: errors.text)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchmarkError.commandFailed("stitch-sandbox", status: -1, output: "did not print its URL within \(timeout)")
    }

    /// For reading the sandbox's CPU time from /proc while a client runs.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Files holding accepted batches still waiting to load: the inbox log's segments (`.log`), each
    /// kept until every batch in it is loaded, and batch files of the format before the log (`.batch`).
    var pendingBatches: Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/inbox")) ?? []
        return names.filter { $0.hasSuffix(".log") || $0.hasSuffix(".batch") }.count
    }

    /// Waits until every accepted batch has loaded, so one phase's loading does not run into the next.
    func waitUntilLoaded(timeout: Duration = .seconds(600)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while pendingBatches > 0 {
            guard clock.now < deadline else {
                throw BenchmarkError.commandFailed("stitch-sandbox", status: -1, output: "batches still unloaded after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let failed = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/failed")) ?? []
        if let reason = failed.first(where: { $0.hasSuffix(".error") }) {
            let text = (try? String(contentsOfFile: dataDirectory + "/failed/" + reason, encoding: .utf8)) ?? reason
            throw BenchmarkError.commandFailed("stitch-sandbox", status: -1, output: "a batch failed to load: \(text)")
        }
    }

    /// SIGTERM (a graceful stop), then waits for the process to exit.
    func stop() async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while process.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Text a pipe handler appends on its own thread while the benchmark reads it.
///
/// `@unchecked Sendable`: `storage` is only touched while `lock` is held.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = Data()

    func append(_ chunk: Data) {
        lock.lock()
        storage.append(chunk)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: storage, as: UTF8.self)
    }
}
