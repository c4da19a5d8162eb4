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
        let status: (text: String, style: Style)? = form.isChecking
            ? ("⋯ Checking the token and both URLs with real requests…", .accent)
            : form.error.map { ("✗ " + $0, .error) }
        let intro = "The Connect API creates the Import API source and its token. Connect access is a Stitch "
            + "Enterprise feature; the token is never shown or logged."
        // The fields take 7 rows. A refusal must be read whole, so the introduction gives way to it.
        let introRows = DisplayWidth.wrap(intro, width: width).count + 1
        let statusRows = status.map { DisplayWidth.wrap($0.text, width: width).count } ?? 0
        if row + introRows + 7 + statusRows <= area.y + area.height {
            row += Paragraph.put(intro, into: &frame, row: row, column: left, width: width, style: .muted)
            row += 1
        }
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
                // The key hint goes first when room is short: the help bar lists ctrl-r too.
                let note = [region + "  (ctrl-r: next region)", region].first { DisplayWidth.of($0) <= fieldWidth }
                    ?? DisplayWidth.truncate(region, toWidth: fieldWidth)
                frame.put(note, row: row, column: left + labelWidth, style: .muted)
                row += 1
            }
            row += 1
        }
        if let status {
            Paragraph.put(status.text, into: &frame, row: row, column: left, width: width,
                          maxRows: area.y + area.height - row, style: status.style)
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
        // Derived once per frame: a pasted name can be long, and every key redraws.
        let problem = form.problem
        let preview = form.schemaNamePreview
        let message: (text: String, style: Style) =
            if let error = form.error { ("✗ " + error, .error) }
            else if let problem { ("! " + problem, .warning) }
            else {
                ("Rules: lowercase letters, digits, _ or $; starts with a letter or _; under 50 characters; unique in the account.",
                 .muted)
            }
        let explanation = "The display name becomes the destination schema name. It cannot be renamed later."
        // Below the report card: the explanation, the field and the preview (4 rows), the message.
        // The report card's lines give way first, so a refusal is always read whole.
        let belowCard = DisplayWidth.wrap(explanation, width: width).count + 1 + 4
            + DisplayWidth.wrap(message.text, width: width).count
        if let card = state.reportCard, row + 3 + belowCard <= area.y + area.height {
            let stepName = card.effectiveStepType?.rawValue ?? "?"
            let trail = card.steps.enumerated().map { index, step in
                index + 1 == card.currentStep ? "[\(step.type.rawValue)]" : step.type.rawValue
            }.joined(separator: " → ")
            frame.put(DisplayWidth.truncate("Report card: step \(card.currentStep) of \(card.steps.count) (\(stepName))",
                                            toWidth: width), row: row, column: left, style: .plain)
            row += 1
            frame.put(DisplayWidth.truncate(trail, toWidth: width), row: row, column: left, style: .muted)
            row += 2
        }
        row += Paragraph.put(explanation, into: &frame, row: row, column: left, width: width, style: .muted)
        row += 1
        frame.put("Display name", row: row, column: left, style: .accent)
        form.field.render(into: &frame, at: Rect(x: left + 15, y: row, width: width - 15, height: 1), focused: true)
        row += 2
        frame.put("Schema name", row: row, column: left, style: .plain)
        frame.put(DisplayWidth.truncate(preview.isEmpty ? "(none)" : preview, toWidth: width - 15), row: row,
                  column: left + 15, style: problem == nil ? .success : .warning)
        row += 2
        Paragraph.put(message.text, into: &frame, row: row, column: left, width: width,
                      maxRows: area.y + area.height - row, style: message.style)
    }
}
