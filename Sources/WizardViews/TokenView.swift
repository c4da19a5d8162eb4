import StitchAPI
import TerminalUI
import WizardCore

/// The access token, shown this once, in a box of its own.
extension TokenScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        if let activity {
            WorkingView.render(activity, into: &frame, in: area)
            return
        }
        guard let token else {
            renderLimit(into: &frame, in: area)
            return
        }
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        frame.put("Import API access token", row: row, column: left, style: .accent)
        if let notice {
            frame.put(DisplayWidth.truncate("✓ " + notice, toWidth: width), row: row + 2, column: left, style: .success)
        }
        if let source = context.session.source {
            frame.put(DisplayWidth.truncate("source \(source.name) (id \(source.id)) · token id \(token.id)", toWidth: width),
                      row: row + 1, column: left, style: .muted)
        }
        row += 3
        let boxWidth = min(width, max(DisplayWidth.of(token.accessToken) + 4, 40))
        // A token shown once must be shown whole: it breaks over lines rather than being cut.
        let tokenLines = DisplayWidth.wrap(token.accessToken, width: max(1, boxWidth - 4))
        frame.box(Rect(x: left, y: row, width: boxWidth, height: tokenLines.count + 2), title: nil, style: .warning)
        for (offset, line) in tokenLines.enumerated() {
            frame.put(line, row: row + 1 + offset, column: left + 2, style: .secret)
        }
        row += tokenLines.count + 3
        // What follows the box, in order; when rows are short the warning takes its short form
        // and then the save hint gives way, so a save's outcome and the quit question stay whole.
        let panel = self.panel
        let warnings = [
            "This token cannot be displayed again. Store it somewhere secure now (a password manager or a file only "
                + "you can read). Requests to the Import API need it as: Authorization: Bearer <token>.",
            "This token cannot be displayed again: store it somewhere secure now. Requests need it as "
                + "Authorization: Bearer <token>.",
        ]
        let hint = "A new file, mode 0600; an existing file is never overwritten."
        let message = panel.message.map { ((panel.isError ? "✗ " : "✓ ") + $0, panel.isError ? Style.error : .success) }
        let question = context.isConfirmingQuit
            ? "The token has not been acknowledged and cannot be shown again. Quit anyway? (y/N)" : nil
        func rows(_ text: String, _ width: Int) -> Int { DisplayWidth.wrap(text, width: max(1, width)).count }
        var warning = warnings[0]
        var showsHint = panel.isSaving
        func needed() -> Int {
            rows(warning, width) + 1
                + (panel.isSaving ? 1 + (showsHint ? rows(hint, width - 14) : 0) + 1 : 0)
                + (message.map { rows($0.0, width) } ?? 0)
                + (question.map { rows($0, width) + 1 } ?? 0)
        }
        let available = area.y + area.height - row
        if needed() > available { warning = warnings[1] }
        if needed() > available, message != nil || question != nil { showsHint = false }

        row += Paragraph.put(warning, into: &frame, row: row, column: left, width: width, style: .warning)
        row += 1
        if panel.isSaving {
            frame.put("Save to file", row: row, column: left, style: .accent)
            panel.path.render(into: &frame, at: Rect(x: left + 14, y: row, width: width - 14, height: 1), focused: true)
            row += 1
            if showsHint {
                row += Paragraph.put(hint, into: &frame, row: row, column: left + 14, width: width - 14, style: .muted)
            }
            row += 1
        }
        if let message {
            row += Paragraph.put(message.0, into: &frame, row: row, column: left, width: width, style: message.1)
        }
        if let question {
            let questionRow = max(row + 1, area.y + area.height - rows(question, width))
            Paragraph.put(question, into: &frame, row: questionRow, column: left, width: width, style: .error)
        }
    }
}

/// At the limit of active tokens: the source's tokens, one to revoke highlighted, and the
/// question before revoking it.
extension TokenScreen {
    func renderLimit(into frame: inout Frame, in area: Rect) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        frame.put("Revoke an access token first", row: row, column: left, style: .accent)
        row += 2
        if let notice {
            row += Paragraph.put("✗ " + notice, into: &frame, row: row, column: left, width: width, style: .error)
            row += 1
        }
        row += Paragraph.put(limitExplanation, into: &frame, row: row, column: left, width: width, style: .plain)
        row += 1
        var confirming: Int?
        if case .confirming(let tokenID) = phase { confirming = tokenID }
        // The list leaves three rows for the question under it.
        let listEnd = area.y + area.height - (confirming == nil ? 0 : 3)
        for (index, token) in tokens.enumerated() where row < listEnd {
            let isSelected = index == selected
            frame.put(DisplayWidth.truncate((isSelected ? "› " : "  ") + Self.label(of: token), toWidth: width),
                      row: row, column: left, style: isSelected ? .selected : .plain)
            row += 1
        }
        if let confirming {
            let question = "Revoke token \(confirming)? Pushes with it will be refused from now on. (y/N)"
            let rows = DisplayWidth.wrap(question, width: max(1, width)).count
            // Right under the list, where the eye is; the rows kept free above make room for it.
            Paragraph.put(question, into: &frame, row: min(row + 1, area.y + area.height - rows), column: left, width: width,
                          style: .warning)
        }
    }
}
