import StitchAPI
import Testing
@testable import WizardCore

/// The line mode heads a form as the screen does (found by the line-mode screenshot, which read
/// "Create a import_api source").
struct FormLinePromptTitleTests {
    @Test func theLineModeHeadsANewSourcesFormAsTheScreenDoes() throws {
        let state = try Reach.form()
        let screen = try #require(state.on(FormScreen.self))
        #expect(screen.linePrompt(in: state.session).lines.first == "Create the Import API source")
    }

    @Test func anExistingSourceIsConfiguredByItsDisplayName() throws {
        let state = try Reach.form()
        let source = try Fixtures.source()
        let screen = FormScreen(card: try Fixtures.card(), source: source, session: state.session)
        #expect(screen.linePrompt(in: state.session).lines.first == "Configure \(source.displayName ?? source.name)")
    }
}
