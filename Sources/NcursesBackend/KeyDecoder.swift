import CNcursesw
import TerminalUI

/// Turns one `wget_wch` result into a `Key` (pure: no ncurses calls, only its constants).
enum KeyDecoder {
    /// What one `wget_wch` call produced.
    enum Input: Equatable {
        case key(Key)
        case pasteBegin
        case pasteEnd
        /// A key the application has no use for (mouse, unknown function keys, NUL).
        case ignored
    }

    /// Decodes a `wget_wch` result: `status` is `OK` or `KEY_CODE_YES`, `code` the character or
    /// key code.
    static func decode(status: Int32, code: UInt32) -> Input {
        if status == KEY_CODE_YES {
            return decodeFunctionKey(Int32(bitPattern: code))
        }
        return decodeCharacter(code)
    }

    private static func decodeCharacter(_ code: UInt32) -> Input {
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)  // Enter is ^J with curses' default nl() mapping
        case 8, 127: return .key(.backspace)
        case 27: return .key(.escape)
        case 1...26:
            // Ctrl-A…Ctrl-Z (raw mode delivers Ctrl-C, Ctrl-S, Ctrl-Z as bytes, not signals).
            guard let letter = Unicode.Scalar(code + 0x60) else { return .ignored }
            return .key(.control(Character(letter)))
        case 0, 28...31, 0x80..<0xA0:
            return .ignored
        default:
            guard let scalar = Unicode.Scalar(code) else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }

    private static func decodeFunctionKey(_ code: Int32) -> Input {
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
        case Int32(TUI_KEY_PASTE_BEGIN): return .pasteBegin
        case Int32(TUI_KEY_PASTE_END): return .pasteEnd
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .key(.function(Int(code - KEY_F0)))
        default: return .ignored
        }
    }
}
