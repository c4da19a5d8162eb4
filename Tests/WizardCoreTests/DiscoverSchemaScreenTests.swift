import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// The `discover_schema` step (issue 7, item 2): polls the source and its last connection check,
/// shows status and elapsed time, routes on when the card moves, retries after failures.
struct DiscoverSchemaScreenTests {
    typealias F = StepFixtures
    static func poll(_ round: Int) -> WizardEffect { .pollDiscovery(sourceID: F.postgresID, round: round, via: F.target) }

    static func reached() throws -> WizardState {
        let (state, effects) = F.reach(F.postgres(atStep: 2))
        #expect(state.on(DiscoverSchemaScreen.self) != nil, "discover_schema goes to its screen through the step table")
        #expect(effects == [poll(1)], "the first poll is sent at once")
        return state
    }

    static func polled(_ check: ConnectionCheck?, round: Int = 1, step: Int = 2, after seconds: Double = 0) -> WizardReply {
        .discoveryPolled(DiscoveryPoll(round: round, source: F.postgres(atStep: step), check: check,
                                       receivedAt: F.clock.advanced(by: .milliseconds(Int(seconds * 1000)))))
    }

    @Test func aRunningCheckIsPolledAgainAfterTheIntervalAndTheElapsedTimeComesFromTheReplies() throws {
        var state = try Self.reached()
        let running = try F.check(F.runningCheck)
        #expect(state.send(.reply(Self.polled(running))) == [.after(DiscoverSchemaScreen.interval, Self.poll(2))])
        #expect(state.send(.reply(Self.polled(running, round: 2, after: 1.5))) == [.after(.seconds(1), Self.poll(3))])
        let screen = try #require(state.on(DiscoverSchemaScreen.self))
        #expect(screen.elapsed == .milliseconds(1500))
        #expect(screen.polls == 2)
        #expect(screen.statusText == "Connection check running")
        #expect(DiscoverSchemaScreen.format(.seconds(65)) == "1m 05s")
        #expect(DiscoverSchemaScreen.format(.milliseconds(1500)) == "1s")
        #expect(screen.keyHelp(in: state.session).map(\.key) == ["esc"], "only Esc while it runs")
    }

    @Test func noCheckYetIsWaitedFor() throws {
        var state = try Self.reached()
        #expect(state.send(.reply(Self.polled(nil))) == [.after(.seconds(1), Self.poll(2))])
        #expect(state.on(DiscoverSchemaScreen.self)?.statusText == "Waiting for Stitch to start the connection check…")
    }

    @Test func aReplyWhileNoPollIsInFlightOrForAnotherSourceIsIgnored() throws {
        var state = try Self.reached()
        let other = DiscoveryPoll(round: 1, source: F.hubspot(provided: true), check: nil, receivedAt: F.clock)
        #expect(state.send(.reply(.discoveryPolled(other))).isEmpty)
        #expect(state.on(DiscoverSchemaScreen.self)?.polls == 0)
        state.send(.reply(Self.polled(nil)))
        #expect(state.send(.reply(Self.polled(nil))).isEmpty, "a second reply to one poll starts no second loop")
        #expect(state.on(DiscoverSchemaScreen.self)?.polls == 1)
        #expect(state.send(.reply(Self.polled(nil, round: 7))).isEmpty, "a poll of a screen the user left")
        #expect(state.send(.reply(Self.polled(nil, round: 2))) == [.after(.seconds(1), Self.poll(3))])
    }

    @Test func whenTheCardMovesOnTheWizardRoutesToTheNextStep() throws {
        var state = try Self.reached()
        let effects = state.send(.reply(Self.polled(try F.check(F.runningCheck).succeeded, step: 3)))
        #expect(state.on(FieldSelectionScreen.self) != nil)
        #expect(effects == [.fetchStreams(sourceID: F.postgresID, via: F.target)])
        #expect(state.session.source?.reportCard.currentStep == 3, "the session holds the source as last fetched")
    }

    @Test func aFailedCheckStopsPollingShowsItsFieldsAndOffersRetryAndTheSettings() throws {
        var state = try Self.reached()
        #expect(state.send(.reply(Self.polled(try F.check(F.failedCheck)))).isEmpty, "no more polls")
        let screen = try #require(state.on(DiscoverSchemaScreen.self))
        #expect(screen.checkFailed)
        #expect(screen.checkFailureFields.contains("check exit status: 1"))
        #expect(screen.checkFailureFields.contains { $0.hasPrefix("discovery: FATAL: password authentication failed") })
        #expect(screen.keyHelp(in: state.session).map(\.key) == ["r", "e", "esc"])
        let prompt = screen.linePrompt(in: state.session)
        #expect(prompt.question == "Retry? [y/n]: ")
        #expect(prompt.lines.contains("check exit status: 1"))

        var editing = state
        editing.send(.key(.character("e")))
        let form = try #require(editing.on(FormScreen.self))
        #expect(form.card.effectiveStepType == .form && form.source?.id == F.postgresID, "the form step of this source")

        #expect(state.send(.key(.character("r"))) == [Self.poll(2)])
        #expect(state.on(DiscoverSchemaScreen.self)?.check == nil, "the old result is not shown as the new one")
    }

    @Test(arguments: StepFixtures.documentedErrors)
    func eachConnectErrorOnThePollIsShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.reached()
        #expect(state.send(.reply(.failed(.pollDiscovery, failure))).isEmpty, "polling stops")
        let screen = try #require(state.on(DiscoverSchemaScreen.self))
        let shown = try #require(screen.failure)
        #expect(shown.message == failure.message && shown.statusCode == failure.statusCode)
        if failure.statusCode != 400 { #expect(shown.hint != nil, "every failure but a 400 (whose message says it) says what to do") }
        #expect(screen.linePrompt(in: state.session).lines.contains { $0.contains(failure.message) })
        #expect(screen.keyHelp(in: state.session).map(\.key) == ["r", "esc"])
        #expect(state.send(.key(.character("r"))) == [Self.poll(2)])
        #expect(state.on(DiscoverSchemaScreen.self)?.failure == nil)
    }

    @Test func escGoesHomeAndLeavesDiscoveryRunning() throws {
        var state = try Self.reached()
        state.send(.reply(Self.polled(try F.check(F.runningCheck))))
        let effects = state.send(.key(.escape))
        #expect(state.on(StartScreen.self)?.start == .home)
        #expect(effects == [.fetchSourceTypes(via: F.target), .fetchSources(via: F.target)], "nothing is cancelled or changed")
        #expect(state.send(.reply(Self.polled(nil))).isEmpty, "a late poll reply does not pull the user back")
    }

    @Test func lineModeWaitsWithoutAQuestionThenAsksToRetry() throws {
        var state = try Self.reached()
        state.send(.reply(Self.polled(try F.check(F.runningCheck))))
        let waiting = try #require(state.on(DiscoverSchemaScreen.self)).linePrompt(in: state.session)
        #expect(waiting.question == nil)
        #expect(waiting.lines == ["Discovering the streams of “Shop DB” (platform.postgres)…", "Connection check running"])
        state.send(.reply(.failed(.pollDiscovery, StepFixtures.documentedErrors[4])))
        #expect(state.send(.line("y")) == [Self.poll(3)])
        state.send(.reply(.failed(.pollDiscovery, StepFixtures.documentedErrors[4])))
        state.send(.line("n"))
        #expect(state.on(StartScreen.self) != nil)
    }
}

extension ConnectionCheck {
    /// The same job, finished well.
    var succeeded: ConnectionCheck {
        var check = self
        check.status = .succeeded
        check.error = false
        check.checkExitStatus = 0
        check.discoveryExitStatus = 0
        return check
    }
}

struct StepTableTests {
    /// A source left in the session by an earlier choice is not taken for the card's source.
    @Test func aCardOfAnotherTypeThanTheSessionsSourceIsNotPolledOrListed() {
        var session = WizardSession(target: StepFixtures.target)
        session.source = StepFixtures.hubspot(provided: true)
        let postgres = StepFixtures.postgres(atStep: 2).reportCard
        #expect(DiscoverSchemaScreen.screen(card: postgres, session: session) is UnsupportedStepScreen)
        var atFields = postgres
        atFields.currentStep = 3
        atFields.currentStepType = .fieldSelection
        #expect(FieldSelectionScreen.screen(card: atFields, session: session) is UnsupportedStepScreen)
        #expect((StepScreens.screen(for: StepFixtures.hubspot().reportCard, in: WizardSession(target: StepFixtures.target))
            as? OAuthScreen)?.source == nil)
    }
}
