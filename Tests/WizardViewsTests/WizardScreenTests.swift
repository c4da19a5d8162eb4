import Foundation
import StitchAPI
import Testing
import TerminalUI
import WizardCore
@testable import WizardViews

/// Every screen the wizard can show, built through the reducer as a user would reach it.
enum Scenarios {
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

    static let closeioCard = ReportCard(
        type: "platform.closeio", currentStep: 1, currentStepType: .form,
        steps: [ConnectionStep(type: .form, properties: [
                    StepProperty(name: "api_key", isRequired: true, isCredential: true, propertyType: "user_provided"),
                    StepProperty(name: "start_date", isRequired: true, propertyType: "user_provided"),
                    StepProperty(name: "image_version", propertyType: "read_only"),
                ]),
                ConnectionStep(type: .discoverSchema), ConnectionStep(type: .fieldSelection), ConnectionStep(type: .fullyConfigured)],
        details: SourceTypeDetails(pricingTier: "premium", protocol: "platform.closeio", access: true))
    static let lockedCard = ReportCard(type: "platform.hubspot", currentStep: 1, steps: [ConnectionStep(type: .oauth)],
                                       details: SourceTypeDetails(pricingTier: "premium", access: false))

    /// The state after `events`, from a fresh wizard whose start has run.
    static func state(_ target: WizardTarget = sandbox, _ events: WizardEvent...) -> WizardState {
        var state = WizardState(target: target)
        _ = state.start()
        return reduce(state, events)
    }

    static func reduce(_ state: WizardState, _ events: [WizardEvent]) -> WizardState {
        var state = state
        for event in events { _ = WizardReducer.reduce(&state, event) }
        return state
    }

    static func typing(_ text: String) -> [WizardEvent] { text.map { .key(.character($0)) } }

    /// A wizard started with `--source id`, its start run.
    static func continuing(_ id: Int) -> WizardState {
        var state = WizardState(target: sandbox, start: .existingSource(id: id))
        _ = state.start()
        return state
    }

    static var atHome: WizardState {
        state(sandbox, .reply(.sourceTypes([card, closeioCard, lockedCard])), .reply(.sources([source])))
    }

    static var remoteAtHome: WizardState {
        let checked = WizardTarget(connectBaseURL: remote.connectBaseURL, connectToken: "ac_typed",
                                   importBaseURL: remote.importBaseURL, isSandbox: false)
        return reduce(state(remote), typing("ac_typed") + [.key(.enter), .reply(.connected(checked, card)),
                                                           .reply(.sourceTypes([card])), .reply(.sources([]))])
    }

    static var atDisplayName: WizardState { reduce(atHome, [.key(.enter), .reply(.sourceType(card))]) }

    static var atCloseioForm: WizardState {
        reduce(atHome, [.key(.down), .key(.enter), .reply(.sourceType(closeioCard))] + typing("Close CRM") + [.key(.enter)])
    }

    static var atToken: WizardState {
        reduce(atDisplayName, [.key(.enter), .reply(.source(source)), .reply(.tokens(sourceID: source.id, TokenList(tokens: []))),
                               .reply(.token(token))])
    }

    static var atEditor: WizardState { reduce(atToken, [.key(.character("y"))]) }

    static let loadedTables = [DestinationTableInfo(name: "_sdc_rejected", rowCount: 0),
                               DestinationTableInfo(name: "customers", rowCount: 1)]

    static let loadedRows = DestinationPage(
        schema: "import_api", table: "customers",
        columns: ["id", "name", "age", "has_magic", "_sdc_received_at", "_sdc_sequence"],
        columnTypes: ["integer", "string", "integer", "boolean", "dateTime", "integer"],
        rows: [["1", "Finn", "15", "false", "2026-11-27T13:00:00.000000Z", "1565880017"]], offset: 0, totalCount: 1)

    static let wideRows = DestinationPage(
        schema: "import_api", table: "customers",
        columns: ["id", "name", "age", "has_magic", "_sdc_received_at", "_sdc_batched_at", "_sdc_sequence",
                  "_sdc_table_version"],
        columnTypes: ["integer", "string", "integer", "boolean", "dateTime", "dateTime", "integer", "integer"],
        rows: [["1", "Finn", "15", "false", "2026-11-27T13:00:00.000000Z", "2026-11-27T13:00:00.500000Z",
                "1565880017", "0"]], offset: 0, totalCount: 1)

    /// The editor after Ctrl-D, the tables listed and the batch's table's first page read.
    static func destination(_ page: DestinationPage, then keys: [Key] = []) -> WizardState {
        reduce(atEditor, [.key(.control("d")), .reply(.destinationTables(schema: "import_api", loadedTables)),
                          .reply(.destinationPage(page))] + keys.map { .key($0) })
    }

    /// Name (the golden's file name at 80×24) and state, one per screen and mode.
    static var all: [(name: String, state: WizardState)] {
        let pending = reduce(state(remote), typing("ac_typed") + [.key(.enter)])
        let pendingTarget = pending.screen(as: ConnectScreen.self)?.form.pending ?? remote
        let europe = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "ac_typed",
                                  importBaseURL: ImportRegion.europe.baseURL, isSandbox: false)
        var europeEditor = atEditor
        europeEditor.session.target = europe
        return [
            ("connect", state(remote)),
            ("connect-missing-token", state(remote, .key(.enter))),
            ("connect-checking", pending),
            ("connect-refused", reduce(pending, [.reply(.connectFailed(
                pendingTarget, field: .importURL,
                WizardFailure(message: "Refusing plain http:// for “http://import.example.com”: the token would travel "
                              + "unencrypted. Use https://, or http:// only for a server on this machine (127.0.0.1, ::1, localhost).")))])),
            ("working", state()),
            ("home", atHome),
            ("home-remote-empty", remoteAtHome),
            ("display-name", atDisplayName),
            ("display-name-refused", reduce(atDisplayName, [.key(.enter), .reply(.failed(.createSource, WizardFailure(
                statusCode: 400, code: "InvalidName", message: "non-unique name (import_api)")))])),
            ("display-name-non-latin", reduce(atDisplayName, [.key(.control("u")), .key(.paste("日本語ソース")), .key(.enter)])),
            ("form-properties", atCloseioForm),
            ("form-properties-refused", reduce(atCloseioForm, typing("k_secret_value") + [.key(.enter)] + typing("2024-01-01T00:00:00Z")
                + [.key(.enter), .reply(.failed(.createSource, WizardFailure(
                    statusCode: 400, code: "InvalidProperties", message: "Invalid properties: api_key",
                    badProperties: ["api_key"])))])),
            ("token", atToken),
            ("token-saving", reduce(atToken, [.key(.character("s"))])),
            ("token-save-refused", reduce(atToken, [.key(.character("s")), .reply(.failed(.saveToken, WizardFailure(
                message: "Could not save to /tmp: that is a directory; add a file name, e.g. /tmp/stitch-import-token.txt.")))])),
            ("token-confirm-quit", reduce(atToken, [.key(.control("c"))])),
            ("editor", atEditor),
            ("editor-replies", reduce(atEditor, [
                .key(.control("s")),
                sent(1, status: 201, body: #"{"status":"OK","message":"Batch Accepted!"}"#, latency: .milliseconds(14)),
                .key(.control("s")),
                sent(2, status: 400, body: #"{"error":"Record 0 did not conform to schema:\n#/age: expected type: Integer, found: String"}"#,
                     latency: .milliseconds(5)),
            ])),
            ("editor-send-failed", reduce(atEditor, [
                .key(.control("s")),
                sent(1, status: nil, body: "Could not connect to 127.0.0.1:8787 — is the server running? (connection refused)",
                     latency: .milliseconds(2)),
            ])),
            ("editor-europe", europeEditor),
            ("editor-europe-replied", reduce(europeEditor, [
                .key(.control("s")),
                sent(1, status: 202, body: #"{"status":"OK","message":"Batch Accepted!"}"#, latency: .milliseconds(230)),
            ])),
            ("display-name-long", reduce(atDisplayName, [
                .key(.control("u")),
                .key(.paste("Quarterly revenue reconciliation for the north american subsidiaries 2026")),
            ])),
            ("destination", destination(loadedRows)),
            ("destination-wide", destination(wideRows)),
            ("destination-wide-scrolled", destination(wideRows, then: [.right, .right, .right, .right, .right, .right])),
            ("unsupported-step", reduce(atHome, [.key(.enter), .reply(.sourceType(ReportCard(
                type: "platform.github", currentStep: 2, steps: [ConnectionStep(type: .form), ConnectionStep(type: .profile)])))])),
            ("source-configured", reduce(continuing(7), [.reply(.source(Source(
                id: 7, type: "platform.closeio", displayName: "Close CRM", name: "close_crm",
                reportCard: ReportCard(type: "platform.closeio", currentStep: 4, steps: closeioCard.steps),
                stitchClientID: 116078, createdAt: "2020-01-02T15:49:27Z", updatedAt: "2020-01-02T15:49:27Z")))])),
            ("failure", reduce(remoteAtHome, [.key(.enter), .reply(.failed(.fetchSourceType, WizardFailure(
                statusCode: 401, code: "AccessDenied", message: "Not Authorized", body: #"{"message":"Not Authorized"}"#,
                hint: "Check the Connect API token: it may be mistyped, revoked, or for another account.")))])),
        ] + formScenarios + stepScenarios + tokenScenarios + editorScenarios
    }
}

/// One golden per screen at 80×24 and at the minimum 60×20, plus the sizes where layout could break.
struct WizardScreenTests {
    static let size = Size(columns: 80, rows: 24)

    func render(_ state: WizardState, size: Size = size) -> Frame { WizardView.render(state, size: size) }

    @Test(arguments: Scenarios.all.map(\.name))
    func screenAt80x24(name: String) throws {
        let state = try #require(Scenarios.all.first { $0.name == name }).state
        Golden.assert(render(state), named: name)
    }

    /// A wide terminal: the layout keeps its places and uses the room (issue 7: goldens at 120×32).
    @Test(arguments: Scenarios.all.map(\.name))
    func screenAt120x32(name: String) throws {
        let state = try #require(Scenarios.all.first { $0.name == name }).state
        Golden.assert(render(state, size: Size(columns: 120, rows: 32)), named: name + "-120x32")
    }

    @Test(arguments: Scenarios.all.map(\.name))
    func screenAtTheMinimumSize(name: String) throws {
        let state = try #require(Scenarios.all.first { $0.name == name }).state
        Golden.assert(render(state, size: WizardView.minimumSize), named: name + "-60x20")
    }

    /// Issue 14: no text is cut where it does not fit; views wrap it or shorten it on purpose
    /// (with "…"). `Frame.cuts` records every `put` that lost characters at an edge.
    @Test(arguments: [Size(columns: 60, rows: 20), Size(columns: 61, rows: 21), Size(columns: 72, rows: 22),
                      Size(columns: 80, rows: 24), Size(columns: 120, rows: 32)])
    func noScreenCutsTextMidWord(size: Size) {
        for (name, state) in Scenarios.all {
            let frame = render(state, size: size)
            #expect(frame.cuts.isEmpty, "\(name) at \(size) cut: \(frame.cuts.map(\.description).joined(separator: "; "))")
        }
    }

    @Test(arguments: [Size(columns: 48, rows: 14), Size(columns: 59, rows: 19), Size(columns: 30, rows: 10),
                      Size(columns: 20, rows: 6), Size(columns: 12, rows: 4)])
    func tooSmallWrapsInsteadOfCutting(size: Size) {
        for (name, state) in [("connect", Scenarios.state(Scenarios.remote)), ("token", Scenarios.atToken),
                              ("token-confirm-quit", Scenarios.reduce(Scenarios.atToken, [.key(.control("c"))]))] {
            let frame = render(state, size: size)
            #expect(frame.cuts.isEmpty, "\(name) at \(size) cut: \(frame.cuts.map(\.description))")
            #expect(frame.text.contains("small"), "\(name) at \(size) does not say why the screen is hidden")
            #expect(frame.text.contains("Ctrl-C"), "\(name) at \(size) does not say how to quit")
        }
    }

    @Test func tooSmall() {
        Golden.assert(render(Scenarios.state(), size: Size(columns: 48, rows: 14)), named: "too-small")
        Golden.assert(render(Scenarios.state(), size: Size(columns: 30, rows: 12)), named: "too-small-30x12")
    }

    /// Issue 10: the quit question cannot be answered with y while the screen is hidden, so the
    /// too-small screen says what does answer it.
    @Test func tooSmallWhileAskingToQuitSaysCtrlCAgain() {
        let asking = Scenarios.reduce(Scenarios.atToken, [.resized(Size(columns: 48, rows: 14)), .key(.control("c"))])
        let frame = render(asking, size: Size(columns: 48, rows: 14))
        #expect(frame.text.contains("Ctrl-C again"))
        #expect(!frame.text.contains(Scenarios.token.accessToken))
        Golden.assert(frame, named: "too-small-confirm-quit")
    }

    @Test func wideTerminalKeepsTheLayout() {
        Golden.assert(render(Scenarios.atToken, size: Size(columns: 120, rows: 32)), named: "token-120x32")
    }

    @Test func aLongTokenIsShownWholeOverSeveralLines() {
        let long = "at_" + String(repeating: "0123456789abcdef", count: 5)
        let state = Scenarios.reduce(Scenarios.atDisplayName, [.key(.enter), .reply(.source(Scenarios.source)),
                                                               .reply(.tokens(sourceID: 126890, TokenList(tokens: []))),
                                                               .reply(.token(ImportAccessToken(id: 1, accessToken: long)))])
        let frame = render(state, size: WizardView.minimumSize)
        #expect(frame.cuts.isEmpty)
        #expect(frame.text.replacingOccurrences(of: "│", with: "").replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\n", with: "").contains(long))
    }

    @Test func helpBarOnlyOffersWorkingKeys() {
        var editor = Scenarios.atEditor
        #expect(HelpBar.bindings(for: editor).contains { $0.key == "ctrl-d" })
        editor.session.target.isSandbox = false
        #expect(!HelpBar.bindings(for: editor).contains { $0.key == "ctrl-d" })
    }

    @Test func tokenIsShownOnlyOnTheTokenScreen() {
        #expect(render(Scenarios.atToken).text.contains(Scenarios.token.accessToken))
        #expect(!render(Scenarios.atEditor).text.contains(Scenarios.token.accessToken))
    }

    /// Issue 15: after a 401 the Connect step is not done.
    @Test func aRefusedConnectTokenMarksTheConnectStepFailed() throws {
        let failed = try #require(Scenarios.all.first { $0.name == "failure" }).state
        let steps = WizardProgress.steps(for: failed)
        #expect(steps.first?.title == "Connect")
        #expect(steps.first?.status == .failed)
        #expect(!steps.contains { $0.status == .done })
        let trail = render(failed).lines[1]
        #expect(trail.contains("✗ Connect"))
        #expect(!trail.contains("✓"))
    }

    @Test func otherFailuresMarkTheStepThatFailed() throws {
        var state = Scenarios.reduce(Scenarios.atDisplayName, [.key(.enter), .reply(.source(Scenarios.source)),
                                                               .reply(.tokens(sourceID: 126890, TokenList(tokens: []))),
                                                               .reply(.failed(.createToken, WizardFailure(statusCode: 502, message: "Bad gateway")))])
        let steps = WizardProgress.steps(for: state)
        #expect(steps.first { $0.title == "Token" }?.status == .failed)
        #expect(steps.first { $0.title == "Details" }?.status == .done)
        state.session.target.isSandbox = false
        #expect(WizardProgress.steps(for: state).first?.status == .done, "a 502 says nothing against the token")
    }

    /// Issue 11: the header names the host the screen's requests go to.
    @Test func theHeaderNamesWhereBatchesGoOnTheEditor() throws {
        let editor = try #require(Scenarios.all.first { $0.name == "editor-europe" }).state
        for size in [Size(columns: 60, rows: 20), Size(columns: 80, rows: 24)] {
            let header = render(editor, size: size).lines[0]
            #expect(header.contains("api.eu-central-1.stitchdata.com"), "at \(size): \(header)")
        }
    }
}
