import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Issue 11: Enter on the connect screen checks the values there, and a refusal is shown there.
struct ConnectCheckTests {
    private func typing(_ text: String, into state: inout WizardState) {
        for character in text { _ = WizardReducer.reduce(&state, .key(.character(character))) }
    }

    /// The remote connect screen with a token typed and Enter pressed: the check in flight.
    private func checking(importURL: String? = nil) -> (WizardState, WizardTarget) {
        var state = WizardState(target: Fixtures.remoteTarget)
        typing("ac_typed", into: &state)
        if let importURL { state.connectForm.importURL.text = importURL }
        let effects = WizardReducer.reduce(&state, .key(.enter))
        guard case .connect(let target, _)? = effects.first else {
            Issue.record("Enter asked for \(effects), not a check")
            return (state, Fixtures.remoteTarget)
        }
        return (state, target)
    }

    @Test func enterChecksAndStaysOnTheConnectScreen() {
        let (state, target) = checking()
        #expect(state.screen == .connect)
        #expect(state.connectForm.pending == target)
        #expect(state.target == Fixtures.remoteTarget, "nothing is adopted before the check passes")
    }

    @Test func aRefusalStaysOnTheConnectScreenWithTheReasonAtTheField() {
        var (state, target) = checking(importURL: "http://import.example.com")
        let failure = WizardFailure(message: "Refusing plain http:// for “http://import.example.com”: the token would travel unencrypted.")
        #expect(WizardReducer.reduce(&state, .connectFailed(target, field: .importURL, failure)).isEmpty)
        #expect(state.screen == .connect, "no separate failure screen reached only by Esc")
        #expect(state.connectForm.focus == .importURL)
        #expect(state.connectForm.error?.contains("Refusing plain http://") == true)
        #expect(!state.connectForm.isChecking)
        #expect(state.target == Fixtures.remoteTarget)
    }

    @Test func anHTTPRefusalShowsTheStatusAndTheHint() {
        var (state, target) = checking()
        let failure = WizardFailure(statusCode: 401, message: "Not Authorized", hint: "Check the Connect API token.")
        _ = WizardReducer.reduce(&state, .connectFailed(target, field: .token, failure))
        #expect(state.connectForm.error == "HTTP 401: Not Authorized. Check the Connect API token.")
        #expect(state.connectForm.focus == .token)
    }

    @Test func theFormCannotChangeWhileItIsChecked() {
        var (state, _) = checking()
        let before = state
        for key: Key in [.character("x"), .enter, .control("r"), .tab, .backspace, .paste("zz")] {
            #expect(WizardReducer.reduce(&state, .key(key)).isEmpty)
        }
        #expect(state == before)
    }

    @Test func escCancelsAndALateAnswerIsDropped() throws {
        var (state, target) = checking()
        _ = WizardReducer.reduce(&state, .key(.escape))
        #expect(!state.connectForm.isChecking)
        #expect(state.connectForm.error?.contains("cancelled") == true)
        _ = WizardReducer.reduce(&state, .connected(target, try Fixtures.card()))
        #expect(state.screen == .connect, "the cancelled check's answer does not move on")
        #expect(state.target == Fixtures.remoteTarget)
    }

    @Test func anAnswerForOtherValuesIsDropped() throws {
        var (state, _) = checking()
        let other = WizardTarget(connectBaseURL: "https://other.example.com", connectToken: "ac_other",
                                 importBaseURL: "https://other.example.com", isSandbox: false)
        _ = WizardReducer.reduce(&state, .connected(other, try Fixtures.card()))
        #expect(state.screen == .connect)
        #expect(state.target == Fixtures.remoteTarget)
    }

    /// One source of truth: once adopted, the target in the state is where every later request goes.
    @Test func laterRequestsGoToTheAdoptedTarget() throws {
        var (state, target) = checking(importURL: ImportRegion.europe.baseURL)
        _ = WizardReducer.reduce(&state, .connected(target, try Fixtures.card()))
        #expect(state.target.importBaseURL == ImportRegion.europe.baseURL)
        let create = WizardReducer.reduce(&state, .key(.enter))
        #expect(create == [.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"), via: target)])
        for event: WizardEvent in [.sourceCreated(try Fixtures.source()), .tokenCreated(Fixtures.token), .key(.character("y"))] {
            _ = WizardReducer.reduce(&state, event)
        }
        // Editing the form later (it is not on screen now) cannot redirect batches.
        state.connectForm.importURL.text = "https://elsewhere.example.com"
        let send = WizardReducer.reduce(&state, .key(.control("s")))
        #expect(send == [.sendBatch(body: RecordEditor.tutorialBatch, token: Fixtures.token,
                                    importBaseURL: ImportRegion.europe.baseURL)])
    }

    @Test func theSandboxCheckFailingOffersARetry() {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = WizardReducer.reduce(&state, .connectFailed(Fixtures.sandboxTarget, field: .connectURL,
                                                        WizardFailure(message: "connection refused")))
        guard case .failure(let failure) = state.screen else { Issue.record("expected a failure screen"); return }
        #expect(failure.retry == [.connect(Fixtures.sandboxTarget, sourceType: "import_api")])
        #expect(WizardReducer.reduce(&state, .key(.character("r"))) == failure.retry)
        #expect(state.screen == .working(.fetchingSourceType("import_api")))
    }
}
