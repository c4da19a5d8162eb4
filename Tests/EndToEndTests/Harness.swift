import Foundation
import Testing

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
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                             + String(decoding: errorData, as: UTF8.self))
    }
    return String(decoding: data, as: UTF8.self)
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

    func kill() {
        _ = try? run(tmux, ["-L", socket, "kill-server"])
    }

    deinit { kill() }
}

/// A `stitch-sandbox` process on a free loopback port, with its own data directory.
final class SandboxProcess {
    let process = Process()
    let dataDirectory: URL
    private(set) var baseURL = ""
    private(set) var connectToken = ""
    private let output = Pipe()

    init(dataDirectory: URL, connectToken: String) throws {
        self.dataDirectory = dataDirectory
        process.executableURL = URL(fileURLWithPath: Products.path("stitch-sandbox"))
        process.arguments = ["--port", "0", "--data", dataDirectory.path]
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_SANDBOX_CONNECT_TOKEN"] = connectToken
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.connectToken = connectToken
        var printed = ""
        let handle = output.fileHandleForReading
        try eventually(timeout: .seconds(30), "the sandbox to print its URL") {
            let chunk = handle.availableData
            if chunk.isEmpty { return !process.isRunning }
            printed += String(decoding: chunk, as: UTF8.self)
            return printed.contains("http://")
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

    deinit { stop() }
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
