import StitchAPI

extension RecordBatch {
    /// The batch with `edit` made; throws, and changes nothing, when the edit does not fit.
    public func applying(_ edit: BatchEdit) throws(BatchEditError) -> RecordBatch {
        var copy = self
        try copy.apply(edit)
        return copy
    }

    /// Makes `edit`; on a thrown error the batch is unchanged.
    public mutating func apply(_ edit: BatchEdit) throws(BatchEditError) {
        switch edit {
        case .setText(let row, let column, let text):
            try check(row: row)
            try check(column: column)
            let value: CellValue
            do throws(CellInputError) {
                value = try columns[column].type.cell(from: text)
            } catch {
                throw .valueDoesNotFit(column: columns[column].name, error)
            }
            cells[column].set(value, at: row)
        case .setValue(let row, let column, let value):
            try check(row: row)
            try check(column: column)
            let type = columns[column].type
            guard type.accepts(value) else {
                throw .valueDoesNotFit(column: columns[column].name, CellInputError(text: value.text, type: type))
            }
            cells[column].set(value, at: row)
        case .addRow(let position):
            let row = position ?? rowCount
            guard row >= 0 && row <= rowCount else { throw .noSuchRow(row, rowCount: rowCount) }
            for column in cells.indices { cells[column].insert(.absent, at: row) }
            sequences.insert(.absent, at: row)
            timesExtracted.insert(.absent, at: row)
        case .duplicateRow(let row):
            try check(row: row)
            for column in cells.indices { cells[column].insert(cells[column][row], at: row + 1) }
            // A copy with the same sequence would tie with its original; the send time orders them.
            sequences.insert(.absent, at: row + 1)
            timesExtracted.insert(timesExtracted[row], at: row + 1)
        case .deleteRows(let rows):
            let sorted = Array(Set(rows)).sorted()
            for row in sorted { try check(row: row) }
            for column in cells.indices { cells[column].remove(sortedRows: sorted) }
            sequences.remove(sortedRows: sorted)
            timesExtracted.remove(sortedRows: sorted)
        case .setSequence(let row, let sequence):
            try check(row: row)
            sequences.set(sequence.map(CellValue.integer) ?? .absent, at: row)
        case .addColumn(let name, let type, let position):
            try checkNewName(name)
            let index = position ?? columns.count
            guard index >= 0 && index <= columns.count else { throw .noSuchColumn(index, columnCount: columns.count) }
            insertColumn(BatchColumn(name: name, type: type), cells: CellColumn(repeating: .absent, count: rowCount), at: index)
        case .renameColumn(let column, let name):
            try check(column: column)
            let old = columns[column].name
            guard name != old else { return }
            try checkNewName(name)
            var renamed = columns[column]
            renamed.name = name
            replaceColumn(column, with: renamed)
            if let keys = keyNames { setKeyNamesUnchecked(keys.map { $0 == old ? name : $0 }) }
        case .retypeColumn(let column, let type):
            try check(column: column)
            var retyped = columns[column]
            retyped.retype(type)
            var converted = cells[column]
            for row in 0..<rowCount {
                let value = converted[row]
                if value == .absent || (type.accepts(value) && !Self.needsRetag(value, for: type)) { continue }
                switch value {
                case .string(let text) where type.isDateTime && DateTimeValue(parsing: text) != nil:
                    converted.retagText(at: row, dateTime: true)
                case .dateTime where !type.isDateTime && type.accepts(.string("")):
                    converted.retagText(at: row, dateTime: false)
                default:
                    if let cell = try? type.cell(from: value.text) { converted.set(cell, at: row) }
                }
            }
            replaceColumn(column, with: retyped, cells: converted)
        case .deleteColumn(let column):
            try check(column: column)
            let name = columns[column].name
            removeColumn(at: column)
            if let keys = keyNames { setKeyNamesUnchecked(keys.filter { $0 != name }) }
        case .setKey(let column, let isKey):
            try check(column: column)
            let name = columns[column].name
            var keys = Set(keyNames ?? [])
            if isKey { keys.insert(name) } else { keys.remove(name) }
            setKeyNamesUnchecked(columns.map(\.name).filter(keys.contains))
        case .setKeyNames(let names):
            setKeyNamesUnchecked(names)
        case .renameTable(let name):
            guard !name.isEmpty else { throw .emptyName(what: "table name") }
            tableName = name
        }
    }

    /// A string that becomes a date-time (or back) when the column's format changes.
    private static func needsRetag(_ value: CellValue, for type: ColumnType) -> Bool {
        switch value {
        case .string: type.isDateTime
        case .dateTime: !type.isDateTime
        default: false
        }
    }

    private func check(row: Int) throws(BatchEditError) {
        guard row >= 0 && row < rowCount else { throw .noSuchRow(row, rowCount: rowCount) }
    }

    private func check(column: Int) throws(BatchEditError) {
        guard column >= 0 && column < columns.count else { throw .noSuchColumn(column, columnCount: columns.count) }
    }

    private func checkNewName(_ name: String) throws(BatchEditError) {
        guard !name.isEmpty else { throw .emptyName(what: "column name") }
        guard columnIndex(named: name) == nil else { throw .duplicateColumn(name) }
    }
}
