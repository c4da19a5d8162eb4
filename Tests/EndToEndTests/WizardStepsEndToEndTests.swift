import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 7's walks through every step type of a report card, with the real `stitch-wizard` in a
/// real terminal (tmux) against a real `stitch-sandbox` on loopback: a source type is picked on the
/// home screen, its form filled, discovery waited for, streams (and fields) selected, down to
/// `fully_configured`; then the Connect API (curl) is asked what was saved. The returning user
/// with `--source` + `--token-file`, and the token limit reached through `--source`, are in
/// `WizardReturningUserTests`; here the token limit is met by continuing a source from the home screen.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WizardStepsEndToEndTests {
    /// A sandbox in its own directory, a Connect client (curl with a header file) and a wizard in tmux.
    private struct Run {
        let work: URL
        let sandbox: SandboxProcess
        let connect: ConnectClient
        let session: TmuxSession

        init(label: String, arguments: String = "") throws {
            work = try temporaryDirectory(label)
            sandbox = try SandboxProcess(dataDirectory: work.appendingPathComponent("data"),
                                         connectToken: "ac_e2e_fake_connect_token")
            connect = try ConnectClient(sandbox: sandbox, headerFile: work.appendingPathComponent("connect.headers"))
            session = try TmuxSession(command: "env STITCH_CONNECT_TOKEN=\(sandbox.connectToken) LANG=C.UTF-8 "
                + "TERM=tmux-256color \(Products.path("stitch-wizard")) --connect-url \(sandbox.baseURL) "
                + "--import-url \(sandbox.baseURL) \(arguments); echo wizard-exit=$?")
        }

        func stop() {
            // The pane's shell and the wizard first (one process group): a wizard whose terminal
            // goes away without a SIGHUP (tmux killed) reads its end of input as "no key yet" and
            // spins on it; a failed test must not leave one behind.
            // Only a live pane: a dead one's pid may belong to someone else by now.
            if (try? session.display("#{pane_dead}")) == "0", let pane = try? session.display("#{pane_pid}"),
               let pid = Int32(pane), pid > 1 {
                kill(-pid, SIGTERM)
            }
            session.kill()
            sandbox.stop()
            try? FileManager.default.removeItem(at: work)
        }

        /// GETs a Connect path (the token stays in the header file, off the command line).
        func get(_ path: String) throws -> JSONValue {
            let reply = try run(executableInPath("curl") ?? "/usr/bin/curl",
                                ["--silent", "--show-error", "--fail", "-H", "@" + connect.headerFile.path,
                                 connect.baseURL + path])
            return try JSONParser.parse(reply)
        }

        /// Past the connect screen (the token comes from the environment) to the home screen.
        func openHome() throws {
            try session.waitFor("Connect to Stitch")
            try session.send("Enter")
            try session.waitFor("Create a source, or continue one")
        }

        /// Moves the home screen's selection down to the entry that starts with `label`, and takes it.
        func choose(_ label: String) throws {
            try moveSelection(to: label, key: "Down")
            try session.send("Enter")
        }

        /// Presses `key` until the selected row (marked ›) starts with `label`; at most 20 presses.
        func moveSelection(to label: String, key: String) throws {
            try moveSelection(to: label, key: key) { $0.hasPrefix("› " + label) }
        }

        /// Presses `key` until the selected row meets `isWanted`; at most 20 presses.
        func moveSelection(to label: String, key: String, where isWanted: (String) -> Bool) throws {
            for _ in 0..<20 {
                let before = try selectedRow()
                if isWanted(before) { return }
                try session.send(key)
                try eventually(timeout: .seconds(5), "the selection to move from “\(before)”") { try selectedRow() != before }
            }
            throw CommandFailure(description: "never selected “\(label)”:\n\(try session.screen())")
        }

        /// In a checklist (streams, or a stream's fields, each “[x] name” or “[ ] name”, top to
        /// bottom): moves down to `name` and ticks or unticks it with space, whichever it is now.
        func set(_ name: String, selected: Bool) throws {
            func isItem(_ row: String) -> Bool {
                row.hasPrefix("› [") && (row.dropFirst(6).hasPrefix(name + " ") || row.dropFirst(6) == name)
            }
            try moveSelection(to: name, key: "Down", where: isItem)
            let wanted = selected ? "› [x] \(name)" : "› [ ] \(name)"
            if try !selectedRow().hasPrefix(wanted) { try session.send("Space") }
            try eventually(timeout: .seconds(5), "“\(wanted)”") { try selectedRow().hasPrefix(wanted) }
        }

        /// The “N/M fields” note of a selected stream's row.
        func fieldCount(of stream: String) throws -> String? {
            let row = try session.screen().split(separator: "\n").first { $0.contains("] \(stream) ") }
            return row?.split(separator: " ").first { $0.contains("/") }.map(String.init)
        }

        /// The row the › marks (at the row's start: the trail's › separators sit between words),
        /// without the blanks around it.
        func selectedRow() throws -> String {
            try session.screen().split(separator: "\n").lazy
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("› ") } ?? ""
        }

        /// Tabs through the form to the field labelled `name` and types `value` into it.
        func fill(_ name: String, _ value: String) throws {
            try focus(name)
            try session.sendLiteral(value)
        }

        /// Tabs to the field labelled `name` (its label, then a blank or " *" for a required one).
        func focus(_ name: String) throws {
            for _ in 0..<25 {
                let row = try selectedRow()
                if row.hasPrefix("› \(name) ") || row == "› \(name)" { return }
                try session.send("Tab")
                try eventually(timeout: .seconds(5), "the focus to leave “\(row)”") { try selectedRow() != row }
            }
            throw CommandFailure(description: "never focused the field “\(name)”:\n\(try session.screen())")
        }

        /// The one source the account has, once the wizard created it.
        func onlySource() throws -> JSONValue {
            let sources = try get("/v4/sources").arrayValue ?? []
            try #require(sources.count == 1, "exactly one source: \(sources)")
            let id = try #require(sources[0]["id"].flatMap(\.integerValue))
            return try get("/v4/sources/\(id)")
        }

        /// The selected streams' names, from `GET /v4/sources/{id}/streams`.
        func selectedStreams(of id: Int64) throws -> [String] {
            try (get("/v4/sources/\(id)/streams").arrayValue ?? [])
                .filter { $0["selected"] == .bool(true) }
                .compactMap { $0["stream_name"]?.stringValue }
                .sorted()
        }

        /// The fields of a stream that Stitch replicates, from the metadata of
        /// `GET /v4/sources/{id}/streams/{stream_id}`: `automatic` ones, and those `selected`.
        func replicatedFields(of id: Int64, stream name: String) throws -> Set<String> {
            let streams = try get("/v4/sources/\(id)/streams").arrayValue ?? []
            let streamID = try #require(streams.first { $0["stream_name"]?.stringValue == name }?["stream_id"]
                .flatMap(\.integerValue), "no stream \(name)")
            let schema = try get("/v4/sources/\(id)/streams/\(streamID)")
            var replicated: Set<String> = []
            for entry in schema["metadata"]?.arrayValue ?? [] {
                let breadcrumb = entry["breadcrumb"]?.arrayValue?.compactMap(\.stringValue) ?? []
                guard breadcrumb.count == 2, breadcrumb[0] == "properties" else { continue }
                if entry["metadata"]?["inclusion"] == .string("automatic") || entry["metadata"]?["selected"] == .bool(true) {
                    replicated.insert(breadcrumb[1])
                }
            }
            return replicated
        }
    }

    /// The report card's current step, by type.
    private func currentStep(of source: JSONValue) -> String? {
        guard let card = source["report_card"], let current = card["current_step"].flatMap(\.integerValue),
              let steps = card["steps"]?.arrayValue, steps.indices.contains(Int(current) - 1) else { return nil }
        return steps[Int(current) - 1]["type"]?.stringValue
    }

    /// Discovery (the sandbox's simulated one, about 2 s) runs on its own screen, which moves on to
    /// the streams once Stitch has found them.
    private func waitThroughDiscovery(_ run: Run, name: String) throws {
        try run.session.waitFor("Discovering the streams of “\(name)”")
        try run.session.waitFor("Choose what to replicate from “\(name)”")
        try run.session.waitFor("0 of ")
    }

    @Test func closeioIsWalkedFromTheHomeScreenToFullyConfigured() throws {
        let run = try Run(label: "e2e-closeio")
        defer { run.stop() }
        let apiKey = "closeio-fake-key-e2e-4711"

        try run.openHome()
        try run.choose("New platform.closeio source")
        try run.session.waitFor("Create the platform.closeio source")
        try run.session.waitFor("[form] → discover_schema → field_selection")
        try run.session.sendLiteral("Close E2E")
        try run.session.waitFor("close_e2e")  // the schema name it makes
        try run.fill("api_key", apiKey)
        try run.fill("frequency_in_minutes", "6")  // a choice: typing picks the option that starts so
        try run.session.waitFor("(•) 60")
        try run.fill("start_date", "2024-01-01T00:00:00Z")
        try run.session.waitFor("2024-01-01T00:00:00Z")
        #expect(try !run.session.screen().contains(apiKey), "the API key is masked")
        try run.session.send("Enter")  // start_date is the last field: submit

        try waitThroughDiscovery(run, name: "Close E2E")
        try run.session.waitFor("activities")
        try run.set("leads", selected: true)
        try run.session.waitFor("1 of 2 streams selected")
        try run.session.waitFor("/4 fields")  // its fields fetched; the key and replication key always
        let shownCount = try run.fieldCount(of: "leads")
        try run.session.send("Enter")
        try run.session.waitFor("Close E2E is fully configured.")

        let source = try run.onlySource()
        let id = try #require(source["id"].flatMap(\.integerValue))
        #expect(source["type"]?.stringValue == "platform.closeio")
        #expect(source["display_name"]?.stringValue == "Close E2E")
        #expect(source["properties"]?["start_date"]?.stringValue == "2024-01-01T00:00:00Z")
        #expect(source["properties"]?["frequency_in_minutes"]?.stringValue == "60")
        #expect(!source.jsonText.contains(apiKey), "a credential is never returned")
        #expect(currentStep(of: source) == "fully_configured", "\(source.jsonText)")
        #expect(try run.selectedStreams(of: id) == ["leads"])
        let leads = try run.replicatedFields(of: id, stream: "leads")
        #expect(leads.isSuperset(of: ["id", "date_updated"]), "key and replication key: \(leads)")
        #expect(shownCount == "\(leads.count)/4", "the screen said \(shownCount ?? "nothing"); saved: \(leads)")

        try run.session.send("Enter")  // done
        try run.session.waitFor("wizard-exit=0")
        let screen = try run.session.screen()
        for line in ["Created source \(id) (platform.closeio), schema close_e2e", "Selected 1 stream of source \(id)"] {
            #expect(screen.contains(line), "exit summary line “\(line)” missing:\n\(screen)")
        }
        #expect(!screen.contains(apiKey))
    }

    @Test func postgresIsWalkedFromTheHomeScreenToFullyConfigured() throws {
        let run = try Run(label: "e2e-postgres")
        defer { run.stop() }
        let password = "pg-fake-password-e2e-0815"

        try run.openHome()
        try run.choose("New platform.postgres source")
        try run.session.waitFor("Create the platform.postgres source")
        try run.session.sendLiteral("Shop DB")
        try run.session.waitFor("shop_db")  // the schema name it makes
        try run.fill("dbname", "shop")
        try run.fill("host", "db.example.com")
        try run.fill("password", password)
        try run.fill("port", "5432")
        try run.focus("ssl")
        try run.session.send("Right")  // (•) true
        try run.session.waitFor("(•) true")
        try run.fill("user", "stitch_reader")
        #expect(try !run.session.screen().contains(password), "the password is masked")
        try run.session.send("Enter")  // user is the last field: submit

        try waitThroughDiscovery(run, name: "Shop DB")
        try run.session.waitFor("customer_view")
        // customers, and of its fields all but email; orders whole. The list comes in the order
        // discovery found it: customers, orders, customer_view.
        try run.set("customers", selected: true)
        try run.session.send("Right")
        try run.session.waitFor("Fields of customers in “Shop DB”")
        try run.session.waitFor("always replicated")  // id, the key
        for (field, selected) in [("name", true), ("email", false), ("has_magic", true), ("updated_at", true)] {
            try run.set(field, selected: selected)
        }
        try run.session.waitFor("4 of 5 fields replicated")
        try run.session.send("Enter")  // back to the streams
        try run.session.waitFor("Choose what to replicate from “Shop DB”")
        try run.set("orders", selected: true)
        try run.session.waitFor("2 of 3 streams selected")
        try run.session.waitFor("4/5 fields")  // customers
        try eventually(timeout: .seconds(10), "the fields of orders") { try run.fieldCount(of: "orders") != nil }
        let ordersShown = try run.fieldCount(of: "orders")
        try run.session.send("Enter")
        try run.session.waitFor("Shop DB is fully configured.")

        let source = try run.onlySource()
        let id = try #require(source["id"].flatMap(\.integerValue))
        let properties = source["properties"]
        #expect(source["type"]?.stringValue == "platform.postgres")
        for (name, value) in [("dbname", "shop"), ("host", "db.example.com"), ("port", "5432"), ("ssl", "true"),
                              ("user", "stitch_reader")] {
            #expect(properties?[name]?.stringValue == value, "\(name) in \(properties?.jsonText ?? "nil")")
        }
        #expect(!source.jsonText.contains(password), "a credential is never returned")
        #expect(currentStep(of: source) == "fully_configured", "\(source.jsonText)")
        #expect(try run.selectedStreams(of: id) == ["customers", "orders"])
        #expect(try run.replicatedFields(of: id, stream: "customers") == ["id", "name", "has_magic", "updated_at"])
        let orders = try run.replicatedFields(of: id, stream: "orders")
        #expect(ordersShown == "\(orders.count)/5", "the screen said \(ordersShown ?? "nothing"); saved: \(orders)")

        try run.session.send("Enter")  // done
        try run.session.waitFor("wizard-exit=0")
        let screen = try run.session.screen()
        for line in ["Created source \(id) (platform.postgres), schema shop_db", "Selected 2 streams of source \(id)"] {
            #expect(screen.contains(line), "exit summary line “\(line)” missing:\n\(screen)")
        }
        #expect(!screen.contains(password))
    }

    /// An Import API source with two active tokens (made through the API), continued from the home
    /// screen: the token step lists them, the user moves to the newer one and revokes it, and gets
    /// a new token in its place.
    @Test func theTokenLimitIsHandledFromTheHomeScreenByRevokingTheTokenTheUserPicks() throws {
        let run = try Run(label: "e2e-home-token-limit")
        defer { run.stop() }
        let created = try run.connect.post("/v4/sources", body: [
            "type": "import_api", "display_name": "Two Tokens", "properties": [:],
        ])
        let id = try #require(created["id"].flatMap(\.integerValue))
        var tokens: [Int64] = []
        for _ in 0..<2 {
            let reply = try run.connect.post("/v4/sources/\(id)/tokens", body: nil)
            tokens.append(try #require(reply["id"].flatMap(\.integerValue) ?? reply["token_id"].flatMap(\.integerValue),
                                       "no token id in \(reply.jsonText)"))
        }
        let newer = try #require(tokens.max())
        let older = try #require(tokens.min())

        try run.openHome()
        try run.choose("Two Tokens · import_api · id \(id)")
        try run.session.waitFor("Revoke an access token first")
        // Newest first, the oldest preselected.
        try run.moveSelection(to: "token \(newer)", key: "Up")
        try run.session.send("Enter")
        try run.session.waitFor("Revoke token \(newer)?")
        try run.session.send("y")
        try run.session.waitFor("cannot be displayed again")
        try run.session.waitFor("Revoked token \(newer).")

        let after = try (run.get("/v4/sources/\(id)/tokens").arrayValue ?? [])
            .compactMap { $0["token_id"].flatMap(\.integerValue) ?? $0["id"].flatMap(\.integerValue) }
        #expect(after.count == 2 && after.contains(older) && !after.contains(newer), "tokens now: \(after)")
        #expect(try (run.get("/v4/sources").arrayValue ?? []).count == 1, "no source was created")

        try run.session.send("y")
        try run.session.waitFor("customers · 1 row")
        try run.session.send("C-c")
        try run.session.waitFor("wizard-exit=0")
        let screen = try run.session.screen()
        #expect(screen.contains("Revoked token \(newer) of source \(id)"), "\(screen)")
        #expect(screen.contains("Generated Import API token"), "\(screen)")
        #expect(!screen.contains("Created source"))
    }
}
