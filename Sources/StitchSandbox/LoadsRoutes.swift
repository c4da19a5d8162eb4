import Hummingbird
import StitchAPI
import StitchDestination

/// `GET /v4/{client_id}/loads`: the last load of every stream, so a client can see when its
/// data landed (spec §2.3, §2.5.10; `list-last-loads-for-account.md`).
///
/// The jobs rate limit (30 requests per 10 minutes) is not enforced [?]: Stitch documents no
/// enforcement mechanism, no 429 and no headers, and a sandbox that throttled polling tests
/// would only slow them down.
struct LoadsRoutes<Context: RequestContext>: Sendable {
    /// Documented: 100 load records per page.
    static var pageSize: Int { 100 }

    let store: ConnectStore
    let history: LoadHistory

    func register(on group: RouterGroup<Context>) {
        group.get(":client_id/loads") { request, context in
            let clientID = await store.stitchClientID
            let raw = context.parameters.get("client_id") ?? ""
            guard Int(raw) == clientID else {
                // Documented for this endpoint: 401 when the token "doesn't have access to the
                // provided Stitch client ID"; the body is not, so it is the Connect 401's shape.
                return HTTPReplies.connectError(ConnectError(
                    status: 401, code: "AccessDenied",
                    message: "this access token has no access to Stitch client \(raw)"))
            }
            let pageText = request.uri.queryParameters.get("page")
            guard let page = pageText.map({ Int($0) }) ?? 1, page >= 1 else {
                // Undocumented [?]: a page that is not a positive number is the client's mistake.
                return HTTPReplies.connectError(ConnectError(
                    status: 400, code: "InvalidPage", message: "page must be a positive integer, not \(pageText ?? "")"))
            }
            return HTTPReplies.json(reply(page: page, clientID: clientID))
        }
    }

    private func reply(page: Int, clientID: Int) -> JSONValue {
        let loads = history.lastLoads()
        let start = min((page - 1) * Self.pageSize, loads.count)
        let slice = loads[start..<min(start + Self.pageSize, loads.count)]
        // Relative links, present only when there is such a page (documented: empty when total < 101).
        var links = JSONObject()
        if page * Self.pageSize < loads.count { links["next"] = .string("/v4/\(clientID)/loads?page=\(page + 1)") }
        if page > 1 { links["previous"] = .string("/v4/\(clientID)/loads?page=\(page - 1)") }
        return .object(JSONObject([
            ("data", .array(slice.map { Self.json(of: $0, clientID: clientID) })),
            ("page", .integer(Int64(page))),
            ("total", .integer(Int64(loads.count))),
            ("links", .object(links)),
        ]))
    }

    private static func json(of entry: LoadHistory.Entry, clientID: Int) -> JSONValue {
        .object(JSONObject([
            ("stitch_client_id", .integer(Int64(clientID))),
            ("source_name", .string(entry.sourceName)),
            ("stream_name", .string(entry.streamName)),
            ("last_batch_loaded_at", entry.lastBatchLoadedAt.map(secondsText).map(JSONValue.string) ?? .null),
            ("error_state", entry.error.map(errorState) ?? .null),
        ]))
    }

    /// The Connect API's timestamp form, `YYYY-MM-DDTHH:MM:SSZ`.
    private static func secondsText(_ text: String) -> String {
        UTCTimestamp(iso8601: text)?.secondsText ?? text
    }

    /// The docs' example nests the failure in `notification_data` and warn that "this object
    /// and its attributes are subject to change"; these are the members clients read
    /// (`message`, `error`, `status`, `warehouse_message`). The `error` code is the sandbox's own [?].
    private static func errorState(_ message: String) -> JSONValue {
        ["notification_data": [
            "message": .string(message),
            "exception_message": .string(message),
            "error": "LOADER_ERROR",
            "status": "ERROR",
            "warehouse_message": .string(message),
        ]]
    }
}
