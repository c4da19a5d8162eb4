import StitchAPI
import TerminalUI
import WizardCore

enum FailureView {
    static func render(_ screen: FailureScreen, into frame: inout Frame, in area: Rect) {
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

enum UnsupportedStepView {
    static func render(_ step: StepType, _ state: WizardState, into frame: inout Frame, in area: Rect) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        row += Paragraph.put("Step “\(step.rawValue)” is not supported here", into: &frame, row: row, column: left,
                             width: width, maxRows: 2, style: .warning)
        row += 1
        let explanation: String = switch step {
        case .oauth: "This step signs in to the source's own service in a browser. Finish it in the Stitch web app, then rerun the wizard."
        case .profile: "This step picks an account or profile of the source's service. Finish it in the Stitch web app."
        case .discoverSchema: "Stitch is checking the connection and discovering the schema. It moves on by itself; look again in a few minutes."
        case .fieldSelection: "Pick the streams and fields to replicate in the Stitch web app (or with PUT /v4/sources/{id}/streams/metadata)."
        case .form: "This form step asks for properties this version of the wizard cannot collect yet."
        case .fullyConfigured: "The source is fully configured."
        case .other(let raw): "The report card's current step has the type “\(raw)”, which this version of the wizard does not know. Nothing was changed."
        }
        row += Paragraph.put(explanation, into: &frame, row: row, column: left, width: width)
        if let card = state.reportCard {
            row += 1
            frame.put(DisplayWidth.truncate("Report card \(card.type): step \(card.currentStep) of \(card.steps.count)",
                                            toWidth: width), row: row, column: left, style: .muted)
        }
    }
}
