import CNcursesw
import Glibc
import TerminalUI

/// The application's handle on the real terminal, through ncursesw.
///
/// ncurses is process-global and not thread-safe, so the terminal lives on the main actor. Call
/// `start()`, then alternate `draw(_:)` and `readKey()` (which waits at most `inputTimeout`, so
/// other main-actor work keeps running), and `stop()` when done. The terminal is also restored
/// when the process exits, is killed by SIGINT/SIGTERM/SIGHUP/SIGQUIT, or crashes.
@MainActor
public final class NcursesTerminal {
    /// How long `readKey()` waits for input before returning nil.
    public let inputTimeout: Duration
    /// True between a successful `start()` and `stop()`.
    public private(set) var isActive = false
    /// False under `NO_COLOR` or on terminals without colours; attributes are still drawn.
    public var usesColor: Bool { colors.isEnabled }

    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var colors = ColorPairs(isEnabled: false, hasDefaultColors: false, capacity: 0)
    /// Last value passed to `curs_set`, to avoid re-sending it every frame (nil: unknown).
    private var cursorShown: Bool?

    /// Turns what ncurses reads into keys, dropping escape sequences that are not keys.
    private var decoder = KeySequenceDecoder()
    /// Keys decoded but not yet returned (one read can complete several).
    private var decodedKeys: [Key] = []
    /// What this terminal sends before a mouse report's data (terminfo `kmous`).
    private var mousePrefix = "\u{1B}[M"
    /// Set by `invalidate()`: the next `draw` repaints every cell.
    private var needsFullRepaint = false
    private let clock = ContinuousClock()

    /// Only one terminal may own the process's tty at a time.
    private static var hasOwner = false

    /// Inputs `readKey()` consumes at most before returning, so a long paste never stops drawing.
    private static let maximumInputsPerRead = 4096

    public init(inputTimeout: Duration = .milliseconds(30)) {
        self.inputTimeout = inputTimeout
    }

    // MARK: Lifecycle

    /// Takes over the terminal: raw keyboard (Ctrl-C and Ctrl-S arrive as keys), no echo,
    /// alternate screen, colours unless `NO_COLOR` is set, bracketed paste on.
    public func start() throws(TerminalError) {
        guard !isActive, !Self.hasOwner else { throw .alreadyStarted }
        try Self.checkUsable()

        // Saved before curses touches the tty: this is what every exit path goes back to.
        _ = tui_save_termios(STDIN_FILENO)
        setlocale(LC_ALL, "")
        // newterm rather than initscr: initscr exits the process on an unknown TERM.
        guard let screen = tui_newterm(), let window = tui_stdscr() else {
            throw .unsupportedTerminal(term: Self.environment("TERM"))
        }
        self.screen = screen
        self.window = window

        raw()  // not cbreak: Ctrl-C must be a key so the app can ask before quitting; no XON/XOFF
        noecho()
        nonl()  // keep CR and LF apart so a pasted CRLF becomes one newline
        keypad(window, true)
        if Self.environment("ESCDELAY") == nil { set_escdelay(25) }  // default is a full second
        wtimeout(window, Int32(clamping: inputTimeout.milliseconds))
        colors = Self.setUpColors()

        _ = define_key("\u{1B}[200~", Int32(TUI_KEY_PASTE_BEGIN))
        _ = define_key("\u{1B}[201~", Int32(TUI_KEY_PASTE_END))
        Self.writeToTerminal(Self.bracketedPasteOn)

        let reset = Self.resetSequence()
        reset.withCString { tui_set_reset_bytes($0, strlen($0)) }
        _ = tui_install_restore_handlers()
        tui_set_restore_armed(1)

        cursorShown = nil
        decoder = KeySequenceDecoder()
        decodedKeys = []
        let mouse = Self.terminfoString("kmous")
        mousePrefix = mouse.isEmpty ? "\u{1B}[M" : mouse
        needsFullRepaint = true
        isActive = true
        Self.hasOwner = true
    }

    /// Checks, before anything is drawn, that a full-screen UI can run here: stdin and stdout
    /// are a TTY, and TERM names a terminal ncurses knows that can move the cursor. `TERM=dumb`
    /// (and hardcopy terminals) cannot: ncurses would print one line at the bottom.
    public static func checkUsable() throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        // The probe loads terminfo and makes a screen: once per process is enough (the mode is
        // chosen with this check, and `start()` makes it again).
        if isKnownUsable { return }
        guard let term = environment("TERM"), !term.isEmpty else { throw .unsupportedTerminal(term: nil) }
        // A probe screen writing to /dev/null: nothing reaches the real terminal if it is refused.
        guard let output = fopen("/dev/null", "w") else { return }
        defer { fclose(output) }
        guard let input = fopen("/dev/null", "r") else { return }
        defer { fclose(input) }
        guard let probe = newterm(term, output, input) else { throw .unsupportedTerminal(term: term) }
        let cursorAddress = tigetstr("cup")
        let canMoveCursor = cursorAddress != nil && Int(bitPattern: cursorAddress) != -1 && tigetflag("hc") != 1
        endwin()
        delscreen(probe)
        guard canMoveCursor else { throw .cannotMoveCursor(term: term) }
        isKnownUsable = true
    }

    /// A probe of this process's TERM has passed.
    private static var isKnownUsable = false

    /// Gives the terminal back: bracketed paste off, cursor visible, normal screen, the tty
    /// settings from before `start()`. Safe to call more than once.
    public func stop() {
        guard isActive else { return }
        Self.writeToTerminal(Self.bracketedPasteOff)
        curs_set(1)
        endwin()
        tui_set_restore_armed(0)
        _ = tui_restore_termios(STDIN_FILENO)
        tui_uninstall_restore_handlers()
        if let screen { delscreen(screen) }
        screen = nil
        window = nil
        isActive = false
        Self.hasOwner = false
    }

    /// Leaves curses mode while `body` runs (for `$EDITOR` or a shell), then resumes it.
    /// Redraw with `draw(_:)` afterwards.
    public func suspend<T>(during body: () throws -> T) rethrows -> T {
        guard isActive, let window else { return try body() }
        Self.writeToTerminal(Self.bracketedPasteOff)
        def_prog_mode()
        endwin()
        tui_set_restore_armed(0)
        _ = tui_restore_termios(STDIN_FILENO)
        defer {
            reset_prog_mode()
            Self.writeToTerminal(Self.bracketedPasteOn)
            tui_set_restore_armed(1)
            cursorShown = nil
            wrefresh(window)
        }
        return try body()
    }

    // MARK: Output

    /// The terminal's current size (zero before `start()`); changes are announced by `.resize`.
    public var size: Size {
        guard let window else { return .zero }
        return Size(columns: Int(getmaxx(window)), rows: Int(getmaxy(window)))
    }

    /// Makes the next `draw` repaint every cell instead of only what changed. After a resize
    /// the terminal may have reflowed or cleared its contents, so curses' idea of what is on
    /// screen is wrong and a diffed update would leave parts of an older frame.
    public func invalidate() {
        needsFullRepaint = true
    }

    /// Shows `frame`. ncurses diffs against the screen, so drawing whole frames is cheap.
    /// A frame larger than the terminal is clipped; a smaller one leaves the rest blank.
    public func draw(_ frame: Frame) {
        guard isActive, let window else { return }
        if needsFullRepaint {
            wclear(window)  // erase, and clear the physical screen on the next refresh
            needsFullRepaint = false
        } else {
            werase(window)
        }
        let rows = min(Int(getmaxy(window)), frame.size.rows)
        let columns = min(Int(getmaxx(window)), frame.size.columns)
        var character = cchar_t()
        let capacity = Int(CCHARW_MAX)
        var wide = [wchar_t](repeating: 0, count: capacity + 1)
        for row in 0..<max(0, rows) {
            for column in 0..<max(0, columns) {
                let cell = frame[row, column]
                if cell.isContinuation { continue }
                // Half a wide character would not fit where the window is narrower than the frame.
                let isWide = column + 1 < frame.size.columns && frame[row, column + 1].isContinuation
                let text = (isWide && column + 1 >= columns) || cell.text.isEmpty ? " " : cell.text
                var count = 0
                for scalar in text.unicodeScalars.prefix(capacity) {
                    wide[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                wide[count] = 0
                setcchar(&character, wide, Self.attributes(for: cell.style), colors.pair(for: cell.style), nil)
                // ERR at the bottom-right cell is expected (curses would have to scroll); ignore it.
                _ = mvwadd_wch(window, Int32(row), Int32(column), &character)
            }
        }
        if let cursor = frame.cursor, cursor.row >= 0, cursor.row < rows, cursor.column >= 0, cursor.column < columns {
            setCursorShown(true)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            setCursorShown(false)
        }
        wrefresh(window)
    }

    private func setCursorShown(_ shown: Bool) {
        guard cursorShown != shown else { return }
        curs_set(shown ? 1 : 0)
        cursorShown = shown
    }

    private static func attributes(for style: Style) -> attr_t {
        var attributes: attr_t = 0
        if style.bold { attributes |= TUI_A_BOLD }
        if style.dim { attributes |= TUI_A_DIM }
        if style.reverse { attributes |= TUI_A_REVERSE }
        if style.underline { attributes |= TUI_A_UNDERLINE }
        return attributes
    }

    // MARK: Input

    /// A key that has already arrived (or completes with input already there), without waiting.
    public func pollKey() -> Key? {
        guard isActive, let window else { return nil }
        wtimeout(window, 0)
        defer { wtimeout(window, Int32(clamping: inputTimeout.milliseconds)) }
        return readKey()
    }

    /// Waits up to `inputTimeout` for one key. Returns nil on timeout or while an escape
    /// sequence or paste is still arriving. Escape sequences that are not keys (focus and mouse
    /// reports, OSC strings, unknown CSI) are dropped; a bracketed paste is returned whole as
    /// `.paste` (see `KeySequenceDecoder` for the deadlines that end unfinished ones).
    public func readKey() -> Key? {
        // Stopped (SIGTSTP) and continued: the screen is the shell's now, whatever size it has.
        if isActive, tui_take_continued() != 0 {
            reenterAfterStop()
            return .resize
        }
        guard let key = nextDecodedKey() else { return nil }
        // A key that came with (or right after) a resize is read before ncurses reports the
        // resize: the size changes before the key is judged, so it cannot act on a screen that
        // is no longer shown. ncurses' own KEY_RESIZE follows later and repaints again.
        if key != .resize, let actual = Self.kernelSize(), actual != size {
            resizeterm(Int32(actual.rows), Int32(actual.columns))
            decodedKeys.insert(key, at: 0)
            return .resize
        }
        return key
    }

    /// After a stop and `fg`: the stop handler (CNcursesw's `tui_stop_signal_handler`) gave the
    /// terminal back to the shell (normal screen, the shell's modes, bracketed paste off) and put
    /// our tty modes back on SIGCONT, but curses still believes its screen is up and would only
    /// send differences. `endwin` marks it down, so the next refresh re-enters the alternate
    /// screen, keypad and program modes, and the full repaint replaces what the shell printed.
    private func reenterAfterStop() {
        endwin()
        Self.writeToTerminal(Self.bracketedPasteOn)
        cursorShown = nil
        needsFullRepaint = true
    }

    /// The terminal's size as the kernel has it now; nil when it cannot say.
    private static func kernelSize() -> Size? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return Size(columns: Int(size.ws_col), rows: Int(size.ws_row))
    }

    private func nextDecodedKey() -> Key? {
        guard isActive, let window else { return nil }
        var inputs = 0
        while decodedKeys.isEmpty, inputs < Self.maximumInputsPerRead {
            // Bytes (wgetch), not characters (wget_wch): ncurses drops everything that arrived with
            // a byte that is not UTF-8, where the decoder drops only that byte.
            let code = wgetch(window)
            let now = clock.now
            if code == ERR {
                decodedKeys += decoder.expire(at: now)
                break
            }
            inputs += 1
            for input in KeyDecoder.inputs(code: code, mousePrefix: mousePrefix) {
                decodedKeys += decoder.feed(input, at: now)
            }
            // Between keys the loop must get to draw; only an unfinished sequence is read on at once.
            if decoder.isIdle { break }
        }
        return decodedKeys.isEmpty ? nil : decodedKeys.removeFirst()
    }

    // MARK: Setup helpers

    private static let bracketedPasteOn = "\u{1B}[?2004h"
    private static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Colours unless `NO_COLOR` is set (https://no-color.org: any non-empty value) or the
    /// terminal has none; `use_default_colors` lets the user's own background show through.
    private static func setUpColors() -> ColorPairs {
        let noColor = environment("NO_COLOR").map { !$0.isEmpty } ?? false
        guard !noColor, has_colors() else {
            return ColorPairs(isEnabled: false, hasDefaultColors: false, capacity: 0)
        }
        start_color()
        let hasDefaultColors = use_default_colors() == OK
        return ColorPairs(isEnabled: true, hasDefaultColors: hasDefaultColors, capacity: Int(tui_color_pairs()))
    }

    /// The bytes a signal handler writes to undo our modes without curses: bracketed paste off,
    /// then this terminal's own terminfo strings for attributes off, keypad off, cursor on and
    /// leaving the alternate screen.
    private static func resetSequence() -> String {
        var sequence = bracketedPasteOff
        for capability in ["sgr0", "rmkx", "cnorm", "rmcup"] {
            sequence += terminfoString(capability)
        }
        return sequence
    }

    /// A terminfo string capability with `$<…>` padding removed ("" when absent; an unclosed
    /// `$<` is kept). Scanned as bytes: the generic string searches cost their first use's
    /// runtime lookups on the way to the first frame.
    private static func terminfoString(_ name: String) -> String {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return "" }
        return withoutPadding(UnsafeRawBufferPointer(start: value, count: strlen(value)))
    }

    /// `bytes` without its `$<…>` delays.
    private static func withoutPadding(_ bytes: UnsafeRawBufferPointer) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "<"),
               let end = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: ">")) {
                index = end + 1
                continue
            }
            result.append(bytes[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static func writeToTerminal(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(STDOUT_FILENO, base + written, buffer.count - written)
            }
            if result > 0 {
                written += result
            } else if result < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds (rounded down).
    fileprivate var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
