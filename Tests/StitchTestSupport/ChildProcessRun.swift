import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// Runs `executable` to its end with both output streams captured, blocking this thread.
    ///
    /// With a `timeout`, a child still running at the deadline is killed (SIGKILL) and the call
    /// throws with what it had printed to standard error, so a hung child cannot hang the suite.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           standardInput: String = "/dev/null", timeout: Duration? = nil)
        throws(ChildProcessFailure) -> CommandOutcome
    {
        let capture = CapturedOutput()
        defer { capture.remove() }
        let child = try spawn(executable, arguments, environment: environment, standardInput: standardInput,
                              standardOutput: capture.outputPath, standardError: capture.errorPath)
        guard let timeout else { return capture.outcome(ChildExitStatus(raw: child.waitBlocking())) }
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = child.poll() { return capture.outcome(ChildExitStatus(raw: status)) }
            if ContinuousClock.now >= deadline {
                throw child.killed(executable, arguments, after: timeout, capture)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The same from async code, without holding a thread while the child runs: the cooperative
    /// pool has as many threads as cores, and an in-process sandbox may need them to answer it.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           standardInput: String = "/dev/null", timeout: Duration? = nil)
        async throws(ChildProcessFailure) -> CommandOutcome
    {
        let capture = CapturedOutput()
        defer { capture.remove() }
        let child = try spawn(executable, arguments, environment: environment, standardInput: standardInput,
                              standardOutput: capture.outputPath, standardError: capture.errorPath)
        guard let timeout else { return capture.outcome(ChildExitStatus(raw: await child.wait())) }
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = child.poll() { return capture.outcome(ChildExitStatus(raw: status)) }
            if ContinuousClock.now >= deadline {
                throw child.killed(executable, arguments, after: timeout, capture)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func killed(_ executable: String, _ arguments: [String], after timeout: Duration,
                        _ capture: CapturedOutput) -> ChildProcessFailure {
        signal(SIGKILL)
        _ = waitBlocking()
        return ChildProcessFailure("""
            \(executable) \(arguments.joined(separator: " ")) was still running after \(timeout) and was killed. \
            Its standard error:
            \(capture.read(capture.errorPath))
            """)
    }
}

/// Two temporary files that a child's standard output and error go to: files, not pipes, so
/// nothing has to read them while the child runs.
private struct CapturedOutput {
    let outputPath: String
    let errorPath: String

    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-child-\(UUID().uuidString)").path
        outputPath = base + ".out"
        errorPath = base + ".err"
    }

    func read(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func outcome(_ status: ChildExitStatus) -> CommandOutcome {
        CommandOutcome(status: status, standardOutput: read(outputPath), standardError: read(errorPath))
    }

    func remove() {
        unlink(outputPath)
        unlink(errorPath)
    }
}
