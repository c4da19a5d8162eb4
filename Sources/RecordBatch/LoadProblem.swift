/// Something in a loaded file that did not become a row, or the reason a file could not be read,
/// located so the user can open the file there.
public struct LoadProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line where it is (for CSV, the line the row starts on); 0 for the file as a whole.
    public var line: Int
    /// 1-based character column in that line, when known.
    public var column: Int?
    public var message: String

    public init(line: Int, column: Int? = nil, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// "line 3, column 7: …"
    public var description: String {
        switch (line, column) {
        case (0, _): message
        case (_, nil): "line \(line): \(message)"
        case (_, let column?): "line \(line), column \(column): \(message)"
        }
    }
}
