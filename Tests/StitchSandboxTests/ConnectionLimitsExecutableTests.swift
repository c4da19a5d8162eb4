import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

private let connectToken = "ac_" + String(repeating: "0", count: 39) + "7"
private let python3 = "/usr/bin/python3"

/// Issue 10 against the real `stitch-sandbox` binary: what needs a process of its own (its CPU
/// time, its open-file limit, its umask) or a real client (Python's urllib).
@Suite("stitch-sandbox executable: connection limits and private files", .enabled(if: SandboxBinary.isAvailable),
       .serialized)
struct ConnectionLimitsExecutableTests {
    @Test("A flood of idle connections past the open-file limit: no spinning, refusals, and service once they time out")
    func floodUnderALowOpenFileLimit() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 128 descriptors: before the limits, accept() met EMFILE and NIO retried it in a tight loop.
        let sandbox = try SandboxProcess(arguments: ["--port", "0", "--data", directory, "--header-timeout", "2"],
                                         connectToken: connectToken, openFiles: 128)
        let base = try await sandbox.waitUntilListening()
        let port = try #require(Int(base.split(separator: ":").last ?? ""))
        let pid = sandbox.pid

        let opened = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let flood = Thread {
            // Connections are made until one cannot be (the listen backlog is full); all stay silent.
            var connections: [TCPConnection] = []
            while connections.count < 200, let connection = try? TCPConnection(port: port, timeoutSeconds: 1) {
                connections.append(connection)
            }
            opened.signal()
            release.wait()
            connections.removeAll()
        }
        flood.start()
        defer { release.signal() }
        await withCheckedContinuation { continuation in
            Thread { opened.wait(); continuation.resume() }.start()
        }

        let ticks = try #require(Self.cpuTicks(of: pid))
        try await Task.sleep(for: .seconds(1))
        let spent = try #require(Self.cpuTicks(of: pid)) - ticks
        let hertz = Int(sysconf(Int32(_SC_CLK_TCK)))
        print("flood of idle connections: the sandbox used \(spent) of \(hertz) CPU ticks in a second")
        #expect(spent * 4 < hertz, "the sandbox used \(spent) of \(hertz) CPU ticks in a second while idle connections waited")

        // The sandbox still answers: refusals (503) at first, then the status once idle ones are cut.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        var statuses: [Int] = []
        while clock.now < deadline, statuses.last != 200 {
            let reply = try? await curl([base + "/v2/import/status", "--max-time", "3"])
            statuses.append(reply?.status ?? 0)
            if statuses.last != 200 { try await Task.sleep(for: .milliseconds(300)) }
        }
        #expect(statuses.last == 200, "statuses seen: \(statuses)")
        #expect(sandbox.isRunning, "stderr: \(sandbox.standardError)")
    }

    @Test("Python's urllib, which sends the whole body before reading, reads the 413",
          .enabled(if: FileManager.default.isExecutableFile(atPath: python3)))
    func urllibReadsTheTooLargeReply() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sandbox = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: connectToken)
        defer { sandbox.signal(SIGKILL) }
        let base = try await sandbox.waitUntilListening()
        let script = """
            import sys, urllib.request, urllib.error
            body = b" " * (21 * 1024 * 1024)
            request = urllib.request.Request(sys.argv[1] + "/v2/import/batch", data=body, method="POST",
                headers={"Content-Type": "application/json", "Authorization": "Bearer at_not_a_real_token"})
            try:
                urllib.request.urlopen(request, timeout=10)
                print("no error")
            except urllib.error.HTTPError as error:
                print(error.code, error.headers.get("Content-Type"), error.read().decode())
            """
        let output = try await Self.run(python3, ["-c", script, base])
        #expect(output == "413 application/json {\"status\":\"ERROR\",\"message\":\"Request rejected: request size (\(21 * 1024 * 1024) bytes) exceeds the maximum\"}\n",
                "\(output)")
    }

    @Test("The data directory and its subdirectories are 0700, every file in them 0600, an old 0755 one included")
    func dataFilesArePrivate() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // As an older sandbox left it: world-readable.
        chmod(directory, 0o755)
        try FileManager.default.createDirectory(atPath: directory + "/inbox", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        FileManager.default.createFile(atPath: directory + "/connect-token", contents: Data((connectToken + "\n").utf8),
                                       attributes: [.posixPermissions: 0o644])
        let sandbox = try SandboxProcess(arguments: ["--port", "0", "--data", directory], connectToken: connectToken)
        defer { sandbox.signal(SIGKILL) }
        let base = try await sandbox.waitUntilListening()
        let token = try await makeImportSource(base: base, connectToken: connectToken).token
        #expect(try await request("POST", base + "/v2/import/batch", token: token, body: customersBatch).status == 201)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while customerRow(id: "1", dataDirectory: directory) == nil, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(customerRow(id: "1", dataDirectory: directory) != nil, "the batch was not loaded")

        var modes: [String: mode_t] = [:]
        func collect(_ path: String, name: String) {
            var status = stat()
            guard lstat(path, &status) == 0 else { return }
            modes[name] = status.st_mode & 0o7777
            guard status.st_mode & S_IFMT == S_IFDIR else { return }
            for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                collect(path + "/" + child, name: name + "/" + child)
            }
        }
        collect(directory, name: ".")
        #expect(modes.keys.contains { $0.hasSuffix(".sqlite") }, "\(modes.keys.sorted())")
        #expect(modes.keys.contains("./loads.json"), "\(modes.keys.sorted())")
        for (name, mode) in modes.sorted(by: { $0.key < $1.key }) {
            var status = stat()
            lstat(directory + "/" + name, &status)
            let expected: mode_t = status.st_mode & S_IFMT == S_IFDIR ? 0o700 : 0o600
            #expect(mode == expected, "\(name) has mode \(String(mode, radix: 8))")
        }
    }

    // MARK: Helpers

    /// User plus system CPU time of a process, in clock ticks.
    static func cpuTicks(of pid: pid_t) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name; utime and stime are the 14th and 15th of the whole line.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Runs a program to its end and returns its standard output.
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await ChildProcess.run(executable, arguments, timeout: .seconds(120)).standardOutput
    }
}
