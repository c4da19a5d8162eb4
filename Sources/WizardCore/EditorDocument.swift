import RecordBatch
import RecordInput

/// What the record editor edits, shared by its panels: the batch, what the local checks found in
/// it, and where it came from.
public struct EditorDocument: Sendable, Equatable {
    public var batch: RecordBatch
    /// `BatchChecks`' problems of `batch`, in its order (table first, then by row and column); at
    /// most `problemLimit` of them, `problemsAreComplete` false when there were more.
    public var problems: [BatchProblem] = []
    public var problemsAreComplete = true
    /// The file the rows were loaded from, if any (the default place to save them).
    public var filePath: String?
    /// What loading the file left out, each with its line and column.
    public var loadProblems: [LoadProblem] = []
    /// True when the columns' types were guessed from the values: the editor asks for a review.
    public var schemaWasInferred = false
    /// True after an edit since the last load or save.
    public var isModified = false

    /// The grid marks at most this many problems; the list says when there are more.
    public static let problemLimit = 1_000

    public init(batch: RecordBatch) {
        self.batch = batch
    }

    /// The tutorial's example batch: table `customers`, key `id`, one row 1/Finn/15/false.
    public static var tutorial: EditorDocument {
        let columns = [BatchColumn(name: "id", type: .integer), BatchColumn(name: "name", type: .string),
                       BatchColumn(name: "age", type: .integer), BatchColumn(name: "has_magic", type: .boolean)]
        var batch = RecordBatch(tableName: "customers", columns: columns, keyNames: ["id"])
        let row: [CellValue] = [.integer(1), .string("Finn"), .integer(15), .boolean(false)]
        // The edits cannot fail: the values fit their columns' types.
        try? batch.apply(.addRow(at: nil))
        for (column, value) in row.enumerated() { try? batch.apply(.setValue(row: 0, column: column, value)) }
        try? batch.apply(.setSequence(row: 0, 1_565_880_017))
        return EditorDocument(batch: batch)
    }
}
