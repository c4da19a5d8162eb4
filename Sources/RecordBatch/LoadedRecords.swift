import RecordInput

/// What loading a file gave: the batch (every valid record a row), the problems of the rest, and
/// how it was read.
public struct LoadedRecords: Sendable, Equatable {
    public var batch: RecordBatch
    /// In file order; empty when every record became a row.
    public var problems: [LoadProblem]
    public var format: RecordFormat
    /// True when the file had no schema and the columns' types were guessed from the values
    /// (the editor shows it for review).
    public var schemaWasInferred: Bool
    /// False when a problem stopped the reading before the end of the file (a JSON array that
    /// breaks off, an unclosed CSV quote); the last problem says where.
    public var readToEnd: Bool

    public init(batch: RecordBatch, problems: [LoadProblem] = [], format: RecordFormat, schemaWasInferred: Bool = false,
                readToEnd: Bool = true) {
        self.batch = batch
        self.problems = problems
        self.format = format
        self.schemaWasInferred = schemaWasInferred
        self.readToEnd = readToEnd
    }
}
