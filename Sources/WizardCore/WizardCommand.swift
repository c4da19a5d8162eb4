import StitchAPI

/// What a screen asks of the parent besides staying where it is. The parent applies commands in
/// order: effects are collected for the runner, the rest change the session or the screen.
public enum WizardCommand: Sendable, Equatable {
    case run(WizardEffect)
    /// Show this screen (its `start` runs).
    case show(ScreenBox)
    /// Show the screen for the report card's current step, through `StepScreens.table`.
    case route(ReportCard)
    /// The connect check passed: requests go here from now on.
    case adoptTarget(WizardTarget)
    /// The source being set up (created, updated or chosen).
    case adoptSource(Source)
    case adoptToken(ImportAccessToken)
    /// Something to tell in the exit summary.
    case note(SummaryEntry)
    /// Back to the start screen.
    case home
    case quit

    /// `.show` for a concrete screen.
    public static func open(_ screen: some ScreenModel) -> WizardCommand { .show(ScreenBox(screen)) }
}
