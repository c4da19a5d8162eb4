/// One `{"breadcrumb": [...], "metadata": {...}}` entry (Singer metadata, spec §2.5.10): an
/// empty breadcrumb is the stream itself, `["properties", "<field>"]` one of its fields.
/// The same shape is read from `GET .../streams/{stream_id}` and sent to `PUT .../streams/metadata`.
public struct StreamMetadataEntry: Codable, Sendable, Hashable {
    public var breadcrumb: [String]
    public var metadata: JSONObject

    public init(breadcrumb: [String], metadata: JSONObject) {
        self.breadcrumb = breadcrumb
        self.metadata = metadata
    }

    /// The stream-level entry that sets `metadata`.
    public static func stream(_ metadata: JSONObject) -> StreamMetadataEntry {
        StreamMetadataEntry(breadcrumb: [], metadata: metadata)
    }

    /// A field-level entry that selects or deselects `field`.
    public static func field(_ field: String, selected: Bool) -> StreamMetadataEntry {
        StreamMetadataEntry(breadcrumb: ["properties", field], metadata: JSONObject([("selected", .bool(selected))]))
    }

    /// Whether this entry is about the stream rather than one of its fields.
    public var isStreamLevel: Bool { breadcrumb.isEmpty }

    /// The field a `["properties", "<field>"]` breadcrumb names; nil for the stream or deeper paths.
    public var fieldName: String? {
        breadcrumb.count == 2 && breadcrumb[0] == "properties" ? breadcrumb[1] : nil
    }

    /// `selected`: null or absent until someone chose.
    public var selected: Bool? {
        if case .bool(let value)? = metadata["selected"] { return value }
        return nil
    }

    /// `selected-by-default`: what Stitch replicates when nobody chose.
    public var selectedByDefault: Bool? {
        if case .bool(let value)? = metadata["selected-by-default"] { return value }
        return nil
    }

    /// `inclusion` of a field: whether it may be deselected.
    public var inclusion: FieldInclusion? { metadata["inclusion"]?.stringValue.map(FieldInclusion.init(rawValue:)) }

    /// Whether the field (or stream) is replicated: always when `automatic`, never when
    /// `unsupported`, else `selected`, else `selected-by-default`.
    public var isReplicated: Bool {
        switch inclusion {
        case .automatic?: true
        case .unsupported?: false
        default: selected ?? selectedByDefault ?? false
        }
    }

    enum CodingKeys: String, CodingKey { case breadcrumb, metadata }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        breadcrumb = try container.decode([String].self, forKey: .breadcrumb)
        metadata = try container.decodeIfPresent(JSONValue.self, forKey: .metadata)?.objectValue ?? JSONObject()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(breadcrumb, forKey: .breadcrumb)
        try container.encode(JSONValue.object(metadata), forKey: .metadata)
    }
}

/// A field's `inclusion` (OAS `field-level-metadata`): `automatic` fields are always
/// replicated (keys, replication keys), `available` ones on request, `unsupported` never.
/// Unknown values are kept.
public enum FieldInclusion: Sendable, Hashable, CustomStringConvertible {
    case automatic
    case available
    case unsupported
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "automatic": self = .automatic
        case "available": self = .available
        case "unsupported": self = .unsupported
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .automatic: "automatic"
        case .available: "available"
        case .unsupported: "unsupported"
        case .other(let raw): raw
        }
    }

    public var description: String { rawValue }

    /// Whether a user may change the field's selection.
    public var isSelectable: Bool { self == .available }
}
