/// The reply of `POST /v4/sources/{id}/tokens`: the only time the token value is ever shown.
public struct ImportAccessToken: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var id: Int
    public var accessToken: String

    public init(id: Int, accessToken: String) {
        self.id = id
        self.accessToken = accessToken
    }

    enum CodingKeys: String, CodingKey {
        case id
        case accessToken = "access_token"
    }

    // Interpolating the token into a log line must not leak it.
    public var description: String { "ImportAccessToken(id: \(id), access_token: <redacted>)" }
    public var debugDescription: String { description }
}

/// One active token as listed by `GET /v4/sources/{id}/tokens`.
public struct TokenSummary: Codable, Sendable, Hashable {
    public var tokenID: Int
    /// Absent in the older documented shape (a bare array of ids).
    public var createdAt: String?

    public init(tokenID: Int, createdAt: String? = nil) {
        self.tokenID = tokenID
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case tokenID = "token_id"
        case createdAt = "created_at"
    }
}

/// The token list, decoded from either documented shape: `[815713587]` (reference page) or
/// `[{"token_id": 828705046, "created_at": "…"}]` (current, per the 2021-08-19 changelog).
public struct TokenList: Codable, Sendable, Hashable {
    /// "At most 2 active tokens per source" (spec §1, §2.5.8): the sandbox refuses a third, and
    /// the wizard offers to revoke one before asking for it.
    public static let maximumActive = 2

    public var tokens: [TokenSummary]

    /// Whether a new token would be refused until one is revoked.
    public var isAtLimit: Bool { tokens.count >= Self.maximumActive }

    public init(tokens: [TokenSummary]) { self.tokens = tokens }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let ids = try? container.decode([Int].self) {
            tokens = ids.map { TokenSummary(tokenID: $0) }
        } else {
            tokens = try container.decode([TokenSummary].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(tokens)
    }
}

// `dump()` and debuggers walk a Mirror, which would otherwise list the stored token.
extension ImportAccessToken: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: ["id": id, "accessToken": "<redacted>"], displayStyle: .struct)
    }
}
