import StitchAPI

/// Work the wizard asks for. Effects are values: the runtime performs them (HTTP, files,
/// timers) and feeds the results back as `WizardEvent`s, so the reducer stays pure.
public enum WizardEffect: Sendable, Equatable {
    /// Point the Connect and Import clients at these endpoints.
    case configure(WizardTarget)
    case fetchSourceType(String)
    case createSource(CreateSourceRequest)
    case createToken(sourceID: Int)
    /// Write the token to a new file with mode 0600; never overwrite.
    case saveToken(ImportAccessToken, path: String)
    /// Send the editor's JSON text as-is, so the user's key order is what Stitch sees.
    case sendBatch(body: String, token: ImportAccessToken)
    /// Read the loaded rows back (sandbox only), after `delay` so the loader can catch up.
    case loadDestination(schema: String, table: String, delay: Duration)
    case quit
}

/// Where the wizard talks to, and how.
public struct WizardTarget: Sendable, Equatable {
    public var connectBaseURL: String
    public var connectToken: String
    public var importBaseURL: String
    /// Whether the target is the in-process sandbox (enables the destination view).
    public var isSandbox: Bool

    public init(connectBaseURL: String, connectToken: String, importBaseURL: String, isSandbox: Bool) {
        self.connectBaseURL = connectBaseURL
        self.connectToken = connectToken
        self.importBaseURL = importBaseURL
        self.isSandbox = isSandbox
    }
}

extension WizardTarget: CustomStringConvertible, CustomDebugStringConvertible {
    // The Connect token must never reach a log line through string interpolation.
    public var description: String {
        "WizardTarget(connect: \(connectBaseURL), import: \(importBaseURL), sandbox: \(isSandbox), token: <redacted>)"
    }
    public var debugDescription: String { description }
}
