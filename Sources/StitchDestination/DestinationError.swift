/// Why a batch could not be loaded or a table could not be read.
public enum DestinationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A schema name that is not a valid source name, so it cannot name a database file.
    case invalidSchemaName(String)
    /// The batch's `key_names` differ from the key the table was created with [?]: Stitch falls
    /// back to append-only then (spec §4.8); the sandbox refuses the batch instead, for now.
    case keyMismatch(table: String, existing: [String], requested: [String])
    case noSuchSchema(String)
    case noSuchTable(schema: String, table: String)
    /// SQLite refused. `isTransient` is true when the batch itself is not at fault (busy, locked,
    /// disk full, I/O), so the loader keeps it and tries again instead of setting it aside.
    case database(message: String, isTransient: Bool)

    public var isTransient: Bool {
        if case .database(_, let isTransient) = self { return isTransient }
        return false
    }

    public var description: String {
        switch self {
        case .invalidSchemaName(let name):
            "\"\(name)\" is not a valid schema name."
        case .keyMismatch(let table, let existing, let requested):
            "Table \(table) has primary key [\(existing.joined(separator: ", "))], "
                + "but the batch has key_names [\(requested.joined(separator: ", "))]."
        case .noSuchSchema(let schema):
            "No data has been loaded into schema \(schema) yet."
        case .noSuchTable(let schema, let table):
            "Schema \(schema) has no table \(table) yet."
        case .database(let message, _):
            "SQLite error: \(message)"
        }
    }
}
