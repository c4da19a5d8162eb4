import Foundation
import StitchAPI
import StitchTestSupport
import Testing

/// A person who comes back (issue 7): `--source ID` with a saved token goes straight to the record
/// editor and creates nothing; without one, a source at the two-token limit gets a token by
/// revoking one the user picks; either way the exit summary is printed once the screens are gone.
/// The real `stitch-wizard` in tmux against a real `stitch-sandbox` on loopback.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WizardReturningUserTests {
    /// GETs a Connect path through curl with the header file (the token never in argv).
    private func connectGET(_ connect: ConnectClient, _ path: String) throws -> JSONValue {
        let reply = try run(executableInPath("curl") ?? "/usr/bin/curl",
                            ["--silent", "--show-error", "--fail", "-H", "@" + connect.headerFile.path, connect.baseURL + path])
        return try JSONParser.parse(reply)
    }

    private func tokenIDs(_ connect: ConnectClient, source: Int64) throws -> [Int64] {
        try connectGET(connect, "/v4/sources/\(source)/tokens").arrayValue?
            .compactMap { if case .integer(let id)? = $0["token_id"] { id } else { nil } } ?? []
    }

    private func wizardCommand(_ sandbox: SandboxProcess, _ arguments: String, environment: String = "") -> String {
        "env STITCH_CONNECT_TOKEN=\(sandbox.connectToken) \(environment) LANG=C.UTF-8 TERM=tmux-256color "
            + "\(Products.path("stitch-wizard")) --connect-url \(sandbox.baseURL) --import-url \(sandbox.baseURL) "
            + "\(arguments); echo wizard-exit=$?"
    }

    /// The token from a file (as the token screen and `tokens create --save` write it) or from
    /// STITCH_IMPORT_TOKEN: the editor opens at once and the batch loads; no source, no token made.
    @Test(arguments: ["file", "environment"])
    func aSavedTokenOpensTheEditorAndCreatesNothing(via: String) throws {
        let work = try temporaryDirectory("e2e-returning")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Returning User")
        let connect = try ConnectClient(sandbox: sandbox, headerFile: work.appendingPathComponent("connect.headers"))
        let tokensBefore = try tokenIDs(connect, source: source.id)

        let tokenFile = work.appendingPathComponent("saved-token")
        try writePrivately(source.token + "\n", to: tokenFile)
        // The environment variant puts the (fake) token in tmux's command line, as a user's shell
        // profile would export it; the file variant is what a person should use.
        let command = via == "file"
            ? wizardCommand(sandbox, "--source \(source.id) --token-file \(tokenFile.path)")
            : wizardCommand(sandbox, "--source \(source.id)", environment: "STITCH_IMPORT_TOKEN=\(source.token)")
        let session = try TmuxSession(command: command)
        defer { session.kill() }

        try session.waitFor("Connect to Stitch")
        try session.send("Enter")
        try session.waitFor("customers · 1 row")
        #expect(try !session.screen().contains(source.token), "the saved token is never shown")
        try session.send("C-s")
        try session.waitFor("Accepted")

        let database = data.appendingPathComponent("destination/\(source.schema).sqlite")
        try eventually("the row to be loaded") {
            FileManager.default.fileExists(atPath: database.path)
                && (try? query(database, "SELECT id, name FROM customers")) == "1|Finn"
        }
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
        let screen = try session.screen()
        #expect(screen.contains("Sent 1 test batch, 1 accepted"), "the exit summary, after the terminal is restored:\n\(screen)")
        #expect(!screen.contains("Created source") && !screen.contains("Generated"))
        #expect(!screen.contains(source.token))

        #expect(try connectGET(connect, "/v4/sources").arrayValue?.count == 1, "no source was created")
        #expect(try tokenIDs(connect, source: source.id) == tokensBefore, "no token was created or revoked")
    }

    /// `--source ID` of a source with two active tokens and no saved one: the wizard lists them,
    /// the user revokes the preselected (oldest) one, gets a new token and pushes with it.
    @Test func theTwoTokenLimitIsHandledByRevokingOne() throws {
        let work = try temporaryDirectory("e2e-token-limit")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Token Limit")
        let connect = try ConnectClient(sandbox: sandbox, headerFile: work.appendingPathComponent("connect.headers"))
        _ = try connect.post("/v4/sources/\(source.id)/tokens", body: nil)
        let before = try tokenIDs(connect, source: source.id)
        try #require(before.count == 2)
        let oldest = try #require(before.min())

        let session = try TmuxSession(command: wizardCommand(sandbox, "--source \(source.id)"))
        defer { session.kill() }
        try session.waitFor("Connect to Stitch")
        try session.send("Enter")
        try session.waitFor("Revoke an access token first")
        try session.waitFor("› token \(oldest)")
        try session.send("Enter")
        try session.waitFor("Revoke token \(oldest)?")
        try session.send("y")
        try session.waitFor("cannot be displayed again")
        try session.waitFor("Revoked token \(oldest).")
        try session.send("y")
        try session.waitFor("customers · 1 row")
        try session.send("C-s")
        try session.waitFor("Accepted")
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")

        let after = try tokenIDs(connect, source: source.id)
        #expect(after.count == 2 && !after.contains(oldest), "the oldest was revoked and a new one made: \(after)")
        let newest = try #require(after.max())
        let screen = try session.screen()
        for line in ["Revoked token \(oldest) of source \(source.id)", "Generated Import API token \(newest) for source \(source.id)",
                     "Sent 1 test batch, 1 accepted"] {
            #expect(screen.contains(line), "exit summary line “\(line)” missing:\n\(screen)")
        }
        #expect(try connectGET(connect, "/v4/sources").arrayValue?.count == 1, "no source was created")
    }

    /// A saved token revoked meanwhile: the push is refused with a 401, and Ctrl-T in the editor
    /// generates a new token (shown once) with which the batch goes through.
    @Test func aRefusedSavedTokenIsReplacedFromTheEditor() throws {
        let work = try temporaryDirectory("e2e-refused-token")
        defer { try? FileManager.default.removeItem(at: work) }
        let sandbox = try SandboxProcess(dataDirectory: work.appendingPathComponent("data"), connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Refused Token")
        let connect = try ConnectClient(sandbox: sandbox, headerFile: work.appendingPathComponent("connect.headers"))
        let revoked = try #require(try tokenIDs(connect, source: source.id).first)
        try run(executableInPath("curl") ?? "/usr/bin/curl", ["--silent", "--show-error", "--fail", "-X", "DELETE",
                                                               "-H", "@" + connect.headerFile.path,
                                                               connect.baseURL + "/v4/sources/\(source.id)/tokens/\(revoked)"])
        let tokenFile = work.appendingPathComponent("saved-token")
        try writePrivately(source.token + "\n", to: tokenFile)

        let session = try TmuxSession(command: wizardCommand(sandbox, "--source \(source.id) --token-file \(tokenFile.path)"))
        defer { session.kill() }
        try session.waitFor("Connect to Stitch")
        try session.send("Enter")
        try session.waitFor("customers · 1 row")
        try session.send("C-s")
        try session.waitFor("401 Unauthorized")
        try session.waitFor("Ctrl-T")
        try session.send("C-t")
        try session.waitFor("cannot be displayed again")
        try session.send("y")
        try session.waitFor("customers · 1 row")
        try session.send("C-s")
        try session.waitFor("Accepted")
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")

        let tokens = try tokenIDs(connect, source: source.id)
        #expect(tokens.count == 1 && tokens.first != revoked)
        let screen = try session.screen()
        #expect(screen.contains("Generated Import API token \(tokens.first ?? 0) for source \(source.id)"), "\(screen)")
        #expect(screen.contains("Sent 2 test batches, 1 accepted"), "\(screen)")
    }

    /// Start flags that cannot go together are refused before anything starts, saying what to do.
    @Test(arguments: [
        (["--token-file", "/nonexistent"], "add --source ID"),
        (["--source", "7", "--source-type", "import_api"], "give only one"),
        (["--source", "0"], "positive integer"),
        (["--source", "7", "--token-file", "/nonexistent/token"], "cannot read the token file /nonexistent/token"),
    ])
    func conflictingStartFlagsAreRefused(arguments: [String], says: String) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_IMPORT_TOKEN"] = nil
        let outcome = try execute(Products.path("stitch-wizard"), ["--connect-url", "http://127.0.0.1:9"] + arguments,
                                  environment: environment, timeout: .seconds(30))
        #expect(!outcome.succeeded)
        #expect(outcome.standardError.contains(says), "\(outcome.standardError)")
    }
}
