import StitchAPI
import TerminalUI
import Testing
import WizardCore
@testable import WizardViews

/// The token step's new screens (issue 7): the limit of two active tokens, the question before
/// revoking one, the token shown after a revocation, and the editor after a 401.
extension Scenarios {
    static let twoTokens = TokenList(tokens: [TokenSummary(tokenID: 828705046, createdAt: "2021-08-12T15:22:12Z"),
                                              TokenSummary(tokenID: 815713587, createdAt: "2021-07-01T09:00:00Z")])

    static var atTokenLimit: WizardState {
        reduce(atDisplayName, [.key(.enter), .reply(.source(source)), .reply(.tokens(sourceID: source.id, twoTokens))])
    }

    static var tokenScenarios: [(name: String, state: WizardState)] {
        let confirming = reduce(atTokenLimit, [.key(.enter)])
        return [
            ("token-limit", atTokenLimit),
            // The older documented shape: ids alone.
            ("token-limit-ids", reduce(atDisplayName, [.key(.enter), .reply(.source(source)), .reply(.tokens(
                sourceID: source.id, TokenList(tokens: [TokenSummary(tokenID: 828705046), TokenSummary(tokenID: 815713587)])))])),
            ("token-limit-confirm", confirming),
            ("token-revoked", reduce(confirming, [.key(.character("y")), .reply(.tokenRevoked(sourceID: source.id, tokenID: 815713587)),
                                                  .reply(.token(token))])),
            ("editor-token-refused", reduce(atEditor, [
                .key(.control("s")),
                sent(1, status: 401, body: #"{"message":"Not Authorized"}"#, latency: .milliseconds(4)),
            ])),
        ]
    }
}

/// The token screens at 120×32 as well (80×24 and 60×20 come with `Scenarios.all`).
struct TokenScreenGoldenTests {
    @Test(arguments: Scenarios.tokenScenarios.map(\.name))
    func tokenScreenAt120x32(name: String) throws {
        let state = try #require(Scenarios.tokenScenarios.first { $0.name == name }).state
        Golden.assert(WizardView.render(state, size: Size(columns: 120, rows: 32)), named: name + "-120x32")
    }

    /// A credential never reaches a golden: the token on screen is the fixture's fake, and the
    /// screens at the limit show ids only.
    @Test(arguments: Scenarios.tokenScenarios.map(\.name))
    func onlyTheShownTokenScreenHoldsTheFakeToken(name: String) throws {
        let state = try #require(Scenarios.tokenScenarios.first { $0.name == name }).state
        let text = WizardView.render(state, size: Size(columns: 80, rows: 24)).text
        #expect(text.contains(Scenarios.token.accessToken) == (name == "token-revoked"))
    }
}
