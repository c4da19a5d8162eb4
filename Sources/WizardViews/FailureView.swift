import StitchAPI
import TerminalUI
import WizardCore

extension FailureScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let screen = self
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        row += Paragraph.put("✗ " + screen.title, into: &frame, row: row, column: left, width: width, maxRows: 2,
                             style: .error)
        row += 1
        let failure = screen.failure
        if let status = failure.statusCode {
            let code = failure.code.map { " · \($0)" } ?? ""
            frame.put(DisplayWidth.truncate("HTTP \(status)\(code)", toWidth: width), row: row, column: left, style: .plain)
            row += 1
        }
        row += Paragraph.put(failure.message, into: &frame, row: row, column: left, width: width, maxRows: 6)
        row += 1
        if let hint = failure.hint {
            row += Paragraph.put(hint, into: &frame, row: row, column: left, width: width, maxRows: 3, style: .accent)
            row += 1
        }
        if let body = failure.body, !body.isEmpty, body != failure.message {
            frame.put("Reply body:", row: row, column: left, style: .muted)
            row += 1
            Paragraph.put(body, into: &frame, row: row, column: left + 2, width: width - 2, maxRows: 4, style: .muted)
        }
    }
}

extension UnsupportedStepScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        row += Paragraph.put("Step “\(step.rawValue)” is not supported here", into: &frame, row: row, column: left,
                             width: width, maxRows: 2, style: .warning)
        row += 1
        row += Paragraph.put(explanation, into: &frame, row: row, column: left, width: width)
        row += 1
        frame.put(DisplayWidth.truncate("Report card \(card.type): step \(card.currentStep) of \(card.steps.count)",
                                        toWidth: width), row: row, column: left, style: .muted)
    }
}

extension SourceSummaryScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        for (index, line) in lines.enumerated() {
            row += Paragraph.put(line, into: &frame, row: row, column: left, width: width,
                                 style: index == 0 ? .success : .plain)
            row += 1
        }
    }
}
