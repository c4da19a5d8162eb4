import Foundation
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A stop (SIGTSTP) and `fg` under a job-control shell. Ctrl-Z is a key in the wizard's raw mode
/// (undo in the grid), so the terminal never stops it; a stop comes from elsewhere (`kill -TSTP`,
/// an editor stopping its process group during the `$EDITOR` hand-off). Before the stop handler
/// the shell got our raw, non-echoing alternate screen, and after `fg` the wizard ran under the
/// shell's cooked, echoing, signal-generating modes without repainting: no title bar, keys
/// line-buffered (arrows did nothing), Ctrl-C killing it.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TerminalStopEndToEndTests {
    @Test func aStoppedWizardGivesTheShellItsTerminalAndIsWholeAgainAfterFg() throws {
        let directory = try temporaryDirectory("stop-tty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("wizard.pid").path
        let data = directory.appendingPathComponent("data").path
        let wizard = Products.path("stitch-wizard")
        // An interactive shell, for job control: under tmux's own `sh -c` the wizard's process group
        // is orphaned and the kernel discards a stop, so nothing would be tested.
        let session = try TmuxSession(command: "env PS1='job-shell$ ' bash --norc --noprofile -i")
        // An interactive bash outlives its tmux server (as does a job it stopped): ended by pid.
        let shell = try #require(Int32(session.display("#{pane_pid}")))
        defer {
            kill(shell, SIGKILL)
            session.kill()
        }
        try session.waitFor("job-shell$")
        // The inner shell writes its pid and becomes the wizard (one job, its own process group).
        try session.sendLiteral("sh -c 'echo $$ > \(pidFile); exec env LANG=C.UTF-8 TERM=tmux-256color \(wizard) "
            + "--sandbox --data \(data)'")
        try session.send("Enter")
        try session.waitFor("enter choose")
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        let selected = { try session.screen().split(separator: "\n").first { $0.hasPrefix("  › ") }.map(String.init) }
        let before = try selected()

        kill(pid, SIGTSTP)
        try session.waitFor("Stopped")
        try session.sendLiteral("fg")
        try session.send("Enter")

        try eventually(timeout: .seconds(10), "the wizard's whole frame back after fg") {
            let lines = try session.screen().split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first?.hasPrefix(" stitch-wizard") == true
                && lines.contains { $0.contains("enter choose") } && !lines.contains { $0.contains("Stopped") }
        }
        // Raw mode again: an arrow is a key at once (with the shell's line buffering it waited for Enter).
        try session.send("Down")
        try eventually(timeout: .seconds(10), "Down to move the selection after fg") { try selected() != before }
        #expect(try !session.screen().contains("job-shell$"), "the shell's prompt is left on the wizard's screen")
    }
}
