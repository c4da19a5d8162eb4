/// Body of `PUT /v4/sources/{id}/streams/metadata` (spec §2.5.10): per stream, the metadata
/// entries to set. Only `non-discoverable-metadata-keys` may be set (`selected`,
/// `replication-method`, `replication-key`, `view-key-properties`), and only while the source is
/// at `field_selection` or `fully_configured`.
public struct StreamMetadataUpdate: Codable, Sendable, Hashable {
    public struct Change: Codable, Sendable, Hashable {
        public var tapStreamID: String
        public var metadata: [StreamMetadataEntry]

        public init(tapStreamID: String, metadata: [StreamMetadataEntry]) {
            self.tapStreamID = tapStreamID
            self.metadata = metadata
        }

        enum CodingKeys: String, CodingKey {
            case tapStreamID = "tap_stream_id"
            case metadata
        }
    }

    public var streams: [Change]

    public init(streams: [Change]) { self.streams = streams }

    /// Selects (or deselects) one stream and sets its fields' selection, with the stream-level
    /// `replication-method` when given (database sources ask for one: `FULL_TABLE`,
    /// `INCREMENTAL`, `LOG_BASED`).
    public static func select(_ tapStreamID: String, selected: Bool = true, fields: [String: Bool] = [:],
                              replicationMethod: String? = nil) -> Change {
        var stream = JSONObject([("selected", .bool(selected))])
        if let replicationMethod { stream["replication-method"] = .string(replicationMethod) }
        let fieldEntries = fields.sorted { $0.key < $1.key }.map { StreamMetadataEntry.field($0.key, selected: $0.value) }
        return Change(tapStreamID: tapStreamID, metadata: [.stream(stream)] + fieldEntries)
    }
}
