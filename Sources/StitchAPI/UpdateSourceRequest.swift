/// Body of `PUT /v4/sources/{id}` (spec §2.5.6). Only the fields that are set are sent, and
/// unpausing must send an explicit `"paused_at": null`, which `Optional` alone cannot express.
public struct UpdateSourceRequest: Sendable, Hashable {
    public enum PauseChange: Sendable, Hashable {
        /// Pauses at once, whatever the timestamp; the reply's `paused_at` echoes it.
        case pause(at: String)
        /// Sends `"paused_at": null`.
        case unpause
    }

    public var displayName: String?
    /// Partial: only the listed properties change.
    public var properties: [String: String]?
    public var pauseChange: PauseChange?

    public init(displayName: String? = nil, properties: [String: String]? = nil, pauseChange: PauseChange? = nil) {
        self.displayName = displayName
        self.properties = properties
        self.pauseChange = pauseChange
    }

    public static func pause(at timestamp: String) -> UpdateSourceRequest { .init(pauseChange: .pause(at: timestamp)) }
    public static var unpause: UpdateSourceRequest { .init(pauseChange: .unpause) }

    /// The JSON body; property keys sorted so the text is deterministic.
    public var json: JSONValue {
        var object = JSONObject()
        if let displayName { object["display_name"] = .string(displayName) }
        if let properties {
            object["properties"] = .object(JSONObject(properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        switch pauseChange {
        case .pause(let timestamp): object["paused_at"] = .string(timestamp)
        case .unpause: object["paused_at"] = .null
        case nil: break
        }
        return .object(object)
    }
}
