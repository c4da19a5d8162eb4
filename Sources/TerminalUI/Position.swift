/// A cell coordinate: `row` from the top, `column` from the left, both zero-based.
public struct Position: Hashable, Sendable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
