import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// One reply the test server gives for `METHOD /path`.
struct CannedReply: Sendable {
    var status: Int
    var contentType: String? = "application/json"
    var body: String
    /// Sleep before answering, to provoke client timeouts.
    var delay: Duration? = nil
    /// Send the headers and the first byte of the body, then stall this long before the rest.
    var bodyStall: Duration? = nil
    /// When set, the body is computed from the request (e.g. to echo a header).
    var render: (@Sendable (RecordedRequest) -> String)? = nil

    static func json(_ body: String, status: Int = 200) -> CannedReply { CannedReply(status: status, body: body) }
}

struct RecordedRequest: Sendable {
    var method: String
    var path: String
    /// Header names lowercased; values in arrival order.
    var headers: [String: [String]]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers[name.lowercased()]?.first }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the server has seen so far.
actor RequestLog {
    private(set) var requests: [RecordedRequest] = []
    func append(_ request: RecordedRequest) { requests.append(request) }
    var last: RecordedRequest? { requests.last }
}

/// A real HTTP/1.1 server on a loopback port chosen by the OS, answering canned replies.
/// Unknown routes get 404 with a plain-text body naming the route, so a wrong path shows up in failures.
enum CannedServer {
    static func run<Result: Sendable>(
        host: String = "127.0.0.1",
        routes: [String: CannedReply],
        _ body: @Sendable (_ port: Int, _ log: RequestLog) async throws -> Result
    ) async throws -> Result {
        let log = RequestLog()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let bytes = try await request.collectBody(upTo: 32 * 1024 * 1024)
            var headers: [String: [String]] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased(), default: []].append(field.value) }
            let recorded = RecordedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                           body: Array(bytes.readableBytesView))
            await log.append(recorded)
            let key = "\(recorded.method) \(recorded.path)"
            guard let reply = routes[key] else {
                return Response(status: .notFound, headers: [.contentType: "text/plain"],
                                body: .init(byteBuffer: ByteBuffer(string: "no canned reply for \(key)")))
            }
            if let delay = reply.delay { try await Task.sleep(for: delay) }
            var fields = HTTPFields()
            if let contentType = reply.contentType { fields[.contentType] = contentType }
            let text = reply.render?(recorded) ?? reply.body
            if let stall = reply.bodyStall {
                fields[.contentLength] = String(text.utf8.count)
                return Response(status: HTTPResponse.Status(code: reply.status), headers: fields,
                                body: ResponseBody { writer in
                                    try await writer.write(ByteBuffer(string: String(text.prefix(1))))
                                    try await Task.sleep(for: stall)
                                    try await writer.write(ByteBuffer(string: String(text.dropFirst())))
                                    try await writer.finish(nil)
                                })
            }
            return Response(status: HTTPResponse.Status(code: reply.status), headers: fields,
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "canned-server")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next(), "the server did not start")
            try #require(port > 0)
            defer { group.cancelAll() }
            return try await body(port, log)
        }
    }

    /// A loopback port with nothing listening: bound by a server that has since stopped.
    static func closedPort() async throws -> Int {
        try await run(routes: [:]) { port, _ in port }
    }
}
