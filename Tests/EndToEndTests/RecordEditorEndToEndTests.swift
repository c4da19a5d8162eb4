import Foundation
import StitchAPI
import StitchTestSupport
import Testing

/// The record editor (issue 8, "Done means") end to end: the real `stitch-wizard` in tmux, real
/// sockets, the real `stitch-sandbox` (standalone, or in-process with `--sandbox`) and its SQLite
/// destination, read with the `sqlite3` CLI.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RecordEditorEndToEndTests {
    private static let connectToken = "ac_e2e_fake_connect_token"

    /// The wizard against a standalone sandbox, straight into the editor with a saved token (issue
    /// 7's `--source ID --token-file`), `--records FILE` loaded.
    private func editorCommand(_ sandbox: SandboxProcess, source: ImportSource, tokenFile: URL, records: URL?) -> String {
        "env STITCH_CONNECT_TOKEN=\(sandbox.connectToken) LANG=C.UTF-8 TERM=tmux-256color "
            + "\(Products.path("stitch-wizard")) --connect-url \(sandbox.baseURL) --import-url \(sandbox.baseURL) "
            + "--source \(source.id) --token-file \(tokenFile.path)\(records.map { " --records " + $0.path } ?? ""); "
            + "echo wizard-exit=$?"
    }

    /// One JSONL line per record: `id` 1…count (so `key_names` defaults to `id`), a name, a score.
    private func writeRecords(_ count: Int, to url: URL) throws {
        var text = ""
        text.reserveCapacity(count * 48)
        for id in 1...count { text += #"{"id":\#(id),"name":"person \#(id)","score":\#(id % 100)}"# + "\n" }
        try Data(text.utf8).write(to: url)
    }

    private struct Setup {
        var work: URL
        var data: URL
        var sandbox: SandboxProcess
        var source: ImportSource
        var tokenFile: URL
        var log: URL
        var database: URL { data.appendingPathComponent("destination/\(source.schema).sqlite") }

        /// `Loaded batch` lines of the sandbox's log (`--verbose`) for `table`: rows per batch, in order.
        func loadedBatches(table: String) throws -> [Int] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("Loaded batch") && $0.contains("table=\(table)") }.compactMap { line in
                guard let range = line.range(of: "rows=") else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
    }

    private func standaloneSandbox(_ label: String) throws -> Setup {
        let work = try temporaryDirectory(label)
        let data = work.appendingPathComponent("data")
        let log = work.appendingPathComponent("sandbox.log")
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: Self.connectToken, logFile: log)
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Record Editor \(label)")
        let tokenFile = work.appendingPathComponent("saved-token")
        try writePrivately(source.token + "\n", to: tokenFile)
        return Setup(work: work, data: data, sandbox: sandbox, source: source, tokenFile: tokenFile, log: log)
    }

    /// Ctrl-S until the editor takes it: a large file's whole-batch check runs off the key path
    /// after the load, and a send asked for meanwhile is refused ("still being checked").
    /// `started` says the send is under way (a screen text, or what the sandbox received).
    private func sendWhenChecked(_ session: TmuxSession, timeout: Duration = .seconds(60),
                                 started: (String) throws -> Bool) throws {
        var last = ""
        do {
            try eventually(timeout: timeout, "the send to start") {
                last = try session.screen()
                if try started(last) { return true }
                try session.send("C-s")
                Thread.sleep(forTimeInterval: 0.3)
                last = try session.screen()
                return try started(last)
            }
        } catch {
            throw CommandFailure(description: "the send never started. Last screen:\n\(last)")
        }
    }

    /// Tab to the history panel (it joins the Tab cycle once a batch was sent: grid, schema,
    /// [problems], history); the strip under the grid shows only the last reply.
    private func showHistory(_ session: TmuxSession) throws {
        var last = ""
        for _ in 0..<6 {
            last = try session.screen()
            if last.contains("History · ") { return }
            try session.send("Tab")
            Thread.sleep(forTimeInterval: 0.3)
        }
        last = try session.screen()
        if !last.contains("History · ") { throw CommandFailure(description: "no history panel. Last screen:\n\(last)") }
    }

    /// Issue 8: a 45,000-record JSONL opened with `--records` goes out as exactly three requests
    /// (20,000 + 20,000 + 5,000, the Import API's record limit) and every row loads once.
    @Test
    func aLargeFileIsSentInThreeBatchesAndEveryRowLoadsOnce() throws {
        let setup = try standaloneSandbox("e2e-editor-45k")
        defer {
            setup.sandbox.stop()
            try? FileManager.default.removeItem(at: setup.work)
        }
        let records = setup.work.appendingPathComponent("people.jsonl")
        try writeRecords(45_000, to: records)

        let session = try TmuxSession(command: editorCommand(setup.sandbox, source: setup.source, tokenFile: setup.tokenFile,
                                                             records: records), columns: 120, rows: 36)
        defer { session.kill() }
        try session.waitFor("Connect to Stitch")
        try session.send("Enter")
        try session.waitFor("45,000", timeout: .seconds(60))
        #expect(try !session.screen().contains(setup.source.token), "the token is never shown")
        try sendWhenChecked(session) { screen in
            let loaded = try setup.loadedBatches(table: "people")
            return screen.contains("/ 45,000 records") || !loaded.isEmpty
        }
        try eventually(timeout: .seconds(90), "three batches to load") { try setup.loadedBatches(table: "people").count >= 3 }

        // Exactly three requests, by the sandbox's count, of the sizes the limits give.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try setup.loadedBatches(table: "people") == [20_000, 20_000, 5_000])
        #expect(try query(setup.database, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM people") == "45000|45000|1|45000")
        #expect(try query(setup.database, "SELECT count(*) FROM people WHERE name != 'person ' || id OR score != id % 100") == "0")
        let rejected = try query(setup.database, "SELECT count(*) FROM sqlite_master WHERE name = '_sdc_rejected'")
        if rejected == "1" { #expect(try query(setup.database, "SELECT count(*) FROM _sdc_rejected") == "0") }

        // The history says the same: three entries of the three sizes.
        try showHistory(session)
        try session.waitFor("3 batches · 3 accepted", timeout: .seconds(60))
        // Followed through the loads endpoint (a non-sandbox target: the first poll after 30 s).
        try session.waitFor("3 accepted · 3 loaded", timeout: .seconds(75))
        let screen = try session.screen()
        #expect(screen.contains("20,000") && screen.contains("5,000"), "the history lists the requests:\n\(screen)")
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
    }

    /// Issue 8: a record the Import API would refuse (a string in an integer column) is stopped
    /// locally: the problem is shown at its row and column, and nothing reaches the sandbox. Then
    /// the cell is fixed in the grid and the same batch goes through (so "nothing sent" is not a
    /// sender that never sends).
    @Test
    func anInvalidRecordIsStoppedLocallyAndNothingIsSent() throws {
        let setup = try standaloneSandbox("e2e-editor-invalid")
        defer {
            setup.sandbox.stop()
            try? FileManager.default.removeItem(at: setup.work)
        }
        // A whole batch (table, schema, key): the schema types `age` as an integer, row 2 has a string.
        let batch = setup.work.appendingPathComponent("pets.json")
        try Data(#"""
            {"table_name": "pets", "key_names": ["id"],
             "schema": {"properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "age": {"type": "integer"}}},
             "messages": [
               {"action": "upsert", "sequence": 1, "data": {"id": 1, "name": "Rex", "age": 3}},
               {"action": "upsert", "sequence": 2, "data": {"id": 2, "name": "Tom", "age": "old"}},
               {"action": "upsert", "sequence": 3, "data": {"id": 3, "name": "Kit", "age": 1}}
             ]}
            """#.utf8).write(to: batch)

        let session = try TmuxSession(command: editorCommand(setup.sandbox, source: setup.source, tokenFile: setup.tokenFile,
                                                             records: batch), columns: 120, rows: 36)
        defer { session.kill() }
        try session.waitFor("Connect to Stitch")
        try session.send("Enter")
        try session.waitFor("Rex")
        try session.send("C-s")
        try session.waitFor("Not sent")
        let screen = try session.screen()
        #expect(screen.contains("age"), "the problem names its column:\n\(screen)")
        #expect(screen.lowercased().contains("integer"), "with the validator's message (expected type integer):\n\(screen)")

        // Nothing reached the sandbox: no batch numbered, no load, no destination.
        Thread.sleep(forTimeInterval: 1)
        #expect(try setup.loadedBatches(table: "pets").isEmpty)
        let petsTables = FileManager.default.fileExists(atPath: setup.database.path)
            ? try query(setup.database, "SELECT count(*) FROM sqlite_master WHERE name = 'pets'") : "0"
        #expect(petsTables == "0", "no table was made")
        let counter = setup.data.appendingPathComponent("batch-counter")
        let counted = (try? String(contentsOf: counter, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(counted == nil || counted == "0", "the sandbox numbered no batch: \(counted ?? "")")

        // Enter on the problem goes to its cell; typing 4 and Enter fixes it; now the batch goes.
        try session.send("Enter")
        try session.send("Enter")
        try session.send("C-u")
        try session.sendLiteral("4")
        try session.send("Enter")
        try sendWhenChecked(session, timeout: .seconds(20)) { $0.contains("201") }
        try eventually(timeout: .seconds(30), "the fixed batch to load") {
            FileManager.default.fileExists(atPath: setup.database.path)
                && (try? query(setup.database, "SELECT group_concat(id || ':' || age, ',') FROM (SELECT id, age FROM pets ORDER BY id)"))
                    == "1:3,2:4,3:1"
        }
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
    }

    /// Issue 8: a batch the Import API accepts but the loader cannot place (SQLite refuses tables
    /// named `sqlite_…`; our loader sends such records to `_sdc_rejected`, LoadPlan's [?] choice) is
    /// shown as rejected in the history, with the in-process sandbox reading the destination.
    @Test
    func aLoadTimeRejectIsShownAsRejected() throws {
        let work = try temporaryDirectory("e2e-editor-reject")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let records = work.appendingPathComponent("sqlite_pets.jsonl")
        try Data((#"{"id":1,"name":"Rex"}"# + "\n" + #"{"id":2,"name":"Tom"}"# + "\n").utf8).write(to: records)

        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color \(Products.path("stitch-wizard")) --sandbox "
            + "--data \(data.path); echo wizard-exit=$?", columns: 120, rows: 36)
        defer { session.kill() }
        try session.waitFor("New import_api source")
        try session.send("Enter")
        try session.waitFor("Create the Import API source")
        try session.waitFor("import_api")
        try session.send("Enter")
        try session.waitFor("cannot be displayed again")
        try session.send("y")
        try session.waitFor("ctrl-s")
        // The in-editor open prompt.
        try session.send("C-o")
        try session.waitFor("Open")
        try session.sendLiteral(records.path)
        try session.send("Enter")
        // A file without a schema opens the schema panel for review (issue 8 item 3): v marks it
        // reviewed, Tab goes back to the grid (the cycle is grid, schema).
        try session.waitFor("Inferred schema")
        try session.send("v")
        try session.send("Tab")
        try session.waitFor("Rex")
        try sendWhenChecked(session, timeout: .seconds(20)) { $0.contains("201") }
        try showHistory(session)
        // The sandbox's loads endpoint reports the stream's rejects as its error_state; once the
        // destination is read back the list says "rejected" (issue 8). Enter opens the entry, where
        // the readback lists what went to _sdc_rejected with each reason.
        try session.waitFor("2 records rejected · ", timeout: .seconds(60))
        try session.send("Enter")
        try session.waitFor("2 records of this batch went to _sdc_rejected")
        #expect(try session.screen().contains("rejected: "), "each reject with its reason")

        let database = data.appendingPathComponent("destination/import_api.sqlite")
        #expect(try query(database, "SELECT count(*) FROM _sdc_rejected") == "2")
        #expect(try query(database, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_pets'") == "0")
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
    }

    /// Issue 8: after a 2xx, the history follows the batch to "loaded" through
    /// `GET /v4/{client_id}/loads` of a standalone `stitch-sandbox` (not `--sandbox`: no destination
    /// read, only the loads endpoint).
    @Test
    func aBatchIsFollowedToLoadedThroughTheLoadsEndpoint() throws {
        let setup = try standaloneSandbox("e2e-editor-follow")
        defer {
            setup.sandbox.stop()
            try? FileManager.default.removeItem(at: setup.work)
        }
        // The editor's own example batch (the tutorial's customers row): no file needed.
        let session = try TmuxSession(command: editorCommand(setup.sandbox, source: setup.source, tokenFile: setup.tokenFile,
                                                             records: nil), columns: 120, rows: 36)
        defer { session.kill() }
        try session.waitFor("Connect to Stitch")
        try session.send("Enter")
        try session.waitFor("Finn")
        try sendWhenChecked(session, timeout: .seconds(20)) { $0.contains("201") }
        // The history (not the reply strip) follows the load: about 30 s to the first poll of a
        // non-sandbox target.
        try showHistory(session)
        try session.waitFor("accepted · waiting for load")
        try session.waitFor("loaded after", timeout: .seconds(75))
        #expect(try query(setup.database, "SELECT id, name FROM customers") == "1|Finn")
        // What the screen followed is what the endpoint says.
        let connect = try ConnectClient(sandbox: setup.sandbox, headerFile: setup.work.appendingPathComponent("connect.headers"))
        let loads = try run(executableInPath("curl") ?? "/usr/bin/curl",
                            ["--silent", "--show-error", "--fail", "-H", "@" + connect.headerFile.path,
                             connect.baseURL + "/v4/\(setup.source.clientID)/loads"])
        #expect(loads.contains("customers") && loads.contains("last_batch_loaded_at"), "\(loads)")
        try session.send("C-c")
        try session.waitFor("wizard-exit=0")
    }
}
