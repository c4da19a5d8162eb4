import Hummingbird
import StitchAPI

/// Connect API v4 streams: list, schema, and selection (spec §2.5.10), which walk a source
/// through `field_selection`.
struct StreamRoutes<Context: RequestContext>: Sendable {
    let store: ConnectStore

    func register(on group: RouterGroup<Context>) {
        group.get("sources/:id/streams") { _, context in
            await reply { () throws(StreamError) in .array(try await store.streams(sourceID: try Self.sourceID(context))) }
        }
        group.get("sources/:id/streams/:stream") { _, context in
            await reply { () throws(StreamError) in
                try await store.streamSchema(sourceID: try Self.sourceID(context),
                                             streamID: context.parameters.get("stream") ?? "")
            }
        }
        group.put("sources/:id/streams/metadata") { request, context in
            await reply { () throws(StreamError) in
                let id = try Self.sourceID(context)
                let body: JSONValue
                do {
                    body = try await ConnectRoutes<Context>.body(of: request)
                } catch {
                    throw .malformedBody
                }
                try await store.updateStreamMetadata(sourceID: id, body: body)
                return ["status": 200]
            }
        }
    }

    private func reply(_ body: () async throws(StreamError) -> JSONValue) async -> Response {
        do {
            return HTTPReplies.json(try await body())
        } catch {
            return HTTPReplies.json(error.json, status: HTTPResponse.Status(code: error.status))
        }
    }

    private static func sourceID(_ context: Context) throws(StreamError) -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw) else { throw .source(.sourceNotFound(raw)) }
        return id
    }
}
