import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Glibc module does not export.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionsCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32

/// glibc's `pipe2`, declared only under _GNU_SOURCE: a pipe whose ends are close-on-exec from the
/// start, so no child spawned meanwhile by another test inherits them.
@_silgen_name("pipe2")
private func makePipe(_ descriptors: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// A child whose standard input and output are pipes held by the test (no terminal anywhere), as
/// in `printf '…' | command | cat`: the test writes the input, closes it when it wants the child
/// to see the end of input, and reads everything the child writes.
public final class PipedChildProcess: Sendable {
    public let process: ChildProcess
    /// The write end of the child's standard input; -1 once closed.
    private let input: Int32
    private let output: Int32
    /// Set once the input is closed: closing it twice could close a descriptor reused meanwhile.
    private let inputClosed = Mutex(false)

    /// Starts `executable` with pipes for standard input and output; standard error goes to the
    /// file at `standardError` (created, mode 0600).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                standardError: String) throws(ChildProcessFailure) {
        // A write to a child that has already exited must fail with EPIPE, not kill the test run.
        signal(SIGPIPE, SIG_IGN)
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        guard makePipe(&inputPipe, O_CLOEXEC) == 0, makePipe(&outputPipe, O_CLOEXEC) == 0 else {
            throw ChildProcessFailure("could not create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on 0 and 1; every other descriptor is closed in the child.
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = spawnActionsCloseFrom(&actions, 3)

        let (pid, spawned) = ChildProcess.posixSpawn(executable, arguments, environment: environment, &actions)
        // The child's ends belong to the child alone: otherwise it would never see end of input,
        // and the test would never see end of output.
        close(inputPipe[0])
        close(outputPipe[1])
        guard spawned == 0 else {
            close(inputPipe[1])
            close(outputPipe[0])
            throw ChildProcessFailure("could not start \(executable): \(String(cString: strerror(spawned)))")
        }
        process = ChildProcess(pid: pid)
        input = inputPipe[1]
        output = outputPipe[0]
    }

    /// Writes `text` to the child's standard input; false when it could not be written whole.
    @discardableResult
    public func write(_ text: String) -> Bool {
        guard !inputClosed.withLock({ $0 }) else { return false }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            written += count
        }
        return true
    }

    /// The child reads end of input once what was written is consumed.
    public func closeInput() {
        let wasOpen = inputClosed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if wasOpen { close(input) }
    }

    /// Everything the child writes to standard output until it closes it, and how it ended. A
    /// child still running after `timeout` is killed (SIGKILL), which closes its output, and the
    /// call throws.
    public func finish(timeout: Duration) async throws(ChildProcessFailure) -> (output: String, status: ChildExitStatus) {
        let output = output
        let reader = Task.detached { () -> [UInt8] in
            await withCheckedContinuation { continuation in
                Thread {
                    var bytes: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 65_536)
                    while true {
                        let count = buffer.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
                        if count < 0 && errno == EINTR { continue }
                        guard count > 0 else { break }
                        bytes += buffer[..<count]
                    }
                    close(output)
                    continuation.resume(returning: bytes)
                }.start()
            }
        }
        let deadline = ContinuousClock.now + timeout
        var status: Int32?
        while status == nil {
            status = process.poll()
            if status == nil && ContinuousClock.now >= deadline {
                process.signal(SIGKILL)
                _ = process.waitBlocking()
                closeInput()
                _ = await reader.value
                throw ChildProcessFailure("the child was still running after \(timeout) and was killed")
            }
            if status == nil { try? await Task.sleep(for: .milliseconds(20)) }
        }
        closeInput()
        let bytes = await reader.value
        return (String(decoding: bytes, as: UTF8.self), ChildExitStatus(raw: status ?? 0))
    }
}
