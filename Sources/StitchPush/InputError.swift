/// A problem with the input, tied to where it is: every message names its line (and, for a JSON
/// array or CSV, which record), so a person can open the file there.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line where the offending record starts; 0 when the problem is not in one record.
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}
