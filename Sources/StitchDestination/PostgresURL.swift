import Foundation

/// A PostgreSQL connection URL, `postgres://user[:password]@host[:port]/database[?sslmode=…]`
/// (also `postgresql://`), as libpq writes them.
///
/// `description` never shows the password, so the URL can be logged and printed.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP: the default, since the sandbox talks to a local PostgreSQL.
        case disable
        /// TLS when the server offers it; like libpq's `prefer`, the certificate is not verified.
        case prefer
        /// TLS or no connection; like libpq's `require`, the certificate is not verified.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String,
                tlsMode: TLSMode = .disable) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Parses a URL; the error says what to fix. The user defaults to `postgres`, the port to
    /// 5432, the database to the user's name (libpq's defaults).
    public init(parsing text: String) throws(DestinationError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else {
            throw .invalidDestination("expected postgres://user@host:port/database, got \(Self.redacted(text))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidDestination("\(Self.redacted(text)) names no host")
        }
        let username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var tlsMode = TLSMode.disable
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .invalidDestination("sslmode must be disable, prefer or require")
                }
                tlsMode = mode
            default:
                throw .invalidDestination("unsupported URL parameter \(item.name) (only sslmode is understood)")
            }
        }
        self.init(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
                  port: components.port ?? 5432, username: username,
                  password: components.password.flatMap { $0.removingPercentEncoding },
                  database: path.isEmpty ? username : (path.removingPercentEncoding ?? path), tlsMode: tlsMode)
    }

    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let credentials = password == nil ? username : username + ":***"
        return "postgres://\(credentials)@\(hostPart):\(port)/\(database)" + (tlsMode == .disable ? "" : "?sslmode=\(tlsMode.rawValue)")
    }

    /// The text with any password replaced, for error messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "the URL"
    }
}
