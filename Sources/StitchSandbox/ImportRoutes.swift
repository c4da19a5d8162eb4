import Hummingbird
import Logging
import StitchAPI
import StitchDestination

/// Import API v2: the health check and the batch endpoint (spec §3.2, §3.3).
struct ImportRoutes<Context: RequestContext>: Sendable {
    /// "At most 20 MB" (spec §3.3). Read as 20 MiB [?]: target-stitch sends single records up to
    /// 20,000,000 bytes plus an envelope, and a sandbox that refuses what the real gate may take
    /// would fail a client for nothing.
    static var maximumBodySize: Int { 20 * 1024 * 1024 }

    let store: ConnectStore
    let inbox: Inbox
    let progress: LoadProgress
    let wakeLoader: @Sendable () -> Void
    let logger: Logger

    func register(on router: Router<Context>) {
        router.get("v2/import/status") { _, _ in
            HTTPReplies.json(encoding: ImportAPIStatus(version: "0.1.0-sandbox", revision: "stitch-sandbox"))
        }
        router.post("v2/import/batch") { request, _ in
            await acceptBatch(request)
        }
        // Only GET and POST exist (spec §3.1); push answers other methods with this text.
        for method in [HTTPRequest.Method.get, .put, .delete, .patch] {
            router.on("v2/import/batch", method: method) { _, _ in
                HTTPReplies.plainText("Method not allowed.", status: .methodNotAllowed)
            }
        }
    }

    /// Spec §7.3's order: media type, size, token, JSON, envelope, schema, records; then store.
    private func acceptBatch(_ request: Request) async -> Response {
        guard Self.isJSON(request.headers[.contentType]) else {
            return HTTPReplies.plainText("Content-Type must be application/json", status: .unsupportedMediaType)
        }
        let body: [UInt8]
        switch await Self.readBody(request, limit: Self.maximumBodySize) {
        case .complete(let bytes): body = bytes
        case .tooLarge(let size): return Self.tooLarge(size)
        case .interrupted: return HTTPReplies.batchRejected("The request body ended early.")
        }
        let receivedAt = UTCTimestamp.now()

        guard let token = request.bearerToken else { return Self.notAuthorized }
        let source: Source
        switch await store.authorizeImport(token: token) {
        case .unknown: return Self.notAuthorized
        case .inactive:
            // Documented as 401, not 403 (spec §3.3, "sic").
            return HTTPReplies.json(
                ["error": "Forbidden", "errors": ["error": "Connection is not active."]], status: .unauthorized)
        case .active(let active): source = active
        }

        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            // The batch endpoint's text for bad JSON is undocumented [?]; this borrows push's.
            return HTTPReplies.batchRejected("Malformed json in the body! \(error.description)")
        }
        if let problem = BatchValidator.problem(with: json) { return HTTPReplies.batchRejected(problem) }

        do {
            let number = try await inbox.accept(sourceID: source.id, schemaName: source.name, receivedAt: receivedAt,
                                                body: body)
            await progress.accepted(number)
            wakeLoader()
        } catch {
            logger.error("Could not store an accepted batch", metadata: ["reason": "\(error)"])
            // Not stored, so not accepted: a 503 makes clients such as target-stitch retry.
            return HTTPReplies.json(["status": "ERROR", "message": "The batch could not be stored; try again later."],
                                    status: .serviceUnavailable)
        }
        return HTTPReplies.json(encoding: BatchStatus.accepted, status: .created)
    }

    private static var notAuthorized: Response { HTTPReplies.json(["message": "Not Authorized"], status: .unauthorized) }

    private static func tooLarge(_ size: Int) -> Response {
        // The docs' text reads "(<N>s bytes)"; the stray "s" looks like a template slip, so it is left out [?].
        var response = HTTPReplies.json(
            ["status": "ERROR", "message": .string("Request rejected: request size (\(size) bytes) exceeds the maximum")],
            status: .contentTooLarge)
        // The rest of the body was not read; closing is simpler for the client than draining it.
        response.headers[.connection] = "close"
        return response
    }

    /// `application/json`, in any letter case, with or without parameters such as `charset`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    enum BodyRead: Sendable {
        case complete([UInt8])
        /// Bytes seen before giving up: the declared length, or what had arrived.
        case tooLarge(Int)
        case interrupted
    }

    /// Reads the body, stopping as soon as it passes `limit`, so an oversized upload is refused
    /// without being held in memory.
    static func readBody(_ request: Request, limit: Int) async -> BodyRead {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            return .tooLarge(declared)
        }
        var bytes: [UInt8] = []
        do {
            for try await buffer in request.body {
                if bytes.count + buffer.readableBytes > limit { return .tooLarge(bytes.count + buffer.readableBytes) }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch {
            return .interrupted
        }
        return .complete(bytes)
    }
}
