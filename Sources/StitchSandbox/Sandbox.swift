import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import StitchDestination

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sandbox that is listening. Stop it with `stop()`; it does not stop by itself.
public final class RunningSandbox: Sendable {
    /// e.g. `http://127.0.0.1:54321`; serves both the Connect and the Import API.
    public let baseURL: String
    public let host: String
    public let port: Int
    /// The Connect API bearer token this sandbox requires.
    public let connectToken: String
    public let dataDirectory: String
    /// Where batches load; read it with `tables(schema:)` and `rows(schema:table:limit:)`.
    public let destination: any Destination

    private let group: ServiceGroup
    private let runTask: Task<Void, any Error>
    private let progress: LoadProgress

    fileprivate init(host: String, port: Int, connectToken: String, dataDirectory: String, destination: any Destination,
                     group: ServiceGroup, runTask: Task<Void, any Error>, progress: LoadProgress) {
        self.host = host
        self.port = port
        self.baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.connectToken = connectToken
        self.dataDirectory = dataDirectory
        self.destination = destination
        self.group = group
        self.runTask = runTask
        self.progress = progress
    }

    /// Stops accepting requests, lets the loader finish the batch in hand, and returns when
    /// everything has shut down. Batches still in the inbox load on the next start.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runTask.value
    }

    /// Returns when the sandbox has stopped (after `stop()`), rethrowing a failure that stopped it.
    public func waitUntilStopped() async throws {
        try await runTask.value
    }

    /// Waits until every batch accepted so far has left the inbox (loaded, or set aside in
    /// `failed/`). False if `timeout` passed or the sandbox stopped first.
    @discardableResult
    public func waitUntilLoaded(timeout: Duration? = nil) async -> Bool {
        await progress.waitUntilProcessed(timeout: timeout)
    }

    /// Whether the inbox holds nothing that was accepted and not yet processed.
    public var isIdle: Bool {
        get async { await progress.isIdle }
    }
}

/// Starts a sandbox and returns once it listens.
///
/// Throws `SandboxError` for the problems a person can fix (port in use, data directory not
/// writable, damaged state).
public func startSandbox(_ configuration: SandboxConfiguration) async throws -> RunningSandbox {
    let logger = configuration.logger ?? Logger(label: "stitch-sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
    let directory = try DataDirectory.prepare(configuration.dataDirectory)
    let connectToken = try directory.connectToken(given: configuration.connectToken)
    let store = try ConnectStore(statePath: directory.statePath, discoveryDelay: configuration.discoveryDelay)
    let loadHistory = LoadHistory(dataDirectory: directory.path)
    LargeAllocations.returnToSystemWhenFreed()
    let inbox = try Inbox(dataDirectory: directory.path)
    let progress = LoadProgress(pending: inbox.pendingNumbers())
    let (wakeups, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    let wake: @Sendable () -> Void = { wakeContinuation.yield() }
    let destination = configuration.destination.makeDestination(dataDirectory: directory.path, logger: configuration.logger)
    if case .postgres = configuration.destination {
        // Fail at start, with the reason, rather than queue batches for a database that is not there.
        _ = try await destination.schemas()
    }
    let loader = InboxLoader(inbox: inbox, destination: destination,
                             progress: progress, wakeups: wakeups, wake: wake, logger: logger,
                             loadHistory: loadHistory)

    let router = Router(context: SandboxRequestContext.self)
    router.add(middleware: NotFoundMiddleware())
    let connect = router.group("v4").add(middleware: ConnectAuthMiddleware(connectToken: connectToken))
    ConnectRoutes<SandboxRequestContext>(store: store).register(on: connect)
    StreamRoutes<SandboxRequestContext>(store: store).register(on: connect)
    LoadsRoutes<SandboxRequestContext>(store: store, history: loadHistory).register(on: connect)
    var importRoutes = ImportRoutes<SandboxRequestContext>(store: store, inbox: inbox, progress: progress,
                                                           wakeLoader: wake, logger: logger)
    importRoutes.bodyBudgetPatience = configuration.connectionLimits.bodyBudgetPatience
    importRoutes.register(on: router)

    // Connections past `admission.served` are answered 503 by `ConnectionGuard`; past
    // `acceptedAtMost`, Hummingbird stops accepting, so the process never runs out of descriptors.
    let admission = ConnectionAdmission(limit: configuration.connectionLimits.maximumConnections, logger: logger)
    // One event loop for the listener and every connection: connections are then admitted in the
    // order they were accepted, so it is the newest that are refused (with two loops, an older one
    // could lose its place to a newer one on the other loop). Loops only move bytes and parse
    // HTTP; the work on bodies runs elsewhere, so one is plenty for a sandbox.
    let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        server: .guardedHTTP1(limits: configuration.connectionLimits, admission: admission, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                             availableConnectionsDelegate: MaximumAvailableConnections(admission.acceptedAtMost,
                                                                                       logger: logger)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? configuration.port)
            portContinuation.finish()
        },
        eventLoopGroupProvider: .shared(eventLoops),
        logger: logger)
    // Shutdown runs in reverse: the server stops taking requests first, then the loader stops.
    // Named here: without a name, ServiceLifecycle names each service with "\(service)", a
    // reflection-built description of the whole Application (router and all) that cost several
    // milliseconds of every start, `stitch-wizard --sandbox`'s included.
    let group = ServiceGroup(configuration: .init(services: [
        .init(service: loader, serviceName: "InboxLoader"),
        .init(service: app, serviceName: "Application"),
    ], logger: logger))
    let runTask = Task {
        defer { portContinuation.finish() }
        do {
            try await group.run()
        } catch {
            try? await eventLoops.shutdownGracefully()
            throw error
        }
        try? await eventLoops.shutdownGracefully()
    }
    var boundPort: Int?
    for await port in ports {
        boundPort = port
        break
    }
    guard let boundPort else {
        do {
            try await runTask.value
        } catch {
            throw describeListenFailure(error, host: configuration.host, port: configuration.port)
        }
        throw SandboxError.cannotListen(host: configuration.host, port: configuration.port,
                                        reason: "the server stopped before it was ready")
    }
    logger.info("Stitch sandbox listening", metadata: ["host": "\(configuration.host)", "port": "\(boundPort)"])
    return RunningSandbox(host: configuration.host, port: boundPort, connectToken: connectToken,
                          dataDirectory: directory.path, destination: destination, group: group, runTask: runTask,
                          progress: progress)
}

private func describeListenFailure(_ error: any Error, host: String, port: Int) -> SandboxError {
    if let ioError = error as? IOError, ioError.errnoCode == EADDRINUSE {
        return .portInUse(host: host, port: port)
    }
    let text = String(describing: error)
    if text.contains("Address already in use") { return .portInUse(host: host, port: port) }
    return .cannotListen(host: host, port: port, reason: text)
}
