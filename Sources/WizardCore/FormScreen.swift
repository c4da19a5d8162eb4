import StitchAPI
import TerminalUI

/// A report card's `form` step as a form: on creation the display name first (with the schema
/// name it makes), then the step's user-provided properties. Submit creates the source
/// (`POST /v4/sources`) or updates it (`PUT /v4/sources/{id}`), then routes on the reply's card.
public struct FormScreen: ScreenModel, Equatable {
    public var card: ReportCard
    /// nil while creating; the source being configured otherwise.
    public var source: Source?
    public var form: Form
    /// The request in flight; the form stays on screen, unchangeable, until it answers.
    public var isSubmitting = false

    public static let displayNameID = "display_name"

    public init(card: ReportCard, source: Source?, session: WizardSession) {
        self.card = card
        self.source = source
        var fields: [any FormField] = []
        if source == nil {
            let suggested = card.type == "import_api" ? "Import API" : ""
            fields.append(TextInputField(
                id: Self.displayNameID, label: "Display name",
                description: "Becomes the destination schema name; it cannot be renamed later.",
                isRequired: true, rule: .displayName, text: suggested, placeholder: "e.g. Import API"))
        }
        // An existing source's values are the starting point (the API never returns credentials).
        let current = source?.properties
        fields += (card.current?.properties ?? []).map { property in
            PropertyFields.field(for: property, current: current?[property.name].flatMap(Self.text(of:)))
        }
        form = Form(fields: fields)
    }

    /// A stored value as the form's text: strings as they are, numbers and booleans as JSON.
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .null, .object, .array: nil
        default: value.stringValue ?? value.jsonText
        }
    }

    public var stage: WizardStage { .step(.form) }

    public var isCreating: Bool { source == nil }

    /// The schema name the display name makes, as the user types.
    public var schemaNamePreview: String? {
        (form.field(id: Self.displayNameID) as? TextInputField).map { SourceName.derive(fromDisplayName: $0.text.text) }
    }

    public enum Action: Sendable, Equatable { case enter, next, previous, back }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        guard !isSubmitting else { return [] }
        var keys: [KeyBinding<Action>] = [
            KeyBinding([.enter], "enter", form.isOnLastField ? (isCreating ? "create source" : "save") : "next", .enter),
        ]
        if form.asked.count > 1 {
            keys.append(KeyBinding([.tab, .down], "tab/shift-tab", "field", .next))
            keys.append(KeyBinding([.backTab, .up], "shift-tab", "previous field", .previous, listed: false))
        }
        keys.append(KeyBinding([.escape], "esc", "back", .back))
        return keys
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .next: form.moveFocus(by: 1)
        case .previous: form.moveFocus(by: -1)
        case .back: return [.home]
        case .enter:
            // Enter walks the fields and submits from the last, so defaults are a few Enters.
            guard form.isOnLastField else {
                form.moveFocus(by: 1)
                return []
            }
            return submit(in: session)
        }
        return []
    }

    public func inputHelp(in session: WizardSession) -> [KeyHelp] {
        isSubmitting ? [] : form.focused?.keyHelp ?? []
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        guard !isSubmitting else { return [] }
        _ = form.update(key)
        return []
    }

    mutating func submit(in session: WizardSession) -> [WizardCommand] {
        if let problem = form.firstProblem {
            form.focus = problem.index
            form.error = problem.message
            return []
        }
        form.error = nil
        isSubmitting = true
        var properties = form.values
        let displayName = properties.removeValue(forKey: Self.displayNameID)
        if let source {
            return [.run(.updateSource(id: source.id, UpdateSourceRequest(properties: properties), via: session.target))]
        }
        return [.run(.createSource(CreateSourceRequest(type: card.type, displayName: displayName ?? "",
                                                       properties: properties.isEmpty ? nil : properties),
                                   via: session.target))]
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        guard isSubmitting else { return [] }
        switch reply {
        case .source(let saved):
            isSubmitting = false
            let note: SummaryEntry = isCreating
                ? .sourceCreated(id: saved.id, type: saved.type, schema: saved.name)
                : .sourceUpdated(id: saved.id, type: saved.type, schema: saved.name)
            return [.adoptSource(saved), .note(note), .route(saved.reportCard)]
        case .failed(let request, let failure) where request == .createSource || request == .updateSource:
            isSubmitting = false
            refuse(failure)
        default:
            break
        }
        return []
    }

    /// A 400 goes next to the field it names; anything else, or a name the form does not ask
    /// for, under the form.
    mutating func refuse(_ failure: WizardFailure) {
        let named: [String]
        switch failure.code {
        case "InvalidName", "InvalidDisplayName": named = isCreating ? [Self.displayNameID] : []
        case "InvalidProperties": named = failure.badProperties
        case "InvalidCronExpression": named = ["cron_expression"]
        default: named = []
        }
        let asked = Set(form.asked.map { form.fields[$0].id })
        let shown = named.filter(asked.contains)
        // The first named field in form order takes the focus.
        for index in form.asked.reversed() where shown.contains(form.fields[index].id) {
            form.refuse(fieldID: form.fields[index].id, failure.message)
        }
        let unshown = named.filter { !asked.contains($0) }
        if !unshown.isEmpty {
            form.error = "Stitch \(shown.isEmpty ? "" : "also ")refused \(unshown.joined(separator: ", ")), which this form "
                + "does not ask for: \(failure.message)"
        } else if shown.isEmpty {
            form.error = WizardReducer.sentence(failure)
        }
    }

    /// The form's heading, as the screen shows it and the line mode says it.
    public var title: String {
        isCreating ? "Create the \(card.type == "import_api" ? "Import API" : card.type) source"
            : "Configure \(source?.displayName ?? source?.name ?? card.type)"
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        var lines: [String] = [title]
        if isSubmitting {
            lines.append(isCreating ? "Creating the source…" : "Saving…")
            return LinePrompt(lines: lines)
        }
        if let error = form.error { lines.append("Error: " + error) }
        if let focused = form.focused, let refusal = form.fieldErrors[focused.id] { lines.append("Error: " + refusal) }
        guard let focused = form.focused else { return LinePrompt(lines: lines) }
        var prompt = focused.accessiblePrompt
        prompt.lines = lines + prompt.lines
        return prompt
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard !isSubmitting else { return [] }
        guard form.accept(line) else { return [] }
        return submit(in: session)
    }
}
