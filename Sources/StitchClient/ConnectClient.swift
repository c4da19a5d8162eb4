import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import StitchAPI

/// A client for the Connect API v4 calls the wizard needs (spec §2.5, §7.1).
///
/// Every request carries `Authorization: Bearer <token>` and `Content-Type: application/json`,
/// GET and DELETE included, as the docs require. All documented successes are HTTP 200; any
/// non-2xx reply throws `StitchAPIError`, and transport problems throw `StitchClientError`.
public struct ConnectClient: Sendable, CustomStringConvertible, CustomReflectable {
    public let baseURL: EndpointURL
    public let timeout: Duration
    private let token: BearerToken
    private let exchange: HTTPExchange
    private let logger: Logger?

    /// - Throws: `StitchClientError.invalidURL`/`.insecureURL` for a bad base URL, `.invalidToken`
    ///   for a token with inner whitespace.
    public init(baseURL: String = ConnectEndpoint.defaultBaseURL, token: String,
                httpClient: HTTPClient = StitchHTTPClient.shared, timeout: Duration = .seconds(30),
                logger: Logger? = nil) throws(StitchClientError) {
        try self.init(baseURL: EndpointURL.validate(baseURL), token: token, httpClient: httpClient, timeout: timeout,
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

    public var description: String { "ConnectClient(\(baseURL))" }
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL, "timeout": timeout]) }

    // MARK: Source types

    /// `GET /v4/source-types/{type}`: the report card with `details` (check `details.access`).
    public func sourceType(_ type: String) async throws -> ReportCard {
        let reply = try await send(.GET, "/v4/source-types/\(pathSegment(type))")
        return try exchange.decode(ReportCard.self, from: reply, expected: "a report card")
    }

    /// `GET /v4/source-types`.
    public func sourceTypes() async throws -> [ReportCard] {
        let reply = try await send(.GET, "/v4/source-types")
        return try exchange.decode([ReportCard].self, from: reply, expected: "a list of report cards")
    }

    // MARK: Sources

    /// `POST /v4/sources`, with the form's `properties` (strings) when the type has a form. Name
    /// problems come back as `StitchAPIError` with code `InvalidName`/`InvalidDisplayName`;
    /// refused values as `InvalidProperties`, whose `badProperties` name them (check each value
    /// with `StepProperty.rule` first: it is the rule the sandbox applies).
    public func createSource(_ request: CreateSourceRequest) async throws -> Source {
        let body = try JSONEncoder().encode(request)
        let reply = try await send(.POST, "/v4/sources", body: Array(body))
        return try exchange.decode(Source.self, from: reply, expected: "a Source object")
    }

    /// `GET /v4/sources/{id}`: active, paused or deleted.
    public func source(id: Int) async throws -> Source {
        let reply = try await send(.GET, "/v4/sources/\(id)")
        return try exchange.decode(Source.self, from: reply, expected: "a Source object")
    }

    /// `GET /v4/sources`: every source, deleted ones included (`deleted_at` set).
    public func sources() async throws -> [Source] {
        let reply = try await send(.GET, "/v4/sources")
        return try exchange.decode([Source].self, from: reply, expected: "a list of Source objects")
    }

    /// `PUT /v4/sources/{id}`: rename, change properties, pause or unpause.
    public func updateSource(id: Int, _ body: UpdateSourceRequest) async throws -> Source {
        let reply = try await send(.PUT, "/v4/sources/\(id)", body: Array(body.json.jsonText.utf8))
        return try exchange.decode(Source.self, from: reply, expected: "a Source object")
    }

    /// Pauses at once (spec §2.5.6); the timestamp is sent as `YYYY-MM-DDTHH:MM:SSZ`.
    public func pauseSource(id: Int, at date: Date = Date()) async throws -> Source {
        try await updateSource(id: id, .pause(at: Self.timestamp(date)))
    }

    /// Sends `{"paused_at": null}`.
    public func unpauseSource(id: Int) async throws -> Source {
        try await updateSource(id: id, .unpause)
    }

    /// `DELETE /v4/sources/{id}`: the reply is the Source with `deleted_at` set.
    public func deleteSource(id: Int) async throws -> Source {
        let reply = try await send(.DELETE, "/v4/sources/\(id)")
        return try exchange.decode(Source.self, from: reply, expected: "a Source object")
    }

    // MARK: Discovery and streams

    /// `GET /v4/sources/{id}/last-connection-check`: the job that runs during `discover_schema`.
    /// Nil when the API answers 404, which is how the sandbox says that no check has run yet
    /// (the form is incomplete, or the type has no check); Stitch's answer then is undocumented.
    public func lastConnectionCheck(sourceID: Int) async throws -> ConnectionCheck? {
        do {
            let reply = try await send(.GET, "/v4/sources/\(sourceID)/last-connection-check")
            return try exchange.decode(ConnectionCheck.self, from: reply, expected: "a connection check object")
        } catch let error as StitchAPIError where error.statusCode == 404 {
            return nil
        }
    }

    /// `GET /v4/sources/{id}/streams`: what discovery found, with what is selected.
    public func streams(sourceID: Int) async throws -> [SourceStream] {
        let reply = try await send(.GET, "/v4/sources/\(sourceID)/streams")
        return try exchange.decode([SourceStream].self, from: reply, expected: "a list of streams")
    }

    /// `GET /v4/sources/{id}/streams/{stream_id}`: the stream's schema and per-field metadata.
    /// An unknown id is a 400 whose body is the bare string `invalid stream-id: <id>`.
    public func streamSchema(sourceID: Int, streamID: Int) async throws -> StreamSchema {
        let reply = try await send(.GET, "/v4/sources/\(sourceID)/streams/\(streamID)")
        return try exchange.decode(StreamSchema.self, from: reply, expected: "a stream schema object")
    }

    /// `PUT /v4/sources/{id}/streams/metadata`: selects streams and fields. The reply is
    /// `{"status": 200}`; a refusal is a `StitchAPIError` whose body is `.invalidFields`.
    /// Fetch the source afterwards for its new report card.
    public func updateStreamMetadata(sourceID: Int, _ update: StreamMetadataUpdate) async throws {
        let body = try JSONEncoder().encode(update)
        _ = try await send(.PUT, "/v4/sources/\(sourceID)/streams/metadata", body: Array(body))
    }

    // MARK: Import API tokens

    /// `POST /v4/sources/{id}/tokens`. The value is shown only once: store it at once. A reply
    /// that does not decode is reported without its body, since the body may hold the token.
    public func createToken(sourceID: Int) async throws -> ImportAccessToken {
        let reply = try await send(.POST, "/v4/sources/\(sourceID)/tokens", body: [])
        return try exchange.decode(ImportAccessToken.self, from: reply, expected: "an access token object",
                                   showingBody: false)
    }

    /// `GET /v4/sources/{id}/tokens`, in either documented shape.
    public func tokens(sourceID: Int) async throws -> TokenList {
        let reply = try await send(.GET, "/v4/sources/\(sourceID)/tokens")
        return try exchange.decode(TokenList.self, from: reply, expected: "a token list")
    }

    /// `DELETE /v4/sources/{id}/tokens/{token_id}`: the reply is the Source, not the token.
    public func revokeToken(sourceID: Int, tokenID: Int) async throws -> Source {
        let reply = try await send(.DELETE, "/v4/sources/\(sourceID)/tokens/\(tokenID)")
        return try exchange.decode(Source.self, from: reply, expected: "a Source object")
    }

    // MARK: Loads

    /// `GET /v4/{client_id}/loads`, every page: the last load of each stream of the account, ordered
    /// by `stream_name` (spec §2.3, §2.5.10). Rate-limited with every jobs endpoint to 30 requests per
    /// 10 minutes per client, so a caller polls it sparingly (each page is one request).
    ///
    /// Pages are followed by number while `links.next` is present (the docs give relative URLs; the
    /// number is what they carry), at most `maximumPages` of them.
    public func loads(clientID: Int, maximumPages: Int = 50) async throws -> [StreamLoad] {
        var loads: [StreamLoad] = []
        var page = 1
        while page <= maximumPages {
            let path = "/v4/\(clientID)/loads" + (page > 1 ? "?page=\(page)" : "")
            let reply = try await send(.GET, path)
            let decoded = try exchange.decode(StreamLoadPage.self, from: reply, expected: "a page of loads")
            loads += decoded.data
            guard decoded.links?.next != nil, !decoded.data.isEmpty else { break }
            page += 1
        }
        return loads
    }

    // MARK: Plumbing

    private func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> HTTPExchange.Reply {
        let reply = try await exchange.perform(method, path, headers: [
            ("Authorization", token.authorization),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ], body: body)
        logger?.debug("\(method.rawValue) \(path) -> \(reply.statusCode) in \(reply.latency)")
        guard reply.isSuccess else { throw exchange.apiError(reply) }
        return reply
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
