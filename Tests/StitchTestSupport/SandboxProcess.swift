import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// The real `stitch-sandbox` binary in a child process of its own, started with `ChildProcess`
/// (posix_spawn), its standard output and error going to files. Shared by StitchSandboxTests and
/// EndToEndTests. (stitch-benchmark keeps its own launcher: an executable cannot depend on this
/// test-support target.)
///
/// It is stopped when it goes away: SIGTERM, then SIGKILL if it has not exited within 20 s.
public final class SandboxProcess: Sendable {
    public let child: ChildProcess
    public let connectToken: String
    private let outputPath: String
    private let errorPath: String
    private let removesErrorFile: Bool
    /// Set once the child has been reaped: after that, `waitpid` knows nothing of it.
    private let ended = NIOLockedValueBox<ChildExitStatus?>(nil)
    private let listening = NIOLockedValueBox<String?>(nil)

    public static let binaryName = "stitch-sandbox"

    /// Starts `stitch-sandbox` with `arguments`; the Connect token goes through the environment
    /// (`STITCH_SANDBOX_CONNECT_TOKEN`), never argv.
    ///
    /// - Parameters:
    ///   - environment: added to this process's environment.
    ///   - standardError: a file for the sandbox's log (created or truncated, kept); a temporary
    ///     one, removed with this object, when nil.
    ///   - openFiles: an open-file limit (`ulimit -n`) to start it under, through `/bin/sh`.
    public init(arguments: [String], connectToken: String, environment: [String: String] = [:],
                standardError: String? = nil, openFiles: Int? = nil) throws(ChildProcessFailure)
    {
        let binary = BuiltProducts.path(Self.binaryName)
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ChildProcessFailure("stitch-sandbox is not built (looked for \(binary))")
        }
        self.connectToken = connectToken
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-sandbox-\(UUID().uuidString)").path
        outputPath = base + ".out"
        errorPath = standardError ?? base + ".err"
        removesErrorFile = standardError == nil
        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        variables["STITCH_SANDBOX_CONNECT_TOKEN"] = connectToken
        if let openFiles {
            child = try ChildProcess.spawn("/bin/sh", ["-c", "ulimit -n \(openFiles) && exec \"$0\" \"$@\"", binary] + arguments,
                                           environment: variables, standardOutput: outputPath, standardError: errorPath)
        } else {
            child = try ChildProcess.spawn(binary, arguments, environment: variables,
                                           standardOutput: outputPath, standardError: errorPath)
        }
    }

    deinit {
        stop()
        unlink(outputPath)
        if removesErrorFile { unlink(errorPath) }
    }

    public var pid: pid_t { child.pid }
    public var standardOutput: String { Self.contents(of: outputPath) }
    public var standardError: String { Self.contents(of: errorPath) }

    /// How it ended, once it has; nil while it runs.
    public var exitStatus: ChildExitStatus? {
        ended.withLockedValue { ended in
            if ended == nil, let status = child.poll() { ended = ChildExitStatus(raw: status) }
            return ended
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Sends `signal` while it runs (never to a pid that may since have been reused).
    public func signal(_ signal: Int32) {
        if isRunning { child.signal(signal) }
    }

    /// The base URL it listens on (`http://127.0.0.1:PORT`), once `waitUntilListening` has seen it; "" before.
    public var baseURL: String { listening.withLockedValue { $0 } ?? "" }

    /// Waits for the "listening on" line and returns its base URL; throws if it exits first.
    @discardableResult
    public func waitUntilListening(timeout: Duration = .seconds(60)) async throws(ChildProcessFailure) -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let url = try printedBaseURL() { return url }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessFailure("stitch-sandbox printed no base URL in \(timeout); stdout: \(standardOutput) stderr: \(standardError)")
    }

    /// The same, blocking this thread (for synchronous tests).
    @discardableResult
    public func waitUntilListeningBlocking(timeout: Duration = .seconds(60)) throws(ChildProcessFailure) -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let url = try printedBaseURL() { return url }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ChildProcessFailure("stitch-sandbox printed no base URL in \(timeout); stdout: \(standardOutput) stderr: \(standardError)")
    }

    private func printedBaseURL() throws(ChildProcessFailure) -> String? {
        let prefix = "Stitch sandbox listening on "
        if let line = standardOutput.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
            let url = String(line.dropFirst(prefix.count))
            listening.withLockedValue { $0 = url }
            return url
        }
        if let status = exitStatus {
            throw ChildProcessFailure("stitch-sandbox exited early (\(status)): \(standardError)")
        }
        return nil
    }

    /// Waits until it has exited.
    public func waitForExit(timeout: Duration = .seconds(60)) async throws(ChildProcessFailure) -> ChildExitStatus {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessFailure("stitch-sandbox did not exit within \(timeout)")
    }

    /// The same, blocking this thread; nil if it is still running at the deadline.
    @discardableResult
    public func waitForExitBlocking(timeout: Duration = .seconds(60)) -> ChildExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return exitStatus
    }

    /// SIGTERM (a graceful stop), then SIGKILL if it is still running after `timeout`; blocks until it has exited.
    public func stop(timeout: Duration = .seconds(20)) {
        guard isRunning else { return }
        child.signal(SIGTERM)
        if waitForExitBlocking(timeout: timeout) == nil {
            child.signal(SIGKILL)
            waitForExitBlocking(timeout: .seconds(3600))
        }
    }

    private static func contents(of path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
