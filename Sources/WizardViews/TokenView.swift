import StitchAPI
import TerminalUI
import WizardCore

/// The access token, shown this once, in a box of its own.
enum TokenView {
    static func render(_ state: WizardState, into frame: inout Frame, in area: Rect) {
        guard let token = state.token else { return }
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        frame.put("Import API access token", row: row, column: left, style: .accent)
        if let source = state.source {
            frame.put("source \(source.name) (id \(source.id)) · token id \(token.id)", row: row + 1, column: left,
                      style: .muted, maxWidth: width)
        }
        row += 3
        let boxWidth = min(width, max(DisplayWidth.of(token.accessToken) + 4, 40))
        frame.box(Rect(x: left, y: row, width: boxWidth, height: 3), title: nil, style: .warning)
        frame.put(token.accessToken, row: row + 1, column: left + 2, style: .secret, maxWidth: boxWidth - 4)
        row += 4
        row += Paragraph.put("This token cannot be displayed again. Store it somewhere secure now (a password manager or a file only you can read). Requests to the Import API need it as: Authorization: Bearer <token>.",
                             into: &frame, row: row, column: left, width: width, style: .warning)
        row += 1
        let panel = state.tokenPanel
        if panel.isSaving {
            frame.put("Save to file", row: row, column: left, style: .accent)
            panel.path.render(into: &frame, at: Rect(x: left + 14, y: row, width: width - 14, height: 1), focused: true)
            row += 1
            frame.put("A new file, mode 0600; an existing file is never overwritten.", row: row, column: left + 14,
                      style: .muted, maxWidth: width - 14)
            row += 2
        }
        if let message = panel.message {
            Paragraph.put((panel.isError ? "✗ " : "✓ ") + message, into: &frame, row: row, column: left, width: width,
                          maxRows: 2, style: panel.isError ? .error : .success)
        }
        if state.isConfirmingQuit {
            Paragraph.put("The token has not been acknowledged and cannot be shown again. Quit anyway? (y/N)",
                          into: &frame, row: area.y + area.height - 2, column: left, width: width, maxRows: 2,
                          style: .error)
        }
    }
}
