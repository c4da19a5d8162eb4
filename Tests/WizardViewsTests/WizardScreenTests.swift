import Foundation
import StitchAPI
import Testing
import TerminalUI
import WizardCore
@testable import WizardViews

/// One golden per screen at 80x24, plus the sizes where layout could break.
struct WizardScreenTests {
    static let size = Size(columns: 80, rows: 24)

    static let card = ReportCard(type: "import_api", currentStep: 1, currentStepType: .form,
                                 steps: [ConnectionStep(type: .form), ConnectionStep(type: .fullyConfigured)],
                                 details: SourceTypeDetails(pricingTier: "standard", pipelineState: "released",
                                                            protocol: "import_api", access: true))
    static let source = Source(id: 126890, type: "import_api", displayName: "Import API", name: "import_api",
                               reportCard: ReportCard(type: "import_api", currentStep: 2,
                                                      steps: [ConnectionStep(type: .form), ConnectionStep(type: .fullyConfigured)]),
                               stitchClientID: 116078, createdAt: "2020-01-02T15:49:27Z", updatedAt: "2020-01-02T15:49:27Z")
    static let token = ImportAccessToken(id: 828792559, accessToken: "at_FAKE0000000000000000000000000000000000")
    static let sandbox = WizardTarget(connectBaseURL: "http://127.0.0.1:8787", connectToken: "ac_fake",
                                      importBaseURL: "http://127.0.0.1:8787", isSandbox: true)
    static let remote = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "",
                                     importBaseURL: "https://api.stitchdata.com", isSandbox: false)

    func state(_ target: WizardTarget = sandbox, _ events: WizardEvent...) -> WizardState {
        var state = WizardState(target: target)
        for event in events { _ = WizardReducer.reduce(&state, event) }
        return state
    }

    func render(_ state: WizardState, size: Size = size) -> Frame { WizardView.render(state, size: size) }

    var atToken: WizardState {
        state(Self.sandbox, .sourceTypeLoaded(Self.card), .key(.enter), .sourceCreated(Self.source), .tokenCreated(Self.token))
    }

    @Test func connect() {
        Golden.assert(render(state(Self.remote)), named: "connect")
    }

    @Test func connectWithError() {
        Golden.assert(render(state(Self.remote, .key(.enter))), named: "connect-missing-token")
    }

    @Test func working() {
        Golden.assert(render(state()), named: "working")
    }

    @Test func displayName() {
        Golden.assert(render(state(Self.sandbox, .sourceTypeLoaded(Self.card))), named: "display-name")
    }

    @Test func displayNameRefused() {
        let refused = state(Self.sandbox, .sourceTypeLoaded(Self.card), .key(.enter),
                            .failed(.createSource, WizardFailure(statusCode: 400, code: "InvalidName",
                                                                 message: "non-unique name (import_api)")))
        Golden.assert(render(refused), named: "display-name-refused")
    }

    @Test func token() {
        Golden.assert(render(atToken), named: "token")
    }

    @Test func tokenSaving() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.character("s")))
        Golden.assert(render(state), named: "token-saving")
    }

    @Test func tokenQuitConfirmation() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.control("c")))
        Golden.assert(render(state), named: "token-confirm-quit")
    }

    @Test func editor() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.character("y")))
        Golden.assert(render(state), named: "editor")
    }

    @Test func editorAfterReplies() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.character("y")))
        _ = WizardReducer.reduce(&state, .key(.control("s")))
        _ = WizardReducer.reduce(&state, .batchReplied(BatchOutcome(
            statusCode: 201, body: #"{"status":"OK","message":"Batch Accepted!"}"#, latency: .milliseconds(14),
            tableName: "customers", recordCount: 1)))
        _ = WizardReducer.reduce(&state, .key(.control("s")))
        _ = WizardReducer.reduce(&state, .batchReplied(BatchOutcome(
            statusCode: 400, body: #"{"error":"Record 0 did not conform to schema:\n#/age: expected type: Integer, found: String"}"#,
            latency: .milliseconds(5), tableName: "customers", recordCount: 1)))
        Golden.assert(render(state), named: "editor-replies")
    }

    @Test func destination() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.character("y")))
        _ = WizardReducer.reduce(&state, .key(.control("d")))
        _ = WizardReducer.reduce(&state, .destinationLoaded(DestinationSnapshot(
            schema: "import_api", table: "customers",
            columns: ["id", "name", "age", "has_magic", "_sdc_received_at", "_sdc_sequence"],
            rows: [["1", "Finn", "15", "false", "2026-11-27T13:00:00.000Z", "1565880017"]])))
        Golden.assert(render(state), named: "destination")
    }

    @Test func wideDestinationScrollsSideways() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.character("y")))
        _ = WizardReducer.reduce(&state, .key(.control("d")))
        _ = WizardReducer.reduce(&state, .destinationLoaded(DestinationSnapshot(
            schema: "import_api", table: "customers",
            columns: ["id", "name", "age", "has_magic", "_sdc_received_at", "_sdc_batched_at", "_sdc_sequence",
                      "_sdc_table_version"],
            rows: [["1", "Finn", "15", "false", "2026-11-27T13:00:00.000000Z", "2026-11-27T13:00:00.500000Z",
                    "1565880017", "0"]])))
        Golden.assert(render(state), named: "destination-wide")
        _ = WizardReducer.reduce(&state, .key(.right))
        _ = WizardReducer.reduce(&state, .key(.right))
        _ = WizardReducer.reduce(&state, .key(.right))
        _ = WizardReducer.reduce(&state, .key(.right))
        Golden.assert(render(state), named: "destination-wide-scrolled")
    }

    @Test func unsupportedStep() {
        let card = ReportCard(type: "platform.github", currentStep: 2,
                              steps: [ConnectionStep(type: .form), ConnectionStep(type: .oauth)])
        Golden.assert(render(state(Self.sandbox, .sourceTypeLoaded(card))), named: "unsupported-step")
    }

    @Test func failure() {
        let failed = state(Self.remote, .failed(.fetchSourceType, WizardFailure(
            statusCode: 401, code: "AccessDenied", message: "Not Authorized", body: #"{"message":"Not Authorized"}"#,
            hint: "Check the Connect API token: it may be mistyped, revoked, or for another account.")))
        Golden.assert(render(failed), named: "failure")
    }

    @Test func tooSmall() {
        Golden.assert(render(state(), size: Size(columns: 48, rows: 14)), named: "too-small")
    }

    @Test func wideTerminalKeepsTheLayout() {
        Golden.assert(render(atToken, size: Size(columns: 120, rows: 32)), named: "token-120x32")
    }

    @Test func minimumSizeStillShowsTheEditor() {
        var state = atToken
        _ = WizardReducer.reduce(&state, .key(.character("y")))
        Golden.assert(render(state, size: WizardView.minimumSize), named: "editor-60x20")
    }

    @Test func helpBarOnlyOffersWorkingKeys() {
        var editor = atToken
        _ = WizardReducer.reduce(&editor, .key(.character("y")))
        #expect(HelpBar.bindings(for: editor).contains { $0.key == "ctrl-d" })
        editor.target.isSandbox = false
        #expect(!HelpBar.bindings(for: editor).contains { $0.key == "ctrl-d" })
    }

    @Test func tokenIsShownOnlyOnTheTokenScreen() {
        var state = atToken
        #expect(render(state).text.contains(Self.token.accessToken))
        _ = WizardReducer.reduce(&state, .key(.character("y")))
        #expect(!render(state).text.contains(Self.token.accessToken))
    }
}
