import Foundation
import StitchAPI
import StitchSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, items 2, 3, 8 and 9: no client can stall the sandbox. Each test talks to an
/// in-process sandbox over real sockets, with short limits so that every deadline is reached in
/// seconds.
@Suite("Connection limits: deadlines, budget waits, refusals, lingering close, JSON 400s")
struct ConnectionLimitsTests {
    // MARK: Item 2: stalled and slow requests

    @Test("Stalled uploads: a batch waiting for their budget gets a prompt 503, the stalled ones a 408, and the budget comes back")
    func stalledUploadsReleaseTheirBudget() async throws {
        // The stalled bodies are cut after 8 s; the waiting batch must not wait that long.
        let limits = ConnectionLimits(bodyProgressTimeout: .seconds(8), bodyBudgetPatience: .seconds(1))
        try await withLimitedSandbox(limits) { sandbox in
            let port = sandbox.port
            let token = try await makeImportSource(sandbox).token
            let body = ConcurrentUploadTests.bigBody(client: 0, size: 10_000_000)
            let outcome = try await onThread { () throws -> (busy: RawReply, waited: Duration, stalled: [RawReply], after: RawReply) in
                // Three connections announce 20 MB and send nothing: the budget of three big bodies.
                let stalled = try (0..<3).map { _ in try TCPConnection(port: port, timeoutSeconds: 20) }
                for connection in stalled {
                    try connection.send(Array((batchRequestHead(port: port, token: token, length: 20_000_000) + "\r\n\r\n").utf8))
                }
                Thread.sleep(forTimeInterval: 0.3)
                // A 10 MB batch cannot fit beside them.
                let clock = ContinuousClock()
                let start = clock.now
                let busy = try exchange(port: port, head: batchRequestHead(port: port, token: token, length: body.count),
                                        body: body, timeoutSeconds: 20)
                let waited = clock.now - start
                let stalledReplies = try stalled.map { try $0.readReply() }
                // 10 MB again, with an unknown token: read in full (so its budget was granted) and
                // refused without being parsed, which keeps the test quick on a busy machine.
                let after = try exchange(port: port, head: batchRequestHead(port: port, token: "at_unknown", length: body.count),
                                         body: body, timeoutSeconds: 20)
                return (busy, waited, stalledReplies, after)
            }
            expectErrorJSON(outcome.busy, 503, "The server is busy receiving other batches; retry later.")
            #expect(outcome.busy.headers["retry-after"] != nil)
            #expect(outcome.waited < .seconds(6), "the 503 took \(outcome.waited)")
            for reply in outcome.stalled {
                expectErrorJSON(reply, 408, "The request body did not arrive in time.")
            }
            #expect(outcome.after.status == 401 && outcome.after.body == #"{"message":"Not Authorized"}"#,
                    "\(outcome.after.status) \(outcome.after.body)")
        }
    }

    @Test("A body that trickles in (a byte a second) is cut with a 408")
    func slowBodyIsCut() async throws {
        let limits = ConnectionLimits(bodyProgressTimeout: .milliseconds(1500))
        try await withLimitedSandbox(limits) { sandbox in
            let port = sandbox.port
            let token = try await makeImportSource(sandbox).token
            let reply = try await onThread { () throws -> RawReply? in
                let connection = try TCPConnection(port: port, timeoutSeconds: 1)
                try connection.send(Array((batchRequestHead(port: port, token: token, length: 1000) + "\r\n\r\n").utf8))
                var received: [UInt8] = []
                for _ in 0..<8 {
                    try? connection.send([UInt8(ascii: " ")])
                    guard let bytes = try connection.receiveSome() else { continue }
                    received += bytes
                    if let reply = parseReply(received) { return reply }
                    if bytes.isEmpty { break }
                }
                return nil
            }
            let cut = try #require(reply, "the slow body was never cut")
            expectErrorJSON(cut, 408, "The request body did not arrive in time.")
        }
    }

    @Test("A request head that trickles in is cut; so is a kept-alive connection left idle")
    func slowHeadAndIdleConnectionsAreClosed() async throws {
        let limits = ConnectionLimits(requestHeadTimeout: .milliseconds(1500), idleTimeout: .milliseconds(1500))
        try await withLimitedSandbox(limits) { sandbox in
            let port = sandbox.port
            let (slowHeadClosed, idleClosed) = try await onThread { () throws -> (Bool, Bool) in
                let slow = try TCPConnection(port: port, timeoutSeconds: 1)
                var slowClosed = false
                for byte in "GET /v2/import/status HTTP/1.1\r\nX-Slow: abcdef".utf8 {
                    try? slow.send([byte])
                    if (try? slow.receiveSome()) == [] {
                        slowClosed = true
                        break
                    }
                }
                // A 404 needs nothing but the router, so it is quick however busy the machine is.
                let idle = try TCPConnection(port: port, timeoutSeconds: 10)
                try idle.send(Array("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                guard try idle.readReply().status == 404 else { return (slowClosed, false) }
                // Closed after 1.5 s idle: end of file well before the 10 s receive timeout.
                let idleClosed = (try? idle.receiveSome()) == []
                return (slowClosed, idleClosed)
            }
            #expect(slowHeadClosed, "a head sent a byte a second was never cut")
            #expect(idleClosed, "an idle kept-alive connection was never closed")
        }
    }

    @Test("A body in a million one-byte chunks is refused early, not decoded chunk by chunk for seconds (findings F9)")
    func bodyInTinyChunksIsRefused() async throws {
        try await withLimitedSandbox(ConnectionLimits()) { sandbox in
            let port = sandbox.port
            let (took, received) = try await onThread { () throws -> (Duration, [UInt8]) in
                let clock = ContinuousClock()
                let connection = try TCPConnection(port: port, timeoutSeconds: 20)
                let head = "POST /v2/import/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer at_unknown\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                var bytes = Array(head.utf8)
                for _ in 0..<1_000_000 { bytes += [0x31, 0x0d, 0x0a, 0x20, 0x0d, 0x0a] }  // "1\r\n \r\n"
                bytes += Array("0\r\n\r\n".utf8)
                let start = clock.now
                // The server may close before all of it is sent; what matters is how soon.
                try? connection.send(bytes)
                var received: [UInt8] = []
                while let more = try? connection.receiveSome(), !more.isEmpty { received += more }
                return (clock.now - start, received)
            }
            #expect(took < .seconds(4), "the server spent \(took) on one-byte chunks")
            // The reply may be lost to the reset that closing on unread bytes causes; if it arrived, it says why.
            if let reply = parseReply(received) {
                expectErrorJSON(reply, 400, "Bad request: the body arrives in too many tiny pieces; send it in larger chunks.")
            }
            #expect(try await request("GET", sandbox.baseURL + "/v2/import/status").status == 200)
        }
    }

    // MARK: Item 3: connection limit

    @Test("Over the connection limit, new connections get a prompt 503; a batch goes through once idle ones time out")
    func connectionsOverTheLimitAreRefused() async throws {
        // Idle connections are cut after 6 s; the refusals must come well before.
        let limits = ConnectionLimits(requestHeadTimeout: .seconds(6), maximumConnections: 20)
        try await withLimitedSandbox(limits) { sandbox in
            let port = sandbox.port
            let token = try await makeImportSource(sandbox).token
            let head = batchRequestHead(port: port, token: token, length: customersBatch.utf8.count)
            let outcome = try await onThread {
                () throws -> (first: RawReply, firstTook: Duration, refused: [RawReply], silent: Int, later: RawReply?) in
                let clock = ContinuousClock()
                // 25 idle connections: 20 are served (and hear nothing), 5 are refused at once.
                let idle = try (0..<25).map { _ in try TCPConnection(port: port, timeoutSeconds: 1) }
                // A batch sent now is refused too, promptly.
                let start = clock.now
                let first = try exchange(port: port, head: head, body: Array(customersBatch.utf8))
                let firstTook = clock.now - start
                var refused: [RawReply] = []
                var silent = 0
                for connection in idle {
                    if let bytes = try? connection.receiveSome(), let reply = parseReply(bytes) {
                        refused.append(reply)
                    } else {
                        silent += 1
                    }
                }
                // Once the idle ones time out, a batch is stored.
                let deadline = clock.now + .seconds(10)
                var later: RawReply?
                while clock.now < deadline {
                    later = try? exchange(port: port, head: head, body: Array(customersBatch.utf8))
                    if later?.status == 201 { break }
                    Thread.sleep(forTimeInterval: 0.3)
                }
                return (first, firstTook, refused, silent, later)
            }
            expectErrorJSON(outcome.first, 503, "The server has too many open connections; retry later.")
            #expect(outcome.first.headers["retry-after"] != nil)
            // Before the 6 s idle cut, which is what a refusal must beat; a busy machine stretches the rest.
            #expect(outcome.firstTook < .seconds(6), "the refusal took \(outcome.firstTook)")
            #expect(outcome.refused.count == 5, "\(outcome.refused.map(\.status))")
            #expect(outcome.silent == 20)
            for reply in outcome.refused {
                expectErrorJSON(reply, 503, "The server has too many open connections; retry later.")
            }
            #expect(outcome.later?.status == 201, "\(String(describing: outcome.later))")
        }
    }

    // MARK: Item 8: a 413 that clients writing the whole body first can read

    @Test("413 reaches a client that writes its whole body before reading", arguments: [true, false])
    func tooLargeAfterTheWholeBody(connectionClose: Bool) async throws {
        try await withLimitedSandbox(ConnectionLimits()) { sandbox in
            let port = sandbox.port
            let size = 21 * 1024 * 1024
            let fullHead = batchRequestHead(port: port, token: "at_not_a_real_token", length: size)
            let head = connectionClose ? fullHead : fullHead.replacingOccurrences(of: "\r\nConnection: close", with: "")
            let reply = try await onThread { try exchange(port: port, head: head, body: [UInt8](repeating: 0x20, count: size)) }
            expectErrorJSON(reply, 413, "Request rejected: request size (\(size) bytes) exceeds the maximum")
            // Served afterwards as before.
            #expect(try await request("GET", sandbox.baseURL + "/v2/import/status").status == 200)
        }
    }

    // MARK: Item 9: HTTP-level errors in the documented shape

    static let malformedRequests: [(name: String, head: String, status: Int, message: String)] = [
        ("bad request line", "GARBAGE", 400, "Bad request: the request line is not valid HTTP/1.1."),
        ("duplicate Content-Length",
         "POST /v2/import/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 3", 400,
         "Bad request: Content-Length must appear once, and not together with Transfer-Encoding."),
        ("negative Content-Length", "POST /v2/import/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1", 400,
         "Bad request: Content-Length is not a valid length."),
        ("Content-Length with Transfer-Encoding",
         "POST /v2/import/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked", 400,
         "Bad request: the request's framing (Transfer-Encoding, Content-Length or line endings) is not valid HTTP/1.1."),
        ("huge headers", "GET /v2/import/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + String(repeating: "a", count: 100_000),
         431, "Request rejected: the request line and headers exceed the maximum size."),
    ]

    @Test("Malformed HTTP gets a JSON error body, not an empty one", arguments: malformedRequests.indices)
    func malformedHTTPGetsJSON(index: Int) async throws {
        let malformed = Self.malformedRequests[index]
        try await withLimitedSandbox(ConnectionLimits()) { sandbox in
            let port = sandbox.port
            let reply = try await onThread { try exchange(port: port, head: malformed.head, body: []) }
            expectErrorJSON(reply, malformed.status, malformed.message, malformed.name)
            #expect(reply.headers["connection"] == "close", "\(malformed.name)")
        }
    }

    @Test("Malformed bytes after a complete request: that request is answered first, then the 400 (or nothing, after Connection: close)",
          arguments: [false, true])
    func malformedFollowerAfterACompleteRequest(connectionClose: Bool) async throws {
        try await withLimitedSandbox(ConnectionLimits()) { sandbox in
            let port = sandbox.port
            let first = "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (connectionClose ? "Connection: close\r\n" : "") + "\r\n"
            let replies = try await onThread { () throws -> [RawReply] in
                let connection = try TCPConnection(port: port, timeoutSeconds: 10)
                try connection.send(Array((first + "garbage garbage\r\n\r\n").utf8))
                var received: [UInt8] = []
                while let bytes = try connection.receiveSome(), !bytes.isEmpty { received += bytes }
                return splitReplies(received)
            }
            #expect(replies.first?.status == 404, "\(replies)")
            if connectionClose {
                #expect(replies.count == 1, "\(replies)")
            } else {
                #expect(replies.count == 2, "\(replies)")
                if replies.count == 2 {
                    expectErrorJSON(replies[1], 400, "Bad request: the request line is not valid HTTP/1.1.")
                }
            }
        }
    }
}

// MARK: Helpers

/// The complete replies in `bytes`, one after another.
func splitReplies(_ bytes: [UInt8]) -> [RawReply] {
    var replies: [RawReply] = []
    var rest = bytes[...]
    let separator = Array("\r\n\r\n".utf8)
    while let reply = parseReply(Array(rest)),
          let end = rest.indices.first(where: { rest[$0...].starts(with: separator) }) {
        replies.append(reply)
        let length = reply.headers["content-length"].flatMap(Int.init) ?? 0
        rest = rest[(end + separator.count + length)...]
    }
    return replies
}

/// Like `withSandbox`, with the given connection limits.
func withLimitedSandbox<T>(_ limits: ConnectionLimits, _ body: (RunningSandbox) async throws -> T) async throws -> T {
    let directory = try makeDataDirectory()
    let sandbox = try await startSandbox(SandboxConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory,
                                                              connectionLimits: limits))
    func finish() async {
        await sandbox.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
    do {
        let result = try await body(sandbox)
        await finish()
        return result
    } catch {
        await finish()
        throw error
    }
}

/// Runs blocking socket code on its own thread, never on the cooperative pool that the
/// in-process sandbox needs in order to answer.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Sends `head` (without its final blank line) and the whole of `body`, then reads one reply;
/// like a client that writes everything before it reads.
func exchange(port: Int, head: String, body: [UInt8], timeoutSeconds: Int = 10) throws -> RawReply {
    let connection = try TCPConnection(port: port, timeoutSeconds: timeoutSeconds)
    try connection.send(Array((head + "\r\n\r\n").utf8) + body)
    return try connection.readReply()
}

/// The reply is `status` with the Import API's error body `{"status":"ERROR","message":…}` as JSON.
func expectErrorJSON(_ reply: RawReply, _ status: Int, _ message: String, _ comment: String = "",
                     sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status == status, "\(comment) \(reply.body)", sourceLocation: sourceLocation)
    #expect(reply.headers["content-type"] == "application/json", "\(comment)", sourceLocation: sourceLocation)
    let json = try? JSONParser.parse(Array(reply.body.utf8))
    #expect(json?.objectValue?.keys == ["status", "message"], "\(comment) \(reply.body)", sourceLocation: sourceLocation)
    #expect(json?["status"] == "ERROR", "\(comment)", sourceLocation: sourceLocation)
    #expect(json?["message"]?.stringValue == message, "\(comment) \(reply.body)", sourceLocation: sourceLocation)
}
