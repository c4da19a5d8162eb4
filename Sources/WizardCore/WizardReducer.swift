import StitchAPI
import TerminalUI

/// The wizard's only state transition: `(state, event) -> (state, [effect])`. Pure. It gates
/// keys (too small, quitting) and dispatches everything else to the screen on show, then applies
/// the screen's commands; it knows no screen's internals.
public enum WizardReducer {
    public static func reduce(_ state: inout WizardState, _ event: WizardEvent) -> [WizardEffect] {
        switch event {
        case .resized(let size):
            state.session.size = size
            // A hidden screen is not scrolled: passing through a too-small size must leave it as
            // it was once the window is large again.
            if !state.isTooSmall { state.screen.resized(to: size) }
            return []
        case .key(let key):
            // One gate for every screen: a key must not act on a screen the user cannot see.
            if state.isTooSmall { return tooSmallKey(key, in: &state) }
            if let effects = quitKey(key, in: &state) { return effects }
            let session = state.session
            return apply(state.screen.handle(key, in: session), to: &state)
        case .line(let text):
            let session = state.session
            return apply(state.screen.answer(text, in: session), to: &state)
        case .endOfInput:
            state.isFinished = true
            state.cancellation = "Input ended before the wizard finished; cancelled."
            return [.quit]
        case .reply(let reply):
            let session = state.session
            return apply(state.screen.receive(reply, in: session), to: &state)
        }
    }

    /// Applies a screen's commands in order and returns the effects among them.
    public static func apply(_ commands: [WizardCommand], to state: inout WizardState) -> [WizardEffect] {
        var effects: [WizardEffect] = []
        for command in commands {
            switch command {
            case .run(let effect):
                effects.append(effect)
            case .show(let box):
                effects += show(box.model, in: &state)
            case .route(let card):
                effects += show(StepScreens.screen(for: card, in: state.session), in: &state)
            case .adoptTarget(let target):
                state.session.target = target
            case .adoptSource(let source):
                state.session.source = source
            case .adoptToken(let token):
                state.session.token = token
            case .note(let entry):
                state.session.summary.add(entry)
            case .home:
                effects += show(StartScreen(start: .home), in: &state)
            case .quit:
                state.isFinished = true
                effects.append(.quit)
            }
        }
        return effects
    }

    static func show(_ screen: any ScreenModel, in state: inout WizardState) -> [WizardEffect] {
        var screen = screen
        let commands = screen.start(in: state.session)
        screen.resized(to: state.session.size)
        state.screen = screen
        return apply(commands, to: &state)
    }

    /// Ctrl-C and the quit question; nil when the key is the screen's.
    static func quitKey(_ key: Key, in state: inout WizardState) -> [WizardEffect]? {
        if state.isConfirmingQuit {
            switch key {
            case .character("y"), .character("Y"), .control("c"):
                state.isFinished = true
                return [.quit]
            default:
                state.isConfirmingQuit = false
                return []
            }
        }
        guard key == .control("c") else { return nil }
        // Quitting before acknowledging would lose something shown once.
        if state.screen.holdsUnstoredSecret {
            state.isConfirmingQuit = true
            return []
        }
        state.isFinished = true
        return [.quit]
    }

    /// While the terminal is too small only Ctrl-C acts. It still asks before losing an
    /// unacknowledged token, but the y/N question cannot be seen there, so the too-small screen
    /// says "press Ctrl-C again" and only a second Ctrl-C quits; no other key answers.
    static func tooSmallKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        guard key == .control("c") else { return [] }
        if state.screen.holdsUnstoredSecret, !state.isConfirmingQuit {
            state.isConfirmingQuit = true
            return []
        }
        state.isFinished = true
        return [.quit]
    }

    /// A failure as one paragraph: status, message and what to do.
    public static func sentence(_ failure: WizardFailure) -> String {
        var text = failure.statusCode.map { "HTTP \($0): " } ?? ""
        text += failure.message
        if let hint = failure.hint { text += (text.hasSuffix(".") ? " " : ". ") + hint }
        return text
    }
}
