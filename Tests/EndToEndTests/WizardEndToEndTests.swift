import Foundation
import Testing

/// The real `stitch-wizard` binary in a real terminal (tmux), against a real `stitch-sandbox`
/// on loopback, down to the row in the SQLite destination.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WizardEndToEndTests {
    /// Pressing through the tutorial's flow: display name, token, one batch of the example row.
    private func walkThroughTheTutorial(in session: TmuxSession) throws {
        try session.waitFor("Create the Import API source")
        try session.waitFor("import_api")
        try session.send("Enter")
        try session.waitFor("cannot be displayed again")
        try session.send("y")
        try session.waitFor("batch JSON")
        try session.send("C-s")
        try session.waitFor("201 Created")
    }

    @Test func wizardAgainstASeparateSandboxLoadsTheTutorialRow() throws {
        let data = try temporaryDirectory("e2e-sandbox")
        defer { try? FileManager.default.removeItem(at: data) }
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }

        let wizard = Products.path("stitch-wizard")
        let command = "env STITCH_CONNECT_TOKEN=\(sandbox.connectToken) LANG=C.UTF-8 TERM=tmux-256color "
            + "\(wizard) --connect-url \(sandbox.baseURL) --import-url \(sandbox.baseURL); echo wizard-exit=$?"
        let session = try TmuxSession(command: command)
        defer { session.kill() }

        try session.waitFor("Connect to Stitch")
        #expect(try !session.screen().contains(sandbox.connectToken), "the Connect token is masked")
        try session.send("Enter")
        try walkThroughTheTutorial(in: session)

        let database = data.appendingPathComponent("destination/import_api.sqlite")
        try eventually("the row to be loaded") {
            FileManager.default.fileExists(atPath: database.path)
                && (try? query(database, "SELECT id, name, age, has_magic FROM customers")) == "1|Finn|15|0"
        }

        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
        #expect(try session.display("#{alternate_on}") == "0", "the terminal left the alternate screen")
    }

    @Test func sandboxFlagRunsEverythingInProcess() throws {
        let data = try temporaryDirectory("e2e-inprocess")
        defer { try? FileManager.default.removeItem(at: data) }
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color \(wizard) --sandbox --data \(data.path); echo wizard-exit=$?")
        defer { session.kill() }

        try walkThroughTheTutorial(in: session)
        try session.send("C-d")
        try session.waitFor("Finn")
        let database = data.appendingPathComponent("destination/import_api.sqlite")
        #expect(try query(database, "SELECT id, name, age, has_magic FROM customers") == "1|Finn|15|0")
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
        #expect(try session.screen().contains("Sandbox data: \(data.path)"))
    }

    @Test func noTerminalIsAClearError() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Products.path("stitch-wizard"))
        process.arguments = ["--connect-url", "http://127.0.0.1:9", "--import-url", "http://127.0.0.1:9"]
        let errors = Pipe()
        process.standardInput = Pipe()
        process.standardOutput = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("needs an interactive terminal"))
    }
}
