import CNcursesw
import TerminalUI

/// Turns one `wgetch` result into terminal input (pure: no ncurses calls, only its constants).
/// Bytes go on to `KeySequenceDecoder`, which assembles UTF-8 and recognises the escape
/// sequences ncurses did not.
enum KeyDecoder {
    /// The inputs for one `wgetch` result (`ERR` excluded): a byte (0–255) or a key code.
    ///
    /// `KEY_MOUSE` is ncurses matching the terminal's `kmous` string (`ESC[M` for X10 reports,
    /// `ESC[<` for SGR ones) while mouse reporting is off, so it leaves the report's rest unread;
    /// the prefix is replayed so the sequence decoder drops the whole report instead of letting
    /// its tail be typed. Key codes the application has no use for give no input.
    static func inputs(code: Int32, mousePrefix: String) -> [TerminalInput] {
        if (0...255).contains(code) { return [.byte(UInt8(code))] }
        if code == KEY_MOUSE { return Array(mousePrefix.utf8).map(TerminalInput.byte) }
        return functionKey(code).map { [$0] } ?? []
    }

    private static func functionKey(_ code: Int32) -> TerminalInput? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .key(.resize)
        case Int32(TUI_KEY_PASTE_BEGIN): return .pasteStart
        case Int32(TUI_KEY_PASTE_END): return .pasteEnd
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }
}
