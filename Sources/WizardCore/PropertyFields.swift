import StitchAPI

/// A report-card property as a form field, by its `PropertyFieldKind`: text (with its
/// pattern), a whole number, a choice (`enum`, `anyOf` of constants, booleans), a date-time or a
/// host name. Every kind is checked by the property's `PropertyRule`, the rule the sandbox
/// applies to `POST`/`PUT /v4/sources`.
public enum PropertyFields {
    /// The field for `property`; `current` is the source's value when it already has one
    /// (never a credential's: the API does not return them).
    public static func field(for property: StepProperty, current: String? = nil) -> any FormField {
        // Read-only and system-provided properties are not the user's to give; a set-once one
        // that the source already has cannot be changed.
        let isSkipped = !property.isAsked || (property.isSetOnce && property.provided == true)
        switch makeField(for: property, current: current) {
        case .text(var field):
            field.isSkipped = isSkipped
            return field
        case .choice(var field):
            field.isSkipped = isSkipped
            return field
        }
    }

    private enum Made {
        case text(TextInputField)
        case choice(ChoiceField)
    }

    private static func makeField(for property: StepProperty, current: String?) -> Made {
        let rule = FieldRule.property(property.rule)
        let initial = current ?? property.defaultValue
        switch property.fieldKind {
        case .boolean:
            return .choice(choice(for: property, options: ["true", "false"], initial: initial, rule: rule))
        case .choice(let options):
            return .choice(choice(for: property, options: options, initial: initial, rule: rule))
        case .integer:
            var field = text(for: property, initial: initial, rule: rule, placeholder: "a whole number", hint: "a whole number")
            field.characters = .integer
            return .text(field)
        case .dateTime:
            let example = PropertyRule.dateTimeExample
            return .text(text(for: property, initial: initial, rule: rule, placeholder: "e.g. \(example)",
                              hint: "date-time, e.g. \(example)",
                              description: "A date and time in UTC, like \(example)."))
        case .hostName:
            return .text(text(for: property, initial: initial, rule: rule, placeholder: "e.g. db.example.com",
                              hint: "host name or IP address"))
        case .text(let pattern):
            // A pattern that takes the date-time example but not a bare number (start_date's
            // midnight dates, not itersize's digits) gets it as its hint: an example says more
            // than the regular expression.
            if pattern != nil, property.rule.accepts(PropertyRule.dateTimeExample), !property.rule.accepts("2024") {
                let example = PropertyRule.dateTimeExample
                return .text(text(for: property, initial: initial, rule: rule, placeholder: "e.g. \(example)",
                                  hint: "e.g. \(example)", description: pattern.map { "Must match \($0)" }))
            }
            return .text(text(for: property, initial: initial, rule: rule, placeholder: "",
                              hint: nil, description: pattern.map { "Must match \($0)" }))
        }
    }

    private static func text(for property: StepProperty, initial: String?, rule: FieldRule, placeholder: String,
                             hint: String?, description: String? = nil) -> TextInputField {
        let isSecret = property.isSecret
        // A credential the source already has may be left empty: nothing is sent, it stays.
        let keepsSaved = isSecret && property.provided == true
        var field = TextInputField(
            id: property.name, label: property.name,
            description: keepsSaved ? "Saved; leave empty to keep it, or type a new one." : description,
            isRequired: property.isMandatory && !keepsSaved, isSecret: isSecret, rule: rule,
            text: isSecret ? "" : initial ?? "",
            placeholder: keepsSaved ? "(saved)" : isSecret ? "" : placeholder,
            defaultValue: isSecret ? nil : property.defaultValue, hint: hint)
        field.keepsSavedSecret = keepsSaved
        return field
    }

    private static func choice(for property: StepProperty, options: [String], initial: String?,
                               rule: FieldRule) -> ChoiceField {
        ChoiceField(id: property.name, label: property.name, isRequired: property.isMandatory, options: options,
                    selected: initial.flatMap { options.firstIndex(of: $0) }, rule: rule)
    }
}
