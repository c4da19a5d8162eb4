import StitchAPI
import Testing
@testable import WizardCore

/// A property form submits: creating (`POST /v4/sources` with `properties`) or updating an
/// existing source (`PUT /v4/sources/{id}`), a 400 shown next to the field it names, then a
/// route on the reply's report card.
@Suite struct FormSubmitTests {
    static func property(_ name: String, _ schema: JSONValue?, required: Bool = false, credential: Bool = false,
                         type: String = "user_provided", provided: Bool? = nil) -> StepProperty {
        PropertyFieldsTests.property(name, schema, required: required, credential: credential, type: type, provided: provided)
    }

    /// A database form shaped like the sandbox's `platform.postgres` (its required properties).
    static let properties = [
        property("cron_expression", nil),
        property("dbname", ["type": "string"], required: true),
        property("host", PropertyFieldsTests.hostSchema, required: true),
        property("image_version", nil, required: true, type: "read_only"),
        property("password", ["type": "string"], required: true, credential: true),
        property("port", ["type": "integer"], required: true),
        property("ssl", ["type": "string", "pattern": "^(true|false)$"]),
        property("user", ["type": "string"], required: true),
    ]

    static func card(currentStep: Int = 1, properties: [StepProperty] = properties) -> ReportCard {
        ReportCard(type: "platform.postgres", currentStep: currentStep, steps: [
            ConnectionStep(type: .form, properties: properties), ConnectionStep(type: .discoverSchema),
            ConnectionStep(type: .fieldSelection), ConnectionStep(type: .fullyConfigured),
        ])
    }

    static func source(card: ReportCard, properties: JSONObject = JSONObject()) -> Source {
        Source(id: 41, type: "platform.postgres", displayName: "Warehouse", name: "warehouse", properties: properties,
               reportCard: card, stitchClientID: 116078, createdAt: "2020-01-02T15:49:27Z", updatedAt: "2020-01-02T15:49:27Z")
    }

    static func creating() -> WizardState {
        var state = WizardState(target: Fixtures.sandboxTarget, start: .newSource(type: "platform.postgres"))
        _ = state.start()
        state.send(.reply(.sourceType(card())))
        return state
    }

    /// `--source 41`, the source still at its form step.
    static func continuing(_ source: Source) -> WizardState {
        var state = WizardState(target: Fixtures.sandboxTarget, start: .existingSource(id: source.id))
        _ = state.start()
        state.send(.reply(.source(source)))
        return state
    }

    /// Fills the asked fields in order; nil leaves a field as it is.
    static func fill(_ state: inout WizardState, _ answers: [String?]) {
        for answer in answers {
            if let answer {
                state.send(.key(.control("u")))
                if state.on(FormScreen.self)?.form.focused is ChoiceField {
                    for _ in 0..<10 where state.on(FormScreen.self)?.form.focused?.value != answer { state.send(.key(.right)) }
                } else {
                    state.type(answer)
                }
            }
            state.send(.key(.enter))
        }
    }

    @Test func creatingSendsTheDisplayNameAndTheAnsweredProperties() throws {
        var state = Self.creating()
        let form = try #require(state.on(FormScreen.self))
        #expect(form.form.asked.map { form.form.fields[$0].id }
            == ["display_name", "cron_expression", "dbname", "host", "password", "port", "ssl", "user"])
        state.type("Warehouse")
        Self.fill(&state, [nil, nil, "analytics", "db.example.com", "pg-FAKE", "5432", "true"])
        state.type("etl")
        let effects = state.send(.key(.enter))
        #expect(effects == [.createSource(CreateSourceRequest(type: "platform.postgres", displayName: "Warehouse", properties: [
            "dbname": "analytics", "host": "db.example.com", "password": "pg-FAKE", "port": "5432", "ssl": "true", "user": "etl",
        ]), via: Fixtures.sandboxTarget)])
        #expect(state.on(FormScreen.self)?.isSubmitting == true)
    }

    @Test func aFieldThatBreaksItsRuleStopsTheSubmitWithTheRulesMessage() throws {
        var state = Self.creating()
        state.send(.key(.control("u")))
        state.type("Warehouse")
        Self.fill(&state, [nil, nil, "analytics", "db.example.com", "pg-FAKE"])
        state.send(.key(.paste("54x")))
        #expect(state.on(FormScreen.self)?.form.focused?.validate() == "port must be an integer", "shown as typed")
        Self.fill(&state, [nil, nil])
        state.type("etl")
        #expect(state.send(.key(.enter)).isEmpty)
        let form = try #require(state.on(FormScreen.self))
        #expect(form.form.error == "port must be an integer")
        #expect(form.form.focused?.id == "port")
    }

    @Test func anExistingSourceAtItsFormIsUpdatedWithItsValuesPrefilled() throws {
        let card = Self.card(properties: Self.properties.map { property in
            var property = property
            if ["dbname", "password"].contains(property.name) { property.provided = true }
            return property
        })
        let source = Self.source(card: card, properties: JSONObject([("dbname", .string("analytics")), ("port", .integer(5432))]))
        var state = Self.continuing(source)
        let form = try #require(state.on(FormScreen.self))
        #expect(!form.isCreating)
        #expect(form.form.field(id: "display_name") == nil, "a source's display name is not asked again")
        #expect(form.form.field(id: "dbname")?.value == "analytics")
        #expect(form.form.field(id: "port")?.value == "5432")
        #expect(form.form.field(id: "password")?.isRequired == false, "the saved password may stay")
        Self.fill(&state, [nil, nil, "db.example.com", nil, nil, nil])
        state.type("etl")
        let effects = state.send(.key(.enter))
        #expect(effects == [.updateSource(id: 41, UpdateSourceRequest(properties: [
            "dbname": "analytics", "host": "db.example.com", "port": "5432", "user": "etl",
        ]), via: Fixtures.sandboxTarget)])
        let saved = Self.source(card: Self.card(currentStep: 2))
        state.send(.reply(.source(saved)))
        #expect(state.on(FormScreen.self) == nil, "the reply's card (discover_schema) is routed on")
        #expect(state.session.summary.entries.contains(.sourceUpdated(id: 41, type: "platform.postgres", schema: "warehouse")))
    }

    @Test func aCreatedSourceWhoseCardStaysAtTheFormIsUpdatedNext() throws {
        var state = Self.creating()
        let created = Self.source(card: Self.card())
        state.send(.key(.control("u")))
        state.type("Warehouse")
        Self.fill(&state, [nil, nil, "analytics", "db.example.com", "pg-FAKE", "5432", nil])
        state.type("etl")
        state.send(.key(.enter), .reply(.source(created)))
        let form = try #require(state.on(FormScreen.self))
        #expect(!form.isCreating, "the next submit updates source 41 instead of creating another")
        #expect(form.source?.id == 41)
    }

    /// Each asked property, named by an `InvalidProperties` 400, gets the refusal next to it.
    @Test(arguments: ["cron_expression", "dbname", "host", "password", "port", "ssl", "user"])
    func aRefusalGoesNextToTheFieldItNames(name: String) throws {
        var state = Self.creating()
        state.send(.key(.control("u")))
        state.type("Warehouse")
        Self.fill(&state, [nil, nil, "analytics", "db.example.com", "pg-FAKE", "5432", nil])
        state.type("etl")
        #expect(!state.send(.key(.enter)).isEmpty)
        state.send(.reply(.failed(.createSource, WizardFailure(statusCode: 400, code: "InvalidProperties",
                                                              message: "properties do not match schema", badProperties: [name]))))
        let form = try #require(state.on(FormScreen.self))
        #expect(!form.isSubmitting)
        #expect(form.form.fieldErrors == [name: "properties do not match schema"])
        #expect(form.form.focused?.id == name)
        #expect(form.form.error == nil)
    }

    @Test func refusalsOfSeveralFieldsFocusTheFirstAndNamesTheFormDoesNotAskGoUnderIt() throws {
        var form = FormScreen(card: Self.card(), source: nil, session: WizardSession(target: Fixtures.sandboxTarget))
        form.isSubmitting = true
        _ = form.receive(.failed(.createSource, WizardFailure(statusCode: 400, code: "InvalidProperties", message: "bad",
                                                             badProperties: ["user", "host", "image_version"])),
                         in: WizardSession(target: Fixtures.sandboxTarget))
        #expect(form.form.fieldErrors == ["user": "bad", "host": "bad"])
        #expect(form.form.focused?.id == "host")
        #expect(form.form.error == "Stitch also refused image_version, which this form does not ask for: bad")
    }

    @Test func aCronRefusalGoesToItsFieldAndOtherErrorsUnderTheForm() throws {
        let session = WizardSession(target: Fixtures.sandboxTarget)
        var form = FormScreen(card: Self.card(), source: nil, session: session)
        form.isSubmitting = true
        _ = form.receive(.failed(.createSource, WizardFailure(statusCode: 400, code: "InvalidCronExpression",
                                                             message: "cron_expression \"x\" is invalid")), in: session)
        #expect(form.form.fieldErrors["cron_expression"] == "cron_expression \"x\" is invalid")
        form.isSubmitting = true
        _ = form.receive(.failed(.createSource, WizardFailure(statusCode: 400, code: "InvalidProperties",
                                                             message: "properties do not match schema")), in: session)
        #expect(form.form.error == "HTTP 400: properties do not match schema")
    }
}
