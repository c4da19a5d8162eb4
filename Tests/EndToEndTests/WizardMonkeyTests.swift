import Foundation
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A seeded monkey test of the real `stitch-wizard --sandbox` in tmux (issue 10's standing check):
/// thousands of random keys, escape sequences, pastes and resizes across every screen.
///
/// `STITCH_MONKEY_SEED` picks the seed (random when unset, printed either way):
/// `STITCH_MONKEY_SEED=<seed> swift test --filter WizardMonkey` replays the same keys and sizes
/// (as far as a terminal's timing allows). `STITCH_MONKEY_ROUNDS` changes how many rounds it plays (60).
///
/// Oracles, checked after every round: the wizard process is alive; after a resize the frame is
/// redrawn for the new size (title and help bar, or the too-small message naming the new size, and no
/// leftover of another size); a key that must change the screen changes it (no freeze); no escape
/// sequence shows up as typed text; keys typed while the terminal is too small change nothing. At
/// the end: a complete 80×24 frame, Ctrl-C exits with status 0, the terminal has left the alternate
/// screen, every screen was visited, and the token is nowhere but in files the wizard saved with mode 0600.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WizardMonkeyTests {
    /// A fixed number of rounds, so a seed replays the same keys and sizes; about a second each.
    static let roundCount = ProcessInfo.processInfo.environment["STITCH_MONKEY_ROUNDS"].flatMap(Int.init) ?? 60
    /// A safety cap: a slow machine stops early (and says so) rather than run for minutes.
    static let typingTime: Duration = .seconds(90)

    @Test func randomKeysPastesAndResizesNeverBreakTheWizard() throws {
        let seed = SplitMix64.seed(fromEnvironment: "STITCH_MONKEY_SEED")
        let replay = "replay: STITCH_MONKEY_SEED=\(seed) swift test --filter WizardMonkey"
        print("Wizard monkey: seed \(seed) (\(replay))")
        let data = try temporaryDirectory("monkey-data")
        let workingDirectory = try temporaryDirectory("monkey-cwd")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: workingDirectory)
        }
        // The working directory is a fresh one: `s` on the token screen saves files there.
        // Ctrl-E in the record editor hands the batch to $EDITOR: `true` returns at once, so the
        // monkey exercises the terminal's suspend and repaint without a real editor taking the pane.
        let command = "cd \(workingDirectory.path) && env LANG=C.UTF-8 TERM=tmux-256color EDITOR=true "
            + "\(Products.path("stitch-wizard")) --sandbox --data \(data.path); echo wizard-exit=$?"
        let session = try TmuxSession(command: command)
        defer { session.kill() }
        var monkey = WizardMonkey(session: session, seed: seed)
        try monkey.play(rounds: Self.roundCount, within: Self.typingTime)
        try monkey.finish(data: data, workingDirectory: workingDirectory)

        print("Wizard monkey (seed \(seed)): \(monkey.rounds) rounds, \(monkey.actionCount) key actions "
              + "(\(monkey.keystrokeCount) keys and characters), "
              + "\(monkey.resizeCount) resizes, screens visited: \(monkey.visited.sorted().joined(separator: ", ")), "
              + "\(monkey.findings.count) findings"
              + monkey.findings.map { "\n  - " + ($0.split(separator: "\n").first.map(String.init) ?? "") }.joined())
        for finding in monkey.findings {
            Issue.record("seed \(seed): \(finding)\n\(replay)")
        }
    }
}

/// What the help bar's first binding says the wizard shows (the bar always keeps its first and last).
enum MonkeyScreen: String, Comparable {
    /// `editorBusy`: the record editor with a cell being edited, a prompt open, or another panel
    /// than the grid in front (the editor's subtitle shows, its send key does not).
    case tooSmall, home, displayName, token, tokenSaving, editor, editorBusy, destination, failure, confirmingQuit, other

    static func < (lhs: MonkeyScreen, rhs: MonkeyScreen) -> Bool { lhs.rawValue < rhs.rawValue }

    init(lines: [String]) {
        let bar = lines.last ?? ""
        if !lines.contains(where: { $0.contains(WizardMonkey.title) }),
           lines.contains(where: { $0.lowercased().contains("small") }) { self = .tooSmall }
        else if bar.contains("quit, token lost") { self = .confirmingQuit }
        // The destination panel's title (its "esc editor" falls off a narrow help bar).
        else if bar.contains("esc editor") || lines.contains(where: { $0.hasPrefix(" Destination ") }) { self = .destination }
        // Before the token screens' keys: a cell being edited also offers "enter save".
        else if lines.contains(where: { $0.contains("Test batch →") }) {
            // Only the grid, focused and not editing a cell, lists "enter edit" (the probe types into it).
            self = bar.contains("ctrl-s send") && bar.contains("enter edit") ? .editor : .editorBusy
        }
        else if bar.contains("enter create source") { self = .displayName }
        else if bar.contains("enter choose") { self = .home }
        else if bar.contains("s save to file") { self = .token }
        else if bar.contains("enter save") { self = .tokenSaving }
        else if bar.contains("ctrl-s send") { self = .editor }
        else if bar.contains("r retry") || bar.contains("esc back") { self = .failure }
        else { self = .other }
    }
}

/// The monkey: a seeded stream of key chunks and resizes, with the oracles between them.
struct WizardMonkey {
    /// Whether some too-small rounds resize and type in one tmux call (STITCH_MONKEY_RACE=1).
    static let racesResizeWithKeys = ProcessInfo.processInfo.environment["STITCH_MONKEY_RACE"] == "1"
    let session: TmuxSession
    private var random: SplitMix64
    private(set) var findings: [String] = []
    private(set) var visited: Set<String> = []
    private(set) var rounds = 0
    private(set) var actionCount = 0
    private(set) var resizeCount = 0
    /// Keys, characters typed and characters pasted.
    private(set) var keystrokeCount = 0
    private var size = (columns: 80, rows: 24)
    /// The last size at or above the minimum: where too-small rounds compare frames.
    private var lastLargeSize = (columns: 80, rows: 24)
    /// What was sent lately, for failure messages.
    private var recent: [String] = []
    private var token: String?
    private var reportedTelltales: Set<String> = []
    /// The last chunk started a bracketed paste and did not end it.
    private var pasteOpen = false
    private var wizardPID: Int32?
    private var tmuxServerPID: Int32?

    static let minimum = (columns: 60, rows: 20)
    /// `STITCH_MONKEY_VERBOSE=1` prints every round's size and screen, and every chunk.
    static let verbose = ProcessInfo.processInfo.environment["STITCH_MONKEY_VERBOSE"] == "1"
    /// The title bar's start: the rest names the source type being set up, or is dropped when narrow.
    static let title = " stitch-wizard"
    static let quitBinding = "ctrl-c quit"
    /// What an escape sequence leaves on screen if it is taken for typed text. Typed text never
    /// contains these: its alphabet has no `[`, `]`, `<`, `~`, `;` or capitals.
    static let telltales = ["[<0;", "[99~", "[200~", "[201~", "]0;", "ZQX", "[I", "[O", "[M", "[12;40R", "[?1;2c", "[1;5Q", "!!"]

    init(session: TmuxSession, seed: UInt64) {
        self.session = session
        random = SplitMix64(seed: seed)
    }

    // MARK: tmux

    private func tmux(_ arguments: [String]) throws -> String {
        try run("/usr/bin/tmux", ["-L", session.socket] + arguments)
    }

    private func capture() -> [String] {
        let text = (try? session.screen()) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The screen plus the cursor: typing that only moves the cursor still counts as a change.
    private func signature() -> String {
        capture().joined(separator: "\n") + "\n@" + ((try? session.display("#{cursor_x},#{cursor_y}")) ?? "")
    }

    // MARK: Running

    mutating func play(rounds count: Int, within duration: Duration) throws {
        try session.waitFor("enter choose", timeout: .seconds(30))
        wizardPID = findWizardPID()
        tmuxServerPID = (try? session.display("#{pid}")).flatMap { Int32($0) }
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while rounds < count {
            guard clock.now < deadline else {
                print("Wizard monkey: time cap of \(duration) reached after \(rounds) of \(count) rounds")
                return
            }
            rounds += 1
            guard round() else { return }
        }
    }

    /// One round: a resize, the checks, a probe, a chunk of keys. False once the wizard is broken
    /// (later checks would only repeat the first finding).
    private mutating func round() -> Bool {
        if pasteOpen {
            // A paste start without its end: the wizard gives up after 2 s of silence and inserts what
            // came (escape sequences typed meanwhile included; see findings.md). Let that happen first,
            // so what it inserts is not blamed on the next chunk.
            Thread.sleep(forTimeInterval: 2.5)
            pasteOpen = false
        }
        guard waitUntilIdle() else { return false }
        let next = pickSize(differentFrom: size)
        resize(to: next)
        guard waitForFrame() else { return false }
        guard checkAlive() else { return false }
        var lines = capture()
        // Below the minimum the message may be too short to recognise (“T”, “o” at 2×2): the size says it.
        let isSmall = size.columns < Self.minimum.columns || size.rows < Self.minimum.rows
        var screen = isSmall ? MonkeyScreen.tooSmall : MonkeyScreen(lines: lines)
        if screen == .other { (lines, screen) = settle() }
        if screen != .tooSmall {
            lastLargeSize = size
            see(screen, lines)
        }
        if Self.verbose { print("monkey round \(rounds) \(size.columns)×\(size.rows) \(screen.rawValue)") }

        if screen == .tooSmall {
            // Keys typed while too small must do nothing. The reference is the frame at the last large
            // size after a round trip through this small size without keys (a resize alone may scroll
            // the editor); after the keys, back at that size, the frame must be the same.
            let small = size
            // Small to small as well, sometimes: the message is redrawn for the new size too.
            let smaller = chance(0.3) ? pickSmallSize(differentFrom: small) : nil
            resize(to: lastLargeSize)
            guard waitForFrame() else { return false }
            let (reference, referenceScreen) = settle()
            see(referenceScreen, reference)
            if Self.verbose { print("monkey round \(rounds) reference at \(size.columns)×\(size.rows): \(referenceScreen.rawValue)") }
            // The control takes the same path through the small sizes, without keys: the editor keeps
            // its cursor in view at every size, so where it scrolls to depends on the path.
            for step in [small, smaller].compactMap({ $0 }) {
                resize(to: step)
                guard waitForFrame() else { return false }
            }
            resize(to: lastLargeSize)
            guard waitForFrame() else { return false }
            let control = isStable() ? capture() : nil
            if Self.racesResizeWithKeys, chance(0.3) {
                // Shrink and type at once, as when a window is dragged small mid-word: the kernel has
                // the new size before the keys arrive, so they must be dropped too (F10 in findings.md).
                // Off unless STITCH_MONKEY_RACE=1: tmux 3.x queues a pane's resize and applies it from
                // its event loop, after 10–250 ms when several resizes came close together (as the control
                // trip above makes), so here the keys can reach the pty before the kernel has the new size,
                // and then acting at the old size is right. WizardEndToEndTests checks F10 with one resize.
                size = small
                resizeCount += 1
                record("resize \(small.columns)×\(small.rows) with the keys")
                sendChunk(for: .tooSmall, after: ["resize-window", "-t", session.name, "-x", String(small.columns),
                                                  "-y", String(small.rows)])
                guard waitForFrame() else { return false }
            } else {
                resize(to: small)
                guard waitForFrame() else { return false }
                sendChunk(for: .tooSmall)
            }
            // Every key must be read while the window is still small: ncurses reports a resize before
            // input that is still unread, which would then rightly act at the new size.
            guard waitUntilIdle() else { return false }
            if let smaller {
                resize(to: smaller)
                guard waitForFrame() else { return false }
            }
            resize(to: lastLargeSize)
            guard waitForFrame(), waitUntilIdle() else { return false }
            let after = capture()
            if let control, after != control, isStable() {
                findings.append("keys typed while the terminal was too small (\(small.columns)×\(small.rows)) changed the screen. "
                    + "Before:\n\(control.joined(separator: "\n"))\nAfter:\n\(after.joined(separator: "\n"))\nKeys: \(recent.suffix(3).joined(separator: "\n"))")
            }
            return checkAlive()
        }
        guard probe(screen) else { return false }
        let before = telltaleCounts()
        sendChunk(for: screen)
        Thread.sleep(forTimeInterval: 0.1)
        let after = pasteOpen ? [:] : telltaleCounts()
        for (telltale, count) in after where count > before[telltale, default: 0] && !reportedTelltales.contains(telltale) {
            reportedTelltales.insert(telltale)
            findings.append("“\(telltale)” appeared on the \(screen.rawValue) screen: an escape sequence was taken for typed text. "
                + "Keys:\n\(recent.suffix(1).joined())\nScreen:\n\(capture().joined(separator: "\n"))")
        }
        return checkAlive()
    }

    /// How often each telltale shows on screen now.
    private func telltaleCounts() -> [String: Int] {
        let text = capture().joined(separator: "\n")
        var counts: [String: Int] = [:]
        for telltale in Self.telltales {
            let count = text.components(separatedBy: telltale).count - 1
            if count > 0 { counts[telltale] = count }
        }
        return counts
    }

    // MARK: Oracles

    private func findWizardPID() -> Int32? {
        guard let shell = (try? session.display("#{pane_pid}")).flatMap({ Int32($0) }) else { return nil }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == shell, stat.contains("(stitch-wizard)") { return pid }
        }
        return nil
    }

    /// Waits until the wizard and the tmux server have used no CPU for 100 ms, so the keys sent so far
    /// have been delivered (tmux feeds a long paste as the wizard reads it), read and acted on before
    /// a frame is judged or the window resized. A wizard busy for more than 5 s is a finding.
    private mutating func waitUntilIdle() -> Bool {
        func ticks(_ pid: Int32) -> Int? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
            guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
            return user + system
        }
        func cpuTicks() -> Int? {
            guard let pid = wizardPID, let wizard = ticks(pid) else { return nil }
            return wizard + (tmuxServerPID.flatMap(ticks) ?? 0)
        }
        let deadline = ContinuousClock.now + .seconds(5)
        var quiet = 0
        var last = cpuTicks()
        while ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            let now = cpuTicks()
            guard let now else { return true }  // gone: checkAlive says so
            quiet = now == last ? quiet + 1 : 0
            last = now
            if quiet >= 2 { return true }
        }
        findings.append("the wizard was still busy (using CPU) 5 s after the last keys. \(processState()). "
            + "Sent lately:\n\(recent.joined(separator: "\n"))\nScreen:\n\(capture().joined(separator: "\n"))")
        return false
    }

    /// The wizard's state letter and what each of its threads waits in (R, S with its wchan, T, Z, or
    /// gone), and its parent's. Every thread, not only the process's: the main thread of a Swift async
    /// program always waits in `sigsuspend` (libdispatch's `dispatch_main` parks it there and the main
    /// queue runs on a worker thread), so the process's own state and wchan say nothing about a hang.
    private func processState() -> String {
        func describe(_ stat: String) -> (state: String, parent: String)? {
            guard let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 1 else { return nil }
            return (String(fields[0]), String(fields[1]))
        }
        guard let pid = wizardPID, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let process = describe(stat) else { return "gone" }
        let tasks = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [])
            .compactMap(Int32.init).sorted()
        let threads = tasks.map { task -> String in
            let directory = "/proc/\(pid)/task/\(task)"
            let stat = (try? String(contentsOfFile: "\(directory)/stat", encoding: .utf8)) ?? ""
            let name = stat.firstIndex(of: "(").flatMap { open in
                stat.lastIndex(of: ")").map { String(stat[stat.index(after: open)..<$0]) }
            } ?? "?"
            let channel = (try? String(contentsOfFile: "\(directory)/wchan", encoding: .utf8)) ?? "?"
            return "\(task) \(name) \(describe(stat)?.state ?? "?") \(channel)"
        }
        var parent = "?"
        if let stat = try? String(contentsOfFile: "/proc/\(process.parent)/stat", encoding: .utf8),
           let described = describe(stat) {
            parent = "pid \(process.parent) state \(described.state)"
        }
        return "pid \(pid) (stitch-wizard) state \(process.state), parent \(parent); "
            + "\(tasks.count) threads (tid name state wchan): \(threads.joined(separator: ", "))"
    }

    /// The wizard is running (not a zombie, not gone) and the pane has not fallen back to the shell.
    private mutating func checkAlive() -> Bool {
        let screen = capture().joined(separator: "\n")
        var state = "gone"
        if let pid = wizardPID, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            state = String(stat[stat.index(close, offsetBy: 2)])
        }
        guard state != "gone", state != "Z", !screen.contains("wizard-exit=") else {
            findings.append("the wizard is no longer running (process state \(state)) after:\n\(recent.joined(separator: "\n"))\nScreen:\n\(screen)")
            return false
        }
        return true
    }

    /// What is wrong with the frame for the current size, if anything.
    private func problems(with lines: [String]) -> [String] {
        var problems: [String] = []
        if lines.count != size.rows { problems.append("\(lines.count) lines for \(size.rows) rows") }
        let titles = lines.filter { $0.contains(Self.title) }.count
        let bars = lines.filter { $0.contains(Self.quitBinding) || $0.contains("any key stay") }.count
        let tooSmall = size.columns < Self.minimum.columns || size.rows < Self.minimum.rows
        if tooSmall {
            // The wording shortens with the window; what must hold is the reason, the sizes when
            // there is room for the first wording, and nothing left of a full screen.
            if size.columns >= 8, !lines.contains(where: { $0.lowercased().contains("small") }) {
                problems.append("no “too small” message")
            }
            // Narrower, the message is cut to its first letters (“T”, “o”…); a frame tmux merely
            // cropped starts with the title's “ s” instead.
            if size.columns < 8, !lines.joined().filter({ !$0.isWhitespace }).hasPrefix("T") {
                problems.append("no “T…” of the too-small message")
            }
            let current = "\(size.columns)×\(size.rows)"
            if size.columns >= 30, size.rows >= 6, !lines.contains(where: { $0.contains(current) }) {
                problems.append("the too-small message does not name the size \(current)")
            }
            let leftovers = [Self.title, Self.quitBinding, "Import API", "›", "│", "─"].filter { mark in
                lines.contains { $0.contains(mark) }
            }
            if !leftovers.isEmpty { problems.append("\(leftovers) left over from a full screen") }
        } else {
            if !(lines.first ?? "").hasPrefix(Self.title) { problems.append("no title bar on the first line") }
            let last = lines.last ?? ""
            if !(last.contains(Self.quitBinding) || last.contains("any key stay")) { problems.append("no help bar on the last line") }
            if titles > 1 || bars > 1 { problems.append("\(titles) title bars and \(bars) help bars: leftovers of another size") }
            if lines.contains(where: { $0.contains("Terminal too small") || $0.contains("Too small") || $0.contains("need 60×20") }) {
                problems.append("the too-small message left over")
            }
        }
        return problems
    }

    /// Waits for a frame drawn for the current size; records a finding if none comes.
    private mutating func waitForFrame(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var last: [String] = []
        var issues: [String] = []
        while ContinuousClock.now < deadline {
            last = capture()
            issues = problems(with: last)
            if issues.isEmpty { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        findings.append("no correct frame for \(size.columns)×\(size.rows) within \(timeout): \(issues.joined(separator: "; ")). "
            + "The wizard process: \(processState()). Sent lately:\n\(recent.joined(separator: "\n"))\nScreen:\n\(last.joined(separator: "\n"))")
        return false
    }

    private func isStable() -> Bool {
        let first = signature()
        Thread.sleep(forTimeInterval: 0.15)
        return signature() == first
    }

    /// Waits for the screen to differ from `before`.
    private func changes(from before: String, within timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if signature() != before { return true }
            Thread.sleep(forTimeInterval: 0.03)
        }
        return false
    }

    /// A key that must visibly act on this screen does, and is undone: the wizard still answers keys.
    private mutating func probe(_ screen: MonkeyScreen) -> Bool {
        let steps: [(keys: [String], undo: [String])] = switch screen {
        case .displayName, .editor: [(["-l", "q"], ["BSpace"])]
        case .token: [(["s"], ["Escape"])]
        case .tokenSaving: [(["Escape"], [])]
        case .destination: [(["Escape"], [])]
        default: []
        }
        for step in steps {
            let before = signature()
            send(step.keys, describe: "probe \(step.keys.joined(separator: " "))")
            guard changes(from: before) else {
                findings.append("on the \(screen.rawValue) screen, \(step.keys.last ?? "") changed nothing within 5 s: the wizard stopped answering keys. "
                    + "Sent lately:\n\(recent.joined(separator: "\n"))\nScreen:\n\(capture().joined(separator: "\n"))")
                return false
            }
            if !step.undo.isEmpty {
                let changed = signature()
                send(step.undo, describe: "undo \(step.undo.joined(separator: " "))")
                _ = changes(from: changed, within: .seconds(2))
            }
        }
        return true
    }

    // MARK: Keys

    private mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }
    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    private mutating func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    private static let sizes: [(columns: Int, rows: Int)] = [(80, 24), (60, 20), (120, 32), (100, 30), (61, 21), (200, 50), (72, 22), (90, 40)]
    private static let smallSizes: [(columns: Int, rows: Int)] = [(59, 20), (60, 19), (40, 12), (30, 8), (20, 5), (10, 3), (2, 2)]

    private mutating func pickSmallSize(differentFrom current: (columns: Int, rows: Int)) -> (columns: Int, rows: Int) {
        while true {
            let candidate = pick(Self.smallSizes)
            if candidate != current { return candidate }
        }
    }

    /// Waits (up to 10 s) for a screen that is not a request in flight and does not change.
    private func settle() -> ([String], MonkeyScreen) {
        let deadline = ContinuousClock.now + .seconds(10)
        var lines = capture()
        while ContinuousClock.now < deadline {
            lines = capture()
            if MonkeyScreen(lines: lines) != .other, isStable() { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (lines, MonkeyScreen(lines: lines))
    }

    /// Notes a screen as visited, and the token when it is on screen.
    private mutating func see(_ screen: MonkeyScreen, _ lines: [String]) {
        guard screen != .tooSmall else { return }
        visited.insert(screen.rawValue)
        let text = lines.joined(separator: "\n")
        if screen == .token, token == nil, let found = text.range(of: #"at_[A-Za-z0-9_]{16,}"#, options: .regularExpression) {
            token = String(text[found])
        }
    }

    private mutating func pickSize(differentFrom current: (columns: Int, rows: Int)) -> (columns: Int, rows: Int) {
        while true {
            let candidate = chance(0.2) ? pick(Self.smallSizes) : pick(Self.sizes)
            if candidate != current { return candidate }
        }
    }

    private mutating func resize(to next: (columns: Int, rows: Int)) {
        size = next
        resizeCount += 1
        record("resize \(next.columns)×\(next.rows)")
        do { try session.resize(columns: next.columns, rows: next.rows) } catch { findings.append("tmux could not resize (a test problem): \(error)") }
    }

    private mutating func record(_ description: String) {
        recent = Array((recent + [description]).suffix(6))
    }

    /// One tmux call of several `send-keys`, so a chunk arrives as a burst, as typing and pasting do.
    private mutating func send(_ keys: [String], describe: String) {
        _ = try? tmux(["send-keys", "-t", session.name] + keys)
        record(describe)
    }

    /// Text the monkey types: lowercase letters, digits, spaces, some punctuation and non-ASCII.
    private static let alphabet: [String] = Array("abcdefghijklmnopqrstuvwxyz0123456789    {}\":,.-_/'").map(String.init)
        + ["é", "ß", "表", "😀", "\u{301}", "ｗ"]

    private mutating func text(_ count: Int) -> String {
        (0..<count).map { _ in pick(Self.alphabet) }.joined()
    }

    /// `text` cut into pieces of at most `maximumBytes` bytes of UTF-8, on character boundaries.
    static func pieces(of text: String, maximumBytes: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var currentBytes = 0
        for character in text {
            let bytes = character.utf8.count
            if currentBytes + bytes > maximumBytes {
                pieces.append(current)
                current = ""
                currentBytes = 0
            }
            current.append(character)
            currentBytes += bytes
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static func hex(_ text: String) -> [String] { text.utf8.map { String(format: "%02x", $0) } }
    private static func hex(_ bytes: [UInt8]) -> [String] { bytes.map { String(format: "%02x", $0) } }

    private static let namedKeys = ["Up", "Down", "Left", "Right", "Home", "End", "PPage", "NPage", "BSpace", "DC", "IC",
                                    "Tab", "BTab", "Enter", "Escape", "F1", "F2", "F5", "F10", "F12", "S-Left", "C-Right", "M-Up"]
    /// Control keys, without C-c, C-z and C-\ (quit, suspend, SIGQUIT).
    private static let controlKeys = ["C-a", "C-b", "C-d", "C-e", "C-f", "C-g", "C-h", "C-k", "C-l", "C-n", "C-o", "C-p",
                                      "C-r", "C-s", "C-t", "C-u", "C-v", "C-w", "C-x", "C-y", "C-@", "C-]", "C-^", "C-_"]
    /// Escape sequences a terminal or a confused program may send; none of them is a key the wizard knows.
    private static let sequences: [String] = [
        "\u{1B}[I", "\u{1B}[O", "\u{1B}]0;ZQX\u{7}", "\u{1B}]52;c;ZQX\u{1B}\\", "\u{1B}[M!!!", "\u{1B}[<0;12;5M",
        "\u{1B}[<0;12;5m", "\u{1B}[<64;3;3M", "\u{1B}[99~", "\u{1B}[1;5Q", "\u{1B}[?1;2c", "\u{1B}[12;40R", "\u{1B}OP",
        "\u{1B}[201~", "\u{1B}[", "\u{1B}\u{1B}", "\u{1B}x", "\u{1B}O", "\u{1B}[" + String(repeating: "9", count: 80) + "m",
        "\u{1B}P1$r0m\u{1B}\\", "\u{1B}[?2004h", "\u{1B}c",
    ]

    /// A chunk of random keys, plus keys that move the flow on, so every screen gets its turn.
    /// `after`: a tmux command run first, in the same call (a resize right before the keys).
    private mutating func sendChunk(for screen: MonkeyScreen, after first: [String] = []) {
        var commands: [[String]] = []
        var described: [String] = []
        func add(_ arguments: [String], _ description: String) {
            commands.append(arguments)
            described.append(description)
        }
        for _ in 0..<number(4...30) {
            actionCount += 1
            keystrokeCount += 1
            switch number(0...99) {
            case 0..<30:
                let typed = text(number(1...12))
                keystrokeCount += typed.count - 1
                add(["-l", "--", typed], "text \(typed.debugDescription)")
            case 30..<55:
                var key = pick(Self.namedKeys)
                // Enter on the home and name screens is the steering's to send (last in the chunk),
                // so the next screen is seen at the start of a round before random keys act on it.
                if screen == .displayName || screen == .home, key == "Enter" { key = "Tab" }
                add([key], key)
            case 55..<65:
                let key = pick(Self.controlKeys)
                add([key], key)
            case 65..<85:
                let sequence = pick(Self.sequences)
                add(["-H"] + Self.hex(sequence), "sequence \(sequence.debugDescription)")
            case 85..<93:
                let size = chance(0.15) ? number(5_000...40_000) : number(1...200)
                var pasted = text(size)
                keystrokeCount += size
                if chance(0.5) { pasted = pasted.replacingOccurrences(of: "q", with: "\n") }
                add(["-H"] + Self.hex("\u{1B}[200~"), "paste start")
                // tmux refuses a command over 16 KiB: long text goes in pieces, back to back.
                for piece in Self.pieces(of: pasted, maximumBytes: 2_000) { commands.append(["-l", "--", piece]) }
                described.append("pasted \(size) characters")
                if chance(0.92) {
                    add(["-H"] + Self.hex("\u{1B}[201~"), "paste end")
                } else {
                    described.append("(no paste end)")
                    pasteOpen = true
                }
            case 93..<97:
                let letter = pick(["a", "x", "s", "d", "y", "[", "O", "\u{7F}"])
                add(["-H"] + Self.hex("\u{1B}" + letter), "alt-\(letter.debugDescription)")
            default:
                let bytes: [UInt8] = pick([[0xFF], [0xC3], [0xE2, 0x82], [0x9B], [0x00], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80]])
                add(["-H"] + Self.hex(bytes), "bytes \(bytes)")
            }
        }
        // Steering: the keys that advance, sometimes.
        switch screen {
        case .displayName where chance(0.3):
            // A clean, unique name, so the source gets made and the flow goes on.
            add(["C-e", "C-u"], "C-e C-u (steer)")
            add(["-l", "--", "monkey \(rounds)"], "name (steer)")
            add(["Enter"], "Enter (steer)")
        case .displayName where chance(0.2): add(["Enter"], "Enter (steer)")
        // The preselected Import API type, most of the time; the other rows are explored too.
        case .home where chance(0.6):
            // Random keys move the selection: back to the top row, the Import API type, first.
            add(["-N", "20", "Up"], "Up ×20 (steer)")
            add(["Enter"], "Enter (steer)")
        case .token where chance(0.35): add(["y"], "y (steer)")
        case .token where chance(0.15):
            add(["s"], "s (steer)")
            add(["-l", "--", "token-\(number(0...999))"], "file name")
            add(["Enter"], "Enter (steer)")
        case .tokenSaving where chance(0.4): add([pick(["Enter", "Escape"])], "Enter/Escape (steer)")
        case .editor where chance(0.3): add(["C-s"], "C-s (steer)")
        case .editor where chance(0.35): add(["C-d"], "C-d (steer)")
        // A cell's editor or a prompt holds the editor's own keys: Esc closes it (then, often, on to
        // the destination: random keys keep the editor busy most of the time).
        case .editorBusy where chance(0.6):
            add([pick(["Escape", "Tab"])], "Escape/Tab (steer)")
            if chance(0.5) {
                add(["Escape"], "Escape (steer)")
                add(["C-d"], "C-d (steer)")
            }
        case .destination where chance(0.4): add(["Escape"], "Escape (steer)")
        case .destination where chance(0.2): add(["r"], "r (steer)")
        case .failure where chance(0.5): add([pick(["r", "Escape"])], "r/Escape (steer)")
        default: break
        }
        // As few tmux calls as fit in its message size, so a chunk arrives as a burst.
        var call: [String] = first
        var bytes = first.reduce(0) { $0 + $1.utf8.count + 4 }
        func flush() {
            guard !call.isEmpty else { return }
            do { _ = try tmux(call) } catch { findings.append("tmux refused keys (a test problem): \(error)") }
            call = []
            bytes = 0
        }
        for arguments in commands {
            let size = arguments.reduce(40) { $0 + $1.utf8.count + 4 }
            if bytes + size > 8_000 { flush() }
            if !call.isEmpty { call.append(";") }
            call += ["send-keys", "-t", session.name] + arguments
            bytes += size
        }
        flush()
        record("[\(screen.rawValue)] " + described.joined(separator: ", "))
        if Self.verbose { print("monkey sent " + (recent.last ?? "")) }
        Thread.sleep(forTimeInterval: 0.05)
    }

    // MARK: The end

    mutating func finish(data: URL, workingDirectory: URL) throws {
        // A complete 80×24 frame after all those sizes.
        if size != (80, 24) {
            resize(to: (80, 24))
        } else {
            resize(to: (81, 25))
            _ = waitForFrame()
            resize(to: (80, 24))
        }
        if waitForFrame(), waitUntilIdle() {
            let (lines, _) = settle()
            let issues = problems(with: lines)
            if !issues.isEmpty { findings.append("final 80×24 frame: \(issues.joined(separator: "; "))\n\(lines.joined(separator: "\n"))") }
            if lines.contains(where: { $0.count > 80 }) { findings.append("a line wider than 80 columns in the final frame") }
            // Stale cells: the same 80×24 reached from a larger size (every cell repainted) must match.
            resize(to: (120, 40))
            if waitForFrame() {
                resize(to: (80, 24))
                if waitForFrame(), waitUntilIdle() {
                    let (repainted, _) = settle()
                    // The record editor keeps its cursor in view, and a larger viewport may scroll
                    // its grid (or raw text) back: a resize can move the rows legitimately, so the
                    // rows inside the editor's box are left out there; everything around them must
                    // still match.
                    func comparable(_ frame: [String]) -> [String] {
                        frame.contains { $0.contains("Test batch →") } ? frame.filter { !$0.contains("│") } : frame
                    }
                    if comparable(repainted) != comparable(lines) {
                        findings.append("the final 80×24 frame differs from the same screen repainted after a resize, so it held "
                            + "cells of an earlier frame. Final:\n\(lines.joined(separator: "\n"))\nRepainted:\n\(repainted.joined(separator: "\n"))")
                    }
                }
            }
        }
        for screen in [MonkeyScreen.home, .displayName, .token, .editor, .destination] where !visited.contains(screen.rawValue) {
            findings.append("the monkey never reached the \(screen.rawValue) screen (visited: \(visited.sorted()))")
        }

        // Ctrl-C, answering the question if the token was never acknowledged.
        _ = try? tmux(["send-keys", "-t", session.name, "C-c"])
        record("C-c")
        let deadline = ContinuousClock.now + .seconds(10)
        var exited = false
        while ContinuousClock.now < deadline {
            let screen = capture().joined(separator: "\n")
            if screen.contains("wizard-exit=") { exited = true; break }
            if MonkeyScreen(lines: capture()) == .confirmingQuit {
                _ = try? tmux(["send-keys", "-t", session.name, "y"])
                record("y (quit question)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let screen = capture().joined(separator: "\n")
        if !exited {
            findings.append("Ctrl-C did not end the wizard within 10 s. Sent lately:\n\(recent.joined(separator: "\n"))\nScreen:\n\(screen)")
        } else {
            if !screen.contains("wizard-exit=0") {
                findings.append("the wizard exited with \(screen.components(separatedBy: "wizard-exit=").last?.prefix(4) ?? "?"), not 0:\n\(screen)")
            }
            if (try? session.display("#{alternate_on}")) != "0" { findings.append("the terminal is still on the alternate screen after exit") }
        }

        // The token is shown once, on its screen, and saved only where the user asked, mode 0600.
        guard let token else {
            findings.append("the token was never seen on the token screen, so its absence elsewhere was not checked")
            return
        }
        let history = (try? tmux(["capture-pane", "-p", "-S", "-", "-E", "-", "-t", session.name])) ?? ""
        if history.contains(token) { findings.append("the token is in the terminal's scrollback after exit") }
        for root in [data, workingDirectory] {
            let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
            for file in files {
                let path = root.appendingPathComponent(file).path
                guard let contents = FileManager.default.contents(atPath: path),
                      String(decoding: contents, as: UTF8.self).contains(token) else { continue }
                let mode = ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? 0
                if root != workingDirectory || mode != 0o600 {
                    findings.append("the token is in \(path) (mode \(String(mode, radix: 8)))")
                }
            }
        }
    }
}
