/// A key press (or terminal event) as the application sees it, independent of ncurses.
public enum Key: Hashable, Sendable {
    /// A printable character, including non-ASCII text typed through an input method.
    case character(Character)
    case enter
    case tab
    /// Shift-Tab.
    case backTab
    case escape
    case backspace
    /// The Delete key (forward delete).
    case delete
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    /// Ctrl plus a letter, as the lowercase letter: `.control("c")` is Ctrl-C.
    /// Ctrl-H, Ctrl-I, Ctrl-J and Ctrl-M arrive as `.backspace`, `.tab` and `.enter` instead,
    /// because terminals send the same bytes for them.
    case control(Character)
    /// F1…F12 as `.function(1)`…`.function(12)`.
    case function(Int)
    /// Text delivered through bracketed paste, verbatim (newlines included).
    case paste(String)
    /// The terminal changed size; re-read the size and redraw.
    case resize
}
