import StitchAPI

/// The one table from a report card's step type to the screen that completes it. A new step
/// type is a line here, its screen model, and its view.
public enum StepScreens {
    public typealias Make = @Sendable (ReportCard, WizardSession) -> any ScreenModel

    static let table: [StepType: Make] = [
        .form: { card, session in FormScreen(card: card, source: session.source, session: session) },
        .fullyConfigured: { card, session in FullyConfiguredScreen.screen(card: card, session: session) },
        .oauth: { card, session in
            OAuthScreen(card: card, source: session.source.flatMap { $0.type == card.type ? $0 : nil })
        },
        .discoverSchema: { card, session in DiscoverSchemaScreen.screen(card: card, session: session) },
        .fieldSelection: { card, session in FieldSelectionScreen.screen(card: card, session: session) },
    ]

    /// The screen for `card`'s current step; a card that points nowhere, or a step this wizard
    /// has no screen for, gets a screen that says so (and what to do).
    public static func screen(for card: ReportCard, in session: WizardSession) -> any ScreenModel {
        if card.details?.access == false {
            return FailureScreen(
                title: "No access to \(card.type)",
                failure: WizardFailure(message: "This Stitch account's plan does not include the \(card.type) source type.",
                                       hint: "Ask your Stitch admin to enable it, or pick another type."),
                stage: .start, retry: [], back: [.home])
        }
        guard let stepType = card.effectiveStepType else {
            return FailureScreen(
                title: "Unreadable report card",
                failure: WizardFailure(message: "current_step \(card.currentStep) does not point at any of the \(card.steps.count) steps."),
                stage: .start, retry: [], back: [.home])
        }
        guard let make = table[stepType] else { return UnsupportedStepScreen(step: stepType, card: card) }
        return make(card, session)
    }
}
