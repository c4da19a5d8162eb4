import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A POST sent over a plain TCP connection in two parts: the head and the first `prefix` bytes
/// of the body at once, the rest only after `finish()`. While it is held, the server has a
/// request in flight that it cannot complete, which is how a slow client looks to it.
///
/// Blocking socket calls run on the upload's own thread, never on the cooperative pool.
final class HeldUpload: Sendable {
    private let gate = DispatchSemaphore(value: 0)
    private let started = DispatchSemaphore(value: 0)
    private let outcome = LockedResult()

    /// Connects and sends the first part; returns once that part is written.
    init(port: Int, path: String, token: String, body: [UInt8], prefix: Int, timeoutSeconds: Int = 300) {
        let gate = self.gate
        let started = self.started
        let outcome = self.outcome
        let thread = Thread {
            let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            let split = min(prefix, body.count)
            let connection: TCPConnection
            do {
                connection = try TCPConnection(port: port, timeoutSeconds: timeoutSeconds)
                try connection.send(Array(head.utf8) + body[..<split])
            } catch {
                outcome.set(.failure(error))
                started.signal()
                return
            }
            started.signal()
            gate.wait()
            outcome.set(Result {
                try connection.send(Array(body[split...]))
                return try connection.readReply()
            })
        }
        thread.stackSize = 1 << 20
        thread.start()
        started.wait()
    }

    /// Sends the rest of the body and waits for the reply.
    func finish() async throws -> RawReply {
        gate.signal()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.whenSet { continuation.resume(with: $0) }
        }
    }
}

/// A result set once by one thread and awaited by another.
///
/// `@unchecked Sendable`: `result` and `waiter` are only touched under `lock`.
private final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<RawReply, any Error>?
    private var waiter: ((Result<RawReply, any Error>) -> Void)?

    func set(_ value: Result<RawReply, any Error>) {
        lock.lock()
        result = value
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?(value)
    }

    func whenSet(_ body: @escaping (Result<RawReply, any Error>) -> Void) {
        lock.lock()
        if let result {
            lock.unlock()
            body(result)
        } else {
            waiter = body
            lock.unlock()
        }
    }
}
