import Foundation
import StitchAPI
import StitchSandbox
import Testing
import WizardCore
@testable import WizardRuntime

/// The runner's effects against a real sandbox over loopback HTTP.
struct EffectRunnerTests {
    func withSandbox(_ body: (RunningSandbox, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
        let sandbox = try await startSandbox(SandboxConfiguration(dataDirectory: directory))
        do {
            try await body(sandbox, directory)
        } catch {
            await sandbox.stop()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        await sandbox.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func target(_ sandbox: RunningSandbox, token: String? = nil) -> WizardTarget {
        WizardTarget(connectBaseURL: sandbox.baseURL, connectToken: token ?? sandbox.connectToken,
                     importBaseURL: sandbox.baseURL, isSandbox: true)
    }

    @Test func theTutorialFlowProducesTheExpectedEvents() async throws {
        try await withSandbox { sandbox, directory in
            let runner = EffectRunner(destinationReader: { schema, table in
                let rows = try DestinationReader.rows(schema: schema, table: table, dataDirectory: directory)
                return DestinationSnapshot(schema: schema, table: table, columns: rows.columns, rows: rows.rows)
            })
            #expect(await runner.run(.configure(target(sandbox))) == nil)
            guard case .sourceTypeLoaded(let card) = await runner.run(.fetchSourceType("import_api")) else {
                Issue.record("expected the report card"); return
            }
            #expect(card.effectiveStepType == .form)
            guard case .sourceCreated(let source) = await runner.run(.createSource(
                CreateSourceRequest(type: "import_api", displayName: "Runner Test"))) else {
                Issue.record("expected a source"); return
            }
            #expect(source.name == "runner_test")
            guard case .tokenCreated(let token) = await runner.run(.createToken(sourceID: source.id)) else {
                Issue.record("expected a token"); return
            }
            guard case .batchReplied(let outcome) = await runner.run(.sendBatch(body: RecordEditor.tutorialBatch, token: token))
            else { Issue.record("expected a reply"); return }
            #expect(outcome.statusCode == 201)
            #expect(outcome.tableName == "customers" && outcome.recordCount == 1)
            #expect(outcome.body.contains("Batch Accepted!"))
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(10)))
            guard case .destinationLoaded(let snapshot) = await runner.run(
                .loadDestination(schema: "runner_test", table: "customers", delay: .zero)) else {
                Issue.record("expected rows"); return
            }
            #expect(Array(snapshot.columns.prefix(4)) == ["id", "name", "age", "has_magic"])
            #expect(snapshot.rows.first.map { Array($0.prefix(4)) } == ["1", "Finn", "15", "false"])
        }
    }

    @Test func rejectedBatchesComeBackAsRepliesWithTheirBody() async throws {
        try await withSandbox { sandbox, _ in
            let runner = EffectRunner()
            _ = await runner.run(.configure(target(sandbox)))
            let badToken = ImportAccessToken(id: 1, accessToken: "at_not_a_real_token")
            guard case .batchReplied(let outcome) = await runner.run(.sendBatch(body: RecordEditor.tutorialBatch, token: badToken))
            else { Issue.record("expected a reply"); return }
            #expect(outcome.statusCode == 401)
            #expect(outcome.body.contains("Not Authorized"))
            #expect(!outcome.isAccepted)
        }
    }

    @Test func aWrongConnectTokenIsAFailureWithAHint() async throws {
        try await withSandbox { sandbox, _ in
            let runner = EffectRunner()
            _ = await runner.run(.configure(target(sandbox, token: "ac_wrong")))
            guard case .failed(.fetchSourceType, let failure) = await runner.run(.fetchSourceType("import_api")) else {
                Issue.record("expected a failure"); return
            }
            #expect(failure.statusCode == 401)
            #expect(failure.hint?.contains("Connect API token") == true)
        }
    }

    @Test func anInsecureRemoteURLIsRefusedAtConfiguration() async {
        let runner = EffectRunner()
        let target = WizardTarget(connectBaseURL: "http://api.example.com", connectToken: "ac_x",
                                  importBaseURL: "https://api.stitchdata.com", isSandbox: false)
        guard case .failed(.configure, let failure) = await runner.run(.configure(target)) else {
            Issue.record("expected a failure"); return
        }
        #expect(failure.message.contains("http://"))
    }

    @Test func anUnreachableServerSaysSo() async {
        let runner = EffectRunner()
        // Port 9 (discard) on loopback has no listener here.
        _ = await runner.run(.configure(WizardTarget(connectBaseURL: "http://127.0.0.1:9", connectToken: "ac_x",
                                                     importBaseURL: "http://127.0.0.1:9", isSandbox: false)))
        guard case .failed(.fetchSourceType, let failure) = await runner.run(.fetchSourceType("import_api")) else {
            Issue.record("expected a failure"); return
        }
        #expect(failure.message.contains("127.0.0.1:9"))
    }
}
