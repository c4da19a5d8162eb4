import Foundation
import Hummingbird
import StitchAPI

/// Reply builders. Every reply is `application/json` except the documented plain-text 415
/// (spec §3.9: target-stitch rejects a 2xx whose content type is not JSON).
enum HTTPReplies {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    /// Encodes a StitchAPI model, keeping the key order its `encode(to:)` writes.
    static func json(encoding value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        json(jsonValue(of: value), status: status)
    }

    static func jsonValue(of value: some Encodable) -> JSONValue {
        // The models encode only strings, numbers, booleans and nulls, which cannot fail.
        (try? OrderedJSONEncoder.encode(value)) ?? .null
    }

    static func connectError(_ error: ConnectError) -> Response {
        json(error.json, status: HTTPResponse.Status(code: error.status))
    }

    static func plainText(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// 503 for a request that waited too long for body budget (see `BodyBudget`), in the Import
    /// API's error shape. `Retry-After` and `Connection: close`: the client should come back
    /// later on a new connection, not send its body now.
    static var busyReceiving: Response {
        var response = json(["status": "ERROR", "message": "The server is busy receiving other batches; retry later."],
                            status: .serviceUnavailable)
        response.headers[.retryAfter] = "5"
        response.headers[.connection] = "close"
        return response
    }

    /// `{"error": "<message>"}`: the batch endpoint's 400 shape.
    static func batchRejected(_ message: String) -> Response {
        json(.object(JSONObject([("error", .string(message))])), status: .badRequest)
    }
}

extension Request {
    /// The token of an `Authorization: Bearer <token>` header.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
