import ArgumentParser
import Foundation
import StitchAPI
import StitchClient
import StitchDestination
import StitchSandbox
import WizardCore
import WizardRuntime
import NcursesBackend

#if canImport(Glibc)
import Glibc
#endif

@main
struct StitchWizardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stitch-wizard",
        abstract: "Set up a Stitch Import API source and push test batches, from a terminal.",
        discussion: """
        The Connect API token is read from STITCH_CONNECT_TOKEN, or asked for (masked). \
        With --sandbox, a local Stitch runs in-process and nothing leaves this machine.
        """,
        subcommands: HeadlessCommands.all)

    @Flag(help: "Run against a local Stitch sandbox started in-process on a free loopback port.")
    var sandbox = false

    @Option(help: ArgumentHelp("Sandbox data directory (with --sandbox).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Connect API base URL.", valueName: "url"))
    var connectURL = ConnectEndpoint.defaultBaseURL

    @Option(help: ArgumentHelp("Import API base URL; overrides --region.", valueName: "url"))
    var importURL: String?

    @Option(help: ArgumentHelp("Data pipeline region of the account: na or eu.", valueName: "region"))
    var region: String = ImportRegion.northAmerica.rawValue

    func validate() throws {
        guard ImportRegion(rawValue: region) != nil else {
            throw ValidationError("--region must be na (North America) or eu (Europe), not '\(region)'.")
        }
        if data != nil && !sandbox { throw ValidationError("--data only applies with --sandbox.") }
        if sandbox && importURL != nil { throw ValidationError("--import-url cannot be combined with --sandbox.") }
    }

    func run() async throws {
        // Refused before anything starts (the in-process sandbox included), with what to do instead.
        do {
            try await NcursesTerminal.checkUsable()
        } catch {
            throw WizardCommandError(error.description + (error.isMissingTerminal ? " " + Self.withoutScreens : ""))
        }
        if sandbox {
            try await runWithSandbox()
        } else {
            let importBase = importURL ?? ImportRegion(rawValue: region)?.baseURL ?? ImportRegion.northAmerica.baseURL
            let target = WizardTarget(connectBaseURL: connectURL,
                                      connectToken: ProcessInfo.processInfo.environment["STITCH_CONNECT_TOKEN"] ?? "",
                                      importBaseURL: importBase, isSandbox: false)
            let app = await WizardApp(state: WizardState(target: target), runner: EffectRunner(),
                                      terminal: NcursesTerminal())
            try await app.run()
        }
    }

    private func runWithSandbox() async throws {
        let directory = data ?? Self.defaultSandboxDirectory
        // No logger: anything written to the terminal would tear the full-screen UI.
        let running = try await startSandbox(SandboxConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory))
        let target = WizardTarget(connectBaseURL: running.baseURL, connectToken: running.connectToken,
                                  importBaseURL: running.baseURL, isSandbox: true)
        let runner = EffectRunner(destinationReader: { schema, table in
            let rows = try DestinationReader.rows(schema: schema, table: table, dataDirectory: directory, limit: 200)
            return DestinationSnapshot(schema: schema, table: table, columns: rows.columns, rows: rows.rows)
        })
        let app = await WizardApp(state: WizardState(target: target), runner: runner, terminal: NcursesTerminal())
        do {
            try await app.run()
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
        print("Sandbox data: \(directory) (destination databases in \(directory)/destination)")
    }
}

extension StitchWizardCommand {
    /// What works where the wizard's screens cannot: said whenever the terminal is refused.
    static let withoutScreens = "Without a full-screen terminal (scripts, CI), use the commands without screens, "
        + "such as stitch-wizard push; stitch-wizard --help lists them."

    /// Shared with `stitch-sandbox`'s default, so both see the same local Stitch.
    static var defaultSandboxDirectory: String {
        if let custom = ProcessInfo.processInfo.environment["STITCH_SANDBOX_DATA"], !custom.isEmpty { return custom }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".stitch-sandbox").path
    }
}

struct WizardCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
