import Foundation
import StitchAPI
import StitchSandbox
import TerminalUI
import Testing
import WizardCore
@testable import WizardRuntime

/// The property form against a real sandbox over loopback: `platform.postgres`'s card (a form
/// step with required properties) created, continued with `--source` and updated by `PUT`, and a
/// value the sandbox refuses shown next to its field.
struct FormAgainstSandboxTests {
    let runner = EffectRunner(checkTimeout: .seconds(5))

    func withSandbox(_ body: (WizardTarget) async throws -> Void) async throws {
        try await withInProcessSandbox("form") { _, target, _ in try await body(target) }
    }

    /// Runs `effects` and feeds each reply back, until nothing is left (polls are not followed).
    func settle(_ state: inout WizardState, _ effects: [WizardEffect]) async {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            if case .after = effect { continue }
            guard let event = await runner.run(effect) else { continue }
            pending += WizardReducer.reduce(&state, event)
        }
    }

    func send(_ state: inout WizardState, _ keys: [Key]) async {
        for key in keys { await settle(&state, WizardReducer.reduce(&state, .key(key))) }
    }

    func keys(_ text: String) -> [Key] { text.map(Key.character) }

    /// Answers the asked fields by id, in the form's order; Enter after each.
    func fill(_ state: inout WizardState, _ answers: [String: String]) async throws {
        let form = try #require(state.screen as? FormScreen)
        for index in form.form.asked {
            let field = form.form.fields[index]
            if let answer = answers[field.id] {
                if field is ChoiceField {
                    for _ in 0..<4 where (state.screen as? FormScreen)?.form.focused?.value != answer {
                        await send(&state, [.right])
                    }
                } else {
                    await send(&state, keys(answer))
                }
            }
            await send(&state, [.enter])
        }
    }

    @Test func theSandboxsPostgresCardGivesOneFieldPerAskedProperty() async throws {
        try await withSandbox { target in
            guard case .reply(.sourceType(let card)) = await runner.run(.fetchSourceType("platform.postgres", via: target)) else {
                Issue.record("expected the card"); return
            }
            let form = FormScreen(card: card, source: nil, session: WizardSession(target: target)).form
            #expect(form.field(id: "image_version")?.isSkipped == true, "read-only")
            #expect(form.field(id: "password")?.isSecret == true)
            #expect((form.field(id: "port") as? TextInputField)?.characters == .integer)
            #expect((form.field(id: "ssl") as? ChoiceField)?.options == ["true", "false"])
            #expect((form.field(id: "frequency_in_minutes") as? ChoiceField)?.options == ["1", "30", "60", "360", "720", "1440"])
            #expect((form.field(id: "host") as? TextInputField)?.hint == "host name or IP address")
            #expect((form.field(id: "anchor_time") as? TextInputField)?.hint?.contains("date-time") == true)
            #expect(form.asked.filter { form.fields[$0].isRequired }.map { form.fields[$0].id }
                == ["display_name", "dbname", "host", "password", "port", "user"])
        }
    }

    @Test func aSourceLeftAtItsFormIsContinuedAndUpdated() async throws {
        try await withSandbox { target in
            // A source created without its required properties stays at the form step.
            guard case .reply(.source(let created)) = await runner.run(.createSource(
                CreateSourceRequest(type: "platform.postgres", displayName: "Warehouse Later"), via: target)) else {
                Issue.record("expected a source"); return
            }
            #expect(created.reportCard.effectiveStepType == .form)
            var state = WizardState(target: target, start: .existingSource(id: created.id))
            await settle(&state, state.start())
            let form = try #require(state.screen as? FormScreen)
            #expect(!form.isCreating)
            try await fill(&state, ["dbname": "analytics", "host": "db.example.com", "password": "pg-FAKE-pass",
                                    "port": "5432", "ssl": "true", "user": "etl"])
            #expect(!(state.screen is FormScreen), "routed on the updated card, now \(type(of: state.screen))")
            #expect(state.session.summary.entries.contains { if case .sourceUpdated(created.id, _, _) = $0 { true } else { false } })
            guard case .reply(.source(let saved)) = await runner.run(.fetchSource(id: created.id, via: target)) else {
                Issue.record("expected the source"); return
            }
            #expect(saved.properties["dbname"] == .string("analytics"))
            #expect(saved.properties["port"] == .string("5432"))
            #expect(saved.properties["ssl"] == .string("true"))
            #expect(saved.properties["password"] == nil, "credentials are never returned")
            #expect(saved.reportCard.effectiveStepType != .form)
        }
    }

    @Test func creatingSendsThePropertiesAndRoutesOn() async throws {
        try await withSandbox { target in
            var state = WizardState(target: target, start: .newSource(type: "platform.postgres"))
            await settle(&state, state.start())
            await send(&state, keys("Warehouse Now"))
            try await fill(&state, ["dbname": "analytics", "host": "10.0.0.5", "password": "pg-FAKE-pass",
                                    "port": "5432", "user": "etl"])
            #expect(!(state.screen is FormScreen))
            let source = try #require(state.session.source)
            #expect(source.name == "warehouse_now")
            #expect(source.properties["host"] == .string("10.0.0.5"))
        }
    }

    /// A card whose `port` schema the client cannot read (here: removed) lets "54x" through;
    /// the sandbox refuses it, and the refusal is shown at `port`.
    @Test func aValueTheSandboxRefusesIsShownAtItsField() async throws {
        try await withSandbox { target in
            guard case .reply(.sourceType(var card)) = await runner.run(.fetchSourceType("platform.postgres", via: target)) else {
                Issue.record("expected the card"); return
            }
            let port = try #require(card.steps[0].properties.firstIndex { $0.name == "port" })
            card.steps[0].properties[port].jsonSchema = .null
            var state = WizardState(target: target, start: .newSource(type: "platform.postgres"))
            _ = state.start()
            await settle(&state, WizardReducer.reduce(&state, .reply(.sourceType(card))))
            await send(&state, keys("Refused Port"))
            try await fill(&state, ["dbname": "analytics", "host": "db.example.com", "password": "pg-FAKE-pass",
                                    "port": "54x", "user": "etl"])
            let form = try #require(state.screen as? FormScreen)
            #expect(form.form.fieldErrors.keys.sorted() == ["port"])
            #expect(form.form.focused?.id == "port")
            #expect(form.form.error == nil)
            #expect(state.session.source == nil, "nothing was created")
        }
    }

    /// The form refuses exactly what the sandbox refuses: each value goes through the field's
    /// line-mode answer and through a real `PUT`, and both must agree. (`cron_expression` is
    /// checked by the sandbox's own cron parser as well, which the form does not preview.)
    @Test func theFormRefusesWhatTheSandboxRefuses() async throws {
        try await withSandbox { target in
            guard case .reply(.source(let source)) = await runner.run(.createSource(
                CreateSourceRequest(type: "platform.postgres", displayName: "Rule Check"), via: target)) else {
                Issue.record("expected a source"); return
            }
            let properties = try #require(source.reportCard.steps.first?.properties)
            let values: [(String, String)] = [
                ("port", "5432"), ("port", "54x"), ("port", "-1"), ("port", "1.5"),
                ("ssl", "true"), ("ssl", "yes"), ("itersize", "100"), ("itersize", "many"),
                ("frequency_in_minutes", "30"), ("frequency_in_minutes", "45"),
                ("anchor_time", "2024-01-31T10:00:00Z"), ("anchor_time", "yesterday"),
                ("host", "db.example.com"), ("dbname", "analytics"),
            ]
            var refusals = 0
            for (name, value) in values {
                let property = try #require(properties.first { $0.name == name })
                var field = PropertyFields.field(for: property)
                let clientRefuses = field.accept(value) != nil
                let reply = await runner.run(.updateSource(id: source.id, UpdateSourceRequest(properties: [name: value]), via: target))
                let serverRefuses: Bool
                switch reply {
                case .reply(.source): serverRefuses = false
                case .reply(.failed(_, let failure)):
                    #expect(failure.code == "InvalidProperties" && failure.badProperties == [name], "\(name)=\(value): \(failure)")
                    serverRefuses = true
                default:
                    Issue.record("unexpected reply \(String(describing: reply))"); continue
                }
                #expect(clientRefuses == serverRefuses, "\(name)=\(value): form \(clientRefuses), sandbox \(serverRefuses)")
                if serverRefuses { refusals += 1 }
            }
            #expect(refusals == 6)
        }
    }
}
