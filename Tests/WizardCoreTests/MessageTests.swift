import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Issue 15: messages that said something untrue.
struct MessageTests {
    private func editorState() throws -> WizardState { try Reach.editor() }

    @Test func aFailedSendCountsTheRecordsThatWereSent() throws {
        var state = try editorState()
        let effects = WizardReducer.reduce(&state, .key(.control("s")))
        #expect(try Editing.editor(state).history.isSending)
        let failure = "Could not connect to 127.0.0.1:9 — is the server running? (connection refused)"
        _ = WizardReducer.reduce(&state, try Editing.reply(to: effects, status: nil, body: failure))
        let entry = try #require(try Editing.editor(state).history.entries.last)
        #expect(entry.part.recordCount == 1)
        #expect(entry.part.tableName == "customers")
        #expect(entry.part.statusCode == nil)
        #expect(try !Editing.editor(state).history.isSending)
    }

    @Test func aFailedSendReportsTheBatchThatLeftNotTheEditedOne() throws {
        var state = try editorState()
        let effects = WizardReducer.reduce(&state, .key(.control("s")))
        _ = WizardReducer.reduce(&state, .key(.character("x")))  // the row deleted while the request was in flight
        #expect(try Editing.editor(state).document.batch.rowCount == 0)
        _ = WizardReducer.reduce(&state, try Editing.reply(to: effects, status: nil, body: "timed out"))
        let entry = try #require(try Editing.editor(state).history.entries.last)
        #expect(entry.part.recordCount == 1)
        #expect(entry.batch == EditorDocument.tutorial.batch)
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
