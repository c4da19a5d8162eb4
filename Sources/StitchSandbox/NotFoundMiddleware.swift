import Hummingbird
import StitchAPI

/// Unknown paths get a JSON 404 in the shape of the API they fall under, rather than an empty
/// body, so every reply a client reads is JSON (spec §3.9). The real bodies are undocumented [?].
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let description = "no such endpoint: \(request.method) \(request.uri.path)"
            if request.uri.path.hasPrefix("/v4/") {
                return HTTPReplies.connectError(ConnectError(status: 404, code: "NotFound", message: description))
            }
            return HTTPReplies.json(["status": "ERROR", "message": .string(description)], status: .notFound)
        }
    }
}
