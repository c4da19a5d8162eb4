/// Something that would make the Import API refuse the batch, found before sending: where it is
/// (the table, a column, a row, a cell) and the gate's text for it.
public struct BatchProblem: Sendable, Hashable, CustomStringConvertible {
    /// 0-based row; nil for the table as a whole (its name, schema, keys).
    public var row: Int?
    /// 0-based column of the cell or column at fault; nil when the row or table as a whole is.
    public var column: Int?
    /// The Import API's text where it has one (a schema violation: `#/age: expected type:
    /// Integer, found: String`), else what the limit is.
    public var message: String

    public init(row: Int?, column: Int?, _ message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    /// "row 3: #/age: expected type: Integer, found: String"
    public var description: String {
        row.map { "row \($0 + 1): \(message)" } ?? message
    }
}
