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

    /// A real terminal hung up: a pty whose master is closed (as when tmux, the window or the ssh
    /// connection goes). Unlike the pipe, it reports POLLIN along with POLLHUP, for ever, and every
    /// read returns 0.
    init(pty: Void) {
        var master: Int32 = -1
        var slave: Int32 = -1
        _ = openpty(&master, &slave, nil, nil, nil)
        close(master)
        input = slave
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

    /// A real terminal gone (its pty's master closed, as when tmux is killed) without a SIGHUP to end
    /// the wizard (not its controlling terminal: `setsid`, a daemon's pty): poll says POLLIN with
    /// POLLHUP, and the POLLIN was taken for keys still to read, for ever (a wizard started with
    /// `setsid` in tmux spun at 94 % of a core after kill-server).
    @Test func aHungUpPtyEndsTheRunInsteadOfSpinning() async throws {
        let target = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "",
                                  importBaseURL: "https://api.stitchdata.com", isSandbox: false)
        let terminal = HungUpTerminal(pty: ())
        let app = WizardApp(state: WizardState(target: target), runner: EffectRunner(), terminal: terminal)
        let final = try await app.run()
        #expect(final.cancellation != nil, "the run ended only at the test's deadline")
        #expect(terminal.stopped, "the terminal is restored")
    }

    /// The mailbox's own answer for such a pty: the end, not a key to read.
    @Test func aHungUpPtyIsTheEndOfInput() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        try #require(openpty(&master, &slave, nil, nil, nil) == 0)
        defer { close(slave) }
        close(master)
        #expect(!EventMailbox().wait(forInputOn: slave, timeout: .milliseconds(500)))
    }
}
