import Testing
import TerminalUI
import WizardCore
@testable import WizardViews

/// The oauth, discover_schema and field_selection screens beyond their goldens.
struct StepScreenViewTests {
    /// At 80 columns the help bar drops nothing: every key these screens bind is on it.
    @Test(arguments: Scenarios.stepScenarios.map(\.name))
    func theHelpBarListsEveryKeyAt80Columns(name: String) throws {
        let state = try #require(Scenarios.stepScenarios.first { $0.name == name }).state
        let bar = WizardView.render(state, size: Size(columns: 80, rows: 24)).lines[23]
        #expect(!bar.contains("…"), "the bar was shortened: \(bar)")
        for help in HelpBar.bindings(for: state) {
            #expect(bar.contains("\(help.key) \(help.action)"), "\(help.key) is missing from \(bar)")
        }
    }

    @Test func theDiscoveryClockShowsTheTimeBetweenReplies() throws {
        let state = try #require(Scenarios.stepScenarios.first { $0.name == "discover-postgres" }).state
        #expect(WizardView.render(state, size: Size(columns: 80, rows: 24)).text.contains("Elapsed: 1m 12s"))
    }
}
