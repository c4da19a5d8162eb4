import Foundation
import StitchAPI
import StitchSandbox
import Testing

/// Runs `body` against a sandbox whose simulated discovery takes `discoveryDelay`.
func withConnectSandbox<T>(discoveryDelay: Duration = .milliseconds(50), dataDirectory: String? = nil,
                           _ body: (RunningSandbox) async throws -> T) async throws -> T {
    try await withSandbox(dataDirectory: dataDirectory, discoveryDelay: discoveryDelay, body)
}

/// A Connect call with the sandbox's token; every Connect reply must be JSON.
func connect(_ sandbox: RunningSandbox, _ method: String, _ path: String, _ body: String? = nil,
             sourceLocation: SourceLocation = #_sourceLocation) async throws -> CurlReply {
    let reply = try await request(method, sandbox.baseURL + path, token: sandbox.connectToken, body: body)
    #expect(reply.contentType == "application/json", "\(method) \(path): \(reply.contentType)",
            sourceLocation: sourceLocation)
    #expect(reply.json != nil, "\(method) \(path) is not JSON: \(reply.body)", sourceLocation: sourceLocation)
    return reply
}

/// Creates a source and returns its JSON, failing the test on anything but 200.
func createSource(_ sandbox: RunningSandbox, _ body: String,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
    let reply = try await connect(sandbox, "POST", "/v4/sources", body, sourceLocation: sourceLocation)
    guard reply.status == 200, let json = reply.json else {
        throw TestFailure("POST /v4/sources \(body) -> \(reply.status) \(reply.body)")
    }
    return json
}

extension JSONValue {
    var intValue: Int? {
        if case .integer(let value) = self { return Int(value) }
        return nil
    }

    /// The report card's `current_step_type`.
    var stepType: String? { self["report_card"]?["current_step_type"]?.stringValue }
}

/// Polls `GET /v4/sources/{id}` until its card reaches `stepType`; the last Source seen.
func waitForStep(_ sandbox: RunningSandbox, source id: Int, _ stepType: String,
                 timeout: Duration = .seconds(20)) async throws -> JSONValue {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        let reply = try await connect(sandbox, "GET", "/v4/sources/\(id)")
        let source = try #require(reply.json)
        if source.stepType == stepType || clock.now > deadline { return source }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// Valid properties for every required field of the `platform.postgres` form.
let postgresProperties = #"{"host":"db.example.com","port":"5432","user":"stitch","password":"fake-pw-123","dbname":"shop"}"#
let fakePassword = "fake-pw-123"
