import Foundation
import StitchAPI
import StitchClient
import StitchSandbox
import TerminalUI
import Testing
import WizardCore
@testable import WizardRuntime

/// `discover_schema` and `field_selection` against a real sandbox over loopback: the effects'
/// replies and refusals as the screens get them, and a `platform.postgres` source walked through
/// WizardApp from discovery to fully_configured.
struct StreamStepsAgainstSandboxTests {
    let runner = EffectRunner(checkTimeout: .seconds(5))

    func withSandbox(_ body: (WizardTarget) async throws -> Void) async throws {
        try await withInProcessSandbox("streams", discoveryDelay: .milliseconds(600)) { _, target, _ in try await body(target) }
    }

    /// A platform.postgres source with its form complete, so discovery has started.
    func createPostgres(_ target: WizardTarget) async throws -> Source {
        let request = CreateSourceRequest(type: "platform.postgres", displayName: "Shop DB", properties: [
            "dbname": "shop", "host": "db.example.com", "password": "pg-FAKE-pass", "port": "5432", "user": "etl",
        ])
        guard case .reply(.source(let source)) = await runner.run(.createSource(request, via: target)) else {
            throw Refusal.unexpected("the source was not created")
        }
        return source
    }

    enum Refusal: Error { case unexpected(String) }

    @Test func theEffectsReplyAsTheScreensExpect() async throws {
        try await withSandbox { target in
            let source = try await createPostgres(target)
            #expect(source.reportCard.effectiveStepType == .discoverSchema)
            guard case .reply(.discoveryPolled(let first)) = await runner.run(.pollDiscovery(sourceID: source.id, round: 4, via: target))
            else { Issue.record("no poll reply"); return }
            #expect(first.round == 4)
            #expect(first.check?.status == .running)
            try await Task.sleep(for: .milliseconds(800))
            guard case .reply(.discoveryPolled(let later)) = await runner.run(.pollDiscovery(sourceID: source.id, round: 5, via: target))
            else { Issue.record("no poll reply"); return }
            #expect(later.check?.status == .succeeded)
            #expect(later.source.reportCard.effectiveStepType == .fieldSelection)
            #expect(later.receivedAt - first.receivedAt >= .milliseconds(800), "the clock the screen shows")

            guard case .reply(.streams(source.id, let streams)) = await runner.run(.fetchStreams(sourceID: source.id, via: target))
            else { Issue.record("no streams"); return }
            #expect(streams.map(\.streamName) == ["customers", "orders", "customer_view"])
            guard case .reply(.streamSchema(source.id, streams[0].streamID, let schema)) = await runner.run(
                .fetchStreamSchema(sourceID: source.id, streamID: streams[0].streamID, via: target))
            else { Issue.record("no schema"); return }
            #expect(schema.fields.map(\.name) == ["id", "name", "email", "has_magic", "updated_at"])
        }
    }

    @Test func theDocumentedRefusalsReachTheScreensAsFailures() async throws {
        try await withSandbox { target in
            let source = try await createPostgres(target)
            try await Task.sleep(for: .milliseconds(800))
            let unknownStream = await runner.run(.fetchStreamSchema(sourceID: source.id, streamID: 999_999, via: target))
            guard case .reply(.failed(.fetchStreamSchema, let badID)) = unknownStream else { Issue.record("\(String(describing: unknownStream))"); return }
            #expect(badID.statusCode == 400 && badID.message == "invalid stream-id: 999999")

            let update = StreamMetadataUpdate(streams: [StreamMetadataUpdate.select("shop-public-nope")])
            let refused = await runner.run(.updateStreamMetadata(sourceID: source.id, update, via: target))
            guard case .reply(.failed(.updateStreamMetadata, let invalid)) = refused else { Issue.record("\(String(describing: refused))"); return }
            #expect(invalid.statusCode == 400 && invalid.message.contains("invalid tap-stream-ids"))

            let missing = await runner.run(.pollDiscovery(sourceID: 424_242, round: 1, via: target))
            guard case .reply(.failed(.pollDiscovery, let notFound)) = missing else { Issue.record("\(String(describing: missing))"); return }
            #expect(notFound.statusCode == 404)

            var stranger = target
            stranger.connectToken = "ac_FAKE_not_the_sandbox_token"
            let denied = await runner.run(.fetchStreams(sourceID: source.id, via: stranger))
            guard case .reply(.failed(.fetchStreams, let unauthorized)) = denied else { Issue.record("\(String(describing: denied))"); return }
            #expect(unauthorized.statusCode == 401 && unauthorized.hint != nil)
        }
    }
}

/// `--source ID` at discover_schema through the real loop (WizardApp, the scripted terminal of
/// WizardAppTests) and the in-process sandbox.
@MainActor
struct PostgresWalkTests {
    /// `--source ID` at discover_schema: the screen polls until the sandbox's discovery is done,
    /// `a` selects every stream, Enter saves, and the source ends fully configured with its
    /// streams and fields selected, as the Connect API reports them.
    @Test func aPostgresSourceIsWalkedFromDiscoveryToFullyConfigured() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("walk-\(UUID().uuidString)").path
        let sandbox = try await startSandbox(SandboxConfiguration(dataDirectory: directory, discoveryDelay: .milliseconds(600)))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = WizardTarget(connectBaseURL: sandbox.baseURL, connectToken: sandbox.connectToken,
                                  importBaseURL: sandbox.baseURL, isSandbox: true)
        do {
            let source = try await StreamStepsAgainstSandboxTests().createPostgres(target)
            let terminal = ScriptedTerminal([
                (wait: "3 streams selected", key: .character("a")),
                (wait: "5/5 fields", key: .enter),
                (wait: "is fully configured", key: .control("c")),
            ])
            let app = WizardApp(state: WizardState(target: target, start: .existingSource(id: source.id)),
                                runner: EffectRunner(), terminal: terminal)
            let final = try await app.run()
            #expect(terminal.gaveUpWaitingFor == nil, "the screen never showed the awaited text")
            #expect(terminal.steps.isEmpty)
            #expect(terminal.frames.contains { $0.text.contains("Discovering the streams of “Shop DB”") })
            #expect(final.session.summary.entries.contains(.streamsSelected(sourceID: source.id, count: 3)))

            let client = try ConnectClient(baseURL: target.connectBaseURL, token: target.connectToken)
            #expect(try await client.source(id: source.id).reportCard.effectiveStepType == .fullyConfigured)
            let streams = try await client.streams(sourceID: source.id)
            #expect(streams.allSatisfy { $0.isSelected })
            #expect(streams.allSatisfy { $0.metadata["replication-method"] == .string("FULL_TABLE") })
            let customers = try await client.streamSchema(sourceID: source.id, streamID: streams[0].streamID)
            #expect(customers.fields.allSatisfy { $0.entry.isReplicated }, "every field of a newly selected stream")
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }
}

/// The same steps in the line mode (LineModeApp and LineModeAppTests' scripted console): the
/// discovery waits without a question, then the streams and each stream's fields are numbered
/// multi-selects answered by numbers or names.
@MainActor
struct PostgresLineModeWalkTests {
    @Test func streamsAndFieldsAreChosenByNumbersAndNames() async throws {
        let sandbox = try await LineModeSandbox.start()
        do {
            let source = try await StreamStepsAgainstSandboxTests().createPostgres(sandbox.target)
            let console = ScriptedConsole([
                (question: "Streams (numbers or names, comma-separated, or all): ", line: "1, orders"),
                (question: "Fields of customers (numbers or names, comma-separated, or all) [all]: ", line: "name,EMAIL"),
                (question: "Fields of orders (numbers or names, comma-separated, or all) [all]: ", line: ""),
                (question: "Back to the start? [y/n]: ", line: "n"),
            ])
            let outcome = await LineModeApp(state: WizardState(target: sandbox.target, start: .existingSource(id: source.id)),
                                            runner: EffectRunner(), console: console).run()
            #expect(console.unexpected == nil, "the flow asked something else: \(console.output)")
            #expect(console.answers.isEmpty)
            #expect(outcome == .finished)
            let output = console.output
            #expect(output.contains("Discovering the streams of “Shop DB” (platform.postgres)…"))
            #expect(output.contains("1. customers") && output.contains("3. customer_view"))
            #expect(output.contains("1. id (always replicated)"))
            #expect(!output.unicodeScalars.contains("\u{1B}"))
            #expect(output.contains("Selected 2 streams of source \(source.id)"), "the exit summary")

            let client = try ConnectClient(baseURL: sandbox.target.connectBaseURL, token: sandbox.target.connectToken)
            let streams = try await client.streams(sourceID: source.id)
            #expect(streams.map(\.isSelected) == [true, true, false])
            let customers = try await client.streamSchema(sourceID: source.id, streamID: streams[0].streamID)
            let replicated = customers.fields.filter { $0.entry.isReplicated }.map(\.name)
            #expect(replicated == ["id", "name", "email"])
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }
}
