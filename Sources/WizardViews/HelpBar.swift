import TerminalUI
import WizardCore

/// The last line: the keys that work on this screen, generated from the state so that keys
/// that do nothing right now are not shown.
enum HelpBar {
    typealias Binding = KeyHelp

    /// The screen's own bindings (the values its key handling reads), then quit.
    static func bindings(for state: WizardState) -> [Binding] {
        if state.isConfirmingQuit {
            return [Binding(key: "y", action: "quit, token lost"), Binding(key: "any key", action: "stay")]
        }
        return state.screen.keyHelp(in: state.session) + [quitHelp]
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
