import NcursesBackend

/// The product's terminal: ncurses, behind the loop's small interface.
extension NcursesTerminal: TerminalDevice {}
