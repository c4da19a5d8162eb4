import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Glibc module does not export.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionsCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32

public struct ChildProcessFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A child started with posix_spawn, for tests that run curl, the sandbox binary, tmux….
///
/// Not Foundation's `Process`: on Linux its `run()` crashes now and then (SIGSEGV in
/// `findMaximumOpenFromProcSelfFD`, an over-read of `/proc/self/fd` entries, more likely the more
/// descriptors the test process has open — swift-corelibs-foundation PR 5472), and it watches a
/// descriptor that a forked grandchild such as a tmux server inherits, so waiting could last for
/// ever. Here the child inherits no descriptor but 0, 1 and 2, each opened from a path.
public struct ChildProcess: Sendable {
    public let pid: pid_t

    /// Starts `executable` (an absolute path) with standard input, output and error opened from
    /// the given paths (output files are created, then truncated or appended to, mode 0600); a nil
    /// `standardError` shares the test's own.
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             standardInput: String = "/dev/null", standardOutput: String = "/dev/null",
                             standardError: String? = "/dev/null", appendOutput: Bool = false)
        throws(ChildProcessFailure) -> ChildProcess
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let outputFlags = O_WRONLY | O_CREAT | (appendOutput ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, outputFlags, 0o600)
        if let standardError {
            posix_spawn_file_actions_addopen(&actions, 2, standardError, outputFlags, 0o600)
        }
        _ = spawnActionsCloseFrom(&actions, 3)

        let (pid, spawned) = posixSpawn(executable, arguments, environment: environment, &actions)
        guard spawned == 0 else {
            throw ChildProcessFailure("could not start \(executable): \(String(cString: strerror(spawned)))")
        }
        return ChildProcess(pid: pid)
    }

    /// posix_spawn with `executable` first in argv and the environment (this process's when nil)
    /// as C strings, freed again once the child has its copies. The child's pid and spawn's result.
    static func posixSpawn(_ executable: String, _ arguments: [String], environment: [String: String]?,
                           _ actions: inout posix_spawn_file_actions_t) -> (pid: pid_t, result: Int32) {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let pairs = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            pairs.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, pairs)
        return (pid, result)
    }

    /// Blocks this thread until the child ends; the raw waitpid status.
    public func waitBlocking() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }

    /// Waits on a thread of its own, so neither Swift's cooperative pool (which an in-process
    /// sandbox needs to answer the child) nor the caller's thread is held.
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let waiter = Thread { continuation.resume(returning: waitBlocking()) }
            waiter.start()
        }
    }

    /// The status if the child has ended, without waiting.
    public func poll() -> Int32? {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        return reaped == pid ? status : nil
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }
}
