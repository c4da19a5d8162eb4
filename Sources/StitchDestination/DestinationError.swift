/// Why a batch could not be loaded or a table could not be read.
///
/// Records the loader cannot store do not raise errors: they go to `_sdc_rejected` (spec §4.9).
/// These errors are about the destination itself, or a batch it cannot take at all.
public enum DestinationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A schema name that is not a valid source name, so it cannot name a database file or schema.
    case invalidSchemaName(String)
    /// A `--destination` that is neither `sqlite` nor a `postgres://` URL the sandbox can use.
    case invalidDestination(String)
    case noSuchSchema(String)
    case noSuchTable(schema: String, table: String)
    /// The database refused or could not be reached. `isTransient` is true when the batch itself
    /// is not at fault (busy, locked, disk full, connection lost), so the loader keeps it and
    /// tries again instead of setting it aside. `message` names the engine.
    case database(message: String, isTransient: Bool)

    public var isTransient: Bool {
        if case .database(_, let isTransient) = self { return isTransient }
        return false
    }

    public var description: String {
        switch self {
        case .invalidSchemaName(let name):
            "\"\(name)\" is not a valid schema name."
        case .invalidDestination(let reason):
            "Invalid destination: \(reason)"
        case .noSuchSchema(let schema):
            "No data has been loaded into schema \(schema) yet."
        case .noSuchTable(let schema, let table):
            "Schema \(schema) has no table \(table) yet."
        case .database(let message, _):
            message
        }
    }
}
