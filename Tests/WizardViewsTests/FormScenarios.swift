import StitchAPI
import TerminalUI
import WizardCore

/// The `form` step of each of the sandbox's four source types (cards from `SandboxCards`), with
/// a focus, a problem as typed or a refusal from the API, and a masked credential.
extension Scenarios {
    /// Every credential value typed in a form scenario; none may appear in any frame or golden.
    static let typedCredentials = ["ck_FAKE_closeio_key_4e1f", "pg-FAKE-pass-93b1"]

    /// A wizard started with `--source-type TYPE`, its card loaded.
    static func creating(_ card: ReportCard) -> WizardState {
        var state = WizardState(target: sandbox, start: .newSource(type: card.type))
        _ = state.start()
        return reduce(state, [.reply(.sourceType(card))])
    }

    /// Enter `count` times (Enter moves to the next field until the last).
    static func enter(_ count: Int) -> [WizardEvent] { Array(repeating: .key(.enter), count: count) }

    static var formScenarios: [(name: String, state: WizardState)] {
        let closeio = reduce(creating(SandboxCards.closeio), typing("Close CRM") + enter(2) + typing(typedCredentials[0]))
        let postgres = reduce(creating(SandboxCards.postgres), typing("Warehouse PG") + enter(3) + typing("analytics")
            + enter(3) + typing("db.example.com") + enter(1) + [.key(.right)] + enter(2) + typing(typedCredentials[1])
            + enter(1) + typing("5432"))
        return [
            ("form-import-api", creating(SandboxCards.importAPI)),
            ("form-closeio", closeio),
            ("form-closeio-invalid", reduce(closeio, enter(3) + typing("2024-01-31"))),
            ("form-hubspot", reduce(creating(SandboxCards.hubspot), typing("HubSpot") + enter(1) + typing("yesterday"))),
            ("form-postgres", postgres),
            ("form-postgres-refused", reduce(postgres, enter(6) + typing("warehouse") + enter(1) + [
                .reply(.failed(.createSource, WizardFailure(statusCode: 400, code: "InvalidProperties",
                                                            message: "properties do not match schema",
                                                            badProperties: ["host"]))),
            ])),
        ]
    }
}
