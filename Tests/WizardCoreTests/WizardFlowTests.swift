import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Drives the reducer through the tutorial's flow and the start screen, one event at a time.
struct WizardFlowTests {
    @Test func sandboxStartsByFetchingTheStartLists() {
        var state = WizardState(target: Fixtures.sandboxTarget)
        #expect(state.on(StartScreen.self)?.start == .home)
        #expect(state.start() == [.fetchSourceTypes(via: Fixtures.sandboxTarget), .fetchSources(via: Fixtures.sandboxTarget)])
    }

    @Test func homeWaitsForBothListsThenPreselectsTheImportAPI() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = state.start()
        let other = ReportCard(type: "platform.closeio", currentStep: 1, steps: [ConnectionStep(type: .form)])
        state.send(.reply(.sourceTypes([other, try Fixtures.card()])))
        #expect(state.on(StartScreen.self) != nil, "the sources are still coming")
        state.send(.reply(.sources([try Fixtures.source()])))
        let home = try #require(state.on(HomeScreen.self))
        #expect(home.entries.count == 3)
        #expect(home.selected == 1, "import_api, not the first type, is preselected")
        #expect(state.send(.key(.enter)) == [.fetchSourceType("import_api", via: Fixtures.sandboxTarget)])
    }

    @Test func homeContinuesAnExistingSourceAtItsStep() throws {
        var state = try Reach.home(sources: [try Fixtures.source()])
        state.send(.key(.down))
        #expect(state.send(.key(.enter)) == [.fetchSource(id: 126890, via: Fixtures.sandboxTarget)])
        let effects = state.send(.reply(.source(try Fixtures.source())))
        #expect(state.session.source?.id == 126890)
        #expect(effects == [.listTokens(sourceID: 126890, via: Fixtures.sandboxTarget)], "fully_configured: the token step")
    }

    @Test func typesOutsideThePlanAreListedButNotChosen() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = state.start()
        let locked = try Fixtures.card(Fixtures.sourceTypeCard.replacingOccurrences(of: "\"access\":true", with: "\"access\":false"))
        state.send(.reply(.sourceTypes([locked])), .reply(.sources([])))
        let home = try #require(state.on(HomeScreen.self))
        #expect(home.entries.count == 1 && !home.entries[0].isSelectable)
        #expect(state.send(.key(.enter)).isEmpty)
        #expect(HomeScreen.label(of: home.entries[0]).contains("not in this plan"))
    }

    @Test func remoteStartsOnTheConnectScreenAndNeedsAToken() throws {
        var state = WizardState(target: Fixtures.remoteTarget)
        #expect(state.on(ConnectScreen.self) != nil)
        #expect(state.start().isEmpty)
        #expect(state.send(.key(.enter)).isEmpty)
        #expect(state.on(ConnectScreen.self)?.form.error == "Enter your Connect API token.")
        state.type("ac_typed")
        let effects = state.send(.key(.enter))
        let expected = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "ac_typed",
                                    importBaseURL: "https://api.stitchdata.com", isSandbox: false)
        #expect(effects == [.connect(expected, sourceType: "import_api")])
        #expect(state.on(ConnectScreen.self)?.form.isChecking == true, "the form stays on screen while it is checked")
        let next = state.send(.reply(.connected(expected, try Fixtures.card())))
        #expect(state.on(StartScreen.self) != nil)
        #expect(next == [.fetchSourceTypes(via: expected), .fetchSources(via: expected)])
        #expect(state.target == expected)
    }

    @Test func ctrlRCyclesTheImportRegion() {
        var state = WizardState(target: Fixtures.remoteTarget)
        #expect(state.on(ConnectScreen.self)?.form.region == .northAmerica)
        state.send(.key(.control("r")))
        #expect(state.on(ConnectScreen.self)?.form.importURL.text == ImportRegion.europe.baseURL)
        state.send(.key(.control("r")))
        #expect(state.on(ConnectScreen.self)?.form.region == .northAmerica)
    }

    @Test func sourceTypeFlagGoesStraightToTheForm() throws {
        var state = WizardState(target: Fixtures.sandboxTarget, start: .newSource(type: "import_api"))
        #expect(state.start() == [.fetchSourceType("import_api", via: Fixtures.sandboxTarget)])
        state.send(.reply(.sourceType(try Fixtures.card())))
        #expect(state.on(FormScreen.self) != nil)
    }

    @Test func formStepAsksForTheDisplayNameAndEnterCreates() throws {
        var state = try Reach.form()
        let form = try #require(state.on(FormScreen.self))
        #expect(form.schemaNamePreview == "import_api")
        let effects = state.send(.key(.enter))
        #expect(effects == [.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"), via: Fixtures.sandboxTarget)])
        #expect(state.on(FormScreen.self)?.isSubmitting == true)
    }

    @Test func previewFollowsTyping() throws {
        var state = try Reach.form()
        state.send(.key(.control("u")))
        state.type("Sales Pipeline 2")
        #expect(state.on(FormScreen.self)?.schemaNamePreview == "sales_pipeline_2")
    }

    @Test func invalidDisplayNameIsRefusedBeforeAnyRequest() throws {
        var state = try Reach.form()
        state.send(.key(.control("u")))
        state.type("####")
        #expect(state.send(.key(.enter)).isEmpty)
        let form = try #require(state.on(FormScreen.self))
        #expect(!form.isSubmitting)
        #expect(form.form.error?.contains("would be empty") == true)
    }

    @Test func aFormWithPropertiesWalksTheFieldsThenCreatesWithThem() throws {
        var state = try Reach.home()
        state.send(.key(.enter))
        let card = ReportCard(type: "platform.closeio", currentStep: 1, steps: [
            ConnectionStep(type: .form, properties: [
                StepProperty(name: "api_key", isRequired: true, isCredential: true, propertyType: "user_provided"),
                StepProperty(name: "start_date", isRequired: true, propertyType: "user_provided"),
                StepProperty(name: "image_version", propertyType: "read_only"),
            ]),
            ConnectionStep(type: .discoverSchema), ConnectionStep(type: .fieldSelection), ConnectionStep(type: .fullyConfigured),
        ])
        state.send(.reply(.sourceType(card)))
        let form = try #require(state.on(FormScreen.self))
        #expect(form.form.asked.map { form.form.fields[$0].id } == ["display_name", "api_key", "start_date"])
        #expect(form.form.fields[1].isSecret)
        state.type("Close")
        state.send(.key(.enter), .key(.enter))
        #expect(state.send(.key(.enter)).isEmpty, "an empty required field stops the submit")
        #expect(state.on(FormScreen.self)?.form.error == "api_key is required.")
        #expect(state.on(FormScreen.self)?.form.focused?.id == "api_key")
        state.type("k_123")
        state.send(.key(.enter))
        state.type("2024-01-01T00:00:00Z")
        let effects = state.send(.key(.enter))
        #expect(effects == [.createSource(CreateSourceRequest(type: "platform.closeio", displayName: "Close",
                                                              properties: ["api_key": "k_123", "start_date": "2024-01-01T00:00:00Z"]),
                                          via: Fixtures.sandboxTarget)])
    }

    @Test func invalidPropertiesGoNextToTheFieldsTheyName() throws {
        var state = try Reach.home()
        state.send(.key(.enter))
        let card = ReportCard(type: "platform.closeio", currentStep: 1, steps: [
            ConnectionStep(type: .form, properties: [StepProperty(name: "api_key", isRequired: true, propertyType: "user_provided")]),
        ])
        state.send(.reply(.sourceType(card)))
        state.type("Close")
        state.send(.key(.enter))
        state.type("bad")
        state.send(.key(.enter))
        let failure = WizardFailure(statusCode: 400, code: "InvalidProperties", message: "invalid properties", badProperties: ["api_key"])
        state.send(.reply(.failed(.createSource, failure)))
        let form = try #require(state.on(FormScreen.self))
        #expect(form.form.fieldErrors == ["api_key": "invalid properties"])
        #expect(form.form.focused?.id == "api_key")
        state.type("x")
        #expect(state.on(FormScreen.self)?.form.fieldErrors.isEmpty == true, "editing the field clears the refusal")
    }

    @Test func noAccessToTheTypeStopsWithAnExplanation() throws {
        var state = try Reach.home()
        state.send(.key(.enter))
        let card = try Fixtures.card(Fixtures.sourceTypeCard.replacingOccurrences(of: "\"access\":true", with: "\"access\":false"))
        state.send(.reply(.sourceType(card)))
        #expect(state.on(FailureScreen.self)?.title == "No access to import_api")
    }

    @Test(arguments: ["profile", "some_future_step"])
    func stepsWithoutAScreenGetAnExplanation(step: String) throws {
        var state = try Reach.home()
        state.send(.key(.enter))
        let card = ReportCard(type: "import_api", currentStep: 1, steps: [ConnectionStep(type: StepType(rawValue: step))])
        state.send(.reply(.sourceType(card)))
        #expect(state.on(UnsupportedStepScreen.self)?.step == StepType(rawValue: step))
        state.send(.key(.escape))
        #expect(state.on(StartScreen.self) != nil, "Esc goes home")
    }

    @Test func outOfRangeCurrentStepIsAFailureNotACrash() throws {
        var state = try Reach.home()
        state.send(.key(.enter))
        let card = ReportCard(type: "import_api", currentStep: 7, currentStepType: nil, steps: [ConnectionStep(type: .form)])
        state.send(.reply(.sourceType(card)))
        #expect(state.on(FailureScreen.self)?.title == "Unreadable report card")
    }

    @Test func fullyConfiguredSourceGetsAToken() throws {
        var state = try Reach.form()
        state.send(.key(.enter))
        let effects = state.send(.reply(.source(try Fixtures.source())))
        #expect(effects == [.listTokens(sourceID: 126890, via: Fixtures.sandboxTarget)])
        #expect(state.send(.reply(.tokens(sourceID: 126890, TokenList(tokens: []))))
                == [.createToken(sourceID: 126890, via: Fixtures.sandboxTarget)])
        #expect(state.on(TokenScreen.self)?.phase == .generating)
        #expect(state.session.summary.lines == ["Created source 126890 (import_api), schema import_api"])
    }

    @Test func aSavedTokenOpensTheEditorAndCreatesNothing() throws {
        var state = WizardState(target: Fixtures.sandboxTarget, start: .existingSource(id: 126890), token: Fixtures.token)
        #expect(state.start() == [.fetchSource(id: 126890, via: Fixtures.sandboxTarget)])
        #expect(state.send(.reply(.source(try Fixtures.source()))).isEmpty)
        #expect(state.on(EditorScreen.self) != nil)
        #expect(state.session.summary.entries.isEmpty)
    }

    @Test(arguments: ["InvalidName", "InvalidDisplayName"])
    func nameRefusalsStayOnTheFormWithTheMessage(code: String) throws {
        var state = try Reach.form()
        state.send(.key(.enter))
        let failure = WizardFailure(statusCode: 400, code: code, message: "non-unique name (import_api)")
        #expect(state.send(.reply(.failed(.createSource, failure))).isEmpty)
        let form = try #require(state.on(FormScreen.self))
        #expect(form.form.fieldErrors["display_name"] == "non-unique name (import_api)")
        #expect(form.form.values["display_name"] == "Import API")
        #expect(!form.isSubmitting)
    }

    @Test func serverErrorOnCreateStaysOnTheFormAndEnterRetries() throws {
        var state = try Reach.form()
        state.send(.key(.enter))
        state.send(.reply(.failed(.createSource, WizardFailure(statusCode: 502, message: "Bad gateway"))))
        #expect(state.on(FormScreen.self)?.form.error == "HTTP 502: Bad gateway")
        #expect(state.send(.key(.enter)) == [.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"),
                                                          via: Fixtures.sandboxTarget)])
    }

    @Test func startFailureOffersRetryAndBackOnlyWhenThereIsSomewhereToGo() throws {
        var sandbox = WizardState(target: Fixtures.sandboxTarget)
        _ = sandbox.start()
        sandbox.send(.reply(.failed(.fetchSourceTypes, WizardFailure(statusCode: 401, message: "Not Authorized"))))
        let failure = try #require(sandbox.on(FailureScreen.self))
        #expect(failure.back == nil)
        #expect(sandbox.send(.key(.character("r"))) == [.fetchSourceTypes(via: Fixtures.sandboxTarget),
                                                         .fetchSources(via: Fixtures.sandboxTarget)])

        var remote = try Reach.home(Fixtures.remoteTarget)
        remote.send(.key(.enter), .reply(.failed(.fetchSourceType, WizardFailure(statusCode: 401, message: "Not Authorized"))))
        remote.send(.key(.escape))
        #expect(remote.on(ConnectScreen.self) != nil)
    }

    @Test func tokenFailureCanBeRetried() throws {
        var state = try Reach.form()
        state.send(.key(.enter), .reply(.source(try Fixtures.source())), .reply(.tokens(sourceID: 126890, TokenList(tokens: []))))
        state.send(.reply(.failed(.createToken, WizardFailure(statusCode: 502, message: "Bad gateway"))))
        #expect(state.on(FailureScreen.self) != nil)
        // Retry starts over from the list: it may have changed meanwhile.
        #expect(state.send(.key(.character("r"))) == [.listTokens(sourceID: 126890, via: Fixtures.sandboxTarget)])
    }

    @Test func tokenMustBeAcknowledgedBeforeTheEditor() throws {
        var state = try Reach.token()
        #expect(state.on(TokenScreen.self)?.token == Fixtures.token)
        state.send(.key(.enter))
        #expect(state.on(TokenScreen.self)?.panel.message?.contains("cannot be displayed again") == true)
        state.send(.key(.character("y")))
        #expect(state.on(EditorScreen.self) != nil)
        #expect(state.session.token == Fixtures.token)
    }

    @Test func quittingBeforeAcknowledgingAsksFirst() throws {
        var state = try Reach.token()
        #expect(state.send(.key(.control("c"))).isEmpty)
        #expect(state.isConfirmingQuit)
        state.send(.key(.character("n")))
        #expect(!state.isConfirmingQuit && !state.isFinished)
        state.send(.key(.control("c")))
        #expect(state.send(.key(.character("y"))) == [.quit])
        #expect(state.isFinished)
    }

    @Test func ctrlCQuitsAtOnceElsewhere() {
        var state = WizardState(target: Fixtures.remoteTarget)
        #expect(state.send(.key(.control("c"))) == [.quit])
        #expect(state.isFinished)
    }

    @Test func savingTheTokenAsksForAPathAndReportsTheResult() throws {
        var state = try Reach.token()
        state.send(.key(.character("s")))
        #expect(state.on(TokenScreen.self)?.panel.isSaving == true)
        #expect(state.on(TokenScreen.self)?.panel.path.text == "stitch-import-token-126890.txt")
        #expect(state.send(.key(.enter)) == [.saveToken(Fixtures.token, path: "stitch-import-token-126890.txt")])
        state.send(.reply(.failed(.saveToken, WizardFailure(message: "the file already exists"))))
        #expect(state.on(TokenScreen.self)?.panel.isError == true && state.on(TokenScreen.self)?.panel.isSaving == true)
        state.send(.reply(.tokenSaved(path: "/tmp/x.txt")))
        let panel = try #require(state.on(TokenScreen.self)?.panel)
        #expect(!panel.isSaving && panel.savedPath == "/tmp/x.txt")
        #expect(state.session.summary.lines.last == "Saved token 828792559 to /tmp/x.txt (mode 0600)")
    }

    @Test func ctrlSSendsEveryRowOfTheBatch() throws {
        var state = try Reach.editor()
        let effects = state.send(.key(.control("s")))
        #expect(effects == [.sendPart(id: 1, EditorDocument.tutorial.batch, fromRow: 0, sequenceBase: nil, token: Fixtures.token,
                                      importBaseURL: Fixtures.sandboxTarget.importBaseURL)])
        #expect(state.on(EditorScreen.self)?.history.isSending == true)
        #expect(state.send(.key(.control("s"))).isEmpty, "a second Ctrl-S while sending does nothing")
    }

    @Test func aBatchWithProblemsIsNotSentAndTheListSaysWhy() throws {
        var state = try Reach.editor()
        state.send(.key(.enter), .key(.control("u")), .key(.enter))  // the key column's cell emptied: null
        let editor = try Editing.editor(state)
        #expect(editor.document.problems.first?.row == 0 && editor.document.problems.first?.column == 0)
        #expect(state.send(.key(.control("s"))).isEmpty)
        #expect(try Editing.editor(state).focus == .problems)
        #expect(try Editing.editor(state).notice?.hasPrefix("Not sent: fix the 1 problem first") == true)
    }

    @Test func anEmptyBatchIsNotSent() throws {
        var state = try Reach.editor()
        state.send(.key(.character("x")))
        #expect(try Editing.editor(state).document.batch.rowCount == 0)
        #expect(state.send(.key(.control("s"))).isEmpty)
        #expect(try Editing.editor(state).history.message == "Not sent: the batch has no rows.")
    }

    @Test func anAcceptedBatchIsRecordedAndFollowed() throws {
        var state = try Reach.editor()
        let sent = state.send(.key(.control("s")))
        let effects = state.send(try Editing.reply(to: sent, status: 201))
        #expect(effects.contains { if case .after(_, .pollLoads) = $0 { true } else { false } }, "its load is followed")
        let editor = try Editing.editor(state)
        #expect(editor.history.entries.map(\.part.statusCode) == [201])
        #expect(!editor.history.isSending)
        #expect(state.session.summary.lines.last == "Sent 1 test batch, 1 accepted")
    }

    @Test func aRejectedBatchIsRecordedAndNotFollowed() throws {
        var state = try Reach.editor()
        let sent = state.send(.key(.control("s")))
        let effects = state.send(try Editing.reply(to: sent, status: 400, body: #"{"error":"Record is missing key property id"}"#))
        #expect(!effects.contains { if case .after(_, .pollLoads) = $0 { true } else { false } })
        #expect(state.on(EditorScreen.self)?.history.entries.last?.part.isAccepted == false)
    }

    @Test func destinationViewIsSandboxOnly() throws {
        var sandbox = try Reach.editor()
        #expect(sandbox.send(.key(.control("d"))) == [.listDestinationTables(schema: "import_api")])
        #expect(sandbox.on(EditorScreen.self)?.focus == .destination)
        let read = sandbox.send(.reply(.destinationTables(schema: "import_api", [DestinationTableInfo(name: "customers", rowCount: 1)])))
        guard case .loadDestinationPage("import_api", "customers", 0, let limit)? = read.first else {
            Issue.record("expected the batch's table's first page, got \(read)"); return
        }
        let page = DestinationPage(schema: "import_api", table: "customers", columns: ["id"], columnTypes: ["integer"],
                                   rows: [["1"]], offset: 0, totalCount: 1)
        #expect(limit >= 100)
        sandbox.send(.reply(.destinationPage(page)), .key(.escape))
        #expect(sandbox.on(EditorScreen.self)?.focus == .grid)
        #expect(sandbox.on(EditorScreen.self)?.destination.window == page)

        var remote = sandbox
        remote.session.target.isSandbox = false
        #expect(remote.send(.key(.control("d"))).isEmpty)
        #expect(remote.on(EditorScreen.self)?.focus == .grid)
    }

    @Test func resizeIsRemembered() {
        var state = WizardState(target: Fixtures.remoteTarget)
        state.send(.resized(Size(columns: 100, rows: 30)))
        #expect(state.size == Size(columns: 100, rows: 30))
    }

    @Test func theHelpBarListsExactlyTheBindingsThatAct() throws {
        // Every listed key acts (changes the state or asks for an effect) on the screen that lists it.
        for state in [try Reach.home(), try Reach.form(), try Reach.token(), try Reach.editor()] {
            let help = state.screen.keyHelp(in: state.session)
            #expect(!help.isEmpty)
            for entry in help where entry.key.count == 1 {
                var copy = state
                let effects = copy.send(.key(.character(Character(entry.key))))
                #expect(copy != state || !effects.isEmpty, "\(entry.key) is listed on \(type(of: state.screen)) but does nothing")
            }
        }
    }
}
