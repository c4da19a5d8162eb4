import StitchAPI
import TerminalUI
import WizardCore
import WizardViews

/// What the loop needs from a terminal. ncurses in the product; a scripted fake in tests.
@MainActor
public protocol TerminalDevice: AnyObject {
    func start() throws
    var size: Size { get }
    func draw(_ frame: Frame)
    /// The next key, or nil after a short timeout so effect results get their turn.
    func readKey() -> Key?
    /// Restores the terminal; safe to call more than once.
    func stop()
}

/// Drives the wizard on a real terminal: keys and effect results in, frames out.
/// One actor owns ncurses; effects run in tasks and post their events back here.
@MainActor
public final class WizardApp {
    private var state: WizardState
    private let runner: EffectRunner
    private let terminal: any TerminalDevice
    private var pendingEvents: [WizardEvent] = []
    private var needsDraw = true

    public init(state: WizardState, runner: EffectRunner, terminal: any TerminalDevice) {
        self.state = state
        self.runner = runner
        self.terminal = terminal
    }

    /// Runs until the user quits. The terminal is restored on return, and on throw.
    public func run() async throws {
        try terminal.start()
        defer { terminal.stop() }
        state.size = terminal.size
        perform(state.initialEffects)
        while !state.isFinished {
            if needsDraw {
                terminal.draw(WizardView.render(state, size: state.size))
                needsDraw = false
            }
            if let key = terminal.readKey() {
                dispatch(key == .resize ? .resized(terminal.size) : .key(key))
            }
            // Lets effect tasks deliver their results on this actor between reads.
            await Task.yield()
            while !pendingEvents.isEmpty {
                dispatch(pendingEvents.removeFirst())
            }
        }
    }

    private func dispatch(_ event: WizardEvent) {
        let effects = WizardReducer.reduce(&state, event)
        needsDraw = true
        perform(effects)
    }

    /// Effects of one transition run in order (configure must precede the first request).
    private func perform(_ effects: [WizardEffect]) {
        guard !effects.isEmpty else { return }
        let runner = runner
        Task {
            for effect in effects {
                if let event = await runner.run(effect) {
                    self.pendingEvents.append(event)
                }
            }
        }
    }
}
