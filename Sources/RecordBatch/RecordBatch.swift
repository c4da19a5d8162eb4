import StitchAPI

/// One batch of the record editor: a table name, columns from the batch `schema`, `key_names`, and
/// rows of typed cells held column by column (`CellColumn`), so a million rows fit in memory and
/// an edit copies one column, not the table.
///
/// A value type: every edit (`RecordBatch+Editing`) returns or makes a new batch, and the editor's
/// state keeps the one it shows. Only upserts are held (`action` is always `upsert`).
public struct RecordBatch: Sendable, Equatable {
    public var tableName: String
    public private(set) var columns: [BatchColumn]
    /// nil leaves `key_names` out of the body (rows are appended); empty sends `[]`.
    public private(set) var keyNames: [String]?
    public var tableVersion: Int64?
    public var bookmarkNames: [String]?
    /// The schema's keywords other than `properties` (`type`, `required`, `additionalProperties` …).
    public var schemaKeywords: JSONObject
    var cells: [CellColumn]
    /// Each row's `sequence`: `.integer` when set, `.absent` to take the send time (milliseconds).
    var sequences: CellColumn
    /// Each row's `time_extracted`, when the loaded message had one.
    var timesExtracted: CellColumn

    /// An empty batch: `{"type":"object","properties":{}}`, no rows.
    public init(tableName: String, columns: [BatchColumn] = [], keyNames: [String]? = nil) {
        self.tableName = tableName
        self.columns = columns
        self.keyNames = keyNames
        schemaKeywords = JSONObject([("type", "object")])
        cells = columns.map { _ in CellColumn() }
        sequences = CellColumn()
        timesExtracted = CellColumn()
    }

    public var rowCount: Int { sequences.count }

    /// The cell at `row`, `column` (both 0-based and in range).
    public subscript(row: Int, column: Int) -> CellValue { cells[column][row] }

    /// The row's `sequence` when set; nil takes the send time.
    public func sequence(ofRow row: Int) -> Int64? {
        if case .integer(let value) = sequences[row] { return value }
        return nil
    }

    public func timeExtracted(ofRow row: Int) -> String? {
        switch timesExtracted[row] {
        case .string(let text), .dateTime(let text): text
        default: nil
        }
    }

    public func columnIndex(named name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The JSON Schema sent as `schema`: the kept keywords and the declared columns' properties.
    public var schema: JSONValue {
        var object = schemaKeywords
        object["properties"] = .object(JSONObject(columns.filter(\.isDeclared).map { ($0.name, JSONValue.object($0.property)) }))
        return .object(object)
    }

    /// Row `row`'s `data`: its present cells, in column order.
    public func record(_ row: Int) -> JSONObject {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(columns.count)
        for index in columns.indices {
            if let value = cells[index][row].jsonValue { members.append((columns[index].name, value)) }
        }
        return JSONObject(members)
    }

    /// Bytes the rows take in memory (for the benchmark note in the README).
    public var heldBytes: Int {
        cells.reduce(sequences.heldBytes + timesExtracted.heldBytes) { $0 + $1.heldBytes }
    }

    // MARK: - Building (loaders)

    /// Appends a row from a record's members: each goes to the column of its name, a new member
    /// to a new undeclared column. Values are kept as they are; the checks say what does not fit.
    mutating func appendRecord(_ data: JSONObject, sequence: Int64? = nil, timeExtracted: String? = nil,
                               columnIndex index: inout [String: Int]) {
        let row = rowCount
        var filled = 0
        for (name, value) in data.members {
            let column: Int
            if let known = index[name] {
                column = known
            } else {
                column = appendUndeclaredColumn(named: name)
                index[name] = column
            }
            guard cells[column].count == row else { continue } // a repeated key: JSONObject kept the last
            cells[column].append(CellValue(value, dateTime: columns[column].type.isDateTime))
            filled += 1
        }
        finishAppendedRow(row, filledColumns: filled, sequence: sequence, timeExtracted: timeExtracted)
    }

    /// A new undeclared column at the end for a member first met in row `rowCount`, absent in the
    /// rows before; its position.
    mutating func appendUndeclaredColumn(named name: String) -> Int {
        columns.append(BatchColumn(undeclared: name))
        cells.append(CellColumn(repeating: .absent, count: rowCount))
        return columns.count - 1
    }

    /// Ends row `row`, whose cells `filled` columns have appended: the others' cells are absent.
    mutating func finishAppendedRow(_ row: Int, filledColumns filled: Int, sequence: Int64? = nil,
                                    timeExtracted: String? = nil) {
        if filled < columns.count {
            for column in cells.indices where cells[column].count == row { cells[column].append(.absent) }
        }
        sequences.append(sequence.map(CellValue.integer) ?? .absent)
        timesExtracted.append(timeExtracted.map(CellValue.string) ?? .absent)
    }

    /// Declares an inferred type for a column whose cells all fit it as they are: what
    /// `apply(.retypeColumn)` does then, without reading every cell back (date-time columns'
    /// strings, all checked as date-times while loading, are marked so in place).
    mutating func declareInferredColumn(_ column: Int, as type: ColumnType) {
        columns[column].retype(type)
        if type.isDateTime { cells[column].retagAllStringsAsDateTimes() }
    }

    mutating func setSchema(_ schema: JSONValue) -> [String: Int] {
        var keywords = schema.objectValue ?? JSONObject()
        let properties = keywords["properties"]?.objectValue ?? JSONObject()
        keywords["properties"] = nil
        schemaKeywords = keywords
        columns = properties.members.map { BatchColumn(name: $0.key, property: $0.value) }
        cells = columns.map { _ in CellColumn(repeating: .absent, count: rowCount) }
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() { index[column.name] = position }
        return index
    }

    mutating func setKeyNamesUnchecked(_ names: [String]?) { keyNames = names }

    mutating func replaceColumn(_ column: Int, with newColumn: BatchColumn, cells newCells: CellColumn? = nil) {
        columns[column] = newColumn
        if let newCells { cells[column] = newCells }
    }

    mutating func insertColumn(_ column: BatchColumn, cells newCells: CellColumn, at position: Int) {
        columns.insert(column, at: position)
        cells.insert(newCells, at: position)
    }

    mutating func removeColumn(at position: Int) {
        columns.remove(at: position)
        cells.remove(at: position)
    }
}
