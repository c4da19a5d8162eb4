/// Why the terminal could not be taken over.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// stdin or stdout is a pipe or a file; curses would draw into it.
    case notATerminal
    /// ncurses could not set up the terminal (usually an unset or unknown `TERM`).
    case unsupportedTerminal(term: String?)
    /// `start()` was called while another `NcursesTerminal` owns the terminal.
    case alreadyStarted

    public var description: String {
        switch self {
        case .notATerminal:
            return "stitch-wizard needs an interactive terminal (stdin and stdout must be a TTY)"
        case .unsupportedTerminal(let term):
            let name = term.map { "TERM=\($0)" } ?? "TERM is not set"
            return "cannot use this terminal (\(name)); set TERM to a known terminal such as xterm-256color"
        case .alreadyStarted:
            return "the terminal is already in use by another screen"
        }
    }
}
