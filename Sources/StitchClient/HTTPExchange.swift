import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import StitchAPI

/// One HTTP request/reply with the policies both clients share: a deadline, a bounded reply
/// size, transport errors turned into `StitchClientError`, and the token scrubbed from anything
/// that may reach a message.
struct HTTPExchange: Sendable {
    /// Replies larger than this are not read; every documented reply is far smaller.
    static let maximumReplyBytes = 16 * 1024 * 1024

    let endpoint: EndpointURL
    let httpClient: HTTPClient
    let timeout: Duration
    /// Secrets to scrub from reply text before it appears in an error.
    let secrets: [String]

    struct Reply: Sendable {
        var statusCode: Int
        var body: [UInt8]
        var latency: Duration
        /// The `Retry-After` header's wait, when it has one in seconds (`RetryAfter`).
        var retryAfter: Duration? = nil

        var isSuccess: Bool { (200..<300).contains(statusCode) }
    }

    func perform(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: [UInt8]? = nil)
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: endpoint.url(path: path))
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            // Large bodies go out in slices rather than as one copy: `.bytes` copies the whole body
            // into a buffer for each attempt, doubling the memory of every request in flight.
            request.body = body.count > BodySlices.sliceBytes
                ? .stream(BodySlices(body: body), length: .known(Int64(body.count))) : .bytes(body)
        }

        let clock = ContinuousClock()
        let start = clock.now
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, deadline: .now() + TimeAmount(timeout))
        } catch {
            throw translate(error)
        }
        let statusCode = Int(response.status.code)
        do {
            let buffer = try await collect(response.body, until: start + timeout)
            return Reply(statusCode: statusCode, body: Array(buffer: buffer), latency: clock.now - start,
                         retryAfter: response.headers.first(name: "Retry-After").flatMap(RetryAfter.seconds(in:)))
        } catch is NIOTooManyBytesError {
            throw StitchClientError.unexpectedReply(
                statusCode: statusCode, expected: "a reply of at most \(Self.maximumReplyBytes / 1024 / 1024) MiB",
                problem: "it is larger", snippet: "")
        } catch {
            throw translate(error)
        }
    }

    /// Reads the body within the same deadline: AsyncHTTPClient's deadline ends once the head has
    /// arrived, so a body that stalls would otherwise wait for the 90 s read timeout.
    private func collect(_ body: HTTPClientResponse.Body, until deadline: ContinuousClock.Instant) async throws
        -> ByteBuffer
    {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: Self.maximumReplyBytes) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw StitchClientError.timedOut(endpoint: endpoint.hostAndPort, after: timeout)
            }
            return buffer
        }
    }

    /// Maps AsyncHTTPClient/NIO errors onto the client's typed errors.
    func translate(_ error: any Error) -> any Error {
        if error is StitchClientError || error is CancellationError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout:
                return StitchClientError.timedOut(endpoint: endpoint.hostAndPort, after: timeout)
            case .cancelled:
                return Task.isCancelled ? CancellationError()
                    : StitchClientError.timedOut(endpoint: endpoint.hostAndPort, after: timeout)
            case .remoteConnectionClosed:
                return failure(.closed)
            default:
                return failure(.other(scrub(String(describing: error))))
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return failure(.hostNotFound)
            }
            if let first = error.connectionErrors.first { return translate(first.error) }
            return failure(.hostNotFound)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return failure(.refused)
            case ECONNRESET, EPIPE: return failure(.closed)
            default: return failure(.other(scrub(String(describing: error))))
            }
        }
        if error is ChannelError { return failure(.closed) }
        // NIOSSL is not imported here (it is only a transitive dependency), so TLS errors are
        // recognised by their module name.
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            return failure(.tls(scrub(String(describing: error))))
        }
        return failure(.other(scrub(String(describing: error))))
    }

    private func failure(_ reason: ConnectionFailure) -> StitchClientError {
        .connectionFailed(host: endpoint.host, port: endpoint.port, reason: reason)
    }

    /// Replaces every secret with `<redacted>`.
    func scrub(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }

    func scrub(_ bytes: [UInt8]) -> Data {
        let nonEmpty = secrets.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty else { return Data(bytes) }
        return Data(scrub(String(decoding: bytes, as: UTF8.self)).utf8)
    }

    /// A short, redacted start of a body for an error message.
    func snippet(_ bytes: [UInt8], limit: Int = 200) -> String {
        let text = scrub(String(decoding: bytes.prefix(limit * 4), as: UTF8.self))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    /// The API error for a non-2xx reply, classified by body shape.
    func apiError(_ reply: Reply) -> StitchAPIError {
        StitchAPIError(statusCode: reply.statusCode, data: scrub(reply.body))
    }

    /// Decodes a 2xx body, or explains why it is not the documented object.
    func decode<Value: Decodable>(_ type: Value.Type, from reply: Reply, expected: String,
                                  showingBody: Bool = true) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(reply.body))
        } catch {
            throw StitchClientError.unexpectedReply(
                statusCode: reply.statusCode, expected: expected, problem: Self.describe(error),
                snippet: showingBody ? snippet(reply.body) : "")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing “\(path(context.codingPath + [key]))”"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? "wrong JSON type" : "wrong type at “\(path(context.codingPath))”"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at “\(path(context.codingPath))”"
        @unknown default:
            return "undecodable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Percent-encodes one path segment (a source type or id), so user text cannot change the path.
func pathSegment(_ text: String) -> String {
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

/// A request body handed to AsyncHTTPClient one slice at a time, so only a slice is ever copied
/// out of it; the client writes each before asking for the next.
struct BodySlices: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    static let sliceBytes = 256 * 1024

    let body: [UInt8]

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: [UInt8]
        var offset = 0

        mutating func next() async -> ByteBuffer? {
            guard offset < body.count else { return nil }
            let end = Swift.min(offset + BodySlices.sliceBytes, body.count)
            defer { offset = end }
            return ByteBuffer(bytes: body[offset..<end])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: body) }
}
