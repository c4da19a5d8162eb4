import Foundation
import StitchAPI
import Testing

/// Every documented error body shape (spec §2.2, §2.5.3, §3.3, §3.5, §3.6), from Fixtures/errors.
@Suite struct ErrorBodyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var statusCode: Int
        var expected: ErrorBody
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        // Connect sources v4: {"error": <Code>, "data": {"message": ...}}
        Case(file: "connect-invalid-display-name.json", statusCode: 400, expected: .connect(
            code: "InvalidDisplayName", message: "invalid name after deriving it from display_name (#### -> )",
            badProperties: nil)),
        Case(file: "connect-invalid-name.json", statusCode: 400,
             expected: .connect(code: "InvalidName", message: "non-unique name (import_api)", badProperties: nil)),
        Case(file: "connect-invalid-type.json", statusCode: 400, expected: .connect(
            code: "InvalidType", message: "invalid source type (platform.nope)", badProperties: nil)),
        Case(file: "connect-access-denied.json", statusCode: 400, expected: .connect(
            code: "AccessDenied", message: "you do not have access to source type (platform.marketo)",
            badProperties: nil)),
        Case(file: "connect-invalid-properties.json", statusCode: 400, expected: .connect(
            code: "InvalidProperties", message: "properties do not match schema",
            badProperties: ["start_date", "frequency_in_minutes"])),
        Case(file: "connect-invalid-id.json", statusCode: 400,
             expected: .connect(code: "InvalidId", message: "source not found (999)", badProperties: nil)),
        // Replication jobs: {"error": {"type", "message"}}, already_running comes with HTTP 200.
        Case(file: "job-already-running.json", statusCode: 200, expected: .job(
            type: "already_running", message: "A replication job is already running for this source")),
        Case(file: "job-invalid-source.json", statusCode: 400,
             expected: .job(type: "invalid_source", message: "source is deleted or does not exist")),
        // Accounts: {"code", "message"}
        Case(file: "account-existing-user.json", statusCode: 400,
             expected: .account(code: "ExistingUser", message: "A user with this email already exists")),
        // Notifications: {"error": {"message"}}
        Case(file: "notification-error-message.json", statusCode: 400, expected: .text("too many hooks")),
        // Destinations: bare strings, JSON or not.
        Case(file: "destination-bare-string.json", statusCode: 400, expected: .text("you are at your destination limit")),
        Case(file: "destination-plain-text.txt", statusCode: 400,
             expected: .text("an account can have at most one destination")),
        // Import API batch: {"error": "<text>"}
        Case(file: "batch-required-key.json", statusCode: 400,
             expected: .rejected(message: "Request failed validation:#: required key [messages] not found")),
        Case(file: "batch-extraneous-key.json", statusCode: 400,
             expected: .rejected(message: "Request failed validation:#: extraneous key [extra] is not permitted")),
        Case(file: "batch-wrong-type.json", statusCode: 400,
             expected: .rejected(message: "Request failed validation:#/table_name: expected type: String, found: Integer")),
        Case(file: "batch-record-not-conform.json", statusCode: 400,
             expected: .rejected(message: "Record 0 did not conform to schema:\n#/name: expected type: String, found: Integer\n")),
        Case(file: "batch-missing-key-property.json", statusCode: 400,
             expected: .rejected(message: "Record is missing key property id")),
        Case(file: "batch-invalid-json-schema.json", statusCode: 400,
             expected: .rejected(message: "Invalid JSON schema: unknown type: [strin]")),
        Case(file: "batch-sequence-too-large.json", statusCode: 400, expected: .rejected(
            message: "Request failed validation:#: sequence can not be above 9223372036854775807")),
        Case(file: "batch-schema-array.json", statusCode: 400, expected: .rejected(
            message: "Request failed validation:#/schema: expected type: JSONObject, found: JSONArray")),
        // Import API 401s: {"message"}
        Case(file: "import-not-authorized.json", statusCode: 401, expected: .unauthorized(message: "Not Authorized")),
        Case(file: "import-invalid-region.json", statusCode: 401, expected: .unauthorized(message: "Invalid region.")),
        Case(file: "import-connection-not-active.json", statusCode: 401,
             expected: .forbidden(message: "Connection is not active.")),
        // {"status":"ERROR", ...}
        Case(file: "import-too-large.json", statusCode: 413, expected: .importError(
            message: "Request rejected: request size (21000000s bytes) exceeds the maximum")),
        Case(file: "import-unsupported-media-type.txt", statusCode: 415,
             expected: .text("Content-Type must be application/json")),
        Case(file: "push-not-array.json", statusCode: 400,
             expected: .importError(message: "An array of records is expected")),
        Case(file: "push-malformed-json.json", statusCode: 400,
             expected: .importError(message: "Malformed json in the body!")),
        Case(file: "push-not-authenticated.json", statusCode: 401, expected: .importError(message: "Not Authenticated.")),
        Case(file: "push-client-mismatch.json", statusCode: 403,
             expected: .forbidden(message: "Access token is not associated with this client.")),
        Case(file: "push-method-not-allowed.txt", statusCode: 405, expected: .text("Method not allowed.")),
        Case(file: "push-unsupported-media-type.json", statusCode: 415, expected: .importError(
            message: "Unsupported content-type application/xml. Please send application/json or application/transit+json")),
        Case(file: "push-multiple-clients.json", statusCode: 422,
             expected: .importError(message: "Request cannot be processed; see errors.")),
        Case(file: "push-blank-table-name.json", statusCode: 422,
             expected: .importError(message: "Request cannot be processed; see errors.")),
    ]

    @Test(arguments: cases)
    func classifies(_ testCase: Case) throws {
        let data = try Fixture.data("errors/" + testCase.file)
        let error = StitchAPIError(statusCode: testCase.statusCode, data: data)
        #expect(error.body == testCase.expected)
        #expect(error.statusCode == testCase.statusCode)
        #expect(error.message == testCase.expected.message)
        #expect(error.description == "HTTP \(testCase.statusCode): \(testCase.expected.message)")
        #expect(error.rawBody == String(decoding: data, as: UTF8.self))
    }

    @Test func everyErrorFixtureIsCovered() throws {
        let folder = try Fixture.url("errors")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let covered = Set(Self.cases.map(\.file)).union(["push-too-large-nginx.html", "notification-invalid-body.json"])
        #expect(Set(files) == covered)
    }

    @Test func codesForBranching() throws {
        #expect(ErrorBody(data: try Fixture.data("errors/connect-invalid-name.json")).code == "InvalidName")
        #expect(ErrorBody(data: try Fixture.data("errors/job-already-running.json")).code == "already_running")
        #expect(ErrorBody(data: try Fixture.data("errors/account-existing-user.json")).code == "ExistingUser")
        #expect(ErrorBody(data: try Fixture.data("errors/import-connection-not-active.json")).code == "Forbidden")
        #expect(ErrorBody(data: try Fixture.data("errors/batch-missing-key-property.json")).code == nil)
        #expect(ErrorBody(data: try Fixture.data("errors/import-not-authorized.json")).code == nil)
    }

    /// An nginx 413 page instead of JSON (google-sheets-integration#14).
    @Test func htmlPageIsKeptAsText() throws {
        let body = ErrorBody(data: try Fixture.data("errors/push-too-large-nginx.html"))
        guard case .text(let text) = body else {
            Issue.record("expected .text, got \(body)")
            return
        }
        #expect(text.hasPrefix("<html>"))
        #expect(text.hasSuffix("</html>"))
        #expect(text.contains("413 Request Entity Too Large"))
    }

    /// `{"error":"InvalidBody"}` (notifications) has no data object; whatever the case, the code must reach the user.
    @Test func codeOnlyErrorKeepsTheCodeAsMessage() throws {
        let body = ErrorBody(data: try Fixture.data("errors/notification-invalid-body.json"))
        #expect(body.message == "InvalidBody")
    }

    @Test func emptyAndOddBodies() {
        #expect(ErrorBody(data: Data()) == .text(""))
        #expect(ErrorBody(data: Data("  \n".utf8)) == .text(""))
        #expect(ErrorBody(data: Data("[1,2]".utf8)) == .text("[1,2]"))
        #expect(ErrorBody(data: Data(#"{"unexpected":true}"#.utf8)) == .text(#"{"unexpected":true}"#))
        // The streams endpoints' documented 400 shape has its own case, its text as the message.
        #expect(ErrorBody(data: Data(#"{"invalid_fields":"streams[0]"}"#.utf8)) == .invalidFields(message: "streams[0]"))
    }
}
