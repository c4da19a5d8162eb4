import Logging
import StitchDestination

/// How to run a sandbox.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; loopback by default, since the sandbox has no TLS.
    public var host: String
    /// 0 picks any free port; `RunningSandbox.port` tells which.
    public var port: Int
    /// Holds `state.json`, `connect-token`, `inbox/`, `destination/` (SQLite). Created if missing.
    public var dataDirectory: String
    /// The Connect API token to require. Nil: the one saved in `<data>/connect-token`, made on first use.
    public var connectToken: String?
    /// Where the sandbox logs. Nil: nowhere, which suits embedding in a full-screen terminal UI.
    /// Tokens and request bodies are never logged.
    public var logger: Logger?
    /// How long a new database or SaaS source stays at the simulated `discover_schema` step
    /// before moving on to `field_selection` by itself. Short, so a person walking the wizard
    /// sees the step; tests set it near zero.
    public var discoveryDelay: Duration
    /// Where batches load: SQLite files in the data directory (the default) or a PostgreSQL database.
    public var destination: DestinationKind
    /// Timeouts and the connection limit; tests shorten them.
    public var connectionLimits: ConnectionLimits

    public init(host: String = "127.0.0.1", port: Int = 0, dataDirectory: String, connectToken: String? = nil,
                logger: Logger? = nil, discoveryDelay: Duration = .seconds(2), destination: DestinationKind = .sqlite,
                connectionLimits: ConnectionLimits = ConnectionLimits()) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.connectToken = connectToken
        self.logger = logger
        self.discoveryDelay = discoveryDelay
        self.destination = destination
        self.connectionLimits = connectionLimits
    }
}
