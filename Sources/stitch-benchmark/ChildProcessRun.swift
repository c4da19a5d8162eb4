import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One run of a client program, measured by the kernel: wall time, CPU time (user and system,
/// from `wait4`'s rusage) and peak resident memory.
struct ChildProcessRun: Sendable {
    var status: Int32
    var wallTime: Duration
    var userSeconds: Double
    var systemSeconds: Double
    /// The largest resident set the process had (VmHWM, sampled every 5 ms).
    var peakResidentBytes: Int
    var standardOutput: String
    var standardError: String

    var cpuSeconds: Double { userSeconds + systemSeconds }
    var succeeded: Bool { status == 0 }

    /// Runs `executable` with standard input from `standardInput` (a path), on a thread of its own
    /// (waiting blocks), and returns when it exits.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    standardInput: String = "/dev/null") async throws(BenchmarkError) -> ChildProcessRun {
        let scratch = FileManager.default.temporaryDirectory
        let outputPath = scratch.appendingPathComponent("stitch-benchmark-child-\(UUID().uuidString).out").path
        let errorPath = scratch.appendingPathComponent("stitch-benchmark-child-\(UUID().uuidString).err").path
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        let outcome: Result<ChildProcessRun, BenchmarkError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: spawnAndWait(executable, arguments, environment: environment,
                                                            standardInput: standardInput, outputPath: outputPath,
                                                            errorPath: errorPath))
            }
            thread.start()
        }
        return try outcome.get()
    }

    private static func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String],
                                     standardInput: String, outputPath: String, errorPath: String)
        -> Result<ChildProcessRun, BenchmarkError>
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environmentPairs = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environmentPairs.forEach { free($0) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environmentPairs)
        guard spawned == 0 else {
            return .failure(.commandFailed(executable, status: -1, output: String(cString: strerror(spawned))))
        }
        // ru_maxrss cannot be used: Linux carries the spawning process's own peak across exec, so
        // every child would report this benchmark's size. VmHWM belongs to the child's own memory
        // map; it only grows, so sampling it until the exit misses at most the last few milliseconds.
        var status: Int32 = 0
        var usage = rusage()
        var peak = 0
        while true {
            peak = max(peak, residentHighWaterMark(of: pid) ?? 0)
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid || (reaped == -1 && errno != EINTR) { break }
            usleep(5_000)
        }
        let wall = clock.now - start
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .success(ChildProcessRun(
            status: exit, wallTime: wall, userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime),
            peakResidentBytes: peak,
            standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""))
    }
}

/// `VmHWM` of a running process, in bytes.
func residentHighWaterMark(of pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kilobytes * 1024
}

/// CPU time a running process has used so far, from /proc (Linux), to say how much of a run's
/// wall time the sandbox spent working.
enum ProcessCPU {
    static func seconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
