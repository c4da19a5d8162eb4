import CNcursesw
import TerminalUI

/// Allocates ncurses colour pairs on demand, one per foreground/background combination.
struct ColorPairs {
    private struct Combination: Hashable {
        let foreground: Color
        let background: Color
    }

    /// False under `NO_COLOR` or on terminals without colour: every style maps to pair 0.
    let isEnabled: Bool
    /// Whether `use_default_colors` succeeded, so -1 means "the terminal's own colour".
    private let hasDefaultColors: Bool
    private let capacity: Int
    private var pairs: [Combination: Int16] = [:]

    init(isEnabled: Bool, hasDefaultColors: Bool, capacity: Int) {
        self.isEnabled = isEnabled
        self.hasDefaultColors = hasDefaultColors
        self.capacity = capacity
    }

    /// The pair for `style`, created on first use; pair 0 when colours are off or exhausted.
    mutating func pair(for style: Style) -> Int16 {
        guard isEnabled, style.foreground != .default || style.background != .default else { return 0 }
        let combination = Combination(foreground: style.foreground, background: style.background)
        if let existing = pairs[combination] { return existing }
        let number = pairs.count + 1
        guard number < capacity, let pairNumber = Int16(exactly: number) else { return 0 }
        guard init_pair(pairNumber, cursesColor(style.foreground, isForeground: true),
                        cursesColor(style.background, isForeground: false)) == OK else { return 0 }
        pairs[combination] = pairNumber
        return pairNumber
    }

    private func cursesColor(_ color: Color, isForeground: Bool) -> Int16 {
        if color != .default { return Int16(color.rawValue) }
        if hasDefaultColors { return -1 }
        return Int16(isForeground ? COLOR_WHITE : COLOR_BLACK)
    }
}
