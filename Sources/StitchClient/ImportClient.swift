import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import StitchAPI

/// A client for the Import API v2 (spec §3.2, §3.3): the health check and batch pushes.
///
/// Batch requests carry `Authorization: Bearer <token>` and `Content-Type: application/json`.
/// Any non-2xx reply throws `StitchAPIError`, whose body shape tells 400 validation errors,
/// 401 bad token or region, 413 size and 415 plain text apart.
public struct ImportClient: Sendable, CustomStringConvertible, CustomReflectable {
    public let baseURL: EndpointURL
    public let timeout: Duration
    private let token: BearerToken
    private let exchange: HTTPExchange
    private let logger: Logger?

    /// - Throws: `StitchClientError.invalidURL`/`.insecureURL` for a bad base URL, `.invalidToken`
    ///   for a token with inner whitespace.
    public init(baseURL: String, token: String, httpClient: HTTPClient = StitchHTTPClient.shared,
                timeout: Duration = .seconds(30), logger: Logger? = nil) throws(StitchClientError) {
        try self.init(baseURL: EndpointURL.validate(baseURL), token: token, httpClient: httpClient, timeout: timeout,
                      logger: logger)
    }

    public init(region: ImportRegion, token: String, httpClient: HTTPClient = StitchHTTPClient.shared,
                timeout: Duration = .seconds(30), logger: Logger? = nil) throws(StitchClientError) {
        try self.init(baseURL: EndpointURL(region: region), token: token, httpClient: httpClient, timeout: timeout,
                      logger: logger)
    }

    public init(baseURL: EndpointURL, token: String, httpClient: HTTPClient = StitchHTTPClient.shared,
                timeout: Duration = .seconds(30), logger: Logger? = nil) throws(StitchClientError) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.token = try BearerToken(token)
        self.logger = logger
        exchange = HTTPExchange(endpoint: baseURL, httpClient: httpClient, timeout: timeout,
                                secrets: [self.token.value])
    }

    public var description: String { "ImportClient(\(baseURL))" }
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL, "timeout": timeout]) }

    /// `GET /v2/import/status`, sent without credentials. A 503 throws `StitchAPIError`.
    public func status() async throws -> ImportAPIStatus {
        let reply = try await exchange.perform(.GET, "/v2/import/status", headers: [("Accept", "application/json")])
        logger?.debug("GET /v2/import/status -> \(reply.statusCode) in \(reply.latency)")
        guard reply.isSuccess else { throw exchange.apiError(reply) }
        return try exchange.decode(ImportAPIStatus.self, from: reply, expected: "an Import API status object")
    }

    /// Pushes a batch built in code.
    public func sendBatch(_ request: BatchRequest) async throws -> BatchReply {
        try await sendBatch(body: Array(request.json.jsonText.utf8))
    }

    /// Pushes a body exactly as given, e.g. the JSON text the user typed, so the server (not this
    /// client) judges it and its own error messages reach the user.
    public func sendBatch(body: [UInt8]) async throws -> BatchReply {
        let reply = try await performBatch(body: body)
        guard reply.isSuccess else { throw exchange.apiError(reply) }
        let status = try exchange.decode(BatchStatus.self, from: reply, expected: "a batch status object")
        return BatchReply(statusCode: reply.statusCode, status: status,
                          bodyText: exchange.scrub(String(decoding: reply.body, as: UTF8.self)), latency: reply.latency)
    }

    public func sendBatch(body: Data) async throws -> BatchReply {
        try await sendBatch(body: [UInt8](body))
    }

    /// Pushes a body and returns the reply whatever its status, for a caller that decides itself
    /// what a status means (the `push` command retries 5xx and 429). Only a failure to get a reply
    /// at all throws (`StitchClientError`: refused, closed, timed out). The body text is scrubbed
    /// of the token like every other reply.
    public func postBatch(body: [UInt8]) async throws -> ImportReply {
        let reply = try await performBatch(body: body)
        return ImportReply(statusCode: reply.statusCode, bodyText: exchange.scrub(String(decoding: reply.body, as: UTF8.self)),
                           latency: reply.latency, retryAfter: reply.retryAfter)
    }

    /// The one `POST /v2/import/batch` both calls above make; they differ only in what they make of the reply.
    private func performBatch(body: [UInt8]) async throws -> HTTPExchange.Reply {
        let reply = try await exchange.perform(.POST, "/v2/import/batch", headers: [
            ("Authorization", token.authorization),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ], body: body)
        logger?.debug("POST /v2/import/batch (\(body.count) bytes) -> \(reply.statusCode) in \(reply.latency)")
        return reply
    }
}

/// Any reply to `POST /v2/import/batch`, 2xx or not.
public struct ImportReply: Sendable, Hashable {
    public var statusCode: Int
    /// The body as received, the token redacted.
    public var bodyText: String
    public var latency: Duration
    /// How long the server asked to wait before another try (`Retry-After` in seconds), if it did.
    public var retryAfter: Duration?

    public init(statusCode: Int, bodyText: String, latency: Duration, retryAfter: Duration? = nil) {
        self.statusCode = statusCode
        self.bodyText = bodyText
        self.latency = latency
        self.retryAfter = retryAfter
    }
}
