import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Issue 15: messages that said something untrue.
struct MessageTests {
    private func editorState() throws -> WizardState { try Reach.editor() }

    private func editor(_ state: WizardState) throws -> RecordEditor { try #require(state.on(EditorScreen.self)).editor }

    @Test func aFailedSendCountsTheRecordsThatWereSent() throws {
        var state = try editorState()
        _ = WizardReducer.reduce(&state, .key(.control("s")))
        #expect(try editor(state).inFlight == BatchInFlight(tableName: "customers", recordCount: 1))
        let failure = WizardFailure(message: "Could not connect to 127.0.0.1:9 — is the server running? (connection refused)")
        _ = WizardReducer.reduce(&state, .reply(.failed(.sendBatch, failure)))
        let outcome = try #require(try editor(state).history.last)
        #expect(outcome.recordCount == 1)
        #expect(outcome.tableName == "customers")
        #expect(outcome.statusCode == nil)
        #expect(try !editor(state).isSending)
    }

    @Test func aFailedSendReportsTheBatchThatLeftNotTheEditedText() throws {
        var state = try editorState()
        _ = WizardReducer.reduce(&state, .key(.control("s")))
        var screen = try #require(state.on(EditorScreen.self))
        screen.editor.text = TextArea(text: "{ not json")  // edited while the request was in flight
        state.screen = screen
        _ = WizardReducer.reduce(&state, .reply(.failed(.sendBatch, WizardFailure(message: "timed out"))))
        #expect(try editor(state).history.last?.recordCount == 1)
        #expect(try editor(state).history.last?.tableName == "customers")
    }

    @Test func aNonLatinDisplayNameIsToldWhatItWouldBecomeAndWhy() throws {
        var state = try Reach.form()
        _ = WizardReducer.reduce(&state, .key(.control("u")))
        _ = WizardReducer.reduce(&state, .key(.paste("日本語ソース")))
        #expect(WizardReducer.reduce(&state, .key(.enter)).isEmpty)
        let error = try #require(state.on(FormScreen.self)?.form.error)
        #expect(!error.contains("needs at least one letter or digit"), "日本語ソース has letters")
        #expect(error.contains("would be empty"))
        #expect(error.contains("日本語ソース"))
        #expect(error.contains("a-z, 0-9, _ and $"))
    }

    @Test func aDisplayNameStartingWithADigitNamesTheSchemaName() throws {
        var state = try Reach.form()
        _ = WizardReducer.reduce(&state, .key(.control("u")))
        state.type("2024 orders")
        #expect(state.on(FormScreen.self)?.form.focused?.validate()?.contains("“2024_orders”") == true)
    }
}
