import StitchAPI

/// The streams endpoints' documented error replies (`_data/connect/response-codes/streams.yml`).
/// They do not use the sources' `{"error", "data"}` shape: some are bare JSON strings, others
/// `{"invalid_fields": "..."}`.
enum StreamError: Error, Sendable, Hashable {
    /// An unknown source: the sources' own `InvalidId` reply. The streams table documents
    /// "Invalid source ID" with the stream-id text, which reads like a copy slip [?]; the
    /// sources' body says what is actually wrong.
    case source(ConnectError)
    /// `GET .../streams/{stream_id}` with an id the source does not have.
    case invalidStreamID(String)
    /// A metadata body without `streams`, `breadcrumb` or `metadata`.
    case malformedBody
    /// A metadata body that names what cannot be changed.
    case invalidFields(String)

    var status: Int {
        if case .source(let error) = self { return error.status }
        return 400
    }

    var json: JSONValue {
        switch self {
        case .source(let error): error.json
        case .invalidStreamID(let id): .string("invalid stream-id: \(id)")
        case .malformedBody: "body must contain a 'streams' property with a list of metadatas by tap_stream_id"
        case .invalidFields(let text): ["invalid_fields": .string(text)]
        }
    }
}
