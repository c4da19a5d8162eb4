import StitchAPI

/// Everything the Connect side remembers, saved whole to `<data>/state.json` after each change.
///
/// Fields added after the first release decode with defaults, so an older data directory
/// still opens.
struct ConnectState: Codable, Sendable {
    /// The sandbox account's `stitch_client_id`: random once, then stable for the data directory.
    var stitchClientID: Int
    var lastSourceID: Int
    var lastTokenID: Int
    var lastStreamID: Int
    var sources: [SourceRecord]

    static func fresh() -> ConnectState {
        ConnectState(stitchClientID: Int.random(in: 100_000...999_999), lastSourceID: 100_000,
                     lastTokenID: 800_000_000, lastStreamID: 2_000_000, sources: [])
    }

    init(stitchClientID: Int, lastSourceID: Int, lastTokenID: Int, lastStreamID: Int, sources: [SourceRecord]) {
        self.stitchClientID = stitchClientID
        self.lastSourceID = lastSourceID
        self.lastTokenID = lastTokenID
        self.lastStreamID = lastStreamID
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case stitchClientID = "stitch_client_id"
        case lastSourceID = "last_source_id"
        case lastTokenID = "last_token_id"
        case lastStreamID = "last_stream_id"
        case sources
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stitchClientID = try container.decode(Int.self, forKey: .stitchClientID)
        lastSourceID = try container.decode(Int.self, forKey: .lastSourceID)
        lastTokenID = try container.decode(Int.self, forKey: .lastTokenID)
        lastStreamID = try container.decodeIfPresent(Int.self, forKey: .lastStreamID) ?? 2_000_000
        sources = try container.decode([SourceRecord].self, forKey: .sources)
    }
}

struct SourceRecord: Codable, Sendable {
    /// The Source as last changed. Its `properties` hold the non-credential values only; its
    /// report card is recomputed whenever it is shown (see `ConnectionProgress`).
    var source: Source
    /// Active tokens only; a revoked token is forgotten.
    var tokens: [TokenRecord]
    /// Which credential properties have been provided. Their values are not kept: the sandbox
    /// connects to nothing, so storing a password would only create a secret to leak.
    var providedCredentials: [String]
    /// When the simulated `discover_schema` step finishes (UTC, microseconds); nil until the
    /// form is complete.
    var discoveryReadyAt: String?
    /// When it started (the connection check's `start_time`); nil before, and in state saved
    /// by sandboxes that did not record it.
    var discoveryStartedAt: String?
    /// What discovery found, with the user's selections; made when discovery starts and shown
    /// once it has finished.
    var streams: [StreamRecord]

    init(source: Source, tokens: [TokenRecord] = [], providedCredentials: [String] = [],
         discoveryReadyAt: String? = nil, streams: [StreamRecord] = []) {
        self.source = source
        self.tokens = tokens
        self.providedCredentials = providedCredentials
        self.discoveryReadyAt = discoveryReadyAt
        self.streams = streams
    }

    enum CodingKeys: String, CodingKey {
        case source
        case tokens
        case providedCredentials = "provided_credentials"
        case discoveryReadyAt = "discovery_ready_at"
        case discoveryStartedAt = "discovery_started_at"
        case streams
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        source = try container.decode(Source.self, forKey: .source)
        tokens = try container.decode([TokenRecord].self, forKey: .tokens)
        providedCredentials = try container.decodeIfPresent([String].self, forKey: .providedCredentials) ?? []
        discoveryReadyAt = try container.decodeIfPresent(String.self, forKey: .discoveryReadyAt)
        discoveryStartedAt = try container.decodeIfPresent(String.self, forKey: .discoveryStartedAt)
        streams = try container.decodeIfPresent([StreamRecord].self, forKey: .streams) ?? []
    }
}

/// An Import API token as stored: its id, when it was made, and the SHA-256 of its value.
/// The value itself is shown once, in the creation reply, and never written anywhere.
struct TokenRecord: Codable, Sendable {
    var id: Int
    var sha256: String
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id
        case sha256
        case createdAt = "created_at"
    }
}

/// A discovered stream and what the user chose for it through `PUT .../streams/metadata`.
struct StreamRecord: Codable, Sendable {
    var streamID: Int
    var tapStreamID: String
    /// The catalog stream this was discovered from; also its `stream_name`.
    var streamName: String
    /// Database sources: the `dbname` discovery ran against.
    var databaseName: String?
    /// The stream-level metadata the user set: `selected`, `replication-method`,
    /// `replication-key`, `view-key-properties` (the non-discoverable keys).
    var chosenMetadata: [String: JSONValue]
    /// Field name -> selected, for the fields the user chose.
    var selectedFields: [String: Bool]

    /// Null until the user decides, as in the docs' list example.
    var selected: Bool? {
        if case .bool(let value)? = chosenMetadata["selected"] { return value }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case streamID = "stream_id"
        case tapStreamID = "tap_stream_id"
        case streamName = "stream_name"
        case databaseName = "database_name"
        case chosenMetadata = "chosen_metadata"
        case selectedFields = "selected_fields"
    }
}
