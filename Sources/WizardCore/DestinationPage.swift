/// A table of the sandbox's destination and how many rows it holds (the destination view's picker).
public struct DestinationTableInfo: Sendable, Equatable {
    public var name: String
    public var rowCount: Int

    public init(name: String, rowCount: Int) {
        self.name = name
        self.rowCount = rowCount
    }
}

/// Consecutive rows of a destination table and the table's true row count, read together.
public struct DestinationPage: Sendable, Equatable {
    public var schema: String
    public var table: String
    public var columns: [String]
    /// Each column's type as the destination names it (`integer`, `string`, `dateTime`…), for the cell detail.
    public var columnTypes: [String]
    /// Cells as text; nil is SQL NULL, never the text "NULL".
    public var rows: [[String?]]
    /// The index of `rows[0]` in the table's order.
    public var offset: Int
    public var totalCount: Int

    public init(schema: String, table: String, columns: [String], columnTypes: [String], rows: [[String?]], offset: Int,
                totalCount: Int) {
        self.schema = schema
        self.table = table
        self.columns = columns
        self.columnTypes = columnTypes
        self.rows = rows
        self.offset = offset
        self.totalCount = totalCount
    }

    /// The rows this page holds, as indexes in the table's order.
    public var rowRange: Range<Int> { offset..<(offset + rows.count) }

    /// The cell at a table row (not a page row), when this page holds it.
    public func cell(row: Int, column: Int) -> String?? {
        guard rowRange.contains(row), columns.indices.contains(column) else { return nil }
        let cells = rows[row - offset]
        return cells.indices.contains(column) ? .some(cells[column]) : nil
    }
}
