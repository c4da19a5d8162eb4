/// One element of `GET /v4/sources/{id}/streams` (spec §2.5.10): a table or endpoint that
/// discovery found. Named `SourceStream` because Foundation already has a `Stream`.
public struct SourceStream: Codable, Sendable, Hashable, Identifiable {
    /// What `GET /v4/sources/{id}/streams/{stream_id}` takes.
    public var streamID: Int
    /// What `PUT /v4/sources/{id}/streams/metadata` names the stream by.
    public var tapStreamID: String
    public var streamName: String
    /// Null until someone chose; then whether the stream is replicated.
    public var selected: Bool?
    /// Stream-level metadata (`table-key-properties`, `is-view`, `replication-method` …).
    public var metadata: JSONObject

    public var id: Int { streamID }

    public init(streamID: Int, tapStreamID: String, streamName: String, selected: Bool?,
                metadata: JSONObject = JSONObject()) {
        self.streamID = streamID
        self.tapStreamID = tapStreamID
        self.streamName = streamName
        self.selected = selected
        self.metadata = metadata
    }

    /// `selected` read as a choice: null means not selected.
    public var isSelected: Bool { selected == true }

    /// `table-key-properties`: the stream's primary key fields.
    public var keyProperties: [String] { metadata["table-key-properties"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    enum CodingKeys: String, CodingKey {
        case selected
        case streamID = "stream_id"
        case tapStreamID = "tap_stream_id"
        case streamName = "stream_name"
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        streamID = try container.decode(Int.self, forKey: .streamID)
        tapStreamID = try container.decode(String.self, forKey: .tapStreamID)
        streamName = try container.decode(String.self, forKey: .streamName)
        selected = try container.decodeIfPresent(Bool.self, forKey: .selected)
        metadata = try container.decodeIfPresent(JSONValue.self, forKey: .metadata)?.objectValue ?? JSONObject()
    }

    /// In the order of the docs' example, with an explicit `"selected": null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(selected, forKey: .selected)
        try container.encode(streamID, forKey: .streamID)
        try container.encode(tapStreamID, forKey: .tapStreamID)
        try container.encode(streamName, forKey: .streamName)
        try container.encode(JSONValue.object(metadata), forKey: .metadata)
    }
}
