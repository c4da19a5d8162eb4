import StitchAPI

/// A Connect API v4 error reply, in the sources' documented shape (spec §2.2, shape 1):
/// `{"error": "<Code>", "data": {"message": "<text>", ...}}`.
struct ConnectError: Error, Sendable, Hashable {
    var status: Int
    var code: String
    var message: String
    /// More members of `data`, e.g. `bad_properties` for `InvalidProperties`.
    var extraData: JSONObject = JSONObject()

    var json: JSONValue {
        var data = JSONObject()
        data["message"] = .string(message)
        for (key, value) in extraData.members { data[key] = value }
        return .object(JSONObject([("error", .string(code)), ("data", .object(data))]))
    }

    static let invalidBodyMessage =
        "POST body may only include a non-empty type, a non-empty display_name and map of string properties"

    static func invalidBody(_ message: String = invalidBodyMessage) -> ConnectError {
        ConnectError(status: 400, code: "InvalidBody", message: message)
    }

    static func invalidType(_ type: String, status: Int = 400) -> ConnectError {
        ConnectError(status: status, code: "InvalidType", message: "invalid source type (\(type))")
    }

    /// `source not found (<id>)`, documented with 400 for update, delete and tokens.
    static func sourceNotFound(_ id: String, status: Int = 400) -> ConnectError {
        ConnectError(status: status, code: "InvalidId", message: "source not found (\(id))")
    }

    /// A token id the source does not have. Undocumented [?]: the same code and shape as an
    /// unknown source.
    static func tokenNotFound(_ id: String) -> ConnectError {
        ConnectError(status: 400, code: "InvalidId", message: "token not found (\(id))")
    }

    /// The 401 body is undocumented [?]; this reuses the sources' shape with the `AccessDenied`
    /// code the docs use for permission failures, so clients can branch on one shape.
    static let unauthorized = ConnectError(
        status: 401, code: "AccessDenied",
        message: "missing or invalid Connect API access token (send Authorization: Bearer <token>)")

    static func internalError(_ message: String) -> ConnectError {
        ConnectError(status: 500, code: "InternalError", message: message)
    }
}
