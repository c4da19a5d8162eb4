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
    /// What kind of value is expected ("a whole number", "e.g. 2024-01-31T00:00:00Z"), in the
    /// line mode's question.
    public var hint: String?
    /// Which typed characters the field takes; a paste is taken whole and checked by the rule.
    public var characters: Characters = .any
    /// A secret the source already has: an empty answer keeps it (nothing is sent).
    public var keepsSavedSecret = false

    public enum Characters: Sendable, Equatable {
        case any
        /// Digits, and a minus sign first (`type: integer`).
        case integer
    }

    public init(id: String, label: String, description: String? = nil, isRequired: Bool, isSecret: Bool = false,
                rule: FieldRule, text: String = "", placeholder: String = "", defaultValue: String? = nil,
                hint: String? = nil, characters: Characters = .any) {
        self.id = id
        self.label = label
        self.description = description
        self.isRequired = isRequired
        self.rule = rule
        self.text = TextField(text: text, placeholder: placeholder, isMasked: isSecret)
        self.defaultValue = defaultValue
        self.hint = hint
        self.characters = characters
    }

    public var isSecret: Bool { text.isMasked }

    public var value: String? {
        let trimmed = text.text.trimmed
        return trimmed.isEmpty ? nil : trimmed
    }

    public func validate() -> String? {
        guard let value else { return isRequired ? "\(label) is required." : nil }
        return rule.problem(with: value, label: label)
    }

    public mutating func update(_ key: Key) -> Bool {
        if case .character(let typed) = key, !takes(typed) { return false }
        return text.handle(key)
    }

    private func takes(_ typed: Character) -> Bool {
        switch characters {
        case .any: true
        case .integer: typed.isASCII && (typed.isNumber || (typed == "-" && text.cursor == 0 && !text.text.hasPrefix("-")))
        }
    }

    public var keyHelp: [KeyHelp] { [] }

    public func view(into frame: inout Frame, at area: Rect, focused: Bool) {
        text.render(into: &frame, at: area, focused: focused)
    }

    public var accessiblePrompt: LinePrompt {
        var question = label
        if let hint { question += " (\(hint))" }
        if keepsSavedSecret {
            question += " (saved; empty keeps it)"
        } else if !isRequired {
            question += " (optional)"
        }
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
    /// A report-card property, by its `json_schema`: the `PropertyRule` the sandbox applies to
    /// `POST`/`PUT /v4/sources`, compiled once per field.
    case property(PropertyRule)

    /// What is wrong with `value`, as a sentence (a property's starts with `label`: "port must
    /// be an integer"); nil when it is acceptable.
    public func problem(with value: String, label: String) -> String? {
        switch self {
        case .any: nil
        case .displayName: SourceName.problem(withDisplayName: value)?.description
        case .property(let rule): rule.problem(with: value).map { "\(label) \($0.message)" }
        }
    }

    public static func == (lhs: FieldRule, rhs: FieldRule) -> Bool {
        switch (lhs, rhs) {
        case (.any, .any), (.displayName, .displayName): true
        // The rule is a pure function of its property.
        case (.property(let left), .property(let right)): left.property == right.property
        default: false
        }
    }
}

/// A secret's text is left out of descriptions and dumps (a failing test's message, a debugger's
/// `po`), as the clients leave out their tokens.
/// (`description` is the field's help line, so `debugDescription` is the one printing uses.)
extension TextInputField: CustomDebugStringConvertible, CustomReflectable {
    private var shownText: String { isSecret ? "<\(text.text.count) characters, hidden>" : text.text }

    public var debugDescription: String { "TextInputField(\(id): \(shownText))" }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "id": id, "label": label, "isRequired": isRequired, "isSkipped": isSkipped, "isSecret": isSecret,
            "text": shownText, "rule": rule, "defaultValue": defaultValue as Any,
        ])
    }
}
