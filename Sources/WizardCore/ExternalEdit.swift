import RecordBatch

/// What came back from handing the batch's raw JSON to `$EDITOR` (`WizardEffect.editExternally`).
public enum ExternalEdit: Sendable, Equatable {
    /// The file was saved as it was given (or not saved): nothing changes.
    case unchanged
    /// The edited text read back as a batch.
    case edited(RecordBatch)
    /// The edited text does not read back: the editor shows it in the raw view, the cursor at the
    /// problem's line and column, so the edits are not lost.
    case invalid(text: String, LoadProblem)
}
