import Foundation
import StitchAPI
import StitchSandbox
import Testing
import TerminalUI
import WizardCore
@testable import WizardRuntime

#if canImport(Glibc)
import Glibc
#endif

/// A terminal that waits for input the way ncurses does in the product: the loop waits on its
/// `inputDescriptor` (a pipe nobody writes to) and takes keys with `pollKey`; `readKey` is never
/// meant to be called. Each scripted key is given once its awaited text is on screen.
@MainActor
final class PollingTerminal: TerminalDevice {
    var steps: [(wait: String, key: Key)]
    var frames: [Frame] = []
    var stopped = false
    var readKeyCalls = 0
    /// Called after each draw with the number of frames so far.
    var onDraw: (Int) -> Void = { _ in }
    let size = Size(columns: 80, rows: 24)
    private let idleInput: [Int32]
    private let deadline = ContinuousClock.now + .seconds(20)

    init(_ steps: [(wait: String, key: Key)]) {
        self.steps = steps
        var descriptors: [Int32] = [-1, -1]
        _ = pipe(&descriptors)
        idleInput = descriptors
    }

    deinit { idleInput.forEach { close($0) } }

    var inputDescriptor: Int32? { idleInput[0] }
    func start() throws {}
    func invalidate() {}
    func stop() { stopped = true }

    func draw(_ frame: Frame) {
        frames.append(frame)
        onDraw(frames.count)
    }

    func readKey() -> Key? {
        readKeyCalls += 1
        return pollKey()
    }

    func pollKey() -> Key? {
        // Gives up (quits) rather than hang the suite when a screen never comes.
        guard ContinuousClock.now < deadline else { return .control("c") }
        guard let step = steps.first, frames.last?.text.contains(step.wait) == true else { return nil }
        steps.removeFirst()
        return step.key
    }
}

@MainActor
struct StartupTests {
    struct SandboxDidNotStart: Error {}

    /// The first frame does not wait for the sandbox: it is drawn, then the sandbox starts (here
    /// only once that frame is on screen), then the start's requests fetch the home screen.
    @Test func theFirstFrameIsDrawnBeforeTheSandboxListens() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("startup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (firstFrame, drawn) = AsyncStream.makeStream(of: Void.self)
        let terminal = PollingTerminal([(wait: "New import_api source", key: .control("c"))])
        terminal.onDraw = { _ in drawn.yield() }
        let sandbox = Task { () throws -> RunningSandbox in
            // At most 5 s: a loop that waited for the sandbox before drawing must fail here, not hang.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in firstFrame { break } }
                group.addTask { try? await Task.sleep(for: .seconds(5)) }
                await group.next()
                group.cancelAll()
            }
            return try await startSandbox(SandboxConfiguration(dataDirectory: directory))
        }
        let target = Task {
            let running = try await sandbox.value
            return WizardTarget(connectBaseURL: running.baseURL, connectToken: running.connectToken,
                                importBaseURL: running.baseURL, isSandbox: true)
        }
        var state = WizardState(target: WizardTarget(connectBaseURL: "http://127.0.0.1", connectToken: "",
                                                     importBaseURL: "http://127.0.0.1", isSandbox: true))
        state.screen = StartScreen(start: .home, isAwaitingSandbox: true)
        let app = WizardApp(state: state, runner: EffectRunner(), terminal: terminal, pendingTarget: target)
        let final = try await app.run()
        await (try? sandbox.value)?.stop()

        #expect(terminal.frames.first?.text.contains("Starting the local sandbox…") == true)
        #expect(terminal.steps.isEmpty, "the home screen came")
        #expect(final.target == (try await target.value), "the requests went to the sandbox that started")
        #expect(terminal.readKeyCalls == 0, "with an input descriptor the loop only polls for keys")
        #expect(terminal.stopped)
    }

    /// A sandbox that cannot start ends the run with its error (as before the screens drew first),
    /// and the terminal is given back.
    @Test func aSandboxThatCannotStartEndsTheRunWithItsError() async throws {
        let terminal = PollingTerminal([])
        let target = Task<WizardTarget, any Error> { throw SandboxDidNotStart() }
        var state = WizardState(target: WizardTarget(connectBaseURL: "http://127.0.0.1", connectToken: "",
                                                     importBaseURL: "http://127.0.0.1", isSandbox: true))
        state.screen = StartScreen(start: .home, isAwaitingSandbox: true)
        let app = WizardApp(state: state, runner: EffectRunner(), terminal: terminal, pendingTarget: target)
        await #expect(throws: SandboxDidNotStart.self) { try await app.run() }
        #expect(terminal.stopped)
        #expect(terminal.frames.first?.text.contains("Starting the local sandbox…") == true)
    }
}
