import StitchAPI
import Testing
@testable import WizardCore

/// The same form in the accessible line mode: one prompt per field that starts with the label
/// and ends with ": ", answered with a line.
@Suite struct FormLineModeTests {
    static func property(_ name: String, _ schema: JSONValue?, required: Bool = false, credential: Bool = false)
        -> StepProperty {
        PropertyFieldsTests.property(name, schema, required: required, credential: credential)
    }

    static let card = ReportCard(type: "platform.closeio", currentStep: 1, steps: [
        ConnectionStep(type: .form, properties: [
            property("api_key", ["type": "string"], required: true, credential: true),
            property("frequency_in_minutes", ["type": "string", "pattern": "^1$|^30$|^60$|^360$|^720$|^1440$"]),
            property("itersize", ["type": "string", "pattern": #"^\d+"#, "default": "20000"]),
            property("port", ["type": "integer"], required: true),
            property("anchor_time", ["type": "string", "format": "date-time"]),
        ]),
        ConnectionStep(type: .discoverSchema),
    ])

    static func creating() -> WizardState {
        var state = WizardState(target: Fixtures.sandboxTarget, start: .newSource(type: card.type))
        _ = state.start()
        state.send(.reply(.sourceType(card)))
        return state
    }

    static func prompt(_ state: WizardState) -> LinePrompt? { state.screen.linePrompt(in: state.session) }

    @Test func eachPromptStartsWithTheLabelAndEndsWithAColon() throws {
        var state = Self.creating()
        var questions: [String] = []
        for answer in ["Close CRM", "ck_FAKE", "", "", "5432", ""] {
            let question = try #require(Self.prompt(state)?.question)
            questions.append(question)
            state.send(.line(answer))
        }
        #expect(questions == [
            "Display name: ",
            "api_key: ",
            "frequency_in_minutes (number or name) (optional): ",
            "itersize (optional) [20000]: ",
            "port (a whole number): ",
            "anchor_time (date-time, e.g. \(PropertyRule.dateTimeExample)) (optional): ",
        ])
        for question in questions { #expect(question.hasSuffix(": ") && !question.hasPrefix(" ")) }
    }

    @Test func emptyAnswersTakeTheDefaultOrSkipAnOptionalField() throws {
        var state = Self.creating()
        let effects = ["Close CRM", "ck_FAKE", "", "", "5432", ""].flatMap { state.send(.line($0)) }
        #expect(effects == [.createSource(CreateSourceRequest(type: "platform.closeio", displayName: "Close CRM", properties: [
            "api_key": "ck_FAKE", "itersize": "20000", "port": "5432",
        ]), via: Fixtures.sandboxTarget)])
    }

    @Test func choicesAreNumberedAndAnsweredByNumberOrName() throws {
        var state = Self.creating()
        state.send(.line("Close CRM"), .line("ck_FAKE"))
        let prompt = try #require(Self.prompt(state))
        #expect(prompt.options == ["1", "30", "60", "360", "720", "1440"])
        state.send(.line("7"))
        #expect(Self.prompt(state)?.lines.last?.hasPrefix("Error: frequency_in_minutes must match ") == true)
        #expect(Self.prompt(state)?.lines.last?.hasSuffix("answer with a number from 1 to 6 or one of: 1, 30, 60, 360, 720, 1440.") == true)
        state.send(.line("30"))
        #expect(state.on(FormScreen.self)?.form.field(id: "frequency_in_minutes")?.value == "30", "a name first")
        var byNumber = Self.creating()
        byNumber.send(.line("Close CRM"), .line("ck_FAKE"), .line("4"))
        #expect(byNumber.on(FormScreen.self)?.form.field(id: "frequency_in_minutes")?.value == "360")
    }

    @Test func aRefusedAnswerSaysTheRuleAndAsksAgain() throws {
        var state = Self.creating()
        state.send(.line("Close CRM"), .line("ck_FAKE"), .line(""), .line(""), .line("54x"))
        let prompt = try #require(Self.prompt(state))
        let expected = try #require(Self.property("port", ["type": "integer"]).problem(with: "54x"))
        #expect(prompt.lines.contains("Error: port \(expected.message)"))
        #expect(prompt.question == "port (a whole number): ")
        state.send(.line(""))
        #expect(Self.prompt(state)?.lines.contains("Error: port is required.") == true)
    }

    @Test func secretsAreFlaggedAndNeverWrittenBack() throws {
        var state = Self.creating()
        state.send(.line("Close CRM"))
        #expect(Self.prompt(state)?.isSecret == true)
        state.send(.line("ck_FAKE_line_secret"), .line(""), .line(""), .line("bad"))
        // Back at a prompt after a refusal: nothing printed holds the secret.
        let prompt = try #require(Self.prompt(state))
        let printed = (prompt.lines + prompt.options + [prompt.question ?? ""]).joined(separator: "\n")
        #expect(!printed.contains("ck_FAKE_line_secret"))
        #expect(prompt.isSecret == false)
    }
}
