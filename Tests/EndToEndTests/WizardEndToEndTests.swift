import Foundation
import StitchTestSupport
import Testing

/// The real `stitch-wizard` binary in a real terminal (tmux), against a real `stitch-sandbox`
/// on loopback, down to the row in the SQLite destination.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WizardEndToEndTests {
    /// Pressing through the tutorial's flow: display name, token, one batch of the example row.
    private func walkThroughTheTutorial(in session: TmuxSession) throws {
        try session.openImportAPIForm()
        try session.waitFor("import_api")
        try session.send("Enter")
        try session.waitFor("cannot be displayed again")
        try session.send("y")
        try session.waitFor("customers · 1 row")
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

    /// Issues 13 and 7: a terminal that cannot move the cursor (or an unknown or missing TERM)
    /// gets the line mode instead of the screens, with a notice saying why and what to use for
    /// the screens; end of input (Ctrl-D) there cancels with a non-zero exit status.
    @Test(arguments: [("TERM=dumb", "TERM=dumb cannot move the cursor"), ("-u TERM", "TERM is not set"),
                      ("TERM=", "TERM is not set"), ("TERM=no-such-terminal-xyz", "not in the terminfo database")])
    func aTerminalThatCannotMoveTheCursorGetsTheLineMode(environment: String, says: String) throws {
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env \(environment) LANG=C.UTF-8 \(wizard) --connect-url http://127.0.0.1:9 "
            + "--import-url http://127.0.0.1:9; echo wizard-exit=$?")
        defer { session.kill() }
        try session.waitFor("Connect API token:")  // tmux trims the trailing space
        try session.send("C-d")
        try session.waitFor("wizard-exit=")
        // The notice wraps at the pane's edge; read it as one line.
        let screen = try session.screen().replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains(says), "\(screen)")
        #expect(screen.contains("xterm-256color"), "the notice says what to use for the screens")
        #expect(screen.contains("Connect to Stitch"), "the line mode's first screen")
        #expect(screen.contains("Input ended before the wizard finished"))
        #expect(screen.contains("wizard-exit=1"))
    }

    /// Issue 12: reports a terminal sends that are not keys never reach a text field. Both
    /// terminal types: ncurses recognises the start of a mouse report itself, `ESC[M` under
    /// tmux-256color and `ESC[<` under xterm-256color, and leaves the rest unread.
    @Test(arguments: ["tmux-256color", "xterm-256color"])
    func escapeSequencesThatAreNotKeysAreNotTyped(term: String) throws {
        let data = try temporaryDirectory("e2e-sequences")
        defer { try? FileManager.default.removeItem(at: data) }
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=\(term) \(wizard) --sandbox --data \(data.path)")
        defer { session.kill() }
        try session.openImportAPIForm()
        try session.send("C-u")
        try session.sendLiteral("a")
        // Focus in and out, OSC title (BEL and ST), SGR mouse press/release, X10 mouse, urxvt
        // mouse, an unknown CSI, SS3 with an unknown final, DCS.
        for bytes in ["1b 5b 49", "1b 5b 4f", "1b 5d 30 3b 74 69 74 6c 65 07", "1b 5d 32 3b 78 1b 5c",
                      "1b 5b 3c 30 3b 31 30 3b 35 4d", "1b 5b 3c 30 3b 31 30 3b 35 6d", "1b 5b 4d 20 21 21",
                      "1b 5b 33 32 3b 31 30 3b 35 4d", "1b 5b 39 39 3b 39 39 71", "1b 4f 7a", "1b 50 31 24 72 1b 5c"] {
            try session.sendBytes(bytes)
            try session.sendLiteral("b")
        }
        try session.sendLiteral("c")
        let expected = "a" + String(repeating: "b", count: 11) + "c"
        try session.waitFor("Schema name    \(expected)")
        let line = try session.screen().split(separator: "\n").first { $0.contains("Display name") } ?? ""
        #expect(line.hasSuffix("Display name * \(expected)"), "\(line)")
    }

    /// Findings F6 and F7: a byte that is not UTF-8 is dropped alone (a Latin-1 "Ã" does not take
    /// "abc" with it), and a control sequence inside a paste is dropped whole.
    @Test func invalidBytesAndSequencesInsideAPasteAreDroppedWhole() throws {
        let data = try temporaryDirectory("e2e-bytes")
        defer { try? FileManager.default.removeItem(at: data) }
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color \(wizard) --sandbox --data \(data.path)")
        defer { session.kill() }
        try session.openImportAPIForm()
        try session.send("C-u")
        for bytes in ["c3 61 62 63", "ff 64", "e2 82 65", "c0 af 66", "f4 90 80 80 67"] {
            try session.sendBytes(bytes)
        }
        try session.waitFor("Schema name    abcdefg")
        // ESC[200~ h ESC[I i ESC[A j ESC[201~
        try session.sendBytes("1b 5b 32 30 30 7e 68 1b 5b 49 69 1b 5b 41 6a 1b 5b 32 30 31 7e")
        try session.waitFor("Schema name    abcdefghij")
    }

    /// Issue 12: a bracketed-paste start without its end must not freeze the display: the screen
    /// keeps following the terminal (a resize is redrawn at once), the text arrives as a paste
    /// after a short silence, and typing works again.
    @Test func anUnterminatedPasteDoesNotFreezeTheDisplay() throws {
        let data = try temporaryDirectory("e2e-paste")
        defer { try? FileManager.default.removeItem(at: data) }
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color \(wizard) --sandbox --data \(data.path)")
        defer { session.kill() }
        try session.openImportAPIForm()
        try session.send("C-u")
        try session.sendBytes("1b 5b 32 30 30 7e 70 61 73 74 65 64")  // ESC[200~pasted, no end marker
        try session.resize(columns: 70, rows: 22)
        // Well before any paste deadline could have passed: the loop was never blocked.
        try eventually(timeout: .milliseconds(1500), "a 70-column frame while the paste is open") {
            let lines = try session.screen().split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 22 && lines[0].count == 69 && lines[21].contains("ctrl-c quit")
        }
        try session.waitFor("Schema name    pasted", timeout: .seconds(5))
        try session.sendLiteral("x")
        try session.waitFor("Schema name    pastedx", timeout: .seconds(5))
    }

    /// Issue 10 and findings F10: keys that arrive right behind a shrinking resize are judged at the
    /// new size (dropped), not at the size ncurses still had when it read them.
    @Test(arguments: [(40, 10), (59, 20), (2, 2)])
    func keysRightBehindAShrinkDoNotAct(columns: Int, rows: Int) throws {
        let data = try temporaryDirectory("e2e-shrink")
        defer { try? FileManager.default.removeItem(at: data) }
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color \(wizard) --sandbox --data \(data.path)",
                                      columns: 100, rows: 30)
        defer { session.kill() }
        try session.openImportAPIForm()
        try session.waitFor("Schema name    import_api")
        for _ in 0..<3 {
            // tmux holds back a pane's resize that follows another within about 250 ms (the
            // program is told the new size late, so keys sent meanwhile rightly act at the old size):
            // each shrink comes after a pause.
            Thread.sleep(forTimeInterval: 0.5)
            try session.resize(columns: columns, rows: rows, thenType: "k")
            Thread.sleep(forTimeInterval: 0.3)
            try session.resize(columns: 100, rows: 30)
            try session.waitFor("Schema name")
        }
        Thread.sleep(forTimeInterval: 0.3)
        let screen = try session.screen()
        #expect(screen.contains("Schema name    import_api\n"), "a key typed behind the shrink acted:\n\(screen)")
    }

    /// Issue 12: after a burst of resizes (through "too small" and back) the screen is a full
    /// repaint at the final size: nothing of an earlier frame is left.
    @Test func aBurstOfResizesEndsInAFrameOfTheFinalSize() throws {
        let data = try temporaryDirectory("e2e-resize")
        defer { try? FileManager.default.removeItem(at: data) }
        let wizard = Products.path("stitch-wizard")
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color \(wizard) --sandbox --data \(data.path)")
        defer { session.kill() }
        try session.openImportAPIForm()
        for (columns, rows) in [(120, 40), (40, 10), (100, 30), (61, 21), (130, 35), (50, 15), (90, 28)] {
            try session.resize(columns: columns, rows: rows)
        }
        try eventually(timeout: .seconds(10), "a frame of 90×28") {
            let lines = try session.screen().split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 28 && lines[27].contains("ctrl-c quit") && lines[0].count == 89
                && !lines.contains { $0.contains("too small") }
        }
        // The last frame stays: nothing of the 130-column frame beyond column 90, no stray rows.
        let lines = try session.screen().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 90 })
        #expect(lines.filter { $0.contains("Create the Import API source") }.count == 1)
        #expect(lines.filter { $0.contains("ctrl-c quit") }.count == 1)
    }

    @Test func noTerminalGetsTheLineMode() throws {
        // Standard input /dev/null and output to a file: no terminal, so the line mode, whose
        // first question meets the end of input at once.
        let outcome = try execute(Products.path("stitch-wizard"),
                                  ["--connect-url", "http://127.0.0.1:9", "--import-url", "http://127.0.0.1:9"],
                                  timeout: .seconds(60))
        #expect(outcome.exitedNormally && outcome.exitCode == 1)
        #expect(outcome.standardOutput.contains("Connect API token: "))
        #expect(!outcome.standardOutput.utf8.contains(0x1B))
        #expect(outcome.standardError.contains("Input ended before the wizard finished"), "\(outcome.standardError)")
    }
}

private extension TmuxSession {
    /// From the home screen, Enter on the preselected Import API type, up to its form.
    func openImportAPIForm() throws {
        try waitFor("New import_api source")
        try send("Enter")
        try waitFor("Create the Import API source")
    }
}
