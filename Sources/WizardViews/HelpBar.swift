import TerminalUI
import WizardCore

/// The last line: the keys that work on this screen, generated from the state so that keys
/// that do nothing right now are not shown.
enum HelpBar {
    struct Binding: Equatable {
        var key: String
        var action: String
    }

    static func bindings(for state: WizardState) -> [Binding] {
        if state.isConfirmingQuit {
            return [Binding(key: "y", action: "quit, token lost"), Binding(key: "any key", action: "stay")]
        }
        var keys: [Binding]
        switch state.screen {
        case .connect where state.connectForm.isChecking:
            keys = [Binding(key: "esc", action: "cancel the check")]
        case .connect:
            keys = [Binding(key: "enter", action: "continue"), Binding(key: "tab/shift-tab", action: "field"),
                    Binding(key: "ctrl-r", action: "region")]
        case .working:
            keys = []
        case .displayName:
            keys = [Binding(key: "enter", action: "create source")]
            if !state.target.isSandbox { keys.append(Binding(key: "esc", action: "back")) }
        case .token:
            if state.tokenPanel.isSaving {
                keys = [Binding(key: "enter", action: "save"), Binding(key: "esc", action: "cancel")]
            } else {
                keys = [Binding(key: "s", action: "save to file"), Binding(key: "y", action: "I stored it, continue")]
            }
        case .editor:
            keys = [Binding(key: "ctrl-s", action: state.editor.isSending ? "sending…" : "send batch")]
            if state.target.isSandbox { keys.append(Binding(key: "ctrl-d", action: "destination")) }
            keys.append(Binding(key: "arrows", action: "move"))
        case .destination:
            keys = [Binding(key: "esc", action: "editor"), Binding(key: "r", action: "refresh"),
                    Binding(key: "↑↓←→", action: "scroll")]
        case .unsupportedStep:
            keys = state.target.isSandbox || state.source != nil ? [] : [Binding(key: "esc", action: "back")]
        case .failure(let failure):
            keys = []
            if !failure.retry.isEmpty { keys.append(Binding(key: "r", action: "retry")) }
            if failure.back != nil { keys.append(Binding(key: "esc", action: "back")) }
        }
        keys.append(Binding(key: "ctrl-c", action: "quit"))
        return keys
    }

    /// Drops bindings from the middle until the line fits, so quit always stays visible.
    static func render(_ bindings: [Binding], into frame: inout Frame) {
        let row = frame.size.rows - 1
        let available = frame.size.columns - 2
        var shown = bindings
        var truncated = false
        while shown.count > 1, width(of: shown, truncated: truncated) > available {
            shown.remove(at: shown.count - 2)
            truncated = true
        }
        var column = 1
        for (index, binding) in shown.enumerated() {
            if index > 0 {
                let separator = truncated && index == shown.count - 1 ? " … " : " • "
                column += frame.put(separator, row: row, column: column, style: .helpText)
            }
            column += frame.put(binding.key, row: row, column: column, style: .helpKey)
            column += frame.put(DisplayWidth.truncate(" " + binding.action, toWidth: max(0, available + 1 - column)), row: row,
                                column: column, style: .helpText)
        }
    }

    static func width(of bindings: [Binding], truncated: Bool) -> Int {
        bindings.reduce(0) { $0 + DisplayWidth.of($1.key + " " + $1.action) } + max(0, bindings.count - 1) * 3
    }
}
