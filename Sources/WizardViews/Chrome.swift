import StitchAPI
import TerminalUI
import WizardCore

/// The frame around every screen: title bar, step trail, and the body area it returns.
enum Chrome {
    static func render(_ state: WizardState, into frame: inout Frame) -> Rect {
        let width = frame.size.columns
        frame.fill(Rect(x: 0, y: 0, width: width, height: 1), style: .title)
        let (title, right) = header(state, width: width)
        frame.put(title, row: 0, column: 0, style: .title)
        frame.put(right, row: 0, column: width - DisplayWidth.of(right), style: .title)

        renderTrail(state, into: &frame, row: 1)
        return Rect(x: 0, y: 2, width: width, height: frame.size.rows - 3)
    }

    /// The title bar's left and right texts. The right names where requests go, from
    /// `state.target` (the URLs every request is sent to). Shortened on purpose to fit: the
    /// title loses its subtitle before the host is cut, and when the Connect and Import hosts
    /// differ and only one fits, it is the one this screen's requests go to (the Import API's on
    /// the editor, the Connect API's elsewhere).
    static func header(_ state: WizardState, width: Int) -> (title: String, target: String) {
        let type = state.session.source?.type ?? (state.screen as? FormScreen)?.card.type ?? state.session.sourceType
        let titles = [" stitch-wizard · " + (type == "import_api" ? "Import API setup" : "\(type) setup"), " stitch-wizard"]
        let connect = hostOf(state.target.connectBaseURL)
        let importHost = hostOf(state.target.importBaseURL)
        let candidates: [String]
        if state.target.isSandbox {
            candidates = ["sandbox \(connect)", connect]
        } else if importHost == connect {
            candidates = [connect]
        } else {
            let sendsBatches = state.screen is EditorScreen
            let primary = sendsBatches ? "Import API \(importHost)" : "Connect API \(connect)"
            candidates = ["Connect \(connect) · Import \(importHost)", primary, sendsBatches ? importHost : connect]
        }
        for candidate in candidates {
            for title in titles where DisplayWidth.of(title) + 2 + DisplayWidth.of(candidate) + 1 <= width {
                return (title, candidate + " ")
            }
        }
        let title = DisplayWidth.truncate(titles[titles.count - 1], toWidth: width)
        let room = max(0, width - DisplayWidth.of(title) - 3)
        return (title, room > 0 ? DisplayWidth.truncate(candidates[candidates.count - 1], toWidth: room) + " " : "")
    }

    /// The wizard's own steps, with the report card's step where it drives the flow. When the
    /// names do not all fit, steps other than the current one shrink to their markers.
    static func renderTrail(_ state: WizardState, into frame: inout Frame, row: Int) {
        let steps = WizardProgress.steps(for: state)
        let available = frame.size.columns - 2
        for compact in [false, true] {
            let separator = compact ? " › " : "  ›  "
            let parts = steps.map { step -> (String, Style) in
                let (marker, style): (String, Style) = switch step.status {
                case .done: ("✓", .success)
                case .current: ("●", .accent)
                case .failed: ("✗", .error)
                case .todo: ("○", .muted)
                }
                let named = !compact || step.status == .current || step.status == .failed
                return (named ? "\(marker) \(step.title)" : marker, style)
            }
            let total = parts.reduce(0) { $0 + DisplayWidth.of($1.0) } + max(0, parts.count - 1) * DisplayWidth.of(separator)
            guard total <= available || compact else { continue }
            var column = 1
            for (index, (text, style)) in parts.enumerated() {
                column += frame.put(DisplayWidth.truncate(text, toWidth: max(0, available + 1 - column)), row: row,
                                    column: column, style: style)
                if index < parts.count - 1 {
                    column += frame.put(separator, row: row, column: column, style: .muted,
                                        maxWidth: max(0, available + 1 - column))
                }
            }
            return
        }
    }

    static func hostOf(_ url: String) -> String {
        var rest = Substring(url)
        if let range = rest.range(of: "://") { rest = rest[range.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }
}

/// The trail of steps shown under the title: the wizard's own stages around the report card's
/// steps, so a source type with discovery shows those steps too.
enum WizardProgress {
    enum Status { case done, current, failed, todo }
    struct Step { var title: String; var status: Status }

    static func steps(for state: WizardState) -> [Step] {
        let session = state.session
        var stages: [(WizardStage, String)] = []
        if !session.target.isSandbox { stages.append((.connect, "Connect")) }
        stages.append((.start, "Source"))
        let card = session.source?.reportCard ?? (state.screen as? FormScreen)?.card
        let type = session.source?.type ?? card?.type ?? session.sourceType
        var seen: Set<String> = []
        for step in card?.steps ?? [ConnectionStep(type: .form)] where step.type != .fullyConfigured {
            guard seen.insert(step.type.rawValue).inserted else { continue }
            stages.append((.step(step.type), title(of: step.type)))
        }
        if type == "import_api" {
            stages += [(.token, "Token"), (.records, "Test records")]
        } else {
            stages.append((.step(.fullyConfigured), "Configured"))
        }
        var stage = state.screen.stage
        let failure = (state.screen as? FailureScreen)?.failure
        // A refused Connect token (401) undoes "connected": the failure is the Connect step's.
        if failure?.statusCode == 401, !session.target.isSandbox { stage = .connect }
        let current = stages.firstIndex { $0.0 == stage } ?? 0
        return stages.enumerated().map { index, entry in
            let status: Status = index < current ? .done : index == current ? (failure != nil ? .failed : .current) : .todo
            return Step(title: entry.1, status: status)
        }
    }

    static func title(of step: StepType) -> String {
        switch step {
        case .form: "Details"
        case .oauth: "Sign in"
        case .profile: "Profile"
        case .discoverSchema: "Discovery"
        case .fieldSelection: "Streams"
        case .fullyConfigured: "Configured"
        case .other(let raw): raw
        }
    }
}
