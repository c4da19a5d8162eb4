import Foundation
import StitchAPI
import StitchSandbox
import Testing
import WizardCore
@testable import WizardRuntime

/// The runner's effects against a real sandbox over loopback HTTP.
struct EffectRunnerTests {
    func withSandbox(_ body: (RunningSandbox, String) async throws -> Void) async throws {
        try await withInProcessSandbox("runner") { sandbox, _, directory in try await body(sandbox, directory) }
    }

    func target(_ sandbox: RunningSandbox, token: String? = nil) -> WizardTarget {
        WizardTarget(connectBaseURL: sandbox.baseURL, connectToken: token ?? sandbox.connectToken,
                     importBaseURL: sandbox.baseURL, isSandbox: true)
    }

    @Test func theTutorialFlowProducesTheExpectedEvents() async throws {
        try await withSandbox { sandbox, _ in
            let runner = EffectRunner()
            let target = target(sandbox)
            guard case .reply(.connected(let checked, let card)) = await runner.run(.connect(target, sourceType: "import_api")) else {
                Issue.record("expected the check to pass"); return
            }
            #expect(checked == target)
            #expect(card.effectiveStepType == .form)
            guard case .reply(.sourceType(let again)) = await runner.run(.fetchSourceType("import_api", via: target)) else {
                Issue.record("expected the report card"); return
            }
            #expect(again == card)
            guard case .reply(.source(let source)) = await runner.run(.createSource(
                CreateSourceRequest(type: "import_api", displayName: "Runner Test"), via: target)) else {
                Issue.record("expected a source"); return
            }
            #expect(source.name == "runner_test")
            guard case .reply(.token(let token)) = await runner.run(.createToken(sourceID: source.id, via: target)) else {
                Issue.record("expected a token"); return
            }
            #expect(token.accessToken.hasPrefix("at_"))
        }
    }

    @Test func aWrongConnectTokenIsRefusedAtTheTokenField() async throws {
        try await withSandbox { sandbox, _ in
            let target = target(sandbox, token: "ac_wrong")
            guard case .reply(.connectFailed(target, .token, let failure)) = await EffectRunner().run(
                .connect(target, sourceType: "import_api")) else {
                Issue.record("expected a refusal at the token"); return
            }
            #expect(failure.statusCode == 401)
            #expect(failure.hint?.contains("Connect API token") == true)
        }
    }

    /// Issue 11: each value the connect screen takes is checked on Enter, and the field at fault named.
    @Test(arguments: [
        ("http://api.example.com", "https://api.stitchdata.com", "ac_x", ConnectForm.Field.connectURL, "http://"),
        ("https://api.stitchdata.com", "http://import.example.com", "ac_x", .importURL, "http://"),
        ("https://api.stitchdata.com", "https://api.stitchdata.com", "ac_with space", .token, "spaces"),
        ("https://api.stitchdata.com", "https://api.stitchdata.com", "ac_tab\tin", .token, "control characters"),
        ("http://127.0.0.1:9", "http://127.0.0.1:9", "ac_x", .connectURL, "127.0.0.1:9"),
    ])
    func invalidValuesAreRefusedAtTheirField(connectURL: String, importURL: String, token: String,
                                             field: ConnectForm.Field, says: String) async {
        let target = WizardTarget(connectBaseURL: connectURL, connectToken: token, importBaseURL: importURL,
                                  isSandbox: false)
        let event = await EffectRunner(checkTimeout: .seconds(5)).run(.connect(target, sourceType: "import_api"))
        guard case .reply(.connectFailed(target, let refusedField, let failure)) = event else {
            Issue.record("expected a refusal, got \(String(describing: event))"); return
        }
        #expect(refusedField == field)
        #expect(failure.message.contains(says), "\(failure.message)")
        #expect(!failure.message.contains(token) || token == "ac_x", "the token is never echoed")
    }

    @Test func anUnreachableImportURLIsRefusedAtItsField() async throws {
        try await withSandbox { sandbox, _ in
            let target = WizardTarget(connectBaseURL: sandbox.baseURL, connectToken: sandbox.connectToken,
                                      importBaseURL: "http://127.0.0.1:9", isSandbox: false)
            guard case .reply(.connectFailed(_, .importURL, let failure)) = await EffectRunner(checkTimeout: .seconds(5)).run(
                .connect(target, sourceType: "import_api")) else {
                Issue.record("expected a refusal at the Import API URL"); return
            }
            #expect(failure.message.contains("127.0.0.1:9"))
        }
    }

    /// Requests go where their effect says: nothing configured earlier can redirect them.
    @Test func eachRequestGoesToTheTargetItNames() async throws {
        try await withSandbox { sandbox, _ in
            let runner = EffectRunner(checkTimeout: .seconds(5))
            _ = await runner.run(.connect(target(sandbox), sourceType: "import_api"))
            let elsewhere = WizardTarget(connectBaseURL: "http://127.0.0.1:9", connectToken: "ac_x",
                                         importBaseURL: "http://127.0.0.1:9", isSandbox: false)
            guard case .reply(.failed(.fetchSourceType, let failure)) = await runner.run(.fetchSourceType("import_api", via: elsewhere))
            else { Issue.record("expected the request to go to 127.0.0.1:9 and fail"); return }
            #expect(failure.message.contains("127.0.0.1:9"))
        }
    }
}
