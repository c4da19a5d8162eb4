import Foundation
import StitchAPI
import Testing
import TerminalUI
import WizardCore
@testable import WizardRuntime

/// A terminal whose size changes as a script says, recording each draw and full repaint.
@MainActor
final class ResizingTerminal: TerminalDevice {
    enum Step {
        /// The terminal becomes this size; `announced` says whether a resize key reports it
        /// (curses reports one KEY_RESIZE for a burst of SIGWINCHes, so some go unannounced).
        case resize(to: Size, announced: Bool)
        case key(Key)
    }

    struct Draw: Equatable {
        var frameSize: Size
        var terminalSize: Size
        var afterInvalidate: Bool
    }

    var steps: [Step]
    private(set) var size: Size
    private(set) var draws: [Draw] = []
    private var invalidated = false
    private var idleReads = 0

    init(size: Size, _ steps: [Step]) {
        self.size = size
        self.steps = steps
    }

    func start() throws {}
    func stop() {}
    func invalidate() { invalidated = true }
    func pollKey() -> Key? { nil }

    func draw(_ frame: Frame) {
        draws.append(Draw(frameSize: frame.size, terminalSize: size, afterInvalidate: invalidated))
        invalidated = false
    }

    func readKey() -> Key? {
        guard !steps.isEmpty else {
            // A few idle reads so the loop can draw what the last step changed, then quit.
            idleReads += 1
            return idleReads > 3 ? .control("c") : nil
        }
        switch steps.removeFirst() {
        case .resize(let newSize, let announced):
            size = newSize
            return announced ? .resize : nil
        case .key(let key):
            return key
        }
    }
}

@MainActor
struct ResizeTests {
    static let remote = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "",
                                     importBaseURL: "https://api.stitchdata.com", isSandbox: false)

    func run(_ terminal: ResizingTerminal) async throws {
        let app = WizardApp(state: WizardState(target: Self.remote), runner: EffectRunner(), terminal: terminal)
        try await app.run()
    }

    /// Issue 12: however the resizes come, the last frame has the final size and is a full repaint.
    @Test func aBurstOfResizesEndsInAFullRepaintAtTheFinalSize() async throws {
        let final = Size(columns: 100, rows: 30)
        let terminal = ResizingTerminal(size: Size(columns: 80, rows: 24), [
            .resize(to: Size(columns: 70, rows: 22), announced: true),
            .resize(to: Size(columns: 90, rows: 26), announced: true),
            .resize(to: Size(columns: 62, rows: 21), announced: true),
            // The last change came after the last resize key was read (curses coalesced it).
            .resize(to: final, announced: false),
        ])
        try await run(terminal)
        let last = try #require(terminal.draws.last)
        #expect(last.frameSize == final)
        #expect(last.terminalSize == final)
        #expect(last.afterInvalidate, "the final frame must repaint every cell, not diff against a stale screen")
    }

    @Test func everyDrawMatchesTheTerminalAtThatMoment() async throws {
        let terminal = ResizingTerminal(size: Size(columns: 80, rows: 24), [
            .resize(to: Size(columns: 40, rows: 10), announced: false),
            .key(.character("x")),
            .resize(to: Size(columns: 120, rows: 40), announced: true),
            .key(.character("y")),
            .resize(to: Size(columns: 64, rows: 20), announced: false),
        ])
        try await run(terminal)
        #expect(!terminal.draws.isEmpty)
        for draw in terminal.draws {
            #expect(draw.frameSize == draw.terminalSize)
        }
        // A size change is always followed by a full repaint.
        for (previous, draw) in zip(terminal.draws, terminal.draws.dropFirst()) where draw.frameSize != previous.frameSize {
            #expect(draw.afterInvalidate, "\(previous.frameSize) → \(draw.frameSize) was diffed, not repainted")
        }
    }

    /// Issue 10 at the loop: a key typed while the window was too small reaches the reducer as
    /// such (the size is synced before the key is read), so it cannot act on the hidden form.
    @Test func aKeyTypedWhileTooSmallDoesNotReachTheForm() async throws {
        let terminal = ResizingTerminal(size: Size(columns: 80, rows: 24), [
            .resize(to: Size(columns: 40, rows: 10), announced: false),
            .key(.character("x")),
            .resize(to: Size(columns: 80, rows: 24), announced: true),
        ])
        let app = WizardApp(state: WizardState(target: Self.remote), runner: EffectRunner(), terminal: terminal)
        try await app.run()
        #expect(terminal.draws.last?.frameSize == Size(columns: 80, rows: 24))
        #expect(app.state.screen(as: ConnectScreen.self)!.form.token.text.isEmpty, "x was typed into a form nobody could see")
    }
}

/// A terminal that has a whole burst of input waiting at once, as after a slow frame.
@MainActor
final class BurstTerminal: TerminalDevice {
    var pending: [Key]
    private(set) var size: Size
    let sizeAfterResize: Size
    private(set) var draws = 0
    private var idleReads = 0

    init(size: Size, sizeAfterResize: Size, _ keys: [Key]) {
        self.size = size
        self.sizeAfterResize = sizeAfterResize
        pending = keys
    }

    func start() throws {}
    func stop() {}
    func invalidate() {}
    func draw(_ frame: Frame) { draws += 1 }

    func readKey() -> Key? {
        if let key = pollKey() { return key }
        idleReads += 1
        return idleReads > 3 ? .control("c") : nil
    }

    func pollKey() -> Key? {
        guard !pending.isEmpty else { return nil }
        let key = pending.removeFirst()
        if key == .resize { size = sizeAfterResize }
        return key
    }
}

@MainActor
struct KeyBurstTests {
    static let remote = ResizeTests.remote

    /// Found by the monkey (a 37,628-character paste, then keys): one frame per key left the
    /// wizard busy for seconds after the last key. Keys already waiting share one frame.
    @Test func aBurstOfKeysCostsOneFrame() async throws {
        let terminal = BurstTerminal(size: Size(columns: 80, rows: 24), sizeAfterResize: Size(columns: 80, rows: 24),
                                     Array(repeating: Key.character("k"), count: 200))
        let app = WizardApp(state: WizardState(target: Self.remote), runner: EffectRunner(), terminal: terminal)
        try await app.run()
        #expect(app.state.screen(as: ConnectScreen.self)!.form.token.text == String(repeating: "k", count: 200))
        #expect(terminal.draws <= 3, "\(terminal.draws) frames for one burst")
    }

    /// Within one burst, keys after a resize to a too-small size are dropped like any other.
    @Test func keysAfterAResizeInTheSameBurstMeetTheNewSize() async throws {
        let terminal = BurstTerminal(size: Size(columns: 80, rows: 24), sizeAfterResize: Size(columns: 20, rows: 5),
                                     [.character("a"), .resize, .character("b"), .enter, .paste("c")])
        let app = WizardApp(state: WizardState(target: Self.remote), runner: EffectRunner(), terminal: terminal)
        try await app.run()
        #expect(app.state.screen(as: ConnectScreen.self)!.form.token.text == "a")
        #expect(!app.state.screen(as: ConnectScreen.self)!.form.isChecking)
    }
}
