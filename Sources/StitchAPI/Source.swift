/// A Connect API v4 Source object (spec §2.4.1).
public struct Source: Codable, Sendable, Hashable, Identifiable {
    public var id: Int
    public var type: String
    public var displayName: String?
    /// The destination schema name, derived from `display_name` at creation; never changes.
    public var name: String
    /// Form values without credentials; values are usually strings.
    public var properties: JSONObject
    public var reportCard: ReportCard
    public var schedule: JSONValue?
    public var stitchClientID: Int
    public var createdAt: String
    public var updatedAt: String
    public var pausedAt: String?
    public var systemPausedAt: String?
    public var deletedAt: String?
    public var checkJobName: String?

    public init(id: Int, type: String, displayName: String?, name: String, properties: JSONObject = JSONObject(),
                reportCard: ReportCard, schedule: JSONValue? = nil, stitchClientID: Int, createdAt: String,
                updatedAt: String, pausedAt: String? = nil, systemPausedAt: String? = nil, deletedAt: String? = nil,
                checkJobName: String? = nil) {
        self.id = id
        self.type = type
        self.displayName = displayName
        self.name = name
        self.properties = properties
        self.reportCard = reportCard
        self.schedule = schedule
        self.stitchClientID = stitchClientID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.pausedAt = pausedAt
        self.systemPausedAt = systemPausedAt
        self.deletedAt = deletedAt
        self.checkJobName = checkJobName
    }

    /// Whether Import API pushes are accepted: neither paused nor deleted.
    public var isActive: Bool { pausedAt == nil && systemPausedAt == nil && deletedAt == nil }

    enum CodingKeys: String, CodingKey {
        case id, type, name, properties, schedule
        case displayName = "display_name"
        case reportCard = "report_card"
        case stitchClientID = "stitch_client_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case pausedAt = "paused_at"
        case systemPausedAt = "system_paused_at"
        case deletedAt = "deleted_at"
        case checkJobName = "check_job_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        name = try container.decode(String.self, forKey: .name)
        properties = try container.decodeIfPresent(JSONValue.self, forKey: .properties)?.objectValue ?? JSONObject()
        reportCard = try container.decode(ReportCard.self, forKey: .reportCard)
        schedule = try container.decodeIfPresent(JSONValue.self, forKey: .schedule)
        stitchClientID = try container.decode(Int.self, forKey: .stitchClientID)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
        pausedAt = try container.decodeIfPresent(String.self, forKey: .pausedAt)
        systemPausedAt = try container.decodeIfPresent(String.self, forKey: .systemPausedAt)
        deletedAt = try container.decodeIfPresent(String.self, forKey: .deletedAt)
        checkJobName = try container.decodeIfPresent(String.self, forKey: .checkJobName)
    }

    // Written by hand because the API sends explicit nulls (`"paused_at": null`), which
    // synthesized encoding would leave out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(JSONValue.object(properties), forKey: .properties)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(schedule ?? .null, forKey: .schedule)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(deletedAt, forKey: .deletedAt)
        try container.encode(systemPausedAt, forKey: .systemPausedAt)
        try container.encode(stitchClientID, forKey: .stitchClientID)
        try container.encode(pausedAt, forKey: .pausedAt)
        try container.encode(id, forKey: .id)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(reportCard, forKey: .reportCard)
        try container.encodeIfPresent(checkJobName, forKey: .checkJobName)
    }
}

/// Body of `POST /v4/sources`.
public struct CreateSourceRequest: Codable, Sendable, Hashable {
    public var type: String
    public var displayName: String
    public var properties: [String: String]?

    public init(type: String, displayName: String, properties: [String: String]? = nil) {
        self.type = type
        self.displayName = displayName
        self.properties = properties
    }

    enum CodingKeys: String, CodingKey {
        case type
        case displayName = "display_name"
        case properties
    }
}
