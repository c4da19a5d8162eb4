/// Why the terminal could not be taken over.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// stdin or stdout is a pipe or a file; curses would draw into it.
    case notATerminal
    /// TERM is unset or empty (nil), or names a terminal the terminfo database does not have.
    case unsupportedTerminal(term: String?)
    /// The terminal cannot move the cursor (`TERM=dumb`, hardcopy): no full-screen UI possible.
    case cannotMoveCursor(term: String)
    /// `start()` was called while another `NcursesTerminal` owns the terminal.
    case alreadyStarted

    /// Whether the process has no full-screen terminal at all (as opposed to one in use).
    public var isMissingTerminal: Bool { self != .alreadyStarted }

    public var description: String {
        switch self {
        case .notATerminal:
            return "stitch-wizard needs an interactive terminal: stdin and stdout must be a TTY, not a pipe or a "
                + "file. Run it directly in a terminal window."
        case .unsupportedTerminal(nil):
            return "stitch-wizard needs a terminal that supports cursor movement, but TERM is not set. "
                + "Set TERM to your terminal's type, e.g. TERM=xterm-256color."
        case .unsupportedTerminal(let term?):
            return "stitch-wizard does not know the terminal type TERM=\(term) (it is not in the terminfo "
                + "database). Set TERM to a known type such as xterm-256color."
        case .cannotMoveCursor(let term):
            return "stitch-wizard needs a terminal that supports cursor movement (TERM=\(term) does not). "
                + "Run it in a terminal such as xterm-256color, or set TERM=xterm-256color if yours is one."
        case .alreadyStarted:
            return "the terminal is already in use by another screen"
        }
    }
}
