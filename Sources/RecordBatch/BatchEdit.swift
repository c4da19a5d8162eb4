/// An edit of a `RecordBatch`, as a value: the editor's actions map onto these, and
/// `RecordBatch.applying(_:)` makes the edited batch (or says why not, leaving the batch as it was).
public enum BatchEdit: Sendable, Hashable {
    /// Text typed into a cell, read by the column's type (`ColumnType.cell(from:)`).
    case setText(row: Int, column: Int, text: String)
    /// A value put in a cell; it must fit the column's type (`.absent` removes the member).
    case setValue(row: Int, column: Int, CellValue)
    /// A new row of absent cells at `at` (nil: at the end).
    case addRow(at: Int?)
    /// A copy of `row` right after it, its `sequence` left to the send time.
    case duplicateRow(Int)
    case deleteRows([Int])
    /// The row's `sequence`; nil fills it with the send time.
    case setSequence(row: Int, Int64?)
    /// A new declared column at `at` (nil: at the end); every row's cell is absent.
    case addColumn(name: String, type: ColumnType, at: Int?)
    /// Renames the column and its key name.
    case renameColumn(Int, to: String)
    /// Declares the column with `type`; cells whose text reads as the new type are converted,
    /// the others keep their values (and the checks point at them).
    case retypeColumn(Int, to: ColumnType)
    /// Deletes the column, its cells, and its key name.
    case deleteColumn(Int)
    /// Marks (or unmarks) the column as one of `key_names`, which keep column order.
    case setKey(column: Int, Bool)
    /// `key_names` as given (nil leaves them out: rows are appended).
    case setKeyNames([String]?)
    case renameTable(String)
}
