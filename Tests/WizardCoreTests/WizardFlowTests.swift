import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Drives the reducer through the tutorial's flow, one event at a time.
struct WizardFlowTests {
    private func reduce(_ state: inout WizardState, _ events: WizardEvent...) -> [WizardEffect] {
        events.flatMap { WizardReducer.reduce(&state, $0) }
    }

    private func type(_ text: String, into state: inout WizardState) {
        for character in text { _ = WizardReducer.reduce(&state, .key(.character(character))) }
    }

    /// A sandbox wizard at the token screen, after the tutorial's replies.
    private func stateAtToken() throws -> WizardState {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.enter), .sourceCreated(try Fixtures.source()),
                   .tokenCreated(Fixtures.token))
        return state
    }

    @Test func sandboxStartsByFetchingTheReportCard() {
        let state = WizardState(target: Fixtures.sandboxTarget)
        #expect(state.screen == .working(.fetchingSourceType("import_api")))
        #expect(state.initialEffects == [.connect(Fixtures.sandboxTarget, sourceType: "import_api")])
    }

    @Test func remoteStartsOnTheConnectScreenAndNeedsAToken() throws {
        var state = WizardState(target: Fixtures.remoteTarget)
        #expect(state.screen == .connect)
        #expect(state.initialEffects.isEmpty)
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.connectForm.error == "Enter your Connect API token.")
        type("ac_typed", into: &state)
        let effects = reduce(&state, .key(.enter))
        let expected = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "ac_typed",
                                    importBaseURL: "https://api.stitchdata.com", isSandbox: false)
        #expect(effects == [.connect(expected, sourceType: "import_api")])
        #expect(state.screen == .connect, "the form stays on screen while it is checked")
        #expect(state.connectForm.isChecking)
        _ = reduce(&state, .connected(expected, try Fixtures.card()))
        #expect(state.screen == .displayName)
        #expect(state.target == expected)
    }

    @Test func ctrlRCyclesTheImportRegion() {
        var state = WizardState(target: Fixtures.remoteTarget)
        #expect(state.connectForm.region == .northAmerica)
        _ = reduce(&state, .key(.control("r")))
        #expect(state.connectForm.importURL.text == ImportRegion.europe.baseURL)
        _ = reduce(&state, .key(.control("r")))
        #expect(state.connectForm.region == .northAmerica)
    }

    @Test func formStepAsksForTheDisplayName() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()))
        #expect(state.screen == .displayName)
        #expect(state.displayNameForm.schemaNamePreview == "import_api")
        let effects = reduce(&state, .key(.enter))
        #expect(effects == [.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"), via: Fixtures.sandboxTarget)])
        #expect(state.screen == .working(.creatingSource(displayName: "Import API")))
    }

    @Test func previewFollowsTyping() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.control("u")))
        type("Sales Pipeline 2", into: &state)
        #expect(state.displayNameForm.field.text == "Sales Pipeline 2")
        #expect(state.displayNameForm.schemaNamePreview == "sales_pipeline_2")
    }

    @Test func invalidDisplayNameIsRefusedBeforeAnyRequest() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.control("u")))
        type("####", into: &state)
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.screen == .displayName)
        #expect(state.displayNameForm.error?.contains("would be empty") == true)
    }

    @Test func noAccessToTheTypeStopsWithAnExplanation() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        let card = try Fixtures.card(Fixtures.sourceTypeCard.replacingOccurrences(of: "\"access\":true", with: "\"access\":false"))
        _ = reduce(&state, .sourceTypeLoaded(card))
        guard case .failure(let failure) = state.screen else { Issue.record("expected a failure screen"); return }
        #expect(failure.title == "No access to import_api")
    }

    @Test(arguments: ["oauth", "profile", "discover_schema", "field_selection", "some_future_step"])
    func stepsThisWizardCannotCompleteGetAnExplanation(step: String) throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        let card = ReportCard(type: "import_api", currentStep: 1, steps: [ConnectionStep(type: StepType(rawValue: step))])
        _ = reduce(&state, .sourceTypeLoaded(card))
        #expect(state.screen == .unsupportedStep(StepType(rawValue: step)))
    }

    @Test func outOfRangeCurrentStepIsAFailureNotACrash() {
        var state = WizardState(target: Fixtures.sandboxTarget)
        let card = ReportCard(type: "import_api", currentStep: 7, currentStepType: nil, steps: [ConnectionStep(type: .form)])
        _ = reduce(&state, .sourceTypeLoaded(card))
        guard case .failure(let failure) = state.screen else { Issue.record("expected a failure screen"); return }
        #expect(failure.title == "Unreadable report card")
    }

    @Test func fullyConfiguredSourceGetsAToken() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.enter))
        let effects = reduce(&state, .sourceCreated(try Fixtures.source()))
        #expect(effects == [.createToken(sourceID: 126890, via: Fixtures.sandboxTarget)])
        #expect(state.screen == .working(.generatingToken(sourceID: 126890)))
    }

    @Test(arguments: ["InvalidName", "InvalidDisplayName", "InvalidBody"])
    func nameRefusalsReturnToTheFormWithTheMessage(code: String) throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.enter))
        let failure = WizardFailure(statusCode: 400, code: code, message: "non-unique name (import_api)")
        #expect(reduce(&state, .failed(.createSource, failure)).isEmpty)
        #expect(state.screen == .displayName)
        #expect(state.displayNameForm.error == "non-unique name (import_api)")
        #expect(state.displayNameForm.field.text == "Import API")
    }

    @Test func serverErrorOnCreateCanBeRetried() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.enter))
        _ = reduce(&state, .failed(.createSource, WizardFailure(statusCode: 502, message: "Bad gateway")))
        guard case .failure = state.screen else { Issue.record("expected a failure screen"); return }
        let retried = reduce(&state, .key(.character("r")))
        #expect(retried == [.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"), via: Fixtures.sandboxTarget)])
        #expect(state.screen == .working(.creatingSource(displayName: "Import API")))
    }

    @Test func reportCardFailureOffersRetryAndBackOnlyWhenThereIsSomewhereToGo() {
        var sandbox = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&sandbox, .failed(.fetchSourceType, WizardFailure(statusCode: 401, message: "Not Authorized")))
        guard case .failure(let failure) = sandbox.screen else { Issue.record("expected a failure screen"); return }
        #expect(failure.back == nil)
        #expect(failure.retry == [.fetchSourceType("import_api", via: Fixtures.sandboxTarget)])

        var remote = WizardState(target: Fixtures.remoteTarget)
        _ = reduce(&remote, .failed(.fetchSourceType, WizardFailure(statusCode: 401, message: "Not Authorized")))
        _ = reduce(&remote, .key(.escape))
        #expect(remote.screen == .connect)
    }

    @Test func tokenFailureCanBeRetried() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = reduce(&state, .sourceTypeLoaded(try Fixtures.card()), .key(.enter), .sourceCreated(try Fixtures.source()))
        _ = reduce(&state, .failed(.createToken, WizardFailure(statusCode: 400, code: "InvalidToken", message: "at most 2 tokens")))
        #expect(reduce(&state, .key(.character("r"))) == [.createToken(sourceID: 126890, via: Fixtures.sandboxTarget)])
    }

    @Test func tokenMustBeAcknowledgedBeforeTheEditor() throws {
        var state = try stateAtToken()
        #expect(state.screen == .token)
        _ = reduce(&state, .key(.enter))
        #expect(state.screen == .token)
        #expect(state.tokenPanel.message?.contains("cannot be displayed again") == true)
        _ = reduce(&state, .key(.character("y")))
        #expect(state.screen == .editor)
    }

    @Test func quittingBeforeAcknowledgingAsksFirst() throws {
        var state = try stateAtToken()
        #expect(reduce(&state, .key(.control("c"))).isEmpty)
        #expect(state.isConfirmingQuit)
        _ = reduce(&state, .key(.character("n")))
        #expect(!state.isConfirmingQuit && !state.isFinished)
        _ = reduce(&state, .key(.control("c")))
        #expect(reduce(&state, .key(.character("y"))) == [.quit])
        #expect(state.isFinished)
    }

    @Test func ctrlCQuitsAtOnceElsewhere() {
        var state = WizardState(target: Fixtures.remoteTarget)
        #expect(reduce(&state, .key(.control("c"))) == [.quit])
        #expect(state.isFinished)
    }

    @Test func savingTheTokenAsksForAPathAndReportsTheResult() throws {
        var state = try stateAtToken()
        _ = reduce(&state, .key(.character("s")))
        #expect(state.tokenPanel.isSaving)
        #expect(state.tokenPanel.path.text == "stitch-import-token-126890.txt")
        let effects = reduce(&state, .key(.enter))
        #expect(effects == [.saveToken(Fixtures.token, path: "stitch-import-token-126890.txt")])
        _ = reduce(&state, .failed(.saveToken, WizardFailure(message: "the file already exists")))
        #expect(state.tokenPanel.isError && state.tokenPanel.isSaving)
        _ = reduce(&state, .tokenSaved(path: "/tmp/x.txt"))
        #expect(!state.tokenPanel.isSaving && state.tokenPanel.savedPath == "/tmp/x.txt")
    }

    @Test func ctrlSSendsTheEditorTextAsIs() throws {
        var state = try stateAtToken()
        _ = reduce(&state, .key(.character("y")))
        let effects = reduce(&state, .key(.control("s")))
        #expect(effects == [.sendBatch(body: RecordEditor.tutorialBatch, token: Fixtures.token,
                                       importBaseURL: Fixtures.sandboxTarget.importBaseURL)])
        #expect(state.editor.isSending)
        #expect(reduce(&state, .key(.control("s"))).isEmpty, "a second Ctrl-S while sending does nothing")
    }

    @Test func brokenJSONIsNotSentAndSaysWhere() throws {
        var state = try stateAtToken()
        _ = reduce(&state, .key(.character("y")))
        state.editor.text = TextArea(text: "{\n  \"table_name\": \"customers\",\n}")
        #expect(reduce(&state, .key(.control("s"))).isEmpty)
        #expect(state.editor.problem?.contains("line 3") == true)
    }

    @Test func batchWithoutMessagesIsNotSent() throws {
        var state = try stateAtToken()
        _ = reduce(&state, .key(.character("y")))
        state.editor.text = TextArea(text: #"{"table_name":"t","schema":{"properties":{}},"messages":[]}"#)
        #expect(reduce(&state, .key(.control("s"))).isEmpty)
        #expect(state.editor.problem == "Add at least one message to send.")
    }

    @Test func acceptedBatchRefreshesTheSandboxDestination() throws {
        var state = try stateAtToken()
        _ = reduce(&state, .key(.character("y")), .key(.control("s")))
        let outcome = BatchOutcome(statusCode: 201, body: #"{"status":"OK","message":"Batch Accepted!"}"#,
                                   latency: .milliseconds(12), tableName: "customers", recordCount: 1)
        let effects = reduce(&state, .batchReplied(outcome))
        #expect(effects == [.loadDestination(schema: "import_api", table: "customers", delay: .milliseconds(400))])
        #expect(state.editor.history == [outcome])
        #expect(!state.editor.isSending)
    }

    @Test func rejectedBatchIsRecordedWithoutRefreshing() throws {
        var state = try stateAtToken()
        _ = reduce(&state, .key(.character("y")), .key(.control("s")))
        let outcome = BatchOutcome(statusCode: 400, body: #"{"error":"Record is missing key property id"}"#,
                                   latency: .milliseconds(3), tableName: "customers", recordCount: 1)
        #expect(reduce(&state, .batchReplied(outcome)).isEmpty)
        #expect(state.editor.history.last?.isAccepted == false)
    }

    @Test func destinationViewIsSandboxOnly() throws {
        var sandbox = try stateAtToken()
        _ = reduce(&sandbox, .key(.character("y")))
        #expect(reduce(&sandbox, .key(.control("d"))) == [.loadDestination(schema: "import_api", table: "customers", delay: .zero)])
        #expect(sandbox.screen == .destination)
        let snapshot = DestinationSnapshot(schema: "import_api", table: "customers", columns: ["id"], rows: [["1"]])
        _ = reduce(&sandbox, .destinationLoaded(snapshot), .key(.escape))
        #expect(sandbox.screen == .editor)
        #expect(sandbox.destination.snapshot == snapshot)

        var remote = sandbox
        remote.target.isSandbox = false
        #expect(reduce(&remote, .key(.control("d"))).isEmpty)
        #expect(remote.screen == .editor)
    }

    @Test func resizeIsRemembered() {
        var state = WizardState(target: Fixtures.remoteTarget)
        _ = reduce(&state, .resized(Size(columns: 100, rows: 30)))
        #expect(state.size == Size(columns: 100, rows: 30))
    }
}
