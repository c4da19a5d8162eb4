import StitchAPI

/// Everything the Connect side remembers, saved whole to `<data>/state.json` after each change.
struct ConnectState: Codable, Sendable {
    /// The sandbox account's `stitch_client_id`: random once, then stable for the data directory.
    var stitchClientID: Int
    var lastSourceID: Int
    var lastTokenID: Int
    var sources: [SourceRecord]

    static func fresh() -> ConnectState {
        ConnectState(stitchClientID: Int.random(in: 100_000...999_999), lastSourceID: 100_000,
                     lastTokenID: 800_000_000, sources: [])
    }

    enum CodingKeys: String, CodingKey {
        case stitchClientID = "stitch_client_id"
        case lastSourceID = "last_source_id"
        case lastTokenID = "last_token_id"
        case sources
    }
}

struct SourceRecord: Codable, Sendable {
    var source: Source
    /// Active tokens only; a revoked token is forgotten.
    var tokens: [TokenRecord]
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
