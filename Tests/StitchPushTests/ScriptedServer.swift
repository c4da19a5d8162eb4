import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// A real HTTP server on a loopback port that answers `POST /v2/import/batch` from a script:
/// the n-th request gets the n-th reply (the last one repeats), and every request is recorded
/// with the time it arrived, so tests can see retries and their spacing.
actor ScriptedImportServer {
    struct Reply: Sendable {
        var status: Int
        var body: String
        /// Sent as the `Retry-After` header when set.
        var retryAfter: String? = nil

        static let accepted = Reply(status: 201, body: #"{"status":"OK","message":"Batch Accepted!"}"#)
    }

    struct Arrival: Sendable {
        var body: [UInt8]
        var authorization: String?
        var at: ContinuousClock.Instant
    }

    private let script: [Reply]
    private(set) var arrivals: [Arrival] = []

    init(script: [Reply]) { self.script = script }

    private func next(_ arrival: Arrival) -> Reply {
        arrivals.append(arrival)
        return script[min(arrivals.count - 1, script.count - 1)]
    }

    /// Runs the server for the duration of `body`, which gets the base URL.
    static func run<Result: Sendable>(script: [Reply], _ body: @Sendable (_ baseURL: String, _ server: ScriptedImportServer) async throws -> Result)
        async throws -> Result
    {
        let server = ScriptedImportServer(script: script)
        let router = Router()
        router.post("v2/import/batch") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 32 * 1024 * 1024)
            let reply = await server.next(Arrival(body: Array(bytes.readableBytesView),
                                                  authorization: request.headers[.authorization],
                                                  at: ContinuousClock.now))
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter = reply.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: HTTPResponse.Status(code: reply.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: reply.body)))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "scripted-import-server")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  portContinuation.yield(channel.localAddress?.port ?? 0)
                                  portContinuation.finish()
                              }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next(), "the server did not start")
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)", server)
        }
    }
}
