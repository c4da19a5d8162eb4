/// One element of `GET /v4/{client_id}/loads` (spec §2.5.10; `list-last-loads-for-account.md`):
/// the last load of one stream, which is how a client learns that an accepted batch landed.
public struct StreamLoad: Codable, Sendable, Hashable {
    public var stitchClientID: Int
    /// The source's `name`, i.e. the destination schema.
    public var sourceName: String
    /// The stream: for the Import API, the batch's `table_name`.
    public var streamName: String
    /// `YYYY-MM-DDTHH:MM:SSZ`; null while the stream is in an error state (documented).
    public var lastBatchLoadedAt: String?
    /// Why the last load failed; null when it did not. The docs warn the object "and its attributes
    /// are subject to change", so it is kept as JSON and read through `errorMessage`.
    public var errorState: JSONValue?

    public init(stitchClientID: Int, sourceName: String, streamName: String, lastBatchLoadedAt: String?,
                errorState: JSONValue? = nil) {
        self.stitchClientID = stitchClientID
        self.sourceName = sourceName
        self.streamName = streamName
        self.lastBatchLoadedAt = lastBatchLoadedAt
        self.errorState = errorState
    }

    enum CodingKeys: String, CodingKey {
        case stitchClientID = "stitch_client_id"
        case sourceName = "source_name"
        case streamName = "stream_name"
        case lastBatchLoadedAt = "last_batch_loaded_at"
        case errorState = "error_state"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stitchClientID = try container.decode(Int.self, forKey: .stitchClientID)
        sourceName = try container.decode(String.self, forKey: .sourceName)
        streamName = try container.decode(String.self, forKey: .streamName)
        lastBatchLoadedAt = try container.decodeIfPresent(String.self, forKey: .lastBatchLoadedAt)
        // A JSON null decodes as `.null`; keep "no error" as nil either way.
        let state = try container.decodeIfPresent(JSONValue.self, forKey: .errorState)
        errorState = state == .null ? nil : state
    }

    /// Writes a missing time or error as JSON null rather than leaving the key out, as Stitch does
    /// (the synthesized encoder would drop them), in the documented key order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stitchClientID, forKey: .stitchClientID)
        try container.encode(sourceName, forKey: .sourceName)
        try container.encode(streamName, forKey: .streamName)
        if let lastBatchLoadedAt { try container.encode(lastBatchLoadedAt, forKey: .lastBatchLoadedAt) }
        else { try container.encodeNil(forKey: .lastBatchLoadedAt) }
        if let errorState { try container.encode(errorState, forKey: .errorState) }
        else { try container.encodeNil(forKey: .errorState) }
    }

    /// The stream is in an error state.
    public var isInError: Bool { errorState != nil }

    /// What went wrong, for a person: the docs' example nests it in `notification_data`
    /// (`message`, else `warehouse_message`, `exception_message`, `error`); a bare string is taken
    /// as it is, anything else as its JSON text.
    public var errorMessage: String? {
        guard let errorState else { return nil }
        if case .string(let text) = errorState { return text }
        let details = errorState["notification_data"] ?? errorState
        for key in ["message", "warehouse_message", "exception_message", "error"] {
            if case .string(let text)? = details[key], !text.isEmpty { return text }
        }
        return errorState.jsonText
    }
}

/// One page of `GET /v4/{client_id}/loads`: 100 loads, ordered by `stream_name` (spec §2.3).
public struct StreamLoadPage: Codable, Sendable, Hashable {
    public var data: [StreamLoad]
    public var page: Int?
    public var total: Int?
    /// Relative URLs, present only when there is such a page.
    public var links: Links?

    public struct Links: Codable, Sendable, Hashable {
        public var next: String?
        public var previous: String?

        public init(next: String? = nil, previous: String? = nil) {
            self.next = next
            self.previous = previous
        }
    }

    public init(data: [StreamLoad], page: Int? = nil, total: Int? = nil, links: Links? = nil) {
        self.data = data
        self.page = page
        self.total = total
        self.links = links
    }
}
