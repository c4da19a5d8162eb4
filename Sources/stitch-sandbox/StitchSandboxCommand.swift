import ArgumentParser
import Dispatch
import Foundation
import Logging
import StitchDestination
import StitchSandbox

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `stitch-sandbox`: a local Stitch (Connect API v4 + Import API v2) that loads into SQLite.
@main
struct StitchSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stitch-sandbox",
        abstract: "Run a local Stitch: the Connect API v4 and the Import API v2, loading into SQLite or PostgreSQL.",
        discussion: """
            Data (sources, tokens, the inbox of accepted batches, and one SQLite database per schema \
            under destination/) lives in the data directory. The Connect token is printed on start; \
            Import API tokens come from POST /v4/sources/{id}/tokens, as on Stitch.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8787

    @Option(name: .customLong("data"),
            help: "Data directory (default: $STITCH_SANDBOX_DATA, else ~/.stitch-sandbox).")
    var dataDirectory: String?

    @Option(help: ArgumentHelp(
        "Connect API token to require (default: $STITCH_SANDBOX_CONNECT_TOKEN, else one saved in the data directory).",
        discussion: "Prefer the environment variable: other users can read a command line."))
    var connectToken: String?

    @Option(help: ArgumentHelp(
        "Where batches load: sqlite (default: one file per schema in the data directory) or postgres://user@host:port/database.",
        discussion: "PostgreSQL gets one schema per source. Prefer $STITCH_SANDBOX_DESTINATION for a URL with a password: other users can read a command line."))
    var destination: String?

    @Option(help: ArgumentHelp(
        "Connections served at once (default 1024, lowered to fit the open-file limit).",
        discussion: "More are answered 503 with a JSON body and closed.", valueName: "count"))
    var maxConnections: Int?

    @Option(help: ArgumentHelp("Seconds a new connection has to send its request head.", valueName: "seconds"))
    var headerTimeout = 20.0

    @Option(help: ArgumentHelp("Seconds a request body may stall (less than 1 KiB arriving) before it is cut.",
                               valueName: "seconds"))
    var bodyTimeout = 30.0

    @Option(help: ArgumentHelp("Seconds a kept-alive connection may sit idle.", valueName: "seconds"))
    var idleTimeout = 75.0

    @Flag(help: "Log each loaded batch to standard error.")
    var verbose = false

    func validate() throws {
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout),
                              ("--idle-timeout", idleTimeout)] where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) must be a number of seconds above 0 and at most 86400")
        }
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections must be at least 1")
        }
    }

    func run() async throws {
        // Batches, tokens and the destination are this user's data: every file the sandbox
        // creates (SQLite's included, which honours only the umask) is readable by its owner alone.
        umask(0o077)
        let environment = ProcessInfo.processInfo.environment
        let directory = dataDirectory ?? environment["STITCH_SANDBOX_DATA"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".stitch-sandbox").path
        var logger = Logger(label: "stitch-sandbox") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .notice

        let kind: DestinationKind
        do {
            kind = try DestinationKind(argument: destination ?? environment["STITCH_SANDBOX_DESTINATION"] ?? "sqlite")
        } catch {
            throw ValidationError(error.description)
        }
        let sandbox: RunningSandbox
        do {
            sandbox = try await startSandbox(SandboxConfiguration(
                host: host, port: port, dataDirectory: directory,
                connectToken: connectToken ?? environment["STITCH_SANDBOX_CONNECT_TOKEN"], logger: logger,
                destination: kind,
                connectionLimits: ConnectionLimits(
                    requestHeadTimeout: .seconds(headerTimeout), bodyProgressTimeout: .seconds(bodyTimeout),
                    idleTimeout: .seconds(idleTimeout), maximumConnections: maxConnections)))
        } catch let error as SandboxError {
            // A runtime problem, not a usage mistake: say what to do, without the usage text.
            FileHandle.standardError.write(Data("stitch-sandbox: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as DestinationError {
            // e.g. PostgreSQL unreachable: also something to fix outside the command line.
            FileHandle.standardError.write(Data("stitch-sandbox: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let stopSignals = Self.onStopSignal { Task { await sandbox.stop() } }
        // The token is printed because handing it to the person who started the sandbox is the
        // point; it goes to standard output only, never to the log.
        // Written straight to the descriptor, unbuffered, so a program reading a pipe sees it at once.
        let banner = [
            "Stitch sandbox listening on \(sandbox.baseURL)",
            "Connect token: \(sandbox.connectToken)",
            "Data directory: \(sandbox.dataDirectory)",
            "Destination: \(kind)",
        ]
        FileHandle.standardOutput.write(Data((banner.joined(separator: "\n") + "\n").utf8))
        try await sandbox.waitUntilStopped()
        stopSignals.forEach { $0.cancel() }
    }

    /// SIGINT and SIGTERM stop the sandbox gracefully, so the command exits 0.
    private static func onStopSignal(_ handler: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}
