/// A failure that is not an API reply: a bad base URL, a network problem, or a 2xx reply whose
/// body is not what the endpoint documents. API error replies are `StitchAPIError` instead.
///
/// No case ever holds the bearer token: URLs are stored without user info or query, and reply
/// snippets are redacted before they get here.
public enum StitchClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not an absolute `http(s)://host[:port][/path]` URL.
    case invalidURL(String, reason: String)
    /// Plain `http://` to a host that is not loopback, where the token would cross the network unencrypted.
    case insecureURL(String)
    /// The token has inner whitespace or control characters (a bad paste); it is never echoed.
    case invalidToken(reason: String)
    /// No complete reply within the client's timeout.
    case timedOut(endpoint: String, after: Duration)
    /// The TCP or TLS connection could not be made or broke before a reply came.
    case connectionFailed(host: String, port: Int, reason: ConnectionFailure)
    /// A 2xx reply whose body is not the documented object.
    case unexpectedReply(statusCode: Int, expected: String, problem: String, snippet: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "“\(url)” is not a usable base URL: \(reason)."
        case .insecureURL(let url):
            return "Refusing plain http:// for “\(url)”: the token would travel unencrypted. "
                + "Use https://, or http:// only for a server on this machine (127.0.0.1, ::1, localhost)."
        case .invalidToken(let reason):
            return "The token is not usable: \(reason). Copy it again from where it was shown."
        case .timedOut(let endpoint, let after):
            return "No reply from \(endpoint) within \(Self.format(after)). "
                + "Check that the URL is right and the server is reachable, then try again."
        case .connectionFailed(let host, let port, let reason):
            let target = Self.hostPort(host, port)
            switch reason {
            case .refused:
                return "Could not connect to \(target) — is the server running? (connection refused)"
            case .hostNotFound:
                return "Could not connect to \(target) — the host name was not found. Check the URL for typos."
            case .tls(let detail):
                return "Could not make a secure (TLS) connection to \(target): \(detail). "
                    + "Check that the URL uses the right scheme and port."
            case .closed:
                return "The connection to \(target) closed before a reply came. The server may have crashed or be "
                    + "restarting; try again."
            case .other(let detail):
                return "Could not connect to \(target) — \(detail)"
            }
        case .unexpectedReply(let statusCode, let expected, let problem, let snippet):
            let text = "The server answered HTTP \(statusCode), but the body is not \(expected) (\(problem)). "
                + "Is the base URL pointing at a Stitch API?"
            return snippet.isEmpty ? text : text + " The body begins: \(snippet)"
        }
    }

    /// `host:port`, with brackets around IPv6 literals.
    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

/// Why a connection failed, so the message can say what to check.
public enum ConnectionFailure: Sendable, Hashable {
    /// Nothing listens on the port.
    case refused
    /// DNS has no address for the host.
    case hostNotFound
    /// The TLS handshake failed (e.g. https:// to a plain-HTTP port, or an untrusted certificate).
    case tls(String)
    /// The server closed the connection before replying.
    case closed
    case other(String)
}
