import StitchAPI
import TerminalUI

/// The first screen against a real Stitch: the Connect token and both base URLs, checked with
/// real requests on Enter; the screen stays, with the reason, until the check passes.
public struct ConnectScreen: ScreenModel, Equatable {
    public var form: ConnectForm
    /// The source type the check fetches (proves the token and the URL in one request).
    public var sourceType: String

    public init(target: WizardTarget, sourceType: String = "import_api") {
        form = ConnectForm(target: target)
        self.sourceType = sourceType
    }

    public var stage: WizardStage { .connect }

    public enum Action: Sendable, Equatable { case check, cancel, next, previous, region }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        // The form is what is being checked: it cannot change until the answer, only be abandoned.
        if form.isChecking { return [KeyBinding([.escape], "esc", "cancel the check", .cancel)] }
        return [
            KeyBinding([.enter], "enter", "continue", .check),
            KeyBinding([.tab, .down], "tab/shift-tab", "field", .next),
            KeyBinding([.backTab, .up], "shift-tab", "previous field", .previous, listed: false),
            KeyBinding([.control("r")], "ctrl-r", "region", .region),
        ]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .cancel:
            form.pending = nil
            form.error = "Check cancelled; nothing was created. Press Enter to check again."
        case .next:
            form.moveFocus(by: 1)
        case .previous:
            form.moveFocus(by: -1)
        case .region:
            form.cycleRegion()
            form.error = nil
        case .check:
            return check(in: session)
        }
        return []
    }

    mutating func check(in session: WizardSession) -> [WizardCommand] {
        switch form.validatedTarget(isSandbox: session.target.isSandbox) {
        case .failure(let problem):
            form.focus = problem.field
            form.error = problem.message
            return []
        case .success(let target):
            // The target is adopted only once the check passes, so the header and every
            // request keep naming the same endpoints until then.
            form.error = nil
            form.pending = target
            return [.run(.connect(target, sourceType: sourceType))]
        }
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        guard !form.isChecking else { return [] }
        if form.handle(key) { form.error = nil }
        return []
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch reply {
        case .connected(let target, _) where form.pending == target:
            form.pending = nil
            form.error = nil
            return [.adoptTarget(target), .open(StartScreen(start: session.start))]
        case .connectFailed(let target, let field, let failure) where form.pending == target:
            form.pending = nil
            form.focus = field
            form.error = WizardReducer.sentence(failure)
        default:
            break
        }
        return []
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        var lines = ["Connect to Stitch"]
        if form.isChecking { lines.append("Checking the token and both URLs…") }
        if let error = form.error { lines.append("Error: " + error) }
        guard !form.isChecking else { return LinePrompt(lines: lines) }
        switch form.focus {
        case .token:
            // A token is never shown, not even as a default; that one is there is said instead.
            let keeps = form.token.text.trimmed.isEmpty ? "" : " (empty keeps the one given)"
            return LinePrompt(lines: lines, question: "Connect API token\(keeps): ", isSecret: true)
        case .connectURL:
            return LinePrompt(lines: lines, question: "Connect API URL [\(form.connectURL.text)]: ")
        case .importURL:
            return LinePrompt(lines: lines, options: ImportRegion.allCases.map { "\($0.displayName): \($0.baseURL)" },
                              question: "Import API URL, region number or URL [\(form.importURL.text)]: ")
        }
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        let answer = line.trimmed
        switch form.focus {
        case .token:
            if !answer.isEmpty { form.token.text = answer }
            form.focus = .connectURL
        case .connectURL:
            if !answer.isEmpty { form.connectURL.text = answer }
            form.focus = .importURL
        case .importURL:
            let regions = ImportRegion.allCases
            if let number = Int(answer), regions.indices.contains(number - 1) {
                form.importURL.text = regions[number - 1].baseURL
            } else if !answer.isEmpty {
                form.importURL.text = answer
            }
            form.focus = .token
            return check(in: session)
        }
        return []
    }
}
