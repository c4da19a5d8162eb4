import StitchAPI

/// `discover_schema`: Stitch runs a connection check and discovers the source's streams, then
/// moves the report card on by itself (and stays put when the check fails). The screen polls
/// the source and its last connection check every `interval`, shows the check's status and the
/// time spent, routes on once the card has moved, and on a failed check shows its error fields
/// with retry. Esc leaves discovery running (it is Stitch's job) and goes home.
public struct DiscoverSchemaScreen: ScreenModel, Equatable {
    public var source: Source
    public var check: ConnectionCheck?
    /// Replies so far; the first one marks when this screen began waiting.
    public var polls = 0
    public var firstPollAt: ContinuousClock.Instant?
    public var lastPollAt: ContinuousClock.Instant?
    /// A poll is in flight (or scheduled); none is started beside it.
    public var isPolling = false
    /// The latest poll's number; replies to others are stale.
    public var round = 0
    /// The last poll's request failed; polling stopped until retried.
    public var failure: WizardFailure?

    /// Between polls. The sandbox's discovery takes about 2 s; Stitch's, minutes.
    public static let interval: Duration = .seconds(1)

    public init(source: Source) { self.source = source }

    /// The screen for the session's source at `card`; a card without a source (a source type
    /// whose steps start here, which none does, or a source of another type left in the session)
    /// cannot be continued here.
    public static func screen(card: ReportCard, session: WizardSession) -> any ScreenModel {
        guard var source = session.source, source.type == card.type else {
            return UnsupportedStepScreen(step: card.effectiveStepType ?? .other("?"), card: card)
        }
        source.reportCard = card
        return DiscoverSchemaScreen(source: source)
    }

    public var stage: WizardStage { .step(.discoverSchema) }

    /// The check failed: Stitch keeps the source at this step until something changes.
    public var checkFailed: Bool { check?.hasFailed == true }

    /// Time since this screen's first reply, from the replies' own timestamps.
    public var elapsed: Duration {
        guard let firstPollAt, let lastPollAt else { return .zero }
        return lastPollAt - firstPollAt
    }

    public var sourceName: String { "“\(source.displayName ?? source.name)”" }

    /// The check's state in a few words.
    public var statusText: String {
        guard let check else {
            if polls > 0 { return "Waiting for Stitch to start the connection check…" }
            return failure == nil ? "Fetching the connection check…" : "Connection check: not known yet"
        }
        switch check.status {
        case .running: return "Connection check running"
        case .succeeded: return "Connection check succeeded; waiting for Stitch to finish discovery…"
        case .failed: return "Connection check failed"
        case .other(let raw): return "Connection check: \(raw)"
        }
    }

    /// A failed check's fields, each as "label: value", for showing.
    public var checkFailureFields: [String] {
        guard let check, checkFailed else { return [] }
        var fields: [String] = []
        let statuses = [("check", check.checkExitStatus), ("discovery", check.discoveryExitStatus),
                        ("tap", check.tapExitStatus), ("target", check.targetExitStatus)]
        for (label, status) in statuses {
            if let status { fields.append("\(label) exit status: \(status)") }
        }
        fields += check.errorMessages
        if let completed = check.completionTime { fields.append("completed: \(completed)") }
        return fields
    }

    /// "1m 05s", "12s".
    public static func format(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        let rest = seconds % 60
        return seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m \(rest < 10 ? "0" : "")\(rest)s"
    }

    public enum Action: Sendable, Equatable { case retry, editForm, home }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        var keys: [KeyBinding<Action>] = []
        if failure != nil || checkFailed { keys.append(KeyBinding([.character("r")], "r", "retry", .retry)) }
        if checkFailed, formCard != nil { keys.append(KeyBinding([.character("e")], "e", "edit settings", .editForm)) }
        keys.append(KeyBinding([.escape], "esc", "home", .home))
        return keys
    }

    /// The card pointed at its form step, so a failed check's settings can be corrected
    /// (`PUT /v4/sources/{id}` makes Stitch check again).
    public var formCard: ReportCard? {
        guard let index = source.reportCard.steps.firstIndex(where: { $0.type == .form }),
              !source.reportCard.steps[index].properties.isEmpty else { return nil }
        var card = source.reportCard
        card.currentStep = index + 1
        card.currentStepType = .form
        return card
    }

    public mutating func start(in session: WizardSession) -> [WizardCommand] {
        poll(after: nil, in: session)
    }

    mutating func poll(after delay: Duration?, in session: WizardSession) -> [WizardCommand] {
        guard !isPolling else { return [] }
        isPolling = true
        round += 1
        let effect = WizardEffect.pollDiscovery(sourceID: source.id, round: round, via: session.target)
        return [.run(delay.map { .after($0, effect) } ?? effect)]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .home: return [.home]
        case .retry: return retry(in: session)
        case .editForm:
            guard let formCard else { return [] }
            return [.open(FormScreen(card: formCard, source: source, session: session))]
        }
    }

    mutating func retry(in session: WizardSession) -> [WizardCommand] {
        guard failure != nil || checkFailed else { return [] }
        failure = nil
        check = nil
        return poll(after: nil, in: session)
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch reply {
        case .discoveryPolled(let poll) where poll.source.id == source.id && poll.round == round && isPolling:
            isPolling = false
            polls += 1
            if firstPollAt == nil { firstPollAt = poll.receivedAt }
            lastPollAt = poll.receivedAt
            source = poll.source
            check = poll.check
            if poll.source.reportCard.effectiveStepType != .discoverSchema {
                return [.adoptSource(poll.source), .route(poll.source.reportCard)]
            }
            // A failed check stays failed until something changes: stop polling and show it.
            if checkFailed { return [.adoptSource(poll.source)] }
            return [.adoptSource(poll.source)] + self.poll(after: Self.interval, in: session)
        case .failed(.pollDiscovery, let refused) where isPolling:
            isPolling = false
            failure = refused.hinted(forSource: source.id)
        default:
            break
        }
        return []
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        // No elapsed seconds here: the line mode prints lines when they change, and a clock
        // would print one every poll.
        var lines = ["Discovering the streams of \(sourceName) (\(source.type))…", statusText]
        if checkFailed { lines += checkFailureFields }
        if let failure { lines.append("Error: " + WizardReducer.sentence(failure)) }
        guard failure != nil || checkFailed else { return LinePrompt(lines: lines) }
        return LinePrompt(lines: lines, question: "Retry? [y/n]: ")
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard failure != nil || checkFailed else { return [] }
        return line.trimmed.lowercased().hasPrefix("y") ? retry(in: session) : [.home]
    }
}
