import Foundation
import Testing
import TerminalUI
import WizardCore
@testable import WizardViews

/// The forms of the sandbox's four source types at the wide size too (80×24 and 60×20 come with
/// `Scenarios.all`), and the promise that a credential typed into a form is never drawn.
struct FormScreenGoldenTests {
    static let wide = Size(columns: 120, rows: 32)

    @Test(arguments: Scenarios.formScenarios.map(\.name))
    func formAt120x32(name: String) throws {
        let state = try #require(Scenarios.formScenarios.first { $0.name == name }).state
        Golden.assert(WizardView.render(state, size: Self.wide), named: name + "-120x32")
    }

    /// Every credential value a scenario typed: the declared ones, and any secret field's value
    /// still held by a scenario's form (so a new scenario with a new secret is covered too).
    static var credentials: Set<String> {
        var values = Set(Scenarios.typedCredentials)
        for (_, state) in Scenarios.all {
            guard let form = state.screen as? FormScreen else { continue }
            for field in form.form.fields where field.isSecret {
                if let value = field.value { values.insert(value) }
            }
        }
        return values
    }

    @Test func theCredentialsTypedInScenariosAreHeldByTheirForms() {
        // Otherwise the check below would pass by having nothing to look for.
        let held = Set(Scenarios.all.compactMap { $0.state.screen as? FormScreen }
            .flatMap { $0.form.fields.filter(\.isSecret).compactMap(\.value) })
        for credential in Scenarios.typedCredentials {
            #expect(held.contains(credential), "no scenario's form holds \(credential.count) typed characters")
        }
    }

    @Test func noCredentialAppearsInAnyFrameOrGolden() throws {
        let credentials = Self.credentials
        #expect(!credentials.isEmpty)
        for (name, state) in Scenarios.all {
            for size in [Size(columns: 60, rows: 20), Size(columns: 80, rows: 24), Self.wide] {
                let frame = WizardView.render(state, size: size)
                for credential in credentials {
                    #expect(!frame.text.contains(credential), "\(name) at \(size) shows a credential")
                    #expect(!frame.ansiText.contains(credential), "\(name) at \(size) holds a credential in its styles")
                }
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Golden.directory.path)
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: Golden.directory.appendingPathComponent(file), encoding: .utf8)
            for credential in credentials {
                #expect(!text.contains(credential), "\(file) holds a credential")
            }
        }
    }

    @Test func aMaskedCredentialShowsOneDotPerCharacter() throws {
        let state = try #require(Scenarios.formScenarios.first { $0.name == "form-closeio" }).state
        let dots = String(repeating: "•", count: Scenarios.typedCredentials[0].count)
        #expect(WizardView.render(state, size: Size(columns: 80, rows: 24)).text.contains(dots))
    }
}
