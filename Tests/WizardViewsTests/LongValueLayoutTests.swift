import StitchAPI
import Testing
import TerminalUI
import WizardCore
@testable import WizardViews

/// Values far longer than any screen (a 20,000-character paste, found by the monkey with seeds
/// 5958436909226332720 and 6910490190064722405): the frame keeps its title bar and help bar, and a
/// message about the value quotes an excerpt, not the whole value.
struct LongValueLayoutTests {
    static let pasted = String(repeating: "Pasted Name ", count: 1_700)

    static func displayNameScreen(with value: String) -> WizardState {
        // Enter submits: the field's problem is shown in full under it.
        Scenarios.reduce(Scenarios.creating(SandboxCards.importAPI), [.key(.paste(value)), .key(.enter)])
    }

    @Test(arguments: [Size(columns: 80, rows: 24), Size(columns: 60, rows: 20), Size(columns: 120, rows: 32)])
    func aPastedDisplayNameKeepsTheTitleAndHelpBars(size: Size) throws {
        let state = Self.displayNameScreen(with: Self.pasted)
        let lines = WizardView.render(state, size: size).text.split(separator: "\n", omittingEmptySubsequences: false)
        let empty = WizardView.render(Scenarios.creating(SandboxCards.importAPI), size: size).text
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == size.rows)
        #expect(lines.first == empty.first, "the title bar stays on the first line:\n\(lines.joined(separator: "\n"))")
        #expect(lines.last == empty.last, "the help bar stays on the last line")
    }

    /// The form's own message (here the API's refusal, which may quote what was sent) gets at most
    /// a quarter of the screen.
    @Test(arguments: [Size(columns: 80, rows: 24), Size(columns: 60, rows: 20)])
    func aLongRefusalKeepsTheTitleAndHelpBars(size: Size) throws {
        let refusal = String(repeating: "the server quotes what it was sent ", count: 300)
        let state = Scenarios.reduce(Scenarios.creating(SandboxCards.importAPI), Scenarios.typing("Shop") + [
            .key(.enter),
            .reply(.failed(.createSource, WizardFailure(statusCode: 400, code: "BadRequest", message: refusal))),
        ])
        let lines = WizardView.render(state, size: size).text.split(separator: "\n", omittingEmptySubsequences: false)
        let empty = WizardView.render(Scenarios.creating(SandboxCards.importAPI), size: size).text
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == empty.first, "the title bar stays on the first line:\n\(lines.joined(separator: "\n"))")
        #expect(lines.last == empty.last, "the help bar stays on the last line")
        #expect(lines.contains { $0.contains("the server quotes") }, "the refusal is shown")
        #expect(lines.contains { $0.contains("Shop") }, "the field stays in view")
    }

    @Test func theSchemaNameMessageQuotesAnExcerpt() {
        let problem = SourceName.problem(withDisplayName: Self.pasted)
        let message = problem.map { "\($0)" } ?? ""
        #expect(message.contains("must be under 50"), "\(message.prefix(200))")
        #expect(message.count < 300, "the message is \(message.count) characters long")
    }
}
