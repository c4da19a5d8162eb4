import CNcursesw
import Glibc

/// Reading a secret (a token typed in the line mode) from a terminal without echoing it.
///
/// Echo is turned off only around the read, and comes back on every way out: when the read
/// returns, and, through the restore handlers `NcursesTerminal` arms as well, when the process is
/// interrupted (Ctrl-C), terminated, hung up, crashes or exits meanwhile; a shell left without
/// echo would show nothing the user types next.
public enum HiddenInput {
    /// Runs `read` (a blocking read of standard input) with the terminal's echo off when standard
    /// input is a terminal; otherwise just runs it (nothing is echoed from a pipe anyway).
    public static func withEchoOff<T>(_ read: () -> T) -> T {
        var saved = termios()
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else { return read() }
        // The emergency restore puts these settings back and writes no bytes of its own: the line
        // mode has no screen modes to undo.
        _ = tui_save_termios(STDIN_FILENO)
        tui_set_reset_bytes("", 0)
        _ = tui_install_restore_handlers()
        tui_set_restore_armed(1)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        // TCSANOW, not TCSAFLUSH: a line typed or pasted ahead must not be thrown away.
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tui_set_restore_armed(0)
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            tui_uninstall_restore_handlers()
        }
        return read()
    }
}
