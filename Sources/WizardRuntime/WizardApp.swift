import Foundation
import RecordBatch
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
    /// A descriptor that turns readable when input arrives (the terminal's stdin). With one, the
    /// loop waits for a key and for effect results at once and uses `pollKey`; without one (nil,
    /// the default), it waits in `readKey` and takes results between reads.
    var inputDescriptor: Int32? { get }
    /// Restores the terminal; safe to call more than once.
    func stop()
    /// Gives the terminal to another program while `body` runs (`$EDITOR`), then takes it back;
    /// the next `draw` repaints. By default `body` just runs (a fake terminal has nothing to give).
    func suspend<T>(during body: () throws -> T) rethrows -> T
}

extension TerminalDevice {
    public var inputDescriptor: Int32? { nil }
    public func suspend<T>(during body: () throws -> T) rethrows -> T { try body() }
}

/// Drives the wizard on a real terminal: keys and effect results in, frames out.
/// One actor owns ncurses; effects run in tasks and post their events back here.
@MainActor
public final class WizardApp {
    /// Internal for tests: what the loop has made of the keys and results so far.
    private(set) var state: WizardState
    private let runner: EffectRunner
    private let terminal: any TerminalDevice
    /// Effect results (and the awaited target), posted from the effect tasks' own threads.
    private let mailbox = EventMailbox()
    /// What the start waits for before its first request (the in-process sandbox listening).
    private let pendingTarget: Task<WizardTarget, any Error>?
    private var needsDraw = true
    /// The screen's contents are unknown (start, resize): the next draw repaints every cell.
    private var needsFullRepaint = true
    /// For `StartupTrace`: only the first frames are marked.
    private var framesDrawn = 0

    /// With a `pendingTarget`, the first frame is drawn at once (the state's screen, e.g. a
    /// `StartScreen` awaiting the sandbox) and the start's effects run once the task gives the
    /// target; its failure ends `run()` with that error.
    public init(state: WizardState, runner: EffectRunner, terminal: any TerminalDevice,
                pendingTarget: Task<WizardTarget, any Error>? = nil) {
        self.state = state
        self.runner = runner
        self.terminal = terminal
        self.pendingTarget = pendingTarget
    }

    /// Runs until the user quits and returns the final state (its `session.summary` is what the
    /// executable prints once the screens are gone). The terminal is restored on return, and on throw.
    @discardableResult
    public func run() async throws -> WizardState {
        try terminal.start()
        StartupTrace.mark("terminal started")
        defer { terminal.stop() }
        state.session.size = terminal.size
        if let pendingTarget {
            let mailbox = mailbox
            Task.detached { mailbox.post(.target(await pendingTarget.result)) }
        } else {
            perform(state.start())
        }
        while !state.isFinished {
            drawIfNeeded()
            if let key = nextKey() {
                handle(key)
                // Keys that have already arrived are handled before the next frame: a burst (fast
                // typing, keys queued behind a slow frame) costs one frame, not one per key.
                var handled = 1
                while handled < Self.maximumKeysPerFrame, let next = terminal.pollKey() {
                    handle(next)
                    handled += 1
                }
            }
            // Lets other work on this actor run between reads.
            await Task.yield()
            for delivery in mailbox.take() {
                switch delivery {
                case .event(let event):
                    dispatch(event)
                case .target(let result):
                    StartupTrace.mark("sandbox listening")
                    state.session.target = try result.get()
                    needsDraw = true
                    perform(state.start())
                }
            }
        }
        return state
    }

    static let maximumKeysPerFrame = 512
    /// How long the loop waits for input when nothing happens: the key decoder's deadlines (a
    /// lone Esc, an unfinished sequence) and resizes are looked at again after it.
    static let inputWait = Duration.milliseconds(30)

    /// The next key: one already there, else the first to arrive while no effect result came
    /// and `inputWait` has not passed.
    private func nextKey() -> Key? {
        guard let descriptor = terminal.inputDescriptor else { return terminal.readKey() }
        if let key = terminal.pollKey() { return key }
        if !mailbox.wait(forInputOn: descriptor, timeout: Self.inputWait) {
            // The terminal is gone (its window closed, the ssh connection dropped): nobody can
            // answer any more, and waiting on a hung-up descriptor would spin. End the run.
            dispatch(.endOfInput)
            return nil
        }
        return terminal.pollKey()
    }

    /// GETs that change nothing and need nothing done before them.
    static func isIndependentRead(_ effect: WizardEffect) -> Bool {
        switch effect {
        case .fetchSourceTypes, .fetchSources, .fetchSourceType, .fetchSource, .listTokens, .fetchStreams,
             .fetchStreamSchema:
            true
        default:
            false
        }
    }

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
        if framesDrawn < 3 {
            framesDrawn += 1
            StartupTrace.mark("frame drawn")
        }
    }

    private func dispatch(_ event: WizardEvent) {
        let effects = WizardReducer.reduce(&state, event)
        needsDraw = true
        perform(effects)
    }

    static func isExternalEdit(_ effect: WizardEffect) -> Bool {
        if case .editExternally = effect { return true }
        return false
    }

    /// The record editor's `$EDITOR` hand-off (ExternalEditor), with the terminal suspended; the
    /// screen is repainted in full after it.
    private func handOff(_ batch: RecordBatch) {
        let editor = ExternalEditor.command(in: ProcessInfo.processInfo.environment)
        let reply = terminal.suspend {
            ExternalEditor.edit(batch, editor: editor, sequencesFrom: EffectRunner.wallMilliseconds())
        }
        needsFullRepaint = true
        dispatch(.reply(reply))
    }

    /// Effects of one transition run in order, off the main actor: the loop may be blocked in its
    /// wait for a key, which a posted result ends. Reads that only fetch (the start's two lists)
    /// have no order among them, so they go out together, each answered when it comes.
    private func perform(_ effects: [WizardEffect]) {
        guard !effects.isEmpty else { return }
        // `$EDITOR` needs the terminal, which only the loop can give up: it runs here, in order.
        if effects.contains(where: Self.isExternalEdit) {
            for effect in effects {
                if case .editExternally(let batch) = effect { handOff(batch) } else { perform([effect]) }
            }
            return
        }
        let runner = runner, mailbox = mailbox
        if effects.count > 1, effects.allSatisfy(Self.isIndependentRead) {
            for effect in effects {
                Task.detached {
                    if let event = await runner.run(effect) { mailbox.post(.event(event)) }
                }
            }
            return
        }
        Task.detached {
            for effect in effects {
                if let event = await runner.run(effect) {
                    mailbox.post(.event(event))
                }
            }
        }
    }
}
