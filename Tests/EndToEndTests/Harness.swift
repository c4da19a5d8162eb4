import Foundation
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The package's built executables, next to the test bundle (the name the end-to-end tests use).
typealias Products = BuiltProducts

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

/// Runs a command to completion, whatever its exit status, with standard input read from
/// `standardInput` (a file path) and both output streams captured: `ChildProcess.run`, throwing a
/// `CommandFailure`. With a `timeout`, a command still running at the deadline is killed (SIGKILL)
/// and the call throws with what it had printed to standard error, so a hung client cannot hang the suite.
func execute(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
             standardInput: String = "/dev/null", timeout: Duration? = nil) throws -> CommandOutcome {
    do {
        return try ChildProcess.run(executable, arguments, environment: environment, standardInput: standardInput,
                                    timeout: timeout)
    } catch {
        throw CommandFailure(description: error.description)
    }
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

    /// Ends the tmux server and everything its panes started; by pid as well, since a server can
    /// outlive `kill-server`, and so can what ran in a pane: the hang-up reaches the pane's shell,
    /// not always its children (a wizard that ignores or never handles SIGHUP, an interactive shell's
    /// jobs, a process stopped by SIGTSTP), and an orphan kept spinning at half a core for 20 minutes
    /// after a failed monkey run. The tree is listed before the server goes (then it still has parents).
    func kill() {
        let serverPID = (try? display("#{pid}")).flatMap { Int32($0) }
        let panes = ((try? run(tmux, ["-L", socket, "list-panes", "-a", "-F", "#{pane_pid}"])) ?? "")
            .split(separator: "\n").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        let tree = ProcessTree.descendants(of: panes)
        _ = try? run(tmux, ["-L", socket, "kill-server"])
        if let serverPID { Glibc.kill(serverPID, SIGKILL) }
        for pid in tree { Glibc.kill(pid, SIGKILL) }
    }

    deinit { kill() }
}

/// Processes by /proc, for test clean-up.
enum ProcessTree {
    /// `roots` and every process below them (by parent), plus every process in the sessions the
    /// roots lead (a pane's shell is its session's leader; a child it lost to init stays in it).
    static func descendants(of roots: [Int32]) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        var sessions: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After the command name: state, ppid, pgrp, session.
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 3, let parent = Int32(fields[1]), let session = Int32(fields[3]) else { continue }
            parents[pid] = parent
            sessions[pid] = session
        }
        var found = Set(roots.filter { $0 > 1 })
        var changed = true
        while changed {
            changed = false
            for (pid, parent) in parents where !found.contains(pid) {
                if found.contains(parent) || sessions[pid].map({ roots.contains($0) && $0 > 1 }) == true {
                    found.insert(pid)
                    changed = true
                }
            }
        }
        return found.sorted()
    }
}

extension SandboxProcess {
    /// `stitch-sandbox` on a free loopback port with its own data directory, listening (its base
    /// URL printed) by the time it is returned.
    ///
    /// With a `logFile`, the sandbox runs with `--verbose` and writes its log (standard error) there.
    /// `arguments` come last, so `["--port", "8787"]` overrides the free port.
    convenience init(dataDirectory: URL, connectToken: String, logFile: URL? = nil, arguments: [String] = []) throws {
        try self.init(arguments: ["--port", "0", "--data", dataDirectory.path] + (logFile == nil ? [] : ["--verbose"]) + arguments,
                      connectToken: connectToken, standardError: logFile?.path)
        try waitUntilListeningBlocking(timeout: .seconds(30))
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
