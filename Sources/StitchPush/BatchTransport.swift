import RecordInput
import StitchAPI
import StitchClient

/// Where batches go: the Import API, or (for `--dry-run`) a local check that sends nothing.
public protocol BatchTransport: Sendable {
    func send(_ body: [UInt8]) async -> AttemptOutcome
}

/// Sends through `ImportClient`, the project's only HTTP client code.
public struct ImportTransport: BatchTransport {
    public let client: ImportClient

    public init(client: ImportClient) { self.client = client }

    public func send(_ body: [UInt8]) async -> AttemptOutcome {
        do {
            let reply = try await client.postBatch(body: body)
            return AttemptOutcome(statusCode: reply.statusCode, body: reply.bodyText, retryAfter: reply.retryAfter)
        } catch let error as StitchClientError {
            return .transient(reason: error.description)
        } catch {
            return .transient(reason: String(describing: error))
        }
    }
}

/// Checks each batch as the Import API would (`BatchRecordRules`), sending nothing: a batch that
/// passes counts as accepted (200), one that fails as a 400 with the gate's text.
public struct DryRunTransport: BatchTransport {
    public init() {}

    public func send(_ body: [UInt8]) async -> AttemptOutcome {
        let request: BatchRequest
        do {
            request = try BatchRequest(json: JSONParser.parse(body))
        } catch {
            return .rejected(statusCode: 400, body: Self.errorBody("Request failed validation:#: \(error)"))
        }
        if request.messages.count > ImportLimits.maximumRecordsPerBatch || body.count > ImportLimits.maximumBodyBytes {
            return .rejected(statusCode: 400, body: Self.errorBody("the batch is over the Import API's limits"))
        }
        if let problem = BatchRecordRules.problem(with: request) {
            return .rejected(statusCode: 400, body: Self.errorBody(problem))
        }
        return .accepted(statusCode: 200)
    }

    private static func errorBody(_ message: String) -> String {
        JSONValue.object(JSONObject([("error", .string(message))])).jsonText
    }
}
