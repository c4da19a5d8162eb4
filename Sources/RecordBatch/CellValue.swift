import StitchAPI

/// One cell of the grid: a record's member value, typed.
///
/// `absent` is a member the record does not have, which the Import API tells apart from `null`
/// (a missing key property vs a null one read the same to the gate, but a missing member leaves
/// an existing destination value alone on upsert while null overwrites it [I]).
public enum CellValue: Sendable, Hashable {
    case absent
    case null
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    /// A string the column declares `format: date-time`, kept as written (RFC 3339).
    case dateTime(String)
    /// A nested object or array, edited as JSON text in the cell.
    case json(JSONValue)

    /// The member's JSON value; nil for `absent`.
    public var jsonValue: JSONValue? {
        switch self {
        case .absent: nil
        case .null: .null
        case .boolean(let value): .bool(value)
        case .integer(let value): .integer(value)
        case .number(let value): .number(value)
        case .string(let text), .dateTime(let text): .string(text)
        case .json(let value): value
        }
    }

    /// The cell for a record's member value; strings become `dateTime` when `dateTime` is true
    /// (the column's format) and they parse as one.
    public init(_ value: JSONValue?, dateTime: Bool = false) {
        switch value {
        case nil: self = .absent
        case .null?: self = .null
        case .bool(let flag)?: self = .boolean(flag)
        case .integer(let number)?: self = .integer(number)
        case .number(let number)?: self = .number(number)
        case .string(let text)?:
            self = dateTime && DateTimeValue(parsing: text) != nil ? .dateTime(text) : .string(text)
        case .array?, .object?: self = .json(value ?? .null)
        }
    }

    /// The text shown in a cell and offered for editing: strings as they are, JSON compact.
    public var text: String {
        switch self {
        case .absent: ""
        case .null: "null"
        case .boolean(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): JSONValue.number(value).jsonText
        case .string(let text), .dateTime(let text): text
        case .json(let value): value.jsonText
        }
    }
}
