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
    /// Makes the next `draw` repaint every cell: after a resize the screen's contents are unknown.
    func invalidate()
    /// The next key, or nil after a short timeout so effect results get their turn.
    func readKey() -> Key?
    /// A key that has already arrived, without waiting for one (nil when none has).
    func pollKey() -> Key?
    /// Restores the terminal; safe to call more than once.
    func stop()
}

/// Drives the wizard on a real terminal: keys and effect results in, frames out.
/// One actor owns ncurses; effects run in tasks and post their events back here.
@MainActor
public final class WizardApp {
    /// Internal for tests: what the loop has made of the keys and results so far.
    private(set) var state: WizardState
    private let runner: EffectRunner
    private let terminal: any TerminalDevice
    private var pendingEvents: [WizardEvent] = []
    private var needsDraw = true
    /// The screen's contents are unknown (start, resize): the next draw repaints every cell.
    private var needsFullRepaint = true

    public init(state: WizardState, runner: EffectRunner, terminal: any TerminalDevice) {
        self.state = state
        self.runner = runner
        self.terminal = terminal
    }

    /// Runs until the user quits and returns the final state (its `session.summary` is what the
    /// executable prints once the screens are gone). The terminal is restored on return, and on throw.
    @discardableResult
    public func run() async throws -> WizardState {
        try terminal.start()
        defer { terminal.stop() }
        state.session.size = terminal.size
        perform(state.start())
        while !state.isFinished {
            drawIfNeeded()
            if let key = terminal.readKey() {
                handle(key)
                // Keys that have already arrived are handled before the next frame: a burst (fast
                // typing, keys queued behind a slow frame) costs one frame, not one per key.
                var handled = 1
                while handled < Self.maximumKeysPerFrame, let next = terminal.pollKey() {
                    handle(next)
                    handled += 1
                }
            }
            // Lets effect tasks deliver their results on this actor between reads.
            await Task.yield()
            while !pendingEvents.isEmpty {
                dispatch(pendingEvents.removeFirst())
            }
        }
        return state
    }

    static let maximumKeysPerFrame = 512

    private func handle(_ key: Key) {
        guard key == .resize else {
            dispatch(.key(key))
            return
        }
        // The size is taken at once, so keys read after a resize meet the state of the new size
        // (too small: they are dropped); it is read again right before drawing, as resizes come
        // in bursts.
        dispatch(.resized(terminal.size))
        needsFullRepaint = true
    }

    /// Draws at the terminal's size as it is now, not as the last resize said: however many
    /// resizes came (or were coalesced), the last frame matches the final size, repainted in full.
    private func drawIfNeeded() {
        let size = terminal.size
        if size != state.size {
            dispatch(.resized(size))
            needsFullRepaint = true
        }
        guard needsDraw else { return }
        if needsFullRepaint {
            terminal.invalidate()
            needsFullRepaint = false
        }
        terminal.draw(WizardView.render(state, size: state.size))
        needsDraw = false
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
