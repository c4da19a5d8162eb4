import Hummingbird
import StitchAPI

/// Connect API v4: source types, sources, Import API tokens (spec §2.5). Streams and loads
/// have their own routes (`StreamRoutes`, `LoadsRoutes`).
struct ConnectRoutes<Context: RequestContext>: Sendable {
    let store: ConnectStore
    /// Connect bodies are small; this bounds what an odd client can make the sandbox hold.
    static var maximumBodySize: Int { 1 << 20 }

    func register(on group: RouterGroup<Context>) {
        group.get("source-types") { _, _ in
            HTTPReplies.json(encoding: SourceTypeCatalog.all.map(\.templateCard))
        }
        group.get("source-types/:type") { _, context in
            let type = context.parameters.get("type") ?? ""
            guard let card = SourceTypeCatalog.sourceTypeCard(for: type) else {
                // Undocumented [I]: an unknown resource is a 404 (spec §2.2), with the message
                // `POST /v4/sources` uses for the same mistake.
                return HTTPReplies.connectError(.invalidType(type, status: 404))
            }
            return HTTPReplies.json(encoding: card)
        }
        group.get("sources") { _, _ in
            HTTPReplies.json(encoding: await store.sources())
        }
        group.post("sources") { request, _ in
            await reply { () throws(ConnectError) in
                try await store.createSource(body: try await Self.body(of: request))
            }
        }
        group.get("sources/:id") { _, context in
            let raw = context.parameters.get("id") ?? ""
            // Undocumented [I]: an unknown source follows the general 404 rule.
            guard let id = Int(raw), let source = await store.source(id: id) else {
                return HTTPReplies.connectError(.sourceNotFound(raw, status: 404))
            }
            return HTTPReplies.json(encoding: source)
        }
        group.put("sources/:id") { request, context in
            await reply { () throws(ConnectError) in
                try await store.updateSource(id: try Self.sourceID(context), body: try await Self.body(of: request))
            }
        }
        group.delete("sources/:id") { _, context in
            await reply { () throws(ConnectError) in try await store.deleteSource(id: try Self.sourceID(context)) }
        }
        group.get("sources/:id/last-connection-check") { _, context in
            do throws(ConnectError) {
                guard let check = try await store.lastConnectionCheck(sourceID: try Self.sourceID(context)) else {
                    // Undocumented [?]: what Stitch answers before any check has run. A 404 in
                    // the sources' error shape says "nothing there yet" without a made-up job.
                    let raw = context.parameters.get("id") ?? ""
                    return HTTPReplies.connectError(ConnectError(
                        status: 404, code: "NotFound", message: "no connection check has run for source (\(raw))"))
                }
                return HTTPReplies.json(encoding: check)
            } catch {
                return HTTPReplies.connectError(error)
            }
        }
        group.post("sources/:id/tokens") { _, context in
            await reply { () throws(ConnectError) in try await store.createToken(sourceID: try Self.sourceID(context)) }
        }
        group.get("sources/:id/tokens") { _, context in
            await reply { () throws(ConnectError) in try await store.tokens(sourceID: try Self.sourceID(context)) }
        }
        group.delete("sources/:id/tokens/:token") { _, context in
            await reply { () throws(ConnectError) in
                let raw = context.parameters.get("token") ?? ""
                guard let tokenID = Int(raw) else { throw .tokenNotFound(raw) }
                return try await store.revokeToken(sourceID: try Self.sourceID(context), tokenID: tokenID)
            }
        }
    }

    private func reply(_ body: () async throws(ConnectError) -> some Encodable) async -> Response {
        do {
            return HTTPReplies.json(encoding: try await body())
        } catch {
            return HTTPReplies.connectError(error)
        }
    }

    private static func sourceID(_ context: Context) throws(ConnectError) -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw) else { throw .sourceNotFound(raw) }
        return id
    }

    static func body(of request: Request) async throws(ConnectError) -> JSONValue {
        // A declared size over the limit is refused before reading, rather than after waiting for
        // a body that may never come in full.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBodySize {
            throw .invalidBody("the request body is larger than \(maximumBodySize) bytes")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw .invalidBody("the request body is larger than \(maximumBodySize) bytes")
        }
        guard let json = try? JSONParser.parse(buffer.readableBytesView) else { throw .invalidBody() }
        return json
    }
}
