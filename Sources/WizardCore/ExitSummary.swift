/// What this run created or changed, printed on stdout once the terminal is restored (as `gh`
/// and the Stripe CLI do), so the ids are at hand after the screens are gone. Never a secret.
public struct ExitSummary: Sendable, Equatable {
    public var entries: [SummaryEntry] = []

    public init() {}

    public mutating func add(_ entry: SummaryEntry) {
        // A source updated twice is told once, with its latest state.
        entries.removeAll { $0.replaces(entry) }
        entries.append(entry)
    }

    /// The lines to print; empty when nothing was made or changed.
    public var lines: [String] { entries.map(\.line) }
}

public enum SummaryEntry: Sendable, Equatable {
    case sourceCreated(id: Int, type: String, schema: String)
    case sourceUpdated(id: Int, type: String, schema: String)
    case streamsSelected(sourceID: Int, count: Int)
    case tokenCreated(sourceID: Int, tokenID: Int)
    case tokenSaved(tokenID: Int, path: String)
    case tokenRevoked(sourceID: Int, tokenID: Int)
    case batchesSent(accepted: Int, total: Int)

    public var line: String {
        switch self {
        case .sourceCreated(let id, let type, let schema): "Created source \(id) (\(type)), schema \(schema)"
        case .sourceUpdated(let id, let type, let schema): "Updated source \(id) (\(type)), schema \(schema)"
        case .streamsSelected(let id, let count): "Selected \(count) stream\(count == 1 ? "" : "s") of source \(id)"
        case .tokenCreated(let source, let token): "Generated Import API token \(token) for source \(source)"
        case .tokenSaved(let token, let path): "Saved token \(token) to \(path) (mode 0600)"
        case .tokenRevoked(let source, let token): "Revoked token \(token) of source \(source)"
        case .batchesSent(let accepted, let total): "Sent \(total) test batch\(total == 1 ? "" : "es"), \(accepted) accepted"
        }
    }

    func replaces(_ other: SummaryEntry) -> Bool {
        switch (self, other) {
        case (.sourceUpdated(let a, _, _), .sourceUpdated(let b, _, _)): a == b
        case (.streamsSelected(let a, _), .streamsSelected(let b, _)): a == b
        case (.batchesSent, .batchesSent): true
        default: false
        }
    }
}
