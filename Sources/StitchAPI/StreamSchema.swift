/// `GET /v4/sources/{id}/streams/{stream_id}` (spec §2.5.10): a stream's JSON Schema and its
/// metadata entries, one for the stream and one per field.
public struct StreamSchema: Codable, Sendable, Hashable {
    /// The stream's JSON Schema. The docs' example sends it as a string holding JSON; an object
    /// is read as well.
    public var schema: JSONValue
    public var metadata: [StreamMetadataEntry]
    /// The metadata keys a client may set; the rest is discovered.
    public var nonDiscoverableMetadataKeys: [String]

    public init(schema: JSONValue, metadata: [StreamMetadataEntry], nonDiscoverableMetadataKeys: [String]) {
        self.schema = schema
        self.metadata = metadata
        self.nonDiscoverableMetadataKeys = nonDiscoverableMetadataKeys
    }

    /// The stream-level entry (empty breadcrumb), if any.
    public var streamMetadata: StreamMetadataEntry? { metadata.first(where: \.isStreamLevel) }

    /// The field-level entries, in the reply's order.
    public var fields: [(name: String, entry: StreamMetadataEntry)] {
        metadata.compactMap { entry in entry.fieldName.map { ($0, entry) } }
    }

    /// The field names a user may select or deselect (`inclusion: available`).
    public var selectableFields: [String] {
        fields.filter { $0.entry.inclusion?.isSelectable ?? true }.map(\.name)
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case metadata
        case nonDiscoverableMetadataKeys = "non-discoverable-metadata-keys"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try container.decodeIfPresent(JSONValue.self, forKey: .schema) ?? .null
        if case .string(let text) = raw {
            do {
                schema = try JSONParser.parse(text)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .schema, in: container,
                                                       debugDescription: "schema is a string that is not JSON")
            }
        } else {
            schema = raw
        }
        metadata = try container.decodeIfPresent([StreamMetadataEntry].self, forKey: .metadata) ?? []
        nonDiscoverableMetadataKeys = try container.decodeIfPresent([String].self, forKey: .nonDiscoverableMetadataKeys)
            ?? []
    }

    /// As the docs' example: `schema` as a string holding JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema.jsonText, forKey: .schema)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(nonDiscoverableMetadataKeys, forKey: .nonDiscoverableMetadataKeys)
    }
}
