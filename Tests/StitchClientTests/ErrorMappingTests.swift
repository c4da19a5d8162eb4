import Foundation
import StitchAPI
import StitchClient
import Testing

/// Non-2xx replies become `StitchAPIError` with the status code and the message of the body's shape.
@Suite struct ErrorMappingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var status: Int
        var contentType: String = "application/json"
        var body: String
        var expected: ErrorBody
        var testDescription: String { "\(status) \(body.prefix(40))" }
    }

    static let batchCases: [Case] = [
        Case(status: 400, body: #"{"error":"Record 0 did not conform to schema:\n#/name: expected type: String, found: Integer\n"}"#,
             expected: .rejected(message: "Record 0 did not conform to schema:\n#/name: expected type: String, found: Integer\n")),
        Case(status: 400, body: #"{"error":"Record is missing key property id"}"#,
             expected: .rejected(message: "Record is missing key property id")),
        Case(status: 400, body: #"{"error":"Request failed validation:#: required key [messages] not found"}"#,
             expected: .rejected(message: "Request failed validation:#: required key [messages] not found")),
        Case(status: 401, body: #"{"message":"Not Authorized"}"#, expected: .unauthorized(message: "Not Authorized")),
        Case(status: 401, body: #"{"message":"Invalid region."}"#, expected: .unauthorized(message: "Invalid region.")),
        Case(status: 401, body: #"{"error":"Forbidden","errors":{"error":"Connection is not active."}}"#,
             expected: .forbidden(message: "Connection is not active.")),
        Case(status: 413, body: #"{"status":"ERROR","message":"Request rejected: request size (21000000s bytes) exceeds the maximum"}"#,
             expected: .importError(message: "Request rejected: request size (21000000s bytes) exceeds the maximum")),
        Case(status: 415, contentType: "text/plain", body: "Content-Type must be application/json",
             expected: .text("Content-Type must be application/json")),
        Case(status: 413, contentType: "text/html",
             body: "<html><head><title>413 Request Entity Too Large</title></head></html>",
             expected: .text("<html><head><title>413 Request Entity Too Large</title></head></html>")),
        Case(status: 503, body: #"{"status":"ERROR","message":"Service unavailable"}"#,
             expected: .importError(message: "Service unavailable")),
        Case(status: 504, contentType: "text/plain", body: "", expected: .text("")),
    ]

    static let connectCases: [Case] = [
        Case(status: 400, body: #"{"error":"InvalidName","data":{"message":"non-unique name (import_api)"}}"#,
             expected: .connect(code: "InvalidName", message: "non-unique name (import_api)", badProperties: nil)),
        Case(status: 400,
             body: #"{"error":"InvalidDisplayName","data":{"message":"invalid name after deriving it from display_name (#### -> )"}}"#,
             expected: .connect(code: "InvalidDisplayName",
                                message: "invalid name after deriving it from display_name (#### -> )", badProperties: nil)),
        Case(status: 400, body: #"{"error":"AccessDenied","data":{"message":"you do not have access to source type (import_api)"}}"#,
             expected: .connect(code: "AccessDenied", message: "you do not have access to source type (import_api)",
                                badProperties: nil)),
        Case(status: 400, body: #"{"error":"InvalidBody","data":{"message":"POST body may only include a non-empty type"}}"#,
             expected: .connect(code: "InvalidBody", message: "POST body may only include a non-empty type",
                                badProperties: nil)),
        Case(status: 404, contentType: "text/plain", body: "Not Found", expected: .text("Not Found")),
        Case(status: 500, body: #""internal error""#, expected: .text("internal error")),
        Case(status: 502, body: #"{"error":{"type":"bad_gateway","message":"upstream failed"}}"#,
             expected: .job(type: "bad_gateway", message: "upstream failed")),
    ]

    @Test(arguments: batchCases)
    func batchErrors(_ testCase: Case) async throws {
        let reply = CannedReply(status: testCase.status, contentType: testCase.contentType, body: testCase.body)
        try await CannedServer.run(routes: ["POST /v2/import/batch": reply]) { port, _ in
            let client = try ImportClient(baseURL: "http://127.0.0.1:\(port)", token: "at_fake_token")
            do {
                _ = try await client.sendBatch(body: Array(CannedBodies.tutorialBatch.utf8))
                Issue.record("HTTP \(testCase.status) was taken as success")
            } catch let error as StitchAPIError {
                #expect(error.statusCode == testCase.status)
                #expect(error.body == testCase.expected)
                #expect(error.message == testCase.expected.message)
                #expect(error.rawBody == testCase.body)
            }
        }
    }

    @Test(arguments: connectCases)
    func connectErrors(_ testCase: Case) async throws {
        let reply = CannedReply(status: testCase.status, contentType: testCase.contentType, body: testCase.body)
        try await CannedServer.run(routes: ["POST /v4/sources": reply]) { port, _ in
            let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: "ac_fake_token")
            do {
                _ = try await client.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"))
                Issue.record("HTTP \(testCase.status) was taken as success")
            } catch let error as StitchAPIError {
                #expect(error.statusCode == testCase.status)
                #expect(error.body == testCase.expected)
                #expect(error.description == "HTTP \(testCase.status): \(testCase.expected.message)")
            }
        }
    }

    @Test func undecodableSuccessNamesWhatIsMissing() async throws {
        try await CannedServer.run(routes: ["GET /v4/sources/7": .json(#"{"id":7,"type":"import_api"}"#)]) { port, _ in
            let client = try ConnectClient(baseURL: "http://127.0.0.1:\(port)", token: "ac_fake_token")
            do {
                _ = try await client.source(id: 7)
                Issue.record("an incomplete Source was accepted")
            } catch let error as StitchClientError {
                guard case .unexpectedReply(let status, let expected, let problem, let snippet) = error else {
                    Issue.record("wrong error \(error)")
                    return
                }
                #expect(status == 200)
                #expect(expected == "a Source object")
                #expect(problem.contains("missing"))
                #expect(snippet == #"{"id":7,"type":"import_api"}"#)
                #expect(error.description.contains("HTTP 200"))
            }
        }
    }
}
