import StitchAPI
import TerminalUI
import WizardCore

enum ConnectView {
    static func render(_ state: WizardState, into frame: inout Frame, in area: Rect) {
        let form = state.connectForm
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        frame.put("Connect to Stitch", row: row, column: left, style: .accent)
        row += 2
        row += Paragraph.put("The Connect API creates the Import API source and its token. Connect access is a Stitch Enterprise feature; the token is never shown or logged.",
                             into: &frame, row: row, column: left, width: width, style: .muted)
        row += 1
        let labelWidth = 18
        let fieldWidth = width - labelWidth
        let fields: [(ConnectForm.Field, String, TextField)] = [
            (.token, "Connect token", form.token),
            (.connectURL, "Connect API URL", form.connectURL),
            (.importURL, "Import API URL", form.importURL),
        ]
        for (field, label, textField) in fields {
            let focused = form.focus == field
            frame.put((focused ? "› " : "  ") + label, row: row, column: left, style: focused ? .accent : .plain)
            textField.render(into: &frame, at: Rect(x: left + labelWidth, y: row, width: fieldWidth, height: 1),
                             focused: focused)
            row += 1
            if field == .importURL {
                let region = form.region.map { "Region: \($0.displayName)" } ?? "Custom base URL"
                frame.put(region + "  (ctrl-r: next region)", row: row, column: left + labelWidth, style: .muted,
                          maxWidth: fieldWidth)
                row += 1
            }
            row += 1
        }
        if let error = form.error {
            Paragraph.put("✗ " + error, into: &frame, row: row, column: left, width: width, maxRows: 3, style: .error)
        }
    }
}

enum WorkingView {
    static func render(_ activity: Activity, into frame: inout Frame, in area: Rect) {
        let row = area.y + area.height / 2 - 1
        Paragraph.put("⋯ " + activity.description, into: &frame, row: row, column: area.x + 4, width: area.width - 8,
                      style: .accent)
    }
}

enum DisplayNameView {
    static func render(_ state: WizardState, into frame: inout Frame, in area: Rect) {
        let form = state.displayNameForm
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        frame.put("Create the Import API source", row: row, column: left, style: .accent)
        row += 2
        if let card = state.reportCard {
            let stepName = card.effectiveStepType?.rawValue ?? "?"
            let trail = card.steps.enumerated().map { index, step in
                index + 1 == card.currentStep ? "[\(step.type.rawValue)]" : step.type.rawValue
            }.joined(separator: " → ")
            frame.put("Report card: step \(card.currentStep) of \(card.steps.count) (\(stepName))", row: row,
                      column: left, style: .plain, maxWidth: width)
            row += 1
            frame.put(trail, row: row, column: left, style: .muted, maxWidth: width)
            row += 2
        }
        row += Paragraph.put("The display name becomes the destination schema name. It cannot be renamed later.",
                             into: &frame, row: row, column: left, width: width, style: .muted)
        row += 1
        frame.put("Display name", row: row, column: left, style: .accent)
        form.field.render(into: &frame, at: Rect(x: left + 15, y: row, width: width - 15, height: 1), focused: true)
        row += 2
        let preview = form.schemaNamePreview
        frame.put("Schema name", row: row, column: left, style: .plain)
        frame.put(preview.isEmpty ? "(none)" : preview, row: row, column: left + 15,
                  style: form.problem == nil ? .success : .warning, maxWidth: width - 15)
        row += 2
        if let error = form.error {
            Paragraph.put("✗ " + error, into: &frame, row: row, column: left, width: width, maxRows: 3, style: .error)
        } else if let problem = form.problem {
            Paragraph.put("! " + problem, into: &frame, row: row, column: left, width: width, maxRows: 3, style: .warning)
        } else {
            Paragraph.put("Rules: lowercase letters, digits, _ or $; starts with a letter or _; under 50 characters; unique in the account.",
                          into: &frame, row: row, column: left, width: width, maxRows: 3, style: .muted)
        }
    }
}
