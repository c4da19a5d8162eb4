import StitchAPI
import TerminalUI
import WizardCore

/// The frame around every screen: title bar, step trail, and the body area it returns.
enum Chrome {
    static func render(_ state: WizardState, into frame: inout Frame) -> Rect {
        let width = frame.size.columns
        frame.fill(Rect(x: 0, y: 0, width: width, height: 1), style: .title)
        frame.put(" stitch-wizard · Import API setup", row: 0, column: 0, style: .title, maxWidth: width)
        let target = state.target.isSandbox ? "sandbox \(state.target.connectBaseURL)" : hostOf(state.target.connectBaseURL)
        let right = DisplayWidth.truncate(target + " ", toWidth: max(0, width - 36))
        frame.put(right, row: 0, column: width - DisplayWidth.of(right), style: .title)

        renderTrail(state, into: &frame, row: 1)
        return Rect(x: 0, y: 2, width: width, height: frame.size.rows - 3)
    }

    /// The wizard's own steps, with the report card's step where it drives the flow.
    static func renderTrail(_ state: WizardState, into frame: inout Frame, row: Int) {
        let steps = WizardProgress.steps(for: state)
        var column = 1
        for (index, step) in steps.enumerated() {
            let (marker, style): (String, Style) = switch step.status {
            case .done: ("✓", .success)
            case .current: ("●", .accent)
            case .todo: ("○", .muted)
            }
            let text = "\(marker) \(step.title)"
            guard column + DisplayWidth.of(text) < frame.size.columns else { break }
            column += frame.put(text, row: row, column: column, style: style)
            if index < steps.count - 1 {
                column += frame.put("  ›  ", row: row, column: column, style: .muted)
            }
        }
    }

    static func hostOf(_ url: String) -> String {
        var rest = Substring(url)
        if let range = rest.range(of: "://") { rest = rest[range.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }
}

/// The trail of steps shown under the title.
enum WizardProgress {
    enum Status { case done, current, todo }
    struct Step { var title: String; var status: Status }

    static func steps(for state: WizardState) -> [Step] {
        let order = ["Connect", "Report card", "Source name", "Token", "Test records"]
        let current: Int = switch state.screen {
        case .connect: 0
        case .working(.fetchingSourceType): 1
        case .displayName, .working(.creatingSource): 2
        case .working(.generatingToken), .token: 3
        case .editor, .destination: 4
        case .unsupportedStep: 2
        case .failure: state.token != nil ? 3 : state.source != nil ? 3 : state.reportCard != nil ? 2 : 1
        }
        return order.enumerated().compactMap { index, title in
            if index == 0 && state.target.isSandbox { return nil }
            let status: Status = index < current ? .done : index == current ? .current : .todo
            return Step(title: title, status: status)
        }
    }
}
