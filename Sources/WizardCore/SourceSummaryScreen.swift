import StitchAPI

/// A configured source that is not an Import API source: what it is and that the wizard is done
/// with it; Stitch replicates it on its schedule.
public struct SourceSummaryScreen: ScreenModel, Equatable {
    public var source: Source

    public init(source: Source) { self.source = source }

    public var stage: WizardStage { .step(.fullyConfigured) }

    public enum Action: Sendable, Equatable { case home, done }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        [KeyBinding([.enter], "enter", "done", .done), KeyBinding([.character("h"), .escape], "h", "home", .home)]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        action == .home ? [.home] : [.quit]
    }

    public var lines: [String] {
        [
            "\(source.displayName ?? source.name) is fully configured.",
            "Source id \(source.id) · type \(source.type) · schema \(source.name)",
            source.isActive ? "Stitch replicates it on its schedule." : "The source is paused: unpause it to replicate.",
        ]
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        LinePrompt(lines: lines, question: "Back to the start? [y/n]: ")
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        line.trimmed.lowercased().hasPrefix("y") ? [.home] : [.quit]
    }
}
