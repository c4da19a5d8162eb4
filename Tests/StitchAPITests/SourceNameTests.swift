import Foundation
import StitchAPI
import Testing

@Suite struct SourceNameTests {
    /// Documented pairs, spec §2.6.
    @Test(arguments: [
        ("Import API", "import_api"),
        ("Recurly Stitch", "recurly_stitch"),
        ("Recurly", "recurly"),
        ("GitHub", "github"),
        ("Import API tokens example", "import_api_tokens_example"),
        ("Shopify", "shopify"),
        ("DISPLAY_NAME!!!", "display_name"),
    ])
    func documentedExamples(displayName: String, name: String) {
        #expect(SourceName.derive(fromDisplayName: displayName) == name)
        #expect(SourceName.problem(with: name) == nil)
    }

    @Test func unusableDisplayNameDerivesEmptyAndHasAProblem() {
        let name = SourceName.derive(fromDisplayName: "####")
        #expect(name == "")
        #expect(SourceName.problem(with: name) == .empty)
    }

    @Test func problems() {
        #expect(SourceName.problem(with: "1password") == .badFirstCharacter)
        #expect(SourceName.problem(with: "$money") == .badFirstCharacter)
        #expect(SourceName.problem(with: "_private") == nil)
        #expect(SourceName.problem(with: "a$b_9") == nil)
        #expect(SourceName.problem(with: "Upper") == .badFirstCharacter)
        #expect(SourceName.problem(with: "a-b") == .badCharacters)
        #expect(SourceName.problem(with: "aB") == .badCharacters)
        #expect(SourceName.problem(with: String(repeating: "a", count: 49)) == nil)
        #expect(SourceName.problem(with: String(repeating: "a", count: 50)) == .tooLong(50))
    }

    @Test func problemsExplainThemselves() {
        #expect(NameProblem.tooLong(50).description.contains("50"))
        #expect(!NameProblem.empty.description.isEmpty)
    }
}

@Suite struct ReportCardTests {
    static func card(currentStep: Int, currentStepType: String? = nil) throws -> ReportCard {
        let typeMember = currentStepType.map { #","current_step_type":"\#($0)""# } ?? ""
        let text = #"{"type":"import_api","current_step":\#(currentStep)\#(typeMember),"steps":[{"type":"form","properties":[]},{"type":"fully_configured","properties":[]}]}"#
        return try JSONDecoder().decode(ReportCard.self, from: Data(text.utf8))
    }

    @Test func currentStepIsOneBased() throws {
        #expect(try Self.card(currentStep: 1).current?.type == .form)
        #expect(try Self.card(currentStep: 2).current?.type == .fullyConfigured)
        #expect(try Self.card(currentStep: 0).current == nil)
        #expect(try Self.card(currentStep: 3).current == nil)
    }

    @Test func effectiveStepTypeFallsBackToSteps() throws {
        #expect(try Self.card(currentStep: 2).currentStepType == nil)
        #expect(try Self.card(currentStep: 2).effectiveStepType == .fullyConfigured)
        #expect(try Self.card(currentStep: 1).effectiveStepType == .form)
        #expect(try Self.card(currentStep: 9).effectiveStepType == nil)
        // The explicit field wins when present.
        #expect(try Self.card(currentStep: 1, currentStepType: "fully_configured").effectiveStepType == .fullyConfigured)
    }

    @Test func memberwiseInitDerivesTheStepType() {
        let card = ReportCard(type: "import_api", currentStep: 2, steps: [.init(type: .form), .init(type: .fullyConfigured)])
        #expect(card.currentStepType == .fullyConfigured)
    }

    @Test func unknownStepTypesAreKept() throws {
        let card = try Self.card(currentStep: 1, currentStepType: "teleport")
        #expect(card.currentStepType == .other("teleport"))
        #expect(StepType(rawValue: "teleport").rawValue == "teleport")
        let encoded = try JSONParser.parse(JSONEncoder().encode(card))
        #expect(encoded["current_step_type"] == "teleport")
    }

    @Test(arguments: ["form", "oauth", "profile", "discover_schema", "field_selection", "fully_configured"])
    func knownStepTypesRoundTrip(raw: String) {
        let type = StepType(rawValue: raw)
        #expect(type.rawValue == raw)
        if case .other = type { Issue.record("\(raw) must be a known step type") }
    }

    @Test func sourceTypeListDecodes() throws {
        let cards = try Fixture.decode([ReportCard].self, "connect/source-types.json")
        #expect(cards.map(\.type) == ["import_api", "platform.marketo"])
        #expect(cards[0].details?.imageVersion == "0.latest")
        #expect(cards[0].effectiveStepType == .fullyConfigured)
        let marketo = cards[1]
        #expect(marketo.details?.access == false)
        #expect(marketo.details?.defaultStartDate == nil)
        #expect(marketo.steps.map(\.type) == [.form, .oauth, .discoverSchema, .fieldSelection, .other("teleport"),
                                               .fullyConfigured])
        let startDate = try #require(marketo.steps.first?.properties.first)
        #expect(startDate.name == "start_date")
        #expect(startDate.isRequired == true)
        #expect(startDate.isCredential == false)
        #expect(startDate.propertyType == "user_provided")
        #expect(startDate.jsonSchema?["format"] == "date-time")
        #expect(startDate.jsonSchema?["pattern"] == #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#)
    }
}
