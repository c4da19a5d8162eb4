import NIOCore
import NIOHTTP1
import StitchAPI

/// The reply to a request that is not valid HTTP/1.1, or that the server will not serve, before
/// any route sees it: a status and a body in the Import API's error shape (spec §3.6), rather
/// than the empty, non-JSON 400 the HTTP layer sends by itself.
///
/// What Stitch's gate answers to malformed HTTP is undocumented [?]: the status is what the
/// HTTP decoder's complaint calls for, the body is the Import API's `{"status":"ERROR",
/// "message":…}` (also under `/v4`, since the path may be what could not be read), and each
/// message says in plain words what was wrong, as far as the decoder tells.
struct HTTPProtocolErrorReply: Equatable {
    var status: HTTPResponseStatus
    var message: String
    /// Seconds, for a 503.
    var retryAfter: Int?

    init(status: HTTPResponseStatus, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The reply for an error raised while decoding a request.
    init(decoding error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            self.init(status: .badRequest, message: "Bad request: the request is not valid HTTP/1.1.")
            return
        }
        switch parserError {
        case .headerOverflow:
            self.init(status: .requestHeaderFieldsTooLarge,
                      message: "Request rejected: the request line and headers exceed the maximum size.")
        case .invalidContentLength:
            self.init(status: .badRequest, message: "Bad request: Content-Length is not a valid length.")
        case .unexpectedContentLength:
            // llhttp's HPE_UNEXPECTED_CONTENT_LENGTH: a second Content-Length, or one beside Transfer-Encoding.
            self.init(status: .badRequest,
                      message: "Bad request: Content-Length must appear once, and not together with Transfer-Encoding.")
        case .invalidChunkSize:
            self.init(status: .badRequest, message: "Bad request: the chunked body has an invalid chunk size.")
        case .invalidEOFState:
            self.init(status: .badRequest, message: "Bad request: the request ended before it was complete.")
        case .invalidMethod, .invalidURL, .invalidVersion:
            self.init(status: .badRequest, message: "Bad request: the request line is not valid HTTP/1.1.")
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant:
            self.init(status: .badRequest, message: "Bad request: a header is not valid HTTP/1.1.")
        case .unknown:
            // Mostly llhttp's HPE_INVALID_TRANSFER_ENCODING (e.g. Transfer-Encoding beside
            // Content-Length, or not ending in chunked) and HPE_CR_EXPECTED.
            self.init(status: .badRequest,
                      message: "Bad request: the request's framing (Transfer-Encoding, Content-Length or line endings) is not valid HTTP/1.1.")
        default:
            self.init(status: .badRequest, message: "Bad request: the request is not valid HTTP/1.1.")
        }
    }

    /// Over the connection limit.
    static let tooManyConnections = HTTPProtocolErrorReply(
        status: .serviceUnavailable, message: "The server has too many open connections; retry later.", retryAfter: 1)

    /// The request body stopped arriving (or came too slowly) before it was complete.
    static let bodyTimedOut = HTTPProtocolErrorReply(
        status: .requestTimeout, message: "The request body did not arrive in time.")

    /// A body in more tiny pieces (chunks or packets) than the server will decode one by one.
    static let bodyInTinyPieces = HTTPProtocolErrorReply(
        status: .badRequest, message: "Bad request: the body arrives in too many tiny pieces; send it in larger chunks.")

    /// A request for a tunnel (`CONNECT`): the sandbox is no proxy. The Import API's 405 text [?].
    static let connectNotAllowed = HTTPProtocolErrorReply(status: .methodNotAllowed, message: "Method not allowed.")

    /// The whole reply, encoded: it always closes the connection. Written as bytes, below NIO's
    /// response encoder, which would drop the body of a reply to `CONNECT`.
    func encoded(allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = JSONValue.object(JSONObject([("status", "ERROR"), ("message", .string(message))])).jsonText
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        if let retryAfter { head += "Retry-After: \(retryAfter)\r\n" }
        return allocator.buffer(string: head + "\r\n" + body)
    }
}
