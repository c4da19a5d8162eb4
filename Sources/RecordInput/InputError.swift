/// A problem with the input, tied to where it is: every message names its line (and, for a JSON
/// array or CSV, which record), so a person can open the file there.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line where the offending record starts; 0 when the problem is not in one record.
    public var line: Int
    /// 1-based character column in that line, where the reader knows exactly (a CSV quoting error).
    public var column: Int?
    public var message: String

    public init(line: Int, column: Int? = nil, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        guard line > 0 else { return message }
        return column.map { "line \(line), column \($0): \(message)" } ?? "line \(line): \(message)"
    }
}
