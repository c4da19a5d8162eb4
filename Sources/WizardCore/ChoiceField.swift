import TerminalUI

/// One of a fixed list of values (`enum`, `anyOf`, booleans), picked with ← → on screen and by
/// number or name in the line mode.
public struct ChoiceField: FormField, Equatable {
    public var id: String
    public var label: String
    public var description: String?
    public var isRequired: Bool
    public var isSkipped = false
    public var options: [String]
    /// nil until chosen, unless the field has a default.
    public var selected: Int?

    public init(id: String, label: String, description: String? = nil, isRequired: Bool, options: [String],
                selected: Int? = nil) {
        self.id = id
        self.label = label
        self.description = description
        self.isRequired = isRequired
        self.options = options
        self.selected = selected
    }

    public var isSecret: Bool { false }

    public var value: String? { selected.flatMap { options.indices.contains($0) ? options[$0] : nil } }

    public func validate() -> String? {
        value == nil && isRequired ? "Choose a value for \(label)." : nil
    }

    public mutating func update(_ key: Key) -> Bool {
        guard !options.isEmpty else { return false }
        switch key {
        case .right, .character(" "):
            selected = ((selected ?? -1) + 1) % options.count
        case .left:
            selected = ((selected ?? options.count) - 1 + options.count) % options.count
        case .character(let typed):
            // Typing a value's first letter picks the next option that starts with it.
            let start = (selected ?? -1) + 1
            let order = Array(options.indices[start...]) + Array(options.indices[..<start])
            guard let match = order.first(where: { options[$0].lowercased().hasPrefix(typed.lowercased()) }) else { return false }
            selected = match
        default:
            return false
        }
        return true
    }

    public var keyHelp: [KeyHelp] { [KeyHelp(key: "←→", action: "choose")] }

    public func view(into frame: inout Frame, at area: Rect, focused: Bool) {
        var column = area.x
        let limit = area.x + area.width
        for (index, option) in options.enumerated() {
            let isSelected = index == selected
            let text = isSelected ? "(•) \(option)" : "( ) \(option)"
            guard column + DisplayWidth.of(text) <= limit else {
                frame.put("…", row: area.y, column: min(column, limit - 1), style: .muted)
                break
            }
            column += frame.put(text, row: area.y, column: column, style: isSelected ? (focused ? .selected : .accent) : .plain)
            column += 2
        }
        if focused { frame.cursor = nil }
    }

    public var accessiblePrompt: LinePrompt {
        let shown = value.map { " [\($0)]" } ?? ""
        return LinePrompt(lines: description.map { [$0] } ?? [],
                          options: options, question: "\(label) (number or name)\(isRequired ? "" : " (optional)")\(shown): ")
    }

    public mutating func accept(_ line: String) -> String? {
        let answer = line.trimmed
        if answer.isEmpty { return validate() }
        if let number = Int(answer), options.indices.contains(number - 1) {
            selected = number - 1
            return nil
        }
        if let index = options.firstIndex(where: { $0.lowercased() == answer.lowercased() }) {
            selected = index
            return nil
        }
        return "Answer with a number from 1 to \(options.count) or one of: \(options.joined(separator: ", "))."
    }
}
