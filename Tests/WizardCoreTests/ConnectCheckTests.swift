import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Issue 11: Enter on the connect screen checks the values there, and a refusal is shown there.
struct ConnectCheckTests {
    private func form(_ state: WizardState) -> ConnectForm {
        state.on(ConnectScreen.self)?.form ?? ConnectForm(target: Fixtures.sandboxTarget)
    }

    private func typing(_ text: String, into state: inout WizardState) {
        for character in text { _ = WizardReducer.reduce(&state, .key(.character(character))) }
    }

    /// The remote connect screen with a token typed and Enter pressed: the check in flight.
    private func checking(importURL: String? = nil) -> (WizardState, WizardTarget) {
        var state = WizardState(target: Fixtures.remoteTarget)
        typing("ac_typed", into: &state)
        if let importURL, var screen = state.on(ConnectScreen.self) {
            screen.form.importURL.text = importURL
            state.screen = screen
        }
        let effects = WizardReducer.reduce(&state, .key(.enter))
        guard case .connect(let target, _)? = effects.first else {
            Issue.record("Enter asked for \(effects), not a check")
            return (state, Fixtures.remoteTarget)
        }
        return (state, target)
    }

    @Test func enterChecksAndStaysOnTheConnectScreen() {
        let (state, target) = checking()
        #expect(state.on(ConnectScreen.self) != nil)
        #expect(form(state).pending == target)
        #expect(state.target == Fixtures.remoteTarget, "nothing is adopted before the check passes")
    }

    @Test func aRefusalStaysOnTheConnectScreenWithTheReasonAtTheField() {
        var (state, target) = checking(importURL: "http://import.example.com")
        let failure = WizardFailure(message: "Refusing plain http:// for “http://import.example.com”: the token would travel unencrypted.")
        #expect(WizardReducer.reduce(&state, .reply(.connectFailed(target, field: .importURL, failure))).isEmpty)
        #expect(state.on(ConnectScreen.self) != nil, "no separate failure screen reached only by Esc")
        #expect(form(state).focus == .importURL)
        #expect(form(state).error?.contains("Refusing plain http://") == true)
        #expect(!form(state).isChecking)
        #expect(state.target == Fixtures.remoteTarget)
    }

    @Test func anHTTPRefusalShowsTheStatusAndTheHint() {
        var (state, target) = checking()
        let failure = WizardFailure(statusCode: 401, message: "Not Authorized", hint: "Check the Connect API token.")
        _ = WizardReducer.reduce(&state, .reply(.connectFailed(target, field: .token, failure)))
        #expect(form(state).error == "HTTP 401: Not Authorized. Check the Connect API token.")
        #expect(form(state).focus == .token)
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
        #expect(!form(state).isChecking)
        #expect(form(state).error?.contains("cancelled") == true)
        _ = WizardReducer.reduce(&state, .reply(.connected(target, try Fixtures.card())))
        #expect(state.on(ConnectScreen.self) != nil, "the cancelled check's answer does not move on")
        #expect(state.target == Fixtures.remoteTarget)
    }

    @Test func anAnswerForOtherValuesIsDropped() throws {
        var (state, _) = checking()
        let other = WizardTarget(connectBaseURL: "https://other.example.com", connectToken: "ac_other",
                                 importBaseURL: "https://other.example.com", isSandbox: false)
        _ = WizardReducer.reduce(&state, .reply(.connected(other, try Fixtures.card())))
        #expect(state.on(ConnectScreen.self) != nil)
        #expect(state.target == Fixtures.remoteTarget)
    }

    /// One source of truth: once adopted, the target in the state is where every later request goes.
    @Test func laterRequestsGoToTheAdoptedTarget() throws {
        var (state, target) = checking(importURL: ImportRegion.europe.baseURL)
        #expect(WizardReducer.reduce(&state, .reply(.connected(target, try Fixtures.card())))
                == [.fetchSourceTypes(via: target), .fetchSources(via: target)])
        #expect(state.target.importBaseURL == ImportRegion.europe.baseURL)
        state.send(.reply(.sourceTypes([try Fixtures.card()])), .reply(.sources([])), .key(.enter),
                   .reply(.sourceType(try Fixtures.card())))
        let create = state.send(.key(.enter))
        #expect(create == [.createSource(CreateSourceRequest(type: "import_api", displayName: "Import API"), via: target)])
        state.send(.reply(.source(try Fixtures.source())), .reply(.tokens(sourceID: 126890, TokenList(tokens: []))),
                   .reply(.token(Fixtures.token)), .key(.character("y")))
        let send = state.send(.key(.control("s")))
        #expect(send == [.sendPart(id: 1, EditorDocument.tutorial.batch, fromRow: 0, sequenceBase: nil, token: Fixtures.token,
                                   importBaseURL: ImportRegion.europe.baseURL)])
    }
}
