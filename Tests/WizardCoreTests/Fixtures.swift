import Foundation
import StitchAPI
import WizardCore

/// Replies shaped exactly like the tutorial's, decoded through the real models.
enum Fixtures {
    static let sourceTypeCard = """
    {"type":"import_api","current_step":1,"current_step_type":"form",
     "steps":[{"type":"form","properties":[]},{"type":"fully_configured","properties":[]}],
     "details":{"pricing_tier":"standard","pipeline_state":"released","default_start_date":"-1 year",
                "default_scheduling_interval":60,"protocol":"import_api","access":true}}
    """

    static let createdSource = """
    {"properties":{},"updated_at":"2020-01-02T15:49:27Z","schedule":null,"name":"import_api","type":"import_api",
     "deleted_at":null,"system_paused_at":null,"stitch_client_id":116078,"paused_at":null,"id":126890,
     "display_name":"Import API","created_at":"2020-01-02T15:49:27Z",
     "report_card":{"type":"import_api","current_step":2,"current_step_type":"fully_configured",
       "steps":[{"type":"form","properties":[]},{"type":"fully_configured","properties":[]}]}}
    """

    static func card(_ json: String = sourceTypeCard) throws -> ReportCard {
        try JSONDecoder().decode(ReportCard.self, from: Data(json.utf8))
    }

    static func source(_ json: String = createdSource) throws -> Source {
        try JSONDecoder().decode(Source.self, from: Data(json.utf8))
    }

    static let token = ImportAccessToken(id: 828792559, accessToken: "at_FAKE_TOKEN_FOR_TESTS_0000000000000000")

    static let sandboxTarget = WizardTarget(connectBaseURL: "http://127.0.0.1:8787", connectToken: "ac_fake",
                                            importBaseURL: "http://127.0.0.1:8787", isSandbox: true)
    static let remoteTarget = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "",
                                           importBaseURL: "https://api.stitchdata.com", isSandbox: false)
}

extension WizardState {
    /// Applies events in order; the effects of all of them.
    @discardableResult
    mutating func send(_ events: WizardEvent...) -> [WizardEffect] {
        events.flatMap { WizardReducer.reduce(&self, $0) }
    }

    mutating func type(_ text: String) {
        for character in text { _ = WizardReducer.reduce(&self, .key(.character(character))) }
    }

    func on<T: ScreenModel>(_ type: T.Type) -> T? { screen as? T }
}

/// States reached as a user reaches them: through the reducer, one reply at a time.
enum Reach {
    /// The start screen, its lists loaded.
    static func home(_ target: WizardTarget = Fixtures.sandboxTarget, sources: [Source] = []) throws -> WizardState {
        var state = WizardState(target: target)
        if !target.isSandbox {
            state.type("ac_typed")
            let effects = state.send(.key(.enter))
            guard case .connect(let checked, _)? = effects.first else { throw ReachError.unexpected("\(effects)") }
            state.send(.reply(.connected(checked, try Fixtures.card())))
        } else {
            _ = state.start()
        }
        state.send(.reply(.sourceTypes([try Fixtures.card()])), .reply(.sources(sources)))
        return state
    }

    /// The import_api form (display name), after Enter on the preselected type.
    static func form(_ target: WizardTarget = Fixtures.sandboxTarget) throws -> WizardState {
        var state = try home(target)
        state.send(.key(.enter), .reply(.sourceType(try Fixtures.card())))
        return state
    }

    /// The token on screen, after creating the source.
    static func token() throws -> WizardState {
        var state = try form()
        state.send(.key(.enter), .reply(.source(try Fixtures.source())), .reply(.tokens(sourceID: 126890, TokenList(tokens: []))),
                   .reply(.token(Fixtures.token)))
        return state
    }

    static func editor() throws -> WizardState {
        var state = try token()
        state.send(.key(.character("y")))
        return state
    }

    enum ReachError: Error { case unexpected(String) }
}
