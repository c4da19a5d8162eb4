/// The eight ANSI colours plus the terminal's own default.
///
/// Kept to the basic palette on purpose: it works on every terminal, maps 1:1 onto ncurses
/// `COLOR_*` and SGR 30–37/40–47, and `default` lets the user's own background show through.
public enum Color: Int, Hashable, Sendable, CaseIterable {
    case `default` = -1
    case black = 0
    case red = 1
    case green = 2
    case yellow = 3
    case blue = 4
    case magenta = 5
    case cyan = 6
    case white = 7
}
