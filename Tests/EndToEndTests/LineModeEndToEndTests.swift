import Foundation
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The accessible line mode of the real `stitch-wizard --sandbox` with standard input and output
/// as pipes, as in `printf '…' | stitch-wizard --sandbox | cat`: no terminal anywhere, so the line
/// mode is chosen by itself.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LineModeEndToEndTests {
    /// Runs the wizard with `input` piped in (then closed) and returns what it wrote.
    private func runWizard(input: String, in directory: URL) async throws -> (output: String, errors: String, status: ChildExitStatus) {
        let errorsPath = directory.appendingPathComponent("stderr.txt").path
        let child = try PipedChildProcess(Products.path("stitch-wizard"),
                                          ["--sandbox", "--data", directory.appendingPathComponent("data").path],
                                          standardError: errorsPath)
        child.write(input)
        child.closeInput()
        let (output, status) = try await child.finish(timeout: .seconds(90))
        let errors = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
        return (output, errors, status)
    }

    @Test func pipedAnswersWalkTheImportAPIFlowToTheBatchStatus() async throws {
        let directory = try temporaryDirectory("lines")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenPath = directory.appendingPathComponent("token.txt").path
        // Enter takes the preselected import_api and the default display name; the token is
        // saved to a file; then the example batch is sent.
        let answers = ["", "", "y", tokenPath, "y", "y"]
        let run = try await runWizard(input: answers.map { $0 + "\n" }.joined(), in: directory)

        #expect(run.status.succeeded, "\(run.status): \(run.errors)\n\(run.output)")
        #expect(!run.output.utf8.contains(0x1B) && !run.errors.utf8.contains(0x1B), "no escape sequence: \(run.output)")
        #expect(run.output.contains("1. New import_api source"))
        #expect(run.output.contains("Display name [Import API]: \n"))
        #expect(run.output.contains("Send the example batch? [y/n]: y\n"))
        #expect(run.output.contains("Batch 1: HTTP 201"), "the batch status: \(run.output)")
        #expect(run.output.contains("Created source "))
        #expect(run.output.contains("Sent 1 test batch, 1 accepted"))
        // The token went to the file as it was shown, readable only by its owner.
        let token = try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!token.isEmpty && run.output.contains(token))
        let mode = try FileManager.default.attributesOfItem(atPath: tokenPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func inputEndingMidWayCancelsWithAMessageAndAFailureStatus() async throws {
        let directory = try temporaryDirectory("lines-eof")
        defer { try? FileManager.default.removeItem(at: directory) }
        // One answer (the start screen's), then end of input at the display name.
        let run = try await runWizard(input: "1\n", in: directory)

        #expect(run.status.exitedNormally && run.status.exitCode != 0, "\(run.status): \(run.errors)")
        #expect(run.errors.contains("Input ended before the wizard finished"), "\(run.errors)")
        #expect(run.output.contains("Display name"), "it stopped at the display name: \(run.output)")
        #expect(!run.output.contains("Created source"), "nothing was created")
        #expect(!run.output.utf8.contains(0x1B) && !run.errors.utf8.contains(0x1B))
    }

    /// On a terminal (tmux) whose TERM cannot move the cursor: the Connect token is read without
    /// echo, asked again when refused, and a SIGTERM during that read leaves the terminal echoing.
    @Test func aSecretIsNotEchoedAndEchoComesBackWhenTheWizardIsKilledMeanwhile() throws {
        let directory = try temporaryDirectory("lines-tty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("wizard.pid").path
        let wizard = Products.path("stitch-wizard")
        // The inner shell writes its pid and becomes the wizard; the outer one then tells how it
        // ended and whether the terminal echoes.
        let session = try TmuxSession(command: "sh -c 'echo $$ > \(pidFile); exec env TERM=dumb LANG=C.UTF-8 \(wizard) "
            + "--connect-url http://127.0.0.1:9 --import-url http://127.0.0.1:9'; echo wizard-exit=$?; "
            + "if stty -a | grep -qw -- -echo; then echo echo-off; else echo echo-on; fi")
        defer { session.kill() }
        try session.waitFor("Connect API token:")  // tmux trims the trailing space
        // A space inside makes the token refused by the check, so it is asked for again.
        try session.sendLiteral("hidden-token-part one")
        try session.send("Enter")
        try session.waitFor("Connect API URL [")
        #expect(try !session.screen().contains("hidden-token"), "the token was echoed")
        try session.send("Enter")
        try session.waitFor("Import API URL")
        try session.send("Enter")
        try eventually("the token asked again") {
            // The refused token is still held (never shown), so an empty answer would keep it.
            try session.screen().contains("Connect API token (empty keeps the one given):")
        }
        let screen = try session.screen()
        #expect(screen.contains("Error:"), "\(screen)")
        #expect(!screen.contains("hidden-token"))
        // Echo is off now (it goes off before the question is written).
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGTERM)
        try session.waitFor("wizard-exit=")
        try session.waitFor("echo-")
        let end = try session.screen()
        #expect(end.contains("wizard-exit=143"), "killed by SIGTERM: \(end)")
        #expect(end.contains("echo-on"), "the terminal echoes again: \(end)")
    }

    /// Ctrl-C (SIGINT) after the source and its token were made: the run says it was interrupted,
    /// still prints what it created (the ids are needed to continue or clean up), and exits 130.
    @Test func anInterruptStillPrintsWhatWasCreated() throws {
        let directory = try temporaryDirectory("lines-int")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("wizard.pid").path
        let data = directory.appendingPathComponent("data").path
        let session = try TmuxSession(command: "sh -c 'echo $$ > \(pidFile); exec env TERM=dumb LANG=C.UTF-8 "
            + "\(Products.path("stitch-wizard")) --sandbox --data \(data)'; echo wizard-exit=$?; sleep 60")
        defer { session.kill() }
        try session.waitFor("Choice (number or name) [1]:")
        try session.send("Enter")
        try session.waitFor("Display name [Import API]:")
        try session.send("Enter")
        try session.waitFor("Save the token to a new file? [y/n]:")
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // As the terminal's Ctrl-C would (tmux's C-c also interrupts the shell around it).
        kill(pid, SIGINT)
        try session.waitFor("wizard-exit=")
        let end = try session.screen()
        #expect(end.contains("wizard-exit=130"), "\(end)")
        #expect(end.contains("Interrupted (Ctrl-C)."), "\(end)")
        #expect(end.contains("Created source 100001 (import_api)"), "the summary: \(end)")
        #expect(end.contains("Generated Import API token"), "the summary: \(end)")
    }
}
