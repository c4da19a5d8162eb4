/// A value as a destination stores it, already converted to its column's type.
public enum CellValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case text(String)
    /// A UTC instant as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (fixed width, so text order is time order).
    case timestamp(String)

    /// The type of column this value belongs in; nil for NULL, which fits any column.
    public var columnType: ColumnType? {
        switch self {
        case .null: nil
        case .integer: .integer
        case .real: .number
        case .boolean: .boolean
        case .text: .string
        case .timestamp: .dateTime
        }
    }

    /// This value in a column of `type` when that loses nothing (a whole double in a `bigint`
    /// key, an integer in a `double precision` key); nil otherwise. Only key values are
    /// converted: a key column cannot split.
    func converted(to type: ColumnType) -> CellValue? {
        if columnType == type { return self }
        switch (self, type) {
        case (.real(let number), .integer):
            guard let exact = Int64(exactly: number) else { return nil }
            return .integer(exact)
        case (.integer(let number), .number):
            let double = Double(number)
            return Int64(exactly: double) == number ? .real(double) : nil
        default:
            return nil
        }
    }

    /// The text a reader shows: what both destinations render the same way, so one test suite
    /// can compare them. NULL reads `NULL`; booleans `true`/`false`; doubles as Swift prints them.
    public var displayText: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .text(let value), .timestamp(let value): value
        }
    }
}
