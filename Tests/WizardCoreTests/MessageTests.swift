import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Issue 15: messages that said something untrue.
struct MessageTests {
    private func editorState() throws -> WizardState {
        var state = WizardState(target: Fixtures.sandboxTarget)
        for event: WizardEvent in [.sourceTypeLoaded(try Fixtures.card()), .key(.enter), .sourceCreated(try Fixtures.source()),
                                   .tokenCreated(Fixtures.token), .key(.character("y"))] {
            _ = WizardReducer.reduce(&state, event)
        }
        return state
    }

    @Test func aFailedSendCountsTheRecordsThatWereSent() throws {
        var state = try editorState()
        _ = WizardReducer.reduce(&state, .key(.control("s")))
        #expect(state.editor.inFlight == BatchInFlight(tableName: "customers", recordCount: 1))
        let failure = WizardFailure(message: "Could not connect to 127.0.0.1:9 — is the server running? (connection refused)")
        _ = WizardReducer.reduce(&state, .failed(.sendBatch, failure))
        let outcome = try #require(state.editor.history.last)
        #expect(outcome.recordCount == 1)
        #expect(outcome.tableName == "customers")
        #expect(outcome.statusCode == nil)
        #expect(!state.editor.isSending)
    }

    @Test func aFailedSendReportsTheBatchThatLeftNotTheEditedText() throws {
        var state = try editorState()
        _ = WizardReducer.reduce(&state, .key(.control("s")))
        state.editor.text = TextArea(text: "{ not json")  // edited while the request was in flight
        _ = WizardReducer.reduce(&state, .failed(.sendBatch, WizardFailure(message: "timed out")))
        #expect(state.editor.history.last?.recordCount == 1)
        #expect(state.editor.history.last?.tableName == "customers")
    }

    @Test func aNonLatinDisplayNameIsToldWhatItWouldBecomeAndWhy() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = WizardReducer.reduce(&state, .sourceTypeLoaded(try Fixtures.card()))
        _ = WizardReducer.reduce(&state, .key(.control("u")))
        _ = WizardReducer.reduce(&state, .key(.paste("日本語ソース")))
        #expect(WizardReducer.reduce(&state, .key(.enter)).isEmpty)
        let error = try #require(state.displayNameForm.error)
        #expect(!error.contains("needs at least one letter or digit"), "日本語ソース has letters")
        #expect(error.contains("would be empty"))
        #expect(error.contains("日本語ソース"))
        #expect(error.contains("a-z, 0-9, _ and $"))
    }

    @Test func aDisplayNameStartingWithADigitNamesTheSchemaName() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = WizardReducer.reduce(&state, .sourceTypeLoaded(try Fixtures.card()))
        state.displayNameForm.field.text = "2024 orders"
        #expect(state.displayNameForm.problem?.contains("“2024_orders”") == true)
    }
}
