import NcursesBackend
import WizardRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The product's terminal: ncurses, behind the loop's small interface. The conformance lives in
/// the executable, so WizardRuntime (and its tests) never link ncurses.
extension NcursesTerminal: TerminalDevice {
    /// ncurses reads the keys from stdin (newterm with stdin), a byte at a time, so stdin turning
    /// readable means a key is coming; the loop then waits on it and on effect results together.
    public var inputDescriptor: Int32? { STDIN_FILENO }
}
