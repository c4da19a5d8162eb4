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

    @Option(help: ArgumentHelp("Create a source of this type (import_api, platform.postgres…), skipping the start screen.",
                               valueName: "type"))
    var sourceType: String?

    @Option(name: .customLong("source"),
            help: ArgumentHelp("Continue source ID at its current step. With a saved token (--token-file or "
                + "STITCH_IMPORT_TOKEN), an Import API source opens the record editor and nothing is created.",
                valueName: "id"))
    var sourceID: Int?

    @Option(help: ArgumentHelp("A file holding a saved Import API token of --source (as the token screen or tokens create "
                + "--save write it; mode 0600). Else STITCH_IMPORT_TOKEN. Never the token itself on the command line.",
                valueName: "path"))
    var tokenFile: String?

    @Flag(help: ArgumentHelp("Ask one question per line, without escape sequences (screen readers, pipes, TERM=dumb); "
                             + "also chosen when stdin or stdout is not a terminal or TERM cannot drive a screen."))
    var accessible = false

    @Option(help: ArgumentHelp("Open the record editor with this file loaded: JSONL, a JSON array of records, a batch body "
                               + "or CSV with a header. It is only read; the editor saves elsewhere unless told to replace it.",
                               valueName: "path"))
    var records: String?

    func validate() throws {
        guard ImportRegion(rawValue: region) != nil else {
            throw ValidationError("--region must be na (North America) or eu (Europe), not '\(region)'.")
        }
        if data != nil && !sandbox { throw ValidationError("--data only applies with --sandbox.") }
        if sandbox && importURL != nil { throw ValidationError("--import-url cannot be combined with --sandbox.") }
    }

    /// The start flags, checked when the wizard itself runs, not in `validate()`: argument-parser
    /// gives the root's `--source` and `--token-file` the values of the subcommands' options of the
    /// same names (`tokens list --source`, `push --token-file`), which read them from here.
    func validateStartFlags() throws {
        if sourceID != nil && sourceType != nil {
            throw ValidationError("--source continues an existing source and --source-type creates a new one; give only one.")
        }
        if let sourceType, sourceType.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--source-type needs a type, such as import_api or platform.postgres.")
        }
        if let sourceID, sourceID <= 0 {
            throw ValidationError("--source takes a source id, a positive integer (stitch-wizard sources list shows them).")
        }
        // A records file that cannot be read is said before the screens start, as a token file is.
        if let records, access(records, R_OK) != 0 {
            throw ValidationError("--records \(records): \(String(cString: strerror(errno))).")
        }
        if tokenFile != nil && sourceID == nil {
            throw ValidationError("--token-file is the saved token of an existing Import API source: add --source ID "
                + "(stitch-wizard sources list shows the ids)" + (sourceType != nil ? ", instead of --source-type." : "."))
        }
    }

    /// Where the run starts after the connect check.
    var start: WizardStart {
        if let sourceID { return .existingSource(id: sourceID) }
        if let sourceType { return .newSource(type: sourceType) }
        return .home
    }

    /// The saved Import API token of `--source`: the same reading as `push --token-file` (a file
    /// as TokenFile or `tokens create --save` write it, or holding the bare token; whitespace
    /// around it trimmed), else STITCH_IMPORT_TOKEN. Without --source the variable is left for
    /// `push`, which reads it too: a new source cannot have a token yet.
    func savedToken() throws -> ImportAccessToken? {
        guard sourceID != nil else { return nil }
        let value: String
        do {
            if let tokenFile {
                value = try SecretSource.token(fromFile: tokenFile)
            } else if let environment = SecretSource.environment("STITCH_IMPORT_TOKEN") {
                value = environment
            } else {
                return nil
            }
        } catch {
            throw ValidationError(error.description + " (--token-file)")
        }
        // A saved token is its value alone: its id was shown once, beside it, and is not needed
        // to push. 0 marks it unknown; nothing prints or sends it.
        return ImportAccessToken(id: 0, accessToken: value)
    }

    /// The initial state for `target`, with the start flags and the saved token.
    func initialState(_ target: WizardTarget, token: ImportAccessToken?) -> WizardState {
        var state = WizardState(target: target, sourceType: sourceType ?? "import_api", start: start, token: token)
        state.session.recordsPath = records
        return state
    }

    /// What the run made or changed, on stdout after the terminal is restored (like gh and the
    /// Stripe CLI), so the ids outlive the screens. Never a secret.
    static func printSummary(of state: WizardState) {
        for line in state.session.summary.lines { print(line) }
    }

    func run() async throws {
        try await start()
    }

    /// The wizard's run, on the main actor from its first line to the screens (which run there):
    /// no hop between threads before the first frame, each of which costs a wake-up, and on a
    /// busy machine a wait for a core.
    @MainActor
    func start() async throws {
        try validateStartFlags()
        // A token file that cannot be read is a usage error, said before the screens start.
        let token = try savedToken()
        // Chosen before anything starts (the in-process sandbox included).
        let mode = WizardMode.choose(accessible: accessible)
        StartupTrace.mark("mode chosen")
        if sandbox {
            try await runWithSandbox(token: token, mode: mode)
        } else {
            let importBase = importURL ?? ImportRegion(rawValue: region)?.baseURL ?? ImportRegion.northAmerica.baseURL
            let target = WizardTarget(connectBaseURL: connectURL,
                                      connectToken: ProcessInfo.processInfo.environment["STITCH_CONNECT_TOKEN"] ?? "",
                                      importBaseURL: importBase, isSandbox: false)
            // The line mode's input ended before the end: its reason is on stderr already.
            guard try await mode.run(initialState(target, token: token), runner: EffectRunner()) else { throw ExitCode(1) }
        }
    }

    @MainActor
    private func runWithSandbox(token: ImportAccessToken?, mode: WizardMode) async throws {
        let directory = data ?? Self.defaultSandboxDirectory
        // Started alongside the screens, not before them: the first frame ("Starting the local
        // sandbox…") is drawn while it starts, and the start's requests go out once it listens.
        // No logger: anything written to the terminal would tear the full-screen UI. Detached: it
        // runs off the main actor, which draws the first frame meanwhile.
        let sandbox = Task.detached {
            try await startSandbox(SandboxConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory))
        }
        // The HTTP client (and its event loop threads) is made while the sandbox starts, not by
        // the first request after it.
        Task.detached { _ = StitchHTTPClient.shared }
        let target = Task.detached {
            let running = try await sandbox.value
            return WizardTarget(connectBaseURL: running.baseURL, connectToken: running.connectToken,
                                importBaseURL: running.baseURL, isSandbox: true)
        }
        let runner = EffectRunner(loadReader: SandboxLoadReader.reader(dataDirectory: directory),
                                  destinationBrowser: .sandbox(dataDirectory: directory))
        // Until it listens, the header names the host it will listen on, without the port.
        var state = initialState(WizardTarget(connectBaseURL: "http://127.0.0.1", connectToken: "",
                                              importBaseURL: "http://127.0.0.1", isSandbox: true), token: token)
        state.screen = StartScreen(start: start, isAwaitingSandbox: true)
        let finished: Bool
        StartupTrace.mark("screens start")
        do {
            finished = try await mode.run(state, runner: runner, pendingTarget: target)
        } catch {
            // Quit (or failed) before the sandbox was up: it is stopped once it is, never left running.
            await (try? sandbox.value)?.stop()
            throw error
        }
        await (try? sandbox.value)?.stop()
        guard finished else { throw ExitCode(1) }
        print("Sandbox data: \(directory) (destination databases in \(directory)/destination)")
    }
}

extension StitchWizardCommand {
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
