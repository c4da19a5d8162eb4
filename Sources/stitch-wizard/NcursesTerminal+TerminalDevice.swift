import NcursesBackend
import WizardRuntime

/// The product's terminal: ncurses, behind the loop's small interface. The conformance lives in
/// the executable, so WizardRuntime (and its tests) never link ncurses.
extension NcursesTerminal: TerminalDevice {}
