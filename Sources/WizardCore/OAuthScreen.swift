import StitchAPI

/// `oauth`: signing in to the source's service happens in Stitch's web app, not here. The screen
/// names the source and where to finish, then re-checks it on request (`GET /v4/sources/{id}`)
/// and routes on once its report card has moved past the step.
public struct OAuthScreen: ScreenModel, Equatable {
    public var card: ReportCard
    /// Nil when a source-type card starts at `oauth`: there is nothing to re-check yet.
    public var source: Source?
    public var isChecking = false
    /// The re-check found the source still at this step.
    public var isStillWaiting = false
    public var failure: WizardFailure?

    public init(card: ReportCard, source: Source?) {
        self.card = card
        self.source = source
    }

    public var stage: WizardStage { .step(.oauth) }

    /// "HubSpot" (platform.hubspot, source 42), or the type alone before a source exists.
    public var sourceName: String {
        guard let source else { return card.type }
        return "“\(source.displayName ?? source.name)” (\(source.type), source \(source.id))"
    }

    /// The OAuth properties Stitch's app fills in that the source still lacks.
    public var missingProperties: [String] {
        (card.current?.properties ?? []).filter { $0.isRequired == true && $0.provided != true }.map(\.name)
    }

    public func explanation(in session: WizardSession) -> [String] {
        var lines = [
            "Signing in to the service of \(sourceName) is done in Stitch's web app: open the source there and "
                + "complete its authorization step.",
        ]
        if !missingProperties.isEmpty {
            lines.append("Stitch fills in: " + missingProperties.joined(separator: ", ") + ".")
        }
        if session.target.isSandbox, let source {
            // The sandbox has no web app; the API accepts these properties (system_provided_by_default).
            lines.append("The sandbox has no web app: send these properties with PUT /v4/sources/\(source.id) instead.")
        }
        lines.append(source == nil
            ? "Create the source in the web app, then continue it here from the start screen."
            : "Then re-check: the wizard continues with the next step.")
        return lines
    }

    /// What the last re-check said, if anything.
    public var status: String? {
        if isChecking { return "Checking the source…" }
        if let failure { return "Could not re-check: " + WizardReducer.sentence(failure) }
        if isStillWaiting { return "Still waiting: the source has not finished this step in the web app." }
        return nil
    }

    public enum Action: Sendable, Equatable { case recheck, back }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        var keys: [KeyBinding<Action>] = []
        if source != nil, !isChecking { keys.append(KeyBinding([.character("r"), .enter], "r", "re-check", .recheck)) }
        keys.append(KeyBinding([.escape], "esc", "back", .back))
        return keys
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .back: return [.home]
        case .recheck: return recheck(in: session)
        }
    }

    mutating func recheck(in session: WizardSession) -> [WizardCommand] {
        guard let source, !isChecking else { return [] }
        isChecking = true
        failure = nil
        return [.run(.fetchSource(id: source.id, via: session.target))]
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        guard isChecking, let current = source else { return [] }
        switch reply {
        case .source(let fetched) where fetched.id == current.id:
            isChecking = false
            guard fetched.reportCard.effectiveStepType == .oauth else {
                return [.adoptSource(fetched), .route(fetched.reportCard)]
            }
            source = fetched
            card = fetched.reportCard
            isStillWaiting = true
            return [.adoptSource(fetched)]
        case .failed(.fetchSource, let refused):
            isChecking = false
            failure = refused.hinted(forSource: current.id)
        default:
            break
        }
        return []
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        var lines = ["Step “oauth”: sign in through Stitch's web app"] + explanation(in: session)
        if let status { lines.append(failure == nil ? status : "Error: " + status) }
        if isChecking { return LinePrompt(lines: lines) }
        guard source != nil else { return LinePrompt(lines: lines, question: "Back to the start? [y/n]: ") }
        return LinePrompt(lines: lines, question: "Re-check the source now? [y/n]: ")
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard !isChecking else { return [] }
        let yes = line.trimmed.lowercased().hasPrefix("y")
        guard source != nil else { return yes ? [.home] : [.quit] }
        return yes ? recheck(in: session) : [.home]
    }
}
