import StitchAPI
import TerminalUI
import WizardCore

extension ConnectScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
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

/// A request in flight, named.
enum WorkingView {
    static func render(_ activity: String, into frame: inout Frame, in area: Rect) {
        let row = area.y + area.height / 2 - 1
        Paragraph.put("⋯ " + activity, into: &frame, row: row, column: area.x + 4, width: area.width - 8,
                      style: .accent)
    }
}

extension StartScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        WorkingView.render(activity, into: &frame, in: area)
    }
}
