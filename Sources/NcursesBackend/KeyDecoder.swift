import CNcursesw
import TerminalUI

/// Turns one `wget_wch` result into terminal input (pure: no ncurses calls, only its constants).
/// Characters go on to `KeySequenceDecoder`, which recognises escape sequences ncurses did not.
enum KeyDecoder {
    /// Decodes a `wget_wch` result: `status` is `OK` or `KEY_CODE_YES`, `code` the character or
    /// key code. Nil for key codes the application has no use for (mouse, unknown function keys).
    static func input(status: Int32, code: UInt32) -> TerminalInput? {
        if status == KEY_CODE_YES {
            return functionKey(Int32(bitPattern: code))
        }
        return Unicode.Scalar(code).map(TerminalInput.scalar)
    }

    /// The inputs for one `wget_wch` result. `KEY_MOUSE` is ncurses matching the terminal's
    /// `kmous` string (`ESC[M` for X10 reports, `ESC[<` for SGR ones) while mouse reporting is
    /// off, so it leaves the report's rest unread; the prefix is replayed so the sequence decoder
    /// drops the whole report instead of letting its tail be typed.
    static func inputs(status: Int32, code: UInt32, mousePrefix: String) -> [TerminalInput] {
        if status == KEY_CODE_YES, Int32(bitPattern: code) == KEY_MOUSE {
            return mousePrefix.unicodeScalars.map(TerminalInput.scalar)
        }
        return input(status: status, code: code).map { [$0] } ?? []
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
