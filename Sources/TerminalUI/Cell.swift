/// One terminal column.
///
/// `text` holds exactly one spacing scalar followed by any zero-width scalars that attach to it
/// (combining marks, variation selectors). This mirrors ncurses' `cchar_t`, so a `Frame` can be
/// blitted cell by cell without re-measuring. The right half of a double-width character is a
/// continuation cell with empty text; renderers skip it.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style
    public var isContinuation: Bool

    public init(text: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.text = text
        self.style = style
        self.isContinuation = isContinuation
    }

    /// An unstyled space.
    public static let blank = Cell()

    /// A space in `style`.
    public static func blank(_ style: Style) -> Cell {
        Cell(text: " ", style: style)
    }

    /// The right half of a wide character drawn in `style`.
    public static func continuation(_ style: Style) -> Cell {
        Cell(text: "", style: style, isContinuation: true)
    }
}
