import Foundation
import StitchAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated API base URL: `https://host[:port][/prefix]`, or `http://` to a loopback host.
///
/// Policy: a bearer token must never cross a network in clear text, so `http://` is refused unless
/// the host is loopback (127.0.0.0/8, ::1, localhost). User info, query and fragment are refused
/// too: a token pasted into the URL would otherwise end up in error messages. Trailing slashes are
/// dropped so `base + "/v4/sources"` never doubles a slash.
public struct EndpointURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable {
        case http
        case https

        public var defaultPort: Int { self == .https ? 443 : 80 }
    }

    public let scheme: Scheme
    /// Lowercased; IPv6 literals without brackets.
    public let host: String
    /// The port given in the URL, if any.
    public let explicitPort: Int?
    /// A path prefix without a trailing slash, e.g. "" or "/stitch".
    public let pathPrefix: String

    /// Validates and normalises a base URL typed by a user or read from configuration.
    public static func validate(_ text: String) throws(StitchClientError) -> EndpointURL {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = Self.redacted(trimmed)
        guard !trimmed.isEmpty else { throw .invalidURL(shown, reason: "the URL is empty") }
        guard let components = URLComponents(string: trimmed) else {
            throw .invalidURL(shown, reason: "it is not a valid URL (spaces or stray characters?)")
        }
        guard let rawScheme = components.scheme?.lowercased(), components.host != nil else {
            throw .invalidURL(shown, reason: "it needs a scheme and a host, like https://api.stitchdata.com")
        }
        guard let scheme = Scheme(rawValue: rawScheme) else {
            throw .invalidURL(shown, reason: "the scheme must be https:// (or http:// for a local server)")
        }
        guard components.user == nil, components.password == nil else {
            throw .invalidURL(shown,
                              reason: "user info (user:password@) is not allowed; the token is entered separately")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidURL(shown, reason: "a base URL cannot have a query (?…) or fragment (#…)")
        }
        var host = (components.host ?? "").lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidURL(shown, reason: "the host is missing") }
        if let port = components.port, !(1...65535).contains(port) {
            throw .invalidURL(shown, reason: "the port must be between 1 and 65535")
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let endpoint = EndpointURL(scheme: scheme, host: host, explicitPort: components.port, pathPrefix: path)
        if scheme == .http, !endpoint.isLoopback { throw .insecureURL(endpoint.description) }
        return endpoint
    }

    /// The Import API base URL of a data pipeline region (always https).
    public init(region: ImportRegion) {
        // The region URLs are constants known to be valid https URLs.
        self.init(scheme: .https, host: URLComponents(string: region.baseURL)?.host ?? "api.stitchdata.com",
                  explicitPort: nil, pathPrefix: "")
    }

    private init(scheme: Scheme, host: String, explicitPort: Int?, pathPrefix: String) {
        self.scheme = scheme
        self.host = host
        self.explicitPort = explicitPort
        self.pathPrefix = pathPrefix
    }

    /// The port connections go to.
    public var port: Int { explicitPort ?? scheme.defaultPort }

    /// `host:port` as shown in messages.
    public var hostAndPort: String { StitchClientError.hostPort(host, port) }

    /// Whether the host is this machine: 127.0.0.0/8, ::1 (or ::ffff:127.x.x.x), or `localhost`.
    public var isLoopback: Bool { Self.isLoopbackHost(host) }

    /// The normalised URL, without a trailing slash.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let portPart = explicitPort.map { ":\($0)" } ?? ""
        return "\(scheme.rawValue)://\(hostPart)\(portPart)\(pathPrefix)"
    }

    /// The absolute URL of an API path such as `/v4/sources`.
    public func url(path: String) -> String {
        description + (path.hasPrefix("/") ? path : "/" + path)
    }

    static func isLoopbackHost(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" { return true }
        if let octets = ipv4Octets(name) { return octets[0] == 127 }
        if name.contains(":"), let bytes = ipv6Bytes(name) {
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            // IPv4-mapped (::ffff:127.0.0.1) reaches the IPv4 loopback.
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        }
        return false
    }

    /// Strict dotted-quad only: shorthand forms such as `127.1` are treated as names, so they are
    /// never granted the loopback exemption.
    private static func ipv4Octets(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  let value = UInt8(part) else { return nil }
            octets.append(value)
        }
        return octets
    }

    private static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// The input as it may appear in a message: user info and anything after `?` or `#` removed,
    /// because those are where a pasted secret would sit.
    static func redacted(_ text: String) -> String {
        var shown = text
        if let cut = shown.firstIndex(where: { $0 == "?" || $0 == "#" }) { shown = String(shown[..<cut]) + "…" }
        if let at = shown.lastIndex(of: "@") {
            let afterScheme = shown.range(of: "://").map(\.upperBound) ?? shown.startIndex
            if afterScheme <= at { shown.replaceSubrange(afterScheme..<at, with: "…") }
        }
        return shown.count > 120 ? String(shown.prefix(120)) + "…" : shown
    }
}
