import StitchAPI
import TerminalUI
import WizardCore

/// The `oauth` step: where to finish it (Stitch's web app), which source, and what the last
/// re-check found.
extension OAuthScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        row += Paragraph.put("Sign in through Stitch's web app", into: &frame, row: row, column: left, width: width,
                             maxRows: 1, style: .accent)
        row += 1
        for line in explanation {
            row += Paragraph.put(line, into: &frame, row: row, column: left, width: width, maxRows: 4)
            row += 1
        }
        if let failure {
            FailureBlock.put(failure, title: "Could not re-check", into: &frame, row: row, column: left, width: width)
        } else if let status {
            Paragraph.put((isChecking ? "⋯ " : "! ") + status, into: &frame, row: row, column: left, width: width,
                          maxRows: 2, style: isChecking ? .accent : .warning)
        }
    }
}
