import PostgresNIO

/// Which destination a sandbox loads into: `--destination sqlite` (the default) or
/// `--destination postgres://user@host:port/database`.
public enum DestinationKind: Sendable, Hashable, CustomStringConvertible {
    /// One SQLite file per schema under `<data>/destination/`.
    case sqlite
    /// One PostgreSQL schema per source in this database.
    case postgres(PostgresURL)

    /// Reads a `--destination` argument.
    public init(argument: String) throws(DestinationError) {
        if argument.lowercased() == "sqlite" {
            self = .sqlite
        } else if argument.lowercased().hasPrefix("postgres://") || argument.lowercased().hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: argument))
        } else {
            throw .invalidDestination("use sqlite or a postgres://user@host:port/database URL, not \(PostgresURL.redacted(argument))")
        }
    }

    /// Makes the destination; nothing is opened until the first load or read.
    public func makeDestination(dataDirectory: String, logger: Logger? = nil) -> any Destination {
        switch self {
        case .sqlite: SQLiteDestination(dataDirectory: dataDirectory)
        case .postgres(let url): PostgresDestination(url: url, logger: logger)
        }
    }

    /// Safe to print: a PostgreSQL password is masked.
    public var description: String {
        switch self {
        case .sqlite: "SQLite (one file per schema)"
        case .postgres(let url): url.description
        }
    }
}
