/// Text typed into a cell that its column cannot take.
public struct CellInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var type: ColumnType
    /// Why, when there is more to say than the type (a number past int64, a bad date-time).
    public var reason: String?

    public init(text: String, type: ColumnType, reason: String? = nil) {
        self.text = text
        self.type = type
        self.reason = reason
    }

    /// "\"abc\" is not integer or null" / "… : it is outside the int64 range …"
    public var description: String {
        let shown = text.count > 40 ? String(text.prefix(39)) + "…" : text
        let head = "\"\(shown)\" is not \(type)"
        return reason.map { "\(head): \($0)" } ?? head
    }
}

/// An edit the batch refuses, with what to do instead.
public enum BatchEditError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchRow(Int, rowCount: Int)
    case noSuchColumn(Int, columnCount: Int)
    /// The value does not fit the column (the column's name and why).
    case valueDoesNotFit(column: String, CellInputError)
    case emptyName(what: String)
    case duplicateColumn(String)

    public var description: String {
        switch self {
        case .noSuchRow(let row, let count): "there is no row \(row + 1); the batch has \(count)"
        case .noSuchColumn(let column, let count): "there is no column \(column + 1); the batch has \(count)"
        case .valueDoesNotFit(let column, let error): "\(column): \(error)"
        case .emptyName(let what): "the \(what) cannot be empty"
        case .duplicateColumn(let name): "there is already a column named \(name)"
        }
    }
}
