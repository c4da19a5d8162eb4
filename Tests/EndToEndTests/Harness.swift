import Foundation
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Finds the package's built executables: next to the test bundle, as `swift test` builds them.
enum Products {
    static var directory: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: bundle.appendingPathComponent("stitch-wizard").path) { return bundle }
        for candidate in [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("stitch-wizard").path) {
            return candidate
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs a command to completion and returns its standard output.
///
/// Spawned as a `ChildProcess` (posix_spawn), not with Foundation's `Process`: `tmux new-session`
/// forks a server that would inherit the descriptor `Process` watches, and wait for ever.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let outcome = try execute(executable, arguments, environment: environment)
    guard outcome.succeeded else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) failed (status \(outcome.status)): \(outcome.standardError)")
    }
    return outcome.standardOutput
}

/// How a command that `execute` ran ended, and what it printed.
struct CommandOutcome {
    /// The raw status from waitpid.
    var status: Int32
    var standardOutput: String
    var standardError: String

    // WIFEXITED and WEXITSTATUS, spelled out: the C macros do not import into Swift.
    var exitedNormally: Bool { status & 0x7f == 0 }
    var exitCode: Int32 { (status >> 8) & 0xff }
    var succeeded: Bool { exitedNormally && exitCode == 0 }
    /// "exit code 1" or "signal 9", for failure messages.
    var endDescription: String { exitedNormally ? "exit code \(exitCode)" : "signal \(status & 0x7f)" }
}

/// Runs a command to completion, whatever its exit status, with standard input read from
/// `standardInput` (a file path) and both output streams captured.
///
/// With a `timeout`, a command still running at the deadline is killed (SIGKILL) and the call
/// throws with what it had printed to standard error, so a hung client cannot hang the suite.
func execute(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
             standardInput: String = "/dev/null", timeout: Duration? = nil) throws -> CommandOutcome {
    let directory = FileManager.default.temporaryDirectory
    let outputPath = directory.appendingPathComponent("stitch-e2e-out-\(UUID().uuidString)").path
    let errorPath = directory.appendingPathComponent("stitch-e2e-err-\(UUID().uuidString)").path
    defer {
        unlink(outputPath)
        unlink(errorPath)
    }
    let child: ChildProcess
    do {
        child = try ChildProcess.spawn(executable, arguments, environment: environment, standardInput: standardInput,
                                       standardOutput: outputPath, standardError: errorPath)
    } catch {
        throw CommandFailure(description: error.description)
    }
    var status: Int32 = 0
    if let timeout {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let ended = child.poll() {
                status = ended
                break
            }
            if ContinuousClock.now >= deadline {
                child.signal(SIGKILL)
                _ = child.waitBlocking()
                let complaint = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
                throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) was still running after \(timeout) and was killed. Its standard error:\n\(complaint)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    } else {
        status = child.waitBlocking()
    }
    return CommandOutcome(status: status,
                          standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                          standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
}

/// Waits for a condition by polling, never by sleeping a fixed time.
func eventually(timeout: Duration = .seconds(20), _ what: String, _ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: 0.05)
    }
    throw CommandFailure(description: "timed out waiting for \(what)")
}

/// A private tmux server (own socket) holding one detached session of a fixed size.
final class TmuxSession {
    let socket: String
    let name = "e2e"
    private let tmux = "/usr/bin/tmux"

    init(command: String, columns: Int = 80, rows: Int = 24) throws {
        socket = "stitch-e2e-\(UUID().uuidString.prefix(8))"
        // remain-on-exit keeps the last frame and lets the test read the exit status.
        try run(tmux, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)",
                       command, ";", "set-option", "-t", name, "remain-on-exit", "on"])
    }

    func screen() throws -> String {
        try run(tmux, ["-L", socket, "capture-pane", "-p", "-t", name])
    }

    func send(_ keys: String...) throws {
        try run(tmux, ["-L", socket, "send-keys", "-t", name] + keys)
    }

    func sendLiteral(_ text: String) throws {
        try run(tmux, ["-L", socket, "send-keys", "-t", name, "-l", text])
    }

    /// Sends raw bytes given as hex ("1b 5b 49"), as a terminal would write them: escape
    /// sequences tmux itself has no key name for.
    func sendBytes(_ hex: String) throws {
        try run(tmux, ["-L", socket, "send-keys", "-t", name, "-H"] + hex.split(separator: " ").map(String.init))
    }

    /// Resizes the window and types `text` in one tmux call, so the keys arrive right behind the
    /// resize (before the program has handled it).
    func resize(columns: Int, rows: Int, thenType text: String) throws {
        try run(tmux, ["-L", socket, "resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)", ";",
                       "send-keys", "-t", name, "-l", text])
    }

    /// Resizes the window, which sends SIGWINCH to the program in it.
    func resize(columns: Int, rows: Int) throws {
        try run(tmux, ["-L", socket, "resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    func display(_ format: String) throws -> String {
        try run(tmux, ["-L", socket, "display-message", "-p", "-t", name, format])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the pane until it shows `text`; the failure message holds the last screen.
    func waitFor(_ text: String, timeout: Duration = .seconds(30)) throws {
        var last = ""
        do {
            try eventually(timeout: timeout, "“\(text)” on screen") {
                last = try screen()
                return last.contains(text)
            }
        } catch {
            throw CommandFailure(description: "“\(text)” never appeared. Last screen:\n\(last)")
        }
    }

    /// Ends the tmux server; by pid as well, since a server can outlive `kill-server`.
    func kill() {
        let serverPID = (try? display("#{pid}")).flatMap { Int32($0) }
        _ = try? run(tmux, ["-L", socket, "kill-server"])
        if let serverPID { Glibc.kill(serverPID, SIGKILL) }
    }

    deinit { kill() }
}

/// A `stitch-sandbox` process on a free loopback port, with its own data directory.
final class SandboxProcess {
    let process = Process()
    let dataDirectory: URL
    private(set) var baseURL = ""
    private(set) var connectToken = ""
    private let outputPath: String

    /// With a `logFile`, the sandbox runs with `--verbose` and writes its log (standard error) there.
    /// `arguments` come last, so `["--port", "8787"]` overrides the free port.
    init(dataDirectory: URL, connectToken: String, logFile: URL? = nil, arguments: [String] = []) throws {
        self.dataDirectory = dataDirectory
        process.executableURL = URL(fileURLWithPath: Products.path("stitch-sandbox"))
        process.arguments = ["--port", "0", "--data", dataDirectory.path] + (logFile == nil ? [] : ["--verbose"]) + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_SANDBOX_CONNECT_TOKEN"] = connectToken
        process.environment = environment
        // A file, not a pipe: polling it can time out, where a pipe's `availableData` blocks until
        // the sandbox prints or exits.
        outputPath = dataDirectory.path + ".stdout"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw CommandFailure(description: "cannot create \(outputPath)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        process.standardOutput = output
        if let logFile {
            guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
                throw CommandFailure(description: "cannot create the sandbox log \(logFile.path)")
            }
            process.standardError = try FileHandle(forWritingTo: logFile)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        self.connectToken = connectToken
        var printed = ""
        let outputPath = self.outputPath
        try eventually(timeout: .seconds(30), "the sandbox to print its URL") {
            printed = FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return printed.contains("http://") || !process.isRunning
        }
        guard let range = printed.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            throw CommandFailure(description: "stitch-sandbox printed no base URL: \(printed)")
        }
        baseURL = String(printed[range])
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}

func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Reads the destination with the sqlite3 CLI, as a person checking the data would.
func query(_ database: URL, _ sql: String) throws -> String {
    try run("/usr/bin/sqlite3", [database.path, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
}
