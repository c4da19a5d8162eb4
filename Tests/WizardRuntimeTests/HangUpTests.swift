import Foundation
import Testing
import TerminalUI
import WizardCore
@testable import WizardRuntime

#if canImport(Glibc)
import Glibc
#endif

/// A terminal whose input has hung up (its pty closed): poll reports POLLHUP at once, forever.
@MainActor
final class HungUpTerminal: TerminalDevice {
    let size = Size(columns: 80, rows: 24)
    var stopped = false
    private(set) var frames = 0
    private let input: Int32
    private let deadline = ContinuousClock.now + .seconds(10)

    init() {
        var descriptors: [Int32] = [-1, -1]
        _ = pipe(&descriptors)
        // No writer is left: the read end reports a hang-up, as a closed terminal does.
        close(descriptors[1])
        input = descriptors[0]
    }

    deinit { close(input) }

    var inputDescriptor: Int32? { input }
    func start() throws {}
    func invalidate() {}
    func stop() { stopped = true }
    func draw(_ frame: Frame) { frames += 1 }
    func readKey() -> Key? { pollKey() }

    func pollKey() -> Key? {
        // Ends a loop that would otherwise spin forever, so the test fails instead of hanging.
        ContinuousClock.now < deadline ? nil : .control("c")
    }
}

/// Found by the steps end-to-end suite: wizards whose terminal had gone kept running, reading
/// the dead terminal hundreds of times a second. A hang-up ends the run.
@MainActor
struct HangUpTests {
    @Test func aTerminalThatHungUpEndsTheRunInsteadOfSpinning() async throws {
        let target = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "",
                                  importBaseURL: "https://api.stitchdata.com", isSandbox: false)
        let terminal = HungUpTerminal()
        let app = WizardApp(state: WizardState(target: target), runner: EffectRunner(), terminal: terminal)
        let started = ContinuousClock.now
        let final = try await app.run()
        #expect(final.cancellation != nil, "the run ended only at the test's deadline")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(terminal.stopped, "the terminal is restored")
    }
}
