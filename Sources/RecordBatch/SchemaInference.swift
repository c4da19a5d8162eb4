import StitchAPI

/// A schema guessed from the values of a file that has none, shown for review: each column gets
/// the JSON types its values have (integer widened to number when both occur), `date-time` when
/// every string reads as one, and null when a null was seen.
///
/// CSV cells are all text, so for CSV the text is read first: a column whose every cell reads as
/// an integer becomes integer (and so on); its cells are converted.
enum SchemaInference {
    static func infer(_ batch: inout RecordBatch, fromText: Bool) {
        for column in batch.columns.indices where !batch.columns[column].isDeclared {
            var kinds: Set<ColumnKind> = []
            var sawNull = false
            var allStringsAreDates = true
            var sawString = false
            var textKinds = TextKinds()
            for row in 0..<batch.rowCount {
                switch batch[row, column] {
                case .absent: break
                case .null: sawNull = true
                case .boolean: kinds.insert(.boolean)
                case .integer: kinds.insert(.integer)
                case .number: kinds.insert(.number)
                case .string(let text), .dateTime(let text):
                    kinds.insert(.string)
                    sawString = true
                    if allStringsAreDates && DateTimeValue(parsing: text) == nil { allStringsAreDates = false }
                    if fromText { textKinds.note(text) }
                case .json(.array): kinds.insert(.array)
                case .json: kinds.insert(.object)
                }
            }
            if kinds.contains(.number) { kinds.remove(.integer) }
            var type: ColumnType
            if fromText, kinds == [.string], let kind = textKinds.kind {
                type = ColumnType([kind], isNullable: sawNull)
            } else {
                let ordered = ColumnKind.allCases.filter(kinds.contains)
                type = ColumnType(ordered, isNullable: sawNull || ordered.isEmpty,
                                  format: sawString && allStringsAreDates ? "date-time" : nil)
            }
            if type.kinds.isEmpty { type = ColumnType([.string], isNullable: true) }
            // `retypeColumn` converts the cells (CSV text to numbers, strings to date-times).
            try? batch.apply(.retypeColumn(column, to: type))
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
