import Foundation

/// An error reply from either API, with its status code. The APIs have no single error
/// envelope (spec §2.2, §3.3, §3.6), so the body is classified by shape.
public struct StitchAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var statusCode: Int
    public var body: ErrorBody
    /// The reply body as received, for showing it verbatim.
    public var rawBody: String?

    public init(statusCode: Int, body: ErrorBody, rawBody: String? = nil) {
        self.statusCode = statusCode
        self.body = body
        self.rawBody = rawBody
    }

    public init(statusCode: Int, data: Data) {
        self.init(statusCode: statusCode, body: ErrorBody(data: data), rawBody: String(decoding: data, as: UTF8.self))
    }

    public var message: String { body.message }
    public var description: String { "HTTP \(statusCode): \(message)" }
}

/// The documented error body shapes.
public enum ErrorBody: Sendable, Hashable {
    /// Sources and destinations v4: `{"error":"InvalidName","data":{"message":"…"}}`.
    case connect(code: String, message: String, badProperties: [String]?)
    /// Replication jobs: `{"error":{"type":"already_running","message":"…"}}`.
    case job(type: String, message: String)
    /// Accounts: `{"code":"BadRequest","message":"…"}`.
    case account(code: String, message: String)
    /// Import API batch rejections: `{"error":"Record 0 did not conform to schema: …"}`.
    case rejected(message: String)
    /// Import API `{"status":"ERROR","message":"…"}` (413, push errors).
    case importError(message: String)
    /// `{"message":"Not Authorized"}`, `{"message":"Invalid region."}`.
    case unauthorized(message: String)
    /// A paused or deleted source: `{"error":"Forbidden","errors":{"error":"Connection is not active."}}`.
    case forbidden(message: String)
    /// Stream selection: `{"invalid_fields": "…"}` (`PUT /v4/sources/{id}/streams/metadata`).
    case invalidFields(message: String)
    /// A bare JSON string, a plain-text body, or anything else.
    case text(String)

    public var message: String {
        switch self {
        case .connect(_, let message, _), .job(_, let message), .account(_, let message), .rejected(let message),
             .importError(let message), .unauthorized(let message), .forbidden(let message),
             .invalidFields(let message), .text(let message):
            message
        }
    }

    /// The `error`/`code`/`type` discriminator where the shape has one.
    public var code: String? {
        switch self {
        case .connect(let code, _, _), .account(let code, _), .job(let code, _): code
        case .forbidden: "Forbidden"
        default: nil
        }
    }

    public init(data: Data) {
        guard let json = try? JSONParser.parse(data) else {
            self = .text(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            return
        }
        self.init(json: json)
    }

    public init(json: JSONValue) {
        switch json {
        case .string(let text):
            self = .text(text)
        case .object(let object):
            if let code = object["error"]?.stringValue, let data = object["data"]?.objectValue {
                self = .connect(code: code, message: data["message"]?.stringValue ?? code,
                                badProperties: data["bad_properties"]?.arrayValue?.compactMap(\.stringValue))
            } else if let error = object["error"]?.objectValue {
                if let type = error["type"]?.stringValue {
                    self = .job(type: type, message: error["message"]?.stringValue ?? type)
                } else {
                    self = .text(error["message"]?.stringValue ?? json.jsonText)
                }
            } else if let code = object["error"]?.stringValue, let errors = object["errors"]?.objectValue {
                self = .forbidden(message: errors["error"]?.stringValue ?? code)
            } else if let code = object["code"]?.stringValue {
                self = .account(code: code, message: object["message"]?.stringValue ?? code)
            } else if object["status"]?.stringValue == "ERROR" {
                let message = object["message"]?.stringValue ?? object["error"]?.stringValue ?? json.jsonText
                self = .importError(message: message)
            } else if let message = object["invalid_fields"]?.stringValue {
                self = .invalidFields(message: message)
            } else if let message = object["error"]?.stringValue {
                self = .rejected(message: message)
            } else if let message = object["message"]?.stringValue {
                self = .unauthorized(message: message)
            } else {
                self = .text(json.jsonText)
            }
        default:
            self = .text(json.jsonText)
        }
    }
}
