import StitchAPI
import TerminalUI
import WizardCore

/// The `oauth` step: where to finish it (Stitch's web app), which source, and what the last
/// re-check found. Paragraphs lose the blank lines between them when the window is short, so
/// the re-check's outcome stays in view.
extension OAuthScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        row += Paragraph.put("Sign in through Stitch's web app", into: &frame, row: row, column: left, width: width,
                             maxRows: 1, style: .accent)
        row += 1
        let paragraphs = explanation(in: context.session)
        let statusRows = failure.map { _ in 3 } ?? (status == nil ? 0 : 2)
        let needed = paragraphs.reduce(0) { $0 + Paragraph.lines($1, width: width, maxRows: 4).count }
        let gap = needed + paragraphs.count + statusRows <= area.y + area.height - row ? 1 : 0
        for line in paragraphs {
            row += Paragraph.put(line, into: &frame, row: row, column: left, width: width, maxRows: 4)
            row += gap
        }
        row += 1 - gap
        if let failure {
            FailureBlock.put(failure, title: "Could not re-check", into: &frame, row: row, column: left, width: width)
        } else if let status {
            Paragraph.put((isChecking ? "⋯ " : "! ") + status, into: &frame, row: row, column: left, width: width,
                          maxRows: 2, style: isChecking ? .accent : .warning)
        }
    }
}
