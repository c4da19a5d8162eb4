import Foundation
import StitchAPI
import StitchSandbox
import Testing
import TerminalUI
import WizardCore
@testable import WizardRuntime

/// A terminal that types a script and keeps every frame, like ratatui's TestBackend.
@MainActor
final class ScriptedTerminal: TerminalDevice {
    typealias Step = (wait: String?, key: Key)
    var steps: [Step]
    var frames: [Frame] = []
    var started = false
    var stopped = false
    /// The text the script was still waiting for when it gave up, if it did.
    var gaveUpWaitingFor: String?
    let size = Size(columns: 80, rows: 24)
    private var idleReads = 0

    init(_ steps: [Step]) { self.steps = steps }

    func start() throws { started = true }
    func draw(_ frame: Frame) { frames.append(frame) }
    func invalidate() {}
    func pollKey() -> Key? { nil }
    func stop() { stopped = true }

    /// Sends the next key once its awaited text is on screen; gives up (Ctrl-C) after ~20 s idle,
    /// leaving the unsent steps in place so a test can tell.
    func readKey() -> Key? {
        if gaveUpWaitingFor != nil { return .control("c") }
        guard let step = steps.first else { return .control("c") }
        if let wait = step.wait, !(frames.last?.text.contains(wait) ?? false) {
            idleReads += 1
            if idleReads > 2_000 {
                gaveUpWaitingFor = wait
                return .control("c")
            }
            Thread.sleep(forTimeInterval: 0.01)
            return nil
        }
        idleReads = 0
        steps.removeFirst()
        return step.key
    }
}

@MainActor
struct WizardAppTests {
    @Test func theLoopRunsTheWholeFlowAgainstTheSandbox() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("app-\(UUID().uuidString)").path
        let sandbox = try await startSandbox(SandboxConfiguration(dataDirectory: directory))
        let target = WizardTarget(connectBaseURL: sandbox.baseURL, connectToken: sandbox.connectToken,
                                  importBaseURL: sandbox.baseURL, isSandbox: true)
        let terminal = ScriptedTerminal([
            (wait: "New import_api source", key: .enter),
            (wait: "Create the Import API source", key: .enter),
            (wait: "cannot be displayed again", key: .character("y")),
            (wait: "customers · 1 row", key: .control("s")),
            (wait: "201 Created", key: .control("c")),
        ])
        let app = WizardApp(state: WizardState(target: target), runner: EffectRunner(), terminal: terminal)
        try await app.run()
        await sandbox.stop()
        try? FileManager.default.removeItem(atPath: directory)

        #expect(terminal.started && terminal.stopped)
        #expect(terminal.gaveUpWaitingFor == nil, "the screen never showed the awaited text")
        #expect(terminal.steps.isEmpty, "every scripted step ran")
        #expect(terminal.frames.contains { $0.text.contains("201 Created") })
    }
}
