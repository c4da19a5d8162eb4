/// A terminal or frame size in character cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public static let zero = Size(columns: 0, rows: 0)

    /// True when both dimensions are at least those of `minimum`.
    public func fits(_ minimum: Size) -> Bool {
        columns >= minimum.columns && rows >= minimum.rows
    }

    /// "80×24", the usual way to talk about terminal sizes.
    public var description: String { "\(columns)×\(rows)" }
}
