import StitchAPI

/// How the wizard asks for a report-card property. The value rule itself belongs to StitchAPI
/// (shared with the sandbox); until that lands this checks only presence.
enum PropertyInput {
    static func problem(with value: String, for property: StepProperty) -> String? {
        value.isEmpty ? "\(property.name) cannot be empty." : nil
    }

    static func hint(for property: StepProperty) -> String? { nil }
}
