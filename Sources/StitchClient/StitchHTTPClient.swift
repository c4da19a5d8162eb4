import AsyncHTTPClient

/// The HTTP client both API clients use unless one is injected.
public enum StitchHTTPClient {
    /// `HTTPClient.shared`'s settings, except that a failed connection attempt fails the request
    /// at once. `HTTPClient.shared` keeps retrying a refused connection until the request's
    /// deadline, so "is the server running?" would only show after the full timeout (30 s).
    ///
    /// Like `HTTPClient.shared` it lives for the whole process and needs no shutdown: a global
    /// is never deinitialised, so AsyncHTTPClient's "not shut down" check cannot fire.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
