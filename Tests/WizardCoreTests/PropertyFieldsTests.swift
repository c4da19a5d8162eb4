import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Each kind of report-card property becomes the field that asks for it, checked by the rule the
/// sandbox applies (`PropertyRule`).
@Suite struct PropertyFieldsTests {
    static func property(_ name: String, _ schema: JSONValue?, required: Bool = false, credential: Bool = false,
                         type: String = "user_provided", provided: Bool? = nil) -> StepProperty {
        StepProperty(name: name, isRequired: required, isCredential: credential, systemProvided: type != "user_provided",
                     propertyType: type, jsonSchema: schema ?? .null, provided: provided)
    }

    static let hostSchema: JSONValue = ["type": "string", "anyOf": [["format": "hostname"], ["format": "ipv4"]]]

    @Test func textWithAPatternIsATextFieldThatSaysThePattern() throws {
        let field = try #require(PropertyFields.field(for: Self.property("filter", ["type": "string", "pattern": "^[a-z]+$"]))
            as? TextInputField)
        #expect(field.description == "Must match ^[a-z]+$")
        #expect(field.characters == .any)
    }

    @Test func integersTakeOnlyDigitsAsTyped() throws {
        var field = try #require(PropertyFields.field(for: Self.property("port", ["type": "integer"])) as? TextInputField)
        for key: Key in [.character("-"), .character("5"), .character("x"), .character("4"), .character("."), .character("-")] {
            _ = field.update(key)
        }
        #expect(field.text.text == "-54")
        #expect(field.hint == "a whole number")
        // A paste is taken whole, and the rule says what is wrong with it.
        _ = field.update(.paste("x"))
        #expect(field.validate() == "port must be an integer")
    }

    @Test(arguments: [["type": "boolean"], ["type": "string", "pattern": "^(true|false)$"]] as [JSONValue])
    func booleansAreAChoiceOfTrueOrFalse(schema: JSONValue) throws {
        let field = try #require(PropertyFields.field(for: Self.property("ssl", schema)) as? ChoiceField)
        #expect(field.options == ["true", "false"])
        #expect(field.value == nil, "an optional boolean is not answered until chosen")
    }

    @Test func closedListsAreChoicesInSchemaOrder() throws {
        let enumerated = try #require(PropertyFields.field(for: Self.property("mode", ["type": "string", "enum": ["full", "incremental"]]))
            as? ChoiceField)
        #expect(enumerated.options == ["full", "incremental"])
        let anyOf = try #require(PropertyFields.field(for: Self.property("region", ["anyOf": [["const": "us"], ["const": "eu"]]]))
            as? ChoiceField)
        #expect(anyOf.options == ["us", "eu"])
        let alternatives = try #require(PropertyFields.field(for: Self.property(
            "frequency_in_minutes", ["type": "string", "pattern": "^1$|^30$|^60$|^360$|^720$|^1440$"])) as? ChoiceField)
        #expect(alternatives.options == ["1", "30", "60", "360", "720", "1440"])
    }

    @Test func dateTimesShowAnExampleTheRuleAccepts() throws {
        let property = Self.property("anchor_time", ["type": "string", "format": "date-time"])
        let field = try #require(PropertyFields.field(for: property) as? TextInputField)
        #expect(field.text.placeholder == "e.g. \(PropertyRule.dateTimeExample)")
        #expect(field.hint?.contains(PropertyRule.dateTimeExample) == true)
        #expect(property.rule.accepts(PropertyRule.dateTimeExample))
        // A midnight-only pattern (start_date) accepts the example, so it gets it too.
        let startDate = try #require(PropertyFields.field(for: Self.property(
            "start_date", ["type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#])) as? TextInputField)
        #expect(startDate.text.placeholder == "e.g. \(PropertyRule.dateTimeExample)")
    }

    @Test func hostNamesSayWhatTheyTake() throws {
        let field = try #require(PropertyFields.field(for: Self.property("host", Self.hostSchema)) as? TextInputField)
        #expect(field.hint == "host name or IP address")
        #expect(field.text.placeholder == "e.g. db.example.com")
    }

    @Test func credentialsAreMaskedAndNeverWrittenBack() throws {
        var field = PropertyFields.field(for: Self.property("password", ["type": "string"], required: true, credential: true))
        #expect(field.isSecret)
        #expect(field.accessiblePrompt.isSecret)
        #expect(field.accept("s3cr3t-FAKE") == nil)
        #expect(field.value == "s3cr3t-FAKE")
        #expect(field.accessiblePrompt.question?.contains("s3cr3t-FAKE") == false)
        var frame = Frame(size: Size(columns: 30, rows: 1))
        field.view(into: &frame, at: Rect(x: 0, y: 0, width: 30, height: 1), focused: true)
        #expect(!frame.text.contains("s3cr3t"))
        #expect(frame.text.contains(String(repeating: "•", count: 11)))
    }

    @Test func aSavedCredentialMayBeLeftEmpty() {
        let field = PropertyFields.field(for: Self.property("api_key", ["type": "string"], required: true, credential: true,
                                                            provided: true))
        #expect(!field.isRequired)
        #expect(field.validate() == nil)
        #expect(field.value == nil, "nothing is sent, so the saved key stays")
        #expect(field.accessiblePrompt.question == "api_key (saved; empty keeps it): ")
    }

    @Test func requiredFieldsAreMarkedAndOptionalOnesSaySo() {
        let required = PropertyFields.field(for: Self.property("dbname", ["type": "string"], required: true))
        let optional = PropertyFields.field(for: Self.property("filter_dbs", ["type": "string"]))
        #expect(required.isRequired && !optional.isRequired)
        #expect(required.validate() == "dbname is required.")
        #expect(optional.validate() == nil)
        #expect(required.accessiblePrompt.question == "dbname: ")
        #expect(optional.accessiblePrompt.question == "filter_dbs (optional): ")
    }

    @Test func schemaDefaultsArePrefilled() throws {
        let text = try #require(PropertyFields.field(for: Self.property("itersize", ["type": "string", "default": "20000"]))
            as? TextInputField)
        #expect(text.value == "20000")
        let choice = try #require(PropertyFields.field(for: Self.property("ssl", ["type": "boolean", "default": true]))
            as? ChoiceField)
        #expect(choice.value == "true")
    }

    @Test(arguments: ["read_only", "system_provided_by_default"])
    func propertiesStitchSetsAreNotAsked(type: String) {
        #expect(PropertyFields.field(for: Self.property("image_version", nil, required: true, type: type)).isSkipped)
    }

    @Test func aSetOnceValueTheSourceHasIsNotAskedAgain() {
        #expect(!PropertyFields.field(for: Self.property("dbname", nil, type: "user_provided_immutable")).isSkipped)
        #expect(PropertyFields.field(for: Self.property("dbname", nil, type: "user_provided_immutable", provided: true)).isSkipped)
    }

    /// The field's message is the sandbox's rule's message, after the field's name.
    @Test func validationMessagesAreTheSandboxRules() {
        let cases: [(JSONValue, [String])] = [
            (["type": "integer"], ["5432", "54x", "1.5", "-1"]),
            (["type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#], ["2024-01-31T00:00:00Z", "2024-01-31"]),
            (["type": "string", "format": "date-time"], ["2024-01-31T10:00:00Z", "yesterday"]),
            (Self.hostSchema, ["db.example.com", "10.0.0.1", "not a host!"]),
            (["type": "string", "pattern": #"^\d+"#], ["100", "abc"]),
            (["type": "string", "minLength": 3], ["ab", "abc"]),
            (["type": "string", "enum": ["a", "b"]], ["a", "c"]),
            (["type": "string", "pattern": "^(true|false)$"], ["true", "yes"]),
        ]
        var refused = 0
        for (schema, values) in cases {
            let property = Self.property("field", schema, required: true)
            for value in values {
                var field = PropertyFields.field(for: property)
                let answer = field.accept(value)
                let expected = PropertyRule(property).problem(with: value).map { "field \($0.message)" }
                if let expected {
                    refused += 1
                    if field is ChoiceField {
                        // A choice adds how to answer it: by number or name.
                        #expect(answer?.hasPrefix(expected + "; answer with a number") == true, "\(value) against \(schema)")
                    } else {
                        #expect(answer == expected, "\(value) against \(schema)")
                    }
                } else {
                    #expect(answer == nil, "\(value) against \(schema)")
                    #expect(field.validate() == nil)
                }
            }
        }
        #expect(refused >= 8, "the cases must include refusals")
    }

    @Test func typedProblemsShowAsYouType() throws {
        var field = try #require(PropertyFields.field(for: Self.property("start_date", [
            "type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#], required: true)) as? TextInputField)
        for character in "2024-01-31" { _ = field.update(.character(character)) }
        #expect(field.validate() == #"start_date must match ^\d{4}-\d{2}-\d{2}T00:00:00Z$"#)
        for character in "T00:00:00Z" { _ = field.update(.character(character)) }
        #expect(field.validate() == nil)
    }
}

/// A typed credential stays out of descriptions and dumps of the form's state.
@Suite struct CredentialDumpTests {
    @Test func aFormsDumpLeavesOutTheCredential() {
        let secret = "ck_FAKE_dumped_secret"
        var field = PropertyFields.field(for: PropertyFieldsTests.property("api_key", ["type": "string"], credential: true))
        _ = field.accept(secret)
        let form = Form(fields: [field])
        var dumped = ""
        dump(form, to: &dumped)
        for text in [dumped, String(describing: field), String(reflecting: field), String(describing: form)] {
            #expect(!text.contains(secret))
        }
        #expect(dumped.contains("api_key"), "the dump still says which field it is")
    }

    @Test func anOrdinaryFieldIsDumpedWithItsText() {
        var field = PropertyFields.field(for: PropertyFieldsTests.property("dbname", ["type": "string"]))
        _ = field.accept("analytics")
        #expect(String(describing: field).contains("analytics"))
    }
}

/// A closed list too long for its row shows the chosen option, with ‹ and … for the rest.
@Suite struct ChoiceFieldViewTests {
    @Test func theChosenOptionStaysInView() {
        var field = ChoiceField(id: "frequency_in_minutes", label: "frequency_in_minutes", isRequired: false,
                                options: ["1", "30", "60", "360", "720", "1440"])
        for _ in 0..<6 { _ = field.update(.right) }
        #expect(field.value == "1440")
        var frame = Frame(size: Size(columns: 30, rows: 1))
        field.view(into: &frame, at: Rect(x: 0, y: 0, width: 30, height: 1), focused: true)
        #expect(frame.text.contains("(•) 1440"))
        #expect(frame.text.hasPrefix("‹ "))
        #expect(frame.cuts.isEmpty)
        _ = field.update(.backspace)
        #expect(field.value == nil, "an optional choice can be cleared")
    }
}
