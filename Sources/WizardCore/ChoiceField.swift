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
    /// The chosen value must still meet it (the options come from the same schema, so it only
    /// refuses when the schema asks more than its list, e.g. an `enum` that `pattern` narrows).
    public var rule: FieldRule

    public init(id: String, label: String, description: String? = nil, isRequired: Bool, options: [String],
                selected: Int? = nil, rule: FieldRule = .any) {
        self.id = id
        self.label = label
        self.description = description
        self.isRequired = isRequired
        self.options = options
        self.selected = selected
        self.rule = rule
    }

    public var isSecret: Bool { false }

    public var value: String? { selected.flatMap { options.indices.contains($0) ? options[$0] : nil } }

    public func validate() -> String? {
        guard let value else { return isRequired ? "Choose a value for \(label)." : nil }
        return rule.problem(with: value, label: label)
    }

    public mutating func update(_ key: Key) -> Bool {
        guard !options.isEmpty else { return false }
        switch key {
        case .right, .character(" "):
            selected = ((selected ?? -1) + 1) % options.count
        case .left:
            selected = ((selected ?? options.count) - 1 + options.count) % options.count
        case .backspace, .delete:
            // An optional choice can be left unanswered again (nothing is sent for it).
            guard !isRequired, selected != nil else { return false }
            selected = nil
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

    public var keyHelp: [KeyHelp] {
        [KeyHelp(key: "←→", action: "choose")] + (!isRequired && selected != nil ? [KeyHelp(key: "backspace", action: "clear")] : [])
    }

    public func view(into frame: inout Frame, at area: Rect, focused: Bool) {
        let texts = options.enumerated().map { ($0 == selected ? "(•) " : "( ) ") + $1 }
        let widths = texts.map { DisplayWidth.of($0) + 2 }
        // When the options do not all fit, the window starts late enough to show the chosen one,
        // with ‹ and … saying that more lie either side.
        var first = 0
        if let selected, widths.reduce(0, +) - 2 > area.width {
            while first < selected, widths[first...selected].reduce(0, +) + 2 > area.width - 2 { first += 1 }
        }
        var column = area.x
        let limit = area.x + area.width
        if first > 0 { column += frame.put("‹ ", row: area.y, column: column, style: .muted) }
        for index in options.indices where index >= first {
            let isSelected = index == selected
            guard column + DisplayWidth.of(texts[index]) <= limit - (index == options.count - 1 ? 0 : 1) else {
                frame.put("…", row: area.y, column: min(column, limit - 1), style: .muted)
                break
            }
            column += frame.put(texts[index], row: area.y, column: column,
                                style: isSelected ? (focused ? .selected : .accent) : .plain)
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
        // A name first: with numeric options (`frequency_in_minutes`: 1, 30, 60…) "30" means 30.
        let chosen = options.firstIndex { $0.lowercased() == answer.lowercased() }
            ?? Int(answer).flatMap { options.indices.contains($0 - 1) ? $0 - 1 : nil }
        if let chosen {
            let previous = selected
            selected = chosen
            if let problem = validate() {
                selected = previous
                return problem
            }
            return nil
        }
        let numbers = "answer with a number from 1 to \(options.count) or one of: \(options.joined(separator: ", "))."
        // The property's own rule first, worded as the server would refuse the value.
        if let problem = rule.problem(with: answer, label: label) { return problem + "; " + numbers }
        return numbers.prefix(1).uppercased() + numbers.dropFirst()
    }
}
