import StitchAPI
import TerminalUI

/// A one-line text answer, checked by its `FieldRule` as the user types.
public struct TextInputField: FormField, Equatable {
    public var id: String
    public var label: String
    public var description: String?
    public var isRequired: Bool
    public var isSkipped = false
    public var rule: FieldRule
    public var text: TextField
    /// Shown in brackets in the line mode, and taken for an empty answer.
    public var defaultValue: String?

    public init(id: String, label: String, description: String? = nil, isRequired: Bool, isSecret: Bool = false,
                rule: FieldRule, text: String = "", placeholder: String = "", defaultValue: String? = nil) {
        self.id = id
        self.label = label
        self.description = description
        self.isRequired = isRequired
        self.rule = rule
        self.text = TextField(text: text, placeholder: placeholder, isMasked: isSecret)
        self.defaultValue = defaultValue
    }

    public var isSecret: Bool { text.isMasked }

    public var value: String? {
        let trimmed = text.text.trimmed
        return trimmed.isEmpty ? nil : trimmed
    }

    public func validate() -> String? {
        guard let value else { return isRequired ? "\(label) is required." : nil }
        return rule.problem(with: value)
    }

    public mutating func update(_ key: Key) -> Bool { text.handle(key) }

    public var keyHelp: [KeyHelp] { [] }

    public func view(into frame: inout Frame, at area: Rect, focused: Bool) {
        text.render(into: &frame, at: area, focused: focused)
    }

    public var accessiblePrompt: LinePrompt {
        var question = label
        if let hint = rule.hint { question += " (\(hint))" }
        if !isRequired { question += " (optional)" }
        // A secret's current value is never written back, not even as a default.
        if !isSecret, let shown = value ?? defaultValue { question += " [\(shown)]" }
        return LinePrompt(lines: description.map { [$0] } ?? [], question: question + ": ", isSecret: isSecret)
    }

    public mutating func accept(_ line: String) -> String? {
        let answer = line.trimmed
        let previous = text
        if !answer.isEmpty { text.text = answer } else if value == nil, let defaultValue { text.text = defaultValue }
        if let problem = validate() {
            text = previous
            return problem
        }
        return nil
    }
}

/// The rule a text field's value must meet; each case calls the one implementation the API
/// applies (StitchAPI), so the preview and the server agree.
public enum FieldRule: Sendable, Equatable {
    /// Any text.
    case any
    /// A source display name: its derived schema name must be valid (`SourceName`).
    case displayName
    /// A report-card property, by its `json_schema` (`PropertyRule` in StitchAPI).
    case property(StepProperty)

    public func problem(with value: String) -> String? {
        switch self {
        case .any: nil
        case .displayName: SourceName.problem(withDisplayName: value)?.description
        case .property(let property): PropertyInput.problem(with: value, for: property)
        }
    }

    /// What kind of value is expected, for the line mode's prompt.
    public var hint: String? {
        switch self {
        case .any, .displayName: nil
        case .property(let property): PropertyInput.hint(for: property)
        }
    }
}
