import Foundation
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The terminal goes away under a running wizard (the window closed, tmux killed, an ssh connection
/// dropped): the wizard must end, not spin on a dead terminal. With the terminal as its controlling
/// one the kernel's SIGHUP ends it; without (started with `setsid`, or by something that holds the
/// pty for it) only its input says so: poll reports POLLIN|POLLHUP|POLLERR for ever and read
/// returns 0. Before EventMailbox asked FIONREAD, such a wizard ran on at 94 % of a core.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TerminalHangUpEndToEndTests {
    @Test(arguments: [false, true])
    func aWizardWhoseTerminalGoesAwayExits(withoutControllingTerminal: Bool) throws {
        let data = try temporaryDirectory("hangup-data")
        defer { try? FileManager.default.removeItem(at: data) }
        let session = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color "
            + (withoutControllingTerminal ? "/usr/bin/setsid " : "")
            + "\(Products.path("stitch-wizard")) --sandbox --data \(data.path); echo wizard-exit=$?")
        defer { session.kill() }
        try session.waitFor("enter choose")
        let pid = try #require(Self.wizardPID(arguments: data.path))
        defer { kill(pid, SIGKILL) }

        // Only the tmux server goes, as when a terminal window is closed: not `session.kill()`,
        // which also kills what ran in the pane.
        let server = Int32(try session.display("#{pid}"))
        _ = try? run("/usr/bin/tmux", ["-L", session.socket, "kill-server"])
        if let server { kill(server, SIGKILL) }

        try eventually(timeout: .seconds(15), "the wizard to exit after its terminal went away") {
            Self.isGone(pid)
        }
    }

    /// The running stitch-wizard whose command line holds `arguments` (its own data directory).
    static func wizardPID(arguments: String) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  (try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8))?.hasPrefix("stitch-wizard") == true,
                  let commandLine = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                  String(decoding: commandLine, as: UTF8.self).contains(arguments) else { continue }
            return pid
        }
        return nil
    }

    /// Exited: no such process, or a zombie waiting for its parent.
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }
}
