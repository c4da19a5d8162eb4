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
            return HTTPReplies.json(encoding: reply(page: page, clientID: clientID))
        }
    }

    private func reply(page: Int, clientID: Int) -> StreamLoadPage {
        let loads = history.lastLoads()
        let start = min((page - 1) * Self.pageSize, loads.count)
        let slice = loads[start..<min(start + Self.pageSize, loads.count)]
        // Relative links, present only when there is such a page (documented: empty when total < 101).
        let links = StreamLoadPage.Links(
            next: page * Self.pageSize < loads.count ? "/v4/\(clientID)/loads?page=\(page + 1)" : nil,
            previous: page > 1 ? "/v4/\(clientID)/loads?page=\(page - 1)" : nil)
        return StreamLoadPage(data: slice.map { Self.load(of: $0, clientID: clientID) }, page: page, total: loads.count,
                              links: links)
    }

    private static func load(of entry: LoadHistory.Entry, clientID: Int) -> StreamLoad {
        StreamLoad(stitchClientID: clientID, sourceName: entry.sourceName, streamName: entry.streamName,
                   lastBatchLoadedAt: entry.lastBatchLoadedAt.map(secondsText), errorState: entry.error.map(errorState))
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
