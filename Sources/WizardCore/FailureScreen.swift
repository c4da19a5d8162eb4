import StitchAPI

/// A failure that stops the flow, with the ways out: retry (r) and back (Esc).
public struct FailureScreen: ScreenModel, Equatable {
    public var title: String
    public var failure: WizardFailure
    /// The stage the failure belongs to, marked failed in the trail.
    public var failedStage: WizardStage
    /// Run on `r`; usually the screen whose request failed, shown again.
    public var retry: [WizardCommand]
    /// Run on Esc; nil when there is no way back (then only retry or quit).
    public var back: [WizardCommand]?

    public init(title: String, failure: WizardFailure, stage: WizardStage, retry: [WizardCommand], back: [WizardCommand]?) {
        self.title = title
        self.failure = failure
        failedStage = stage
        self.retry = retry
        self.back = back
    }

    public var stage: WizardStage { failedStage }

    public enum Action: Sendable, Equatable { case retry, back }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        var keys: [KeyBinding<Action>] = []
        if !retry.isEmpty { keys.append(KeyBinding([.character("r")], "r", "retry", .retry)) }
        if back != nil { keys.append(KeyBinding([.escape], "esc", "back", .back)) }
        return keys
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .retry: retry
        case .back: back ?? []
        }
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        var lines = ["Error: " + title, WizardReducer.sentence(failure)]
        if let body = failure.body, !body.isEmpty, body != failure.message { lines.append("Reply body: " + body) }
        let question = retry.isEmpty ? (back == nil ? nil : "Go back? [y/n]: ") : "Retry? [y/n]: "
        return LinePrompt(lines: lines, question: question)
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard line.trimmed.lowercased().hasPrefix("y") else { return [.quit] }
        return retry.isEmpty ? (back ?? [.quit]) : retry
    }
}

/// A step this wizard has no screen for: what it is, where to finish it, and the way back.
public struct UnsupportedStepScreen: ScreenModel, Equatable {
    public var step: StepType
    public var card: ReportCard

    public init(step: StepType, card: ReportCard) {
        self.step = step
        self.card = card
    }

    public var stage: WizardStage { .step(step) }

    public enum Action: Sendable, Equatable { case home }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        [KeyBinding([.escape], "esc", "home", .home)]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] { [.home] }

    public var explanation: String {
        switch step {
        case .profile: "This step picks an account or profile of the source's service. Finish it in the Stitch web app."
        case .other(let raw):
            "The report card's current step has the type “\(raw)”, which this version of the wizard does not know. Nothing was changed."
        default: "This step cannot be completed in this version of the wizard; finish it in the Stitch web app."
        }
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        LinePrompt(lines: ["Step “\(step.rawValue)” is not supported here", explanation], question: "Back to the start? [y/n]: ")
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        line.trimmed.lowercased().hasPrefix("y") ? [.home] : [.quit]
    }
}
