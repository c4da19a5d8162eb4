import StitchAPI

/// Where a screen sits in the trail under the title: the wizard's own stages around the
/// report card's steps.
public enum WizardStage: Sendable, Equatable {
    case connect
    /// Choosing a source type or an existing source.
    case start
    /// A report card step (form, oauth, discover_schema, field_selection, fully_configured).
    case step(StepType)
    case token
    case records
}
