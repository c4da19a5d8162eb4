import StitchAPI

/// A schema guessed from the values of a file that has none, shown for review: each column gets
/// the JSON types its values have (integer widened to number when both occur), `date-time` when
/// every string reads as one, and null when a null was seen.
///
/// CSV cells are all text, so for CSV the text is read first: a column whose every cell reads as
/// an integer becomes integer (and so on); its cells are converted.
///
/// JSON records are noted as they are loaded (`ColumnFacts`, then `apply`), so a million rows are
/// not read a second time; CSV is typed afterwards from the cells (`infer`).
enum SchemaInference {
    static func infer(_ batch: inout RecordBatch, fromText: Bool) {
        for column in batch.columns.indices where !batch.columns[column].isDeclared {
            var facts = ColumnFacts()
            var textKinds = TextKinds()
            for row in 0..<batch.rowCount {
                let cell = batch[row, column]
                facts.note(cell)
                if fromText, case .string(let text) = cell { textKinds.note(text) }
                if fromText, case .dateTime(let text) = cell { textKinds.note(text) }
            }
            // `retypeColumn` converts the cells (CSV text to numbers, strings to date-times).
            try? batch.apply(.retypeColumn(column, to: facts.type(textKind: fromText ? textKinds.kind : nil)))
        }
    }

    /// Types the undeclared columns from what was noted of their values while loading, `facts[c]`
    /// for column c: the schema and cells `infer(_:fromText: false)` gives the same batch.
    static func apply(_ facts: [ColumnFacts], to batch: inout RecordBatch) {
        for column in batch.columns.indices where !batch.columns[column].isDeclared {
            let noted = column < facts.count ? facts[column] : ColumnFacts()
            let type = noted.type(textKind: nil)
            if noted.cellsFitTheirType {
                batch.declareInferredColumn(column, as: type)
            } else {
                try? batch.apply(.retypeColumn(column, to: type))
            }
        }
    }

    /// What one column's values say about its type, noted value by value.
    struct ColumnFacts {
        /// Bit i: `ColumnKind.allCases[i]` was seen.
        private var kinds: UInt8 = 0
        var sawNull = false
        private var sawString = false
        private var allStringsAreDates = true
        /// False when a cell is one `retypeColumn` would convert to the inferred type (a number too
        /// large for a Double, which no number type accepts; a cell already marked date-time; a
        /// scalar held as JSON): then the column goes through `retypeColumn` as before.
        private(set) var cellsFitTheirType = true

        mutating func noteKind(_ kind: ColumnKind) { kinds |= Self.bit(kind) }

        mutating func noteNumber(_ number: Double) {
            noteKind(.number)
            if !number.isFinite { cellsFitTheirType = false }
        }

        /// A string value, from its UTF-8 bytes.
        mutating func noteString(utf8 bytes: UnsafeBufferPointer<UInt8>) {
            noteKind(.string)
            sawString = true
            if allStringsAreDates && DateTimeValue(utf8: bytes) == nil { allStringsAreDates = false }
        }

        mutating func note(_ cell: CellValue) {
            switch cell {
            case .absent: break
            case .null: sawNull = true
            case .boolean: noteKind(.boolean)
            case .integer: noteKind(.integer)
            case .number(let number): noteNumber(number)
            case .string(var text), .dateTime(var text):
                text.withUTF8 { noteString(utf8: $0) }
                if case .dateTime = cell { cellsFitTheirType = false }
            case .json(.array): noteKind(.array)
            case .json(.object): noteKind(.object)
            case .json:
                noteKind(.object)
                cellsFitTheirType = false
            }
        }

        /// The column's type; `textKind`: the one type every text of a CSV column reads as.
        func type(textKind: ColumnKind?) -> ColumnType {
            var seen = ColumnKind.allCases.filter { kinds & Self.bit($0) != 0 }
            if seen.contains(.number) { seen.removeAll { $0 == .integer } }
            var type: ColumnType
            if let textKind, seen == [.string] {
                type = ColumnType([textKind], isNullable: sawNull)
            } else {
                type = ColumnType(seen, isNullable: sawNull || seen.isEmpty,
                                  format: sawString && allStringsAreDates ? "date-time" : nil)
            }
            if type.kinds.isEmpty { type = ColumnType([.string], isNullable: true) }
            return type
        }

        private static func bit(_ kind: ColumnKind) -> UInt8 {
            switch kind {
            case .integer: 1
            case .number: 2
            case .boolean: 4
            case .string: 8
            case .object: 16
            case .array: 32
            }
        }
    }

    /// Which single type every text of a CSV column reads as, if any.
    private struct TextKinds {
        var integer = true
        var number = true
        var boolean = true
        var seen = false

        mutating func note(_ text: String) {
            seen = true
            let parsed = try? JSONParser.parse(text)
            let trimmed = text == text.trimmingSpaces
            switch parsed {
            case .integer? where trimmed: boolean = false
            case .number(let value)? where trimmed:
                boolean = false
                integer = false
                number = value.isFinite && number
            case .bool? where trimmed: integer = false; number = false
            default:
                integer = false
                number = false
                if text.lowercased() != "true" && text.lowercased() != "false" { boolean = false }
            }
        }

        var kind: ColumnKind? {
            guard seen else { return nil }
            if integer { return .integer }
            if number { return .number }
            if boolean { return .boolean }
            return nil
        }
    }
}
