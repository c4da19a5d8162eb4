import Hummingbird

/// Every Connect API call needs `Authorization: Bearer <connect token>` (spec §2.1).
struct ConnectAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let connectToken: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let token = request.bearerToken, SecretToken.constantTimeEquals(token, connectToken) else {
            return HTTPReplies.connectError(.unauthorized)
        }
        return try await next(request, context)
    }
}
