import Hummingbird
import StitchAPI

/// The Import API's reply bodies (spec §3.3, §3.5), documented texts verbatim. Everything is JSON
/// with `Content-Type: application/json` except the batch endpoint's 415 and push-style 405s, which
/// the docs show as plain text.
enum ImportReplies {
    /// A missing or unknown token, on every Import endpoint.
    static var notAuthorized: Response { HTTPReplies.json(["message": "Not Authorized"], status: .unauthorized) }

    /// A paused or deleted source. Documented as 401, not 403 (spec §3.3, "sic").
    static var connectionNotActive: Response {
        HTTPReplies.json(["error": "Forbidden", "errors": ["error": "Connection is not active."]], status: .unauthorized)
    }

    static func tooLarge(_ size: Int) -> Response {
        // The docs' text reads "(<N>s bytes)"; the stray "s" looks like a template slip, so it is left out [?].
        var response = HTTPReplies.json(
            ["status": "ERROR", "message": .string("Request rejected: request size (\(size) bytes) exceeds the maximum")],
            status: .contentTooLarge)
        // The rest of the body is not read; closing is simpler for the client than draining it.
        response.headers[.connection] = "close"
        return response
    }

    /// The batch endpoint's 415 is plain text (spec §3.3), the one non-JSON reply clients read.
    static var batchNeedsJSON: Response {
        HTTPReplies.plainText("Content-Type must be application/json", status: .unsupportedMediaType)
    }

    /// Push and validate answer 415 in JSON, naming what was sent (spec §3.5).
    static func pushUnsupportedMediaType(_ mediaType: ImportRequestBody.MediaType) -> Response {
        let sent = switch mediaType {
        case .other(let name): name
        // A JVM service prints an absent header as "null".
        case .missing: "null"
        case .json: "application/json"
        case .transitJSON: "application/transit+json"
        }
        return HTTPReplies.json(
            ["status": "ERROR",
             "message": .string("Unsupported content-type \(sent). Please send application/json or application/transit+json")],
            status: .unsupportedMediaType)
    }

    /// The documented push reply for bad JSON; the batch endpoint's is undocumented [?] and, the gate being
    /// one service with one body parser, is taken to be the same. `error` mimics Jackson's wording.
    /// `what` is "json" (documented) or "transit" (the sandbox's twin for bad Transit [?]).
    static func malformed(_ what: String, error: String) -> Response {
        var object = JSONObject()
        object["status"] = "ERROR"
        object["message"] = .string("Malformed \(what) in the body!")
        object["error"] = .string(error)
        object["input"] = .null
        return HTTPReplies.json(.object(object), status: .badRequest)
    }

    /// A parser's complaint with its position, worded like Jackson's, which the docs' example shows:
    /// `Unexpected character (']' (code 93)): expected a value\n at [Source: …; line: 16, column: 2]`.
    static func jacksonStyle(_ problem: String, offset: Int, in body: [UInt8]) -> String {
        let (line, column) = position(of: offset, in: body)
        return "\(problem)\n at [Source: (request body); line: \(line), column: \(column)]"
    }

    /// A body that stopped arriving before it was complete; the client is probably gone.
    static var bodyInterrupted: Response {
        HTTPReplies.json(["status": "ERROR", "message": "The request body ended before it was complete."],
                         status: .badRequest)
    }

    static var batchAccepted: Response { HTTPReplies.json(encoding: BatchStatus.accepted, status: .created) }

    static var batchValid: Response { HTTPReplies.json(["status": "OK", "message": "Batch is valid!"]) }

    /// Not stored, so not accepted: a 503 makes clients such as target-stitch retry.
    static var notStored: Response {
        HTTPReplies.json(["status": "ERROR", "message": "The batch could not be stored; try again later."],
                         status: .serviceUnavailable)
    }

    /// Validation never started: the request was cancelled while it waited for a thread.
    static var notValidated: Response {
        HTTPReplies.json(["status": "ERROR", "message": "The batch could not be validated; try again later."],
                         status: .serviceUnavailable)
    }

    /// `GET /v2/import/status`: 200 with the documented body (spec §3.2), or, when `problem` says why a
    /// batch sent now would not be accepted, 503 ("do not post data", §3.2/§3.6) with the same body,
    /// `status` "ERROR" and `reason` the problem [?]: the docs show only the OK body, whose `reason`
    /// is null, so a filled `reason` is the natural place. `message` repeats it because that is
    /// where the Import API's error bodies (`{"status":"ERROR","message":…}`, §3.6) and the clients
    /// that read them, the wizard's included, look for the text.
    static func status(problem: String?) -> Response {
        let healthy = ImportAPIStatus(version: "0.1.0-sandbox", revision: "stitch-sandbox")
        guard let problem else { return HTTPReplies.json(encoding: healthy) }
        var failing = healthy
        failing.status = "ERROR"
        failing.reason = problem
        guard case .object(var body) = HTTPReplies.jsonValue(of: failing) else {
            return HTTPReplies.json(["status": "ERROR", "message": .string(problem)], status: .serviceUnavailable)
        }
        body["message"] = .string(problem)
        return HTTPReplies.json(.object(body), status: .serviceUnavailable)
    }

    /// 405. Push's body is documented as the text `Method not allowed.` (spec §3.5), and validate shares
    /// push's errors (§3.4). The batch and status endpoints' 405 is undocumented [?]: they answer in the
    /// Import API's JSON error shape, since clients of those endpoints expect JSON (§3.9).
    static func methodNotAllowed(allowed: String, plainText: Bool) -> Response {
        var response = plainText
            ? HTTPReplies.plainText("Method not allowed.", status: .methodNotAllowed)
            : HTTPReplies.json(["status": "ERROR", "message": "Method not allowed."], status: .methodNotAllowed)
        response.headers[.allow] = allowed
        return response
    }

    /// 1-based line and column of a byte offset, as Jackson reports positions.
    static func position(of offset: Int, in body: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in body.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Continuation bytes of a UTF-8 sequence do not start a new column.
                column += 1
            }
        }
        return (line, column)
    }
}
