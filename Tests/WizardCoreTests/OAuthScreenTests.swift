import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// The `oauth` step (issue 7, item 2): finished in Stitch's web app; the wizard names the
/// source, re-checks it on request and routes on, or goes back.
struct OAuthScreenTests {
    typealias F = StepFixtures
    static let fetch = WizardEffect.fetchSource(id: F.hubspotID, via: F.target)

    static func reached() throws -> WizardState {
        let (state, effects) = F.reach(F.hubspot())
        #expect(effects.isEmpty, "nothing is requested until the user asks")
        _ = try #require(state.on(OAuthScreen.self))
        return state
    }

    @Test func theScreenNamesTheSourceAndWhereToFinishTheStep() throws {
        let state = try Self.reached()
        let screen = try #require(state.on(OAuthScreen.self))
        let text = screen.explanation(in: state.session).joined(separator: " ")
        #expect(text.contains("The sandbox has no web app: send these properties with PUT /v4/sources/\(F.hubspotID)"))
        var remote = state.session
        remote.target = Fixtures.remoteTarget
        #expect(!screen.explanation(in: remote).joined().contains("sandbox"))
        #expect(text.contains("“HubSpot” (platform.hubspot, source \(F.hubspotID))"))
        #expect(text.contains("Stitch's web app"))
        #expect(screen.missingProperties == ["client_id", "refresh_token"])
        #expect(screen.keyHelp(in: state.session).map(\.key) == ["r", "esc"])
        #expect(screen.keyHelp(in: state.session).map(\.action) == ["re-check", "back"])
    }

    @Test func reCheckFetchesTheSourceAndRoutesOnceTheStepIsDone() throws {
        var state = try Self.reached()
        #expect(state.send(.key(.character("r"))) == [Self.fetch])
        #expect(state.on(OAuthScreen.self)?.keyHelp(in: state.session).map(\.key) == ["esc"], "no second check while one runs")
        let effects = state.send(.reply(.source(F.hubspot(provided: true))))
        #expect(state.on(DiscoverSchemaScreen.self) != nil, "discover_schema comes next")
        #expect(effects == [.pollDiscovery(sourceID: F.hubspotID, round: 1, via: F.target)])
        #expect(state.session.source?.reportCard.currentStep == 3)
    }

    @Test func aSourceStillAtTheStepSaysSoAndCanBeCheckedAgain() throws {
        var state = try Self.reached()
        state.send(.key(.enter))
        #expect(state.send(.reply(.source(F.hubspot()))).isEmpty)
        let screen = try #require(state.on(OAuthScreen.self))
        #expect(screen.isStillWaiting && !screen.isChecking)
        #expect(screen.status?.hasPrefix("Still waiting") == true)
        #expect(state.send(.key(.character("r"))) == [Self.fetch])
    }

    @Test(arguments: StepFixtures.documentedErrors)
    func eachConnectErrorOnTheReCheckIsShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.reached()
        state.send(.key(.character("r")))
        #expect(state.send(.reply(.failed(.fetchSource, failure))).isEmpty)
        let screen = try #require(state.on(OAuthScreen.self))
        #expect(screen.failure?.message == failure.message)
        #expect(screen.status?.contains(failure.message) == true)
        #expect(screen.linePrompt(in: state.session).lines.contains { $0.hasPrefix("Error: ") && $0.contains(failure.message) })
        #expect(state.send(.key(.character("r"))) == [Self.fetch])
        #expect(state.on(OAuthScreen.self)?.failure == nil)
    }

    @Test func repliesNobodyWaitsForAreIgnored() throws {
        var state = try Self.reached()
        #expect(state.send(.reply(.source(F.hubspot(provided: true)))).isEmpty, "no re-check was asked for")
        #expect(state.on(OAuthScreen.self) != nil)
        state.send(.key(.character("r")))
        #expect(state.send(.reply(.source(F.postgres(atStep: 3)))).isEmpty, "another source's reply")
        #expect(state.on(OAuthScreen.self)?.isChecking == true)
    }

    @Test func escGoesBackHome() throws {
        var state = try Self.reached()
        #expect(state.send(.key(.escape)) == [.fetchSourceTypes(via: F.target), .fetchSources(via: F.target)])
        #expect(state.on(StartScreen.self) != nil)
    }

    @Test func aCardWithoutASourceOnlyGoesBack() {
        let card = ReportCard(type: "platform.hubspot", currentStep: 1, steps: [ConnectionStep(type: .oauth)])
        let screen = OAuthScreen(card: card, source: nil)
        let session = WizardSession(target: F.target)
        #expect(screen.keyHelp(in: session).map(\.key) == ["esc"])
        #expect(screen.linePrompt(in: session).question == "Back to the start? [y/n]: ")
    }

    @Test func lineModeAsksYesOrNo() throws {
        var state = try Self.reached()
        let prompt = try #require(state.on(OAuthScreen.self)).linePrompt(in: state.session)
        #expect(prompt.question == "Re-check the source now? [y/n]: ")
        #expect(prompt.lines.contains { $0.contains("“HubSpot”") })
        #expect(state.send(.line("y")) == [Self.fetch])
        #expect(state.on(OAuthScreen.self)?.linePrompt(in: state.session).question == nil, "waiting for the reply")
        state.send(.reply(.source(F.hubspot())))
        state.send(.line("n"))
        #expect(state.on(StartScreen.self) != nil)
    }
}
