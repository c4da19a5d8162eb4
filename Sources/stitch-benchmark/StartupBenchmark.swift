import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one program's start-up looked like in one run, in milliseconds from the moment it was
/// exec'd (released from its wrapper shell).
struct StartupSample: Sendable {
    /// The first frame with any visible text.
    var firstFrame: Double
    /// The first frame showing the program's interactive screen (the wizard's home screen with
    /// its lists; dialog's input box with its buttons).
    var ready: Double
    /// A key sent once the interactive screen was up, until the screen changed (seen by polling
    /// `capture-pane`, so a few milliseconds coarse): proof that the keys are live.
    var keyActed: Double
    /// The wizard's own checkpoints (`STITCH_WIZARD_STARTUP_TRACE`: "main", "terminal started",
    /// "frame drawn", "sandbox listening", …), in ms from the same release, first of each name.
    /// Empty for dialog. They say where the time before each frame went; "main" is the floor
    /// of the executable's own start (the kernel's exec, the dynamic loader, static initializers).
    var checkpoints: [String: Double] = [:]
}

struct StartupFigures: Sendable {
    var wizard: [StartupSample]
    var dialog: [StartupSample]
    var columns: Int
    var rows: Int
    var term: String
    var freshData: Bool

    var text: String {
        func median(_ pick: (StartupSample) -> Double, _ samples: [StartupSample]) -> Double {
            Statistics.median(samples.map(pick))
        }
        // Run i of each program ran back to back (order alternating), so their ratio is a pair.
        let firstRatios = zip(wizard, dialog).map { $0.firstFrame / $1.firstFrame }
        let readyRatios = zip(wizard, dialog).map { $0.ready / $1.ready }
        let firstRatio = Statistics.median(firstRatios), readyRatio = Statistics.median(readyRatios)
        func row(_ name: String, _ samples: [StartupSample]) -> String {
            "| \(name) | \(BenchmarkReport.decimal(median(\.firstFrame, samples))) | "
                + "\(BenchmarkReport.decimal(median(\.ready, samples))) | "
                + "\(BenchmarkReport.decimal(Statistics.percentile(0, of: samples.map(\.ready)))) – "
                + "\(BenchmarkReport.decimal(Statistics.percentile(100, of: samples.map(\.ready)))) | "
                + "\(BenchmarkReport.decimal(median(\.keyActed, samples))) |"
        }
        let data = freshData ? "a fresh sandbox data directory per run"
            : "one sandbox data directory, made by an uncounted warm-up run (as ~/.stitch-sandbox is after the first)"
        return ([
            "Start-up: `stitch-wizard --sandbox` (release; \(data)) and `dialog --inputbox` in one private tmux "
                + "server at \(columns)×\(rows), TERM=\(term), \(wizard.count) runs each, alternating which goes first. "
                + "Times in ms from the program's exec to the output byte that completed the frame, as tmux "
                + "received it (`pipe-pane`, timestamped); each frame was confirmed by replaying the bytes up to "
                + "it into a fresh pane and reading it with `capture-pane`.",
            "",
            "| program | first frame ms | interactive ms | interactive min – max | key acted ms |",
            "|---|---:|---:|---:|---:|",
            row("dialog --inputbox", dialog),
            row("stitch-wizard --sandbox", wizard),
            "",
            "Wizard ÷ dialog, median of the per-run ratios: first frame \(BenchmarkReport.ratio(firstRatio)) (goal ≤ 1.50), "
                + "interactive screen \(BenchmarkReport.ratio(readyRatio)) (goal ≤ 3.00; the wizard's home screen with "
                + "the source types and sources fetched, against dialog's input box).",
            "Per run: first frame " + firstRatios.map(BenchmarkReport.ratio).joined(separator: ", ")
                + "; interactive " + readyRatios.map(BenchmarkReport.ratio).joined(separator: ", ") + ".",
            "",
        ] + checkpointLines).joined(separator: "\n")
    }

    /// Where the wizard's time went, from its own checkpoints, next to dialog's first frame: `main`
    /// reached later than dialog's whole first frame is a floor no change after `main` can lower.
    private var checkpointLines: [String] {
        let names = ["main", "parsed", "terminal started", "frame drawn", "sandbox listening"]
        let medians: [(String, Double)] = names.compactMap { name in
            let values = wizard.compactMap { $0.checkpoints[name] }
            return values.count == wizard.count && !values.isEmpty ? (name, Statistics.median(values)) : nil
        }
        guard !medians.isEmpty else { return [] }
        let dialogFirst = Statistics.median(dialog.map(\.firstFrame))
        return [
            "The wizard's checkpoints (`STITCH_WIZARD_STARTUP_TRACE`, CLOCK_MONOTONIC, ms from the same release, "
                + "medians): " + medians.map { "\($0.0) \(BenchmarkReport.decimal($0.1))" }.joined(separator: ", ")
                + "; dialog's whole first frame: \(BenchmarkReport.decimal(dialogFirst)).",
            "",
        ]
    }
}

/// Start-up against the floor of a C ncurses program: `stitch-wizard --sandbox` and
/// `dialog --inputbox`, each started in the same private tmux server at the same size, measured
/// the same way, run after run.
///
/// Each program starts in a new tmux session behind a shell waiting on a FIFO, so the pane's
/// output is already piped (`pipe-pane` into a FIFO this process reads, timestamping each chunk)
/// before the program is exec'd. Which chunk completed a frame is decided afterwards by tmux
/// itself: the bytes up to a chunk are replayed into a fresh pane and captured, so no frame is
/// judged by guessing at escape sequences. Live `capture-pane` polling only says when to stop
/// waiting and whether a key acted; it times nothing but that key.
struct StartupBenchmark {
    var wizardBinary: String
    var dialog: String
    var tmux: String
    var runs: Int
    var freshData: Bool
    var progress: @Sendable (String) -> Void

    static let columns = 80, rows = 24
    static let term = "tmux-256color"

    /// A program under test: how to start it and how to tell its screens.
    struct Subject {
        var name: String
        var command: [String]
        /// The interactive screen, from `capture-pane`'s text.
        var isReady: @Sendable (String) -> Bool
        /// A key (tmux's name) that visibly changes the interactive screen.
        var key: String
        var quitKeys: [String]
        /// Where the wizard writes its checkpoints (`STITCH_WIZARD_STARTUP_TRACE`); nil for dialog.
        var traceFile: String?
    }

    func run() async throws -> StartupFigures {
        try await withCheckedThrowingContinuation { continuation in
            // Blocking waits (tmux commands, FIFOs) on a thread of their own, off the cooperative pool.
            let thread = Thread { continuation.resume(with: Result { try measure() }) }
            thread.start()
        }
    }

    private func measure() throws -> StartupFigures {
        guard FileManager.default.isExecutableFile(atPath: wizardBinary) else {
            throw BenchmarkError.missingTool(wizardBinary, hint: "build it with `swift build -c release --product stitch-wizard`")
        }
        guard let dialogPath = ExternalCommand(executable: dialog).resolvedPath else {
            throw BenchmarkError.missingTool(dialog, hint: "install it (apt-get install dialog) or pass --dialog PATH")
        }
        guard let tmuxPath = ExternalCommand(executable: tmux).resolvedPath else {
            throw BenchmarkError.missingTool(tmux, hint: "install it (apt-get install tmux) or pass --tmux PATH")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-benchmark-startup-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let server = try TmuxServer(tmux: tmuxPath, socket: "stitch-bench-\(UUID().uuidString.prefix(8))")
        defer { server.kill() }

        let reusedData = work.appendingPathComponent("sandbox-data").path
        func wizard(_ run: Int) -> Subject {
            let data = freshData ? work.appendingPathComponent("sandbox-data-\(run)").path : reusedData
            return Subject(name: "stitch-wizard", command: [wizardBinary, "--sandbox", "--data", data],
                           isReady: { $0.contains("Create a source, or continue one") && $0.contains("New import_api source") },
                           key: "Down", quitKeys: ["C-c"],
                           traceFile: work.appendingPathComponent("trace-\(run)").path)
        }
        let dialogSubject = Subject(
            name: "dialog", command: [dialogPath, "--inputbox", "Display name of the new source:", "8", "50"],
            isReady: { $0.contains("Display name of the new source") && $0.contains("Cancel") },
            key: "x", quitKeys: ["Escape"], traceFile: nil)

        var counter = 0
        func once(_ subject: Subject) throws -> StartupSample {
            counter += 1
            return try measureOnce(subject, server: server, work: work, id: counter)
        }
        progress("startup: warming up (one uncounted run of each)")
        _ = try once(wizard(-1))
        _ = try once(dialogSubject)
        var wizardSamples: [StartupSample] = [], dialogSamples: [StartupSample] = []
        for run in 0..<runs {
            if run.isMultiple(of: 2) {
                wizardSamples.append(try once(wizard(run)))
                dialogSamples.append(try once(dialogSubject))
            } else {
                dialogSamples.append(try once(dialogSubject))
                wizardSamples.append(try once(wizard(run)))
            }
            let w = wizardSamples[run], d = dialogSamples[run]
            progress("startup: run \(run + 1)/\(runs): wizard \(BenchmarkReport.decimal(w.firstFrame)) / "
                + "\(BenchmarkReport.decimal(w.ready)) ms, dialog \(BenchmarkReport.decimal(d.firstFrame)) / "
                + "\(BenchmarkReport.decimal(d.ready)) ms (first frame / interactive)")
        }
        return StartupFigures(wizard: wizardSamples, dialog: dialogSamples, columns: Self.columns, rows: Self.rows,
                              term: Self.term, freshData: freshData)
    }

    private func measureOnce(_ subject: Subject, server: TmuxServer, work: URL, id: Int) throws -> StartupSample {
        let session = "run\(id)"
        let go = work.appendingPathComponent("go-\(id)").path
        let out = work.appendingPathComponent("out-\(id)").path
        guard mkfifo(go, 0o600) == 0, mkfifo(out, 0o600) == 0 else {
            throw BenchmarkError.wrongResult("mkfifo in \(work.path) failed: \(String(cString: strerror(errno)))")
        }
        // Opened (without waiting for a writer) before tmux's pipe command opens it for writing.
        let outDescriptor = open(out, O_RDONLY | O_NONBLOCK)
        guard outDescriptor >= 0 else { throw BenchmarkError.wrongResult("cannot open \(out)") }
        let recorder = OutputRecorder(descriptor: outDescriptor)
        defer { recorder.finish() }

        let program = subject.command.map(TmuxServer.quoted).joined(separator: " ")
        // The trace variable is set on the exec itself (no extra process), so dialog runs as before.
        var trace = ""
        if let traceFile = subject.traceFile {
            unlink(traceFile)
            trace = "STITCH_WIZARD_STARTUP_TRACE=\(TmuxServer.quoted(traceFile)) "
        }
        try server.run(["new-session", "-d", "-s", session, "-x", "\(Self.columns)", "-y", "\(Self.rows)",
                        "-e", "TERM=\(Self.term)", "-e", "LANG=C.UTF-8",
                        "read go < \(TmuxServer.quoted(go)); \(trace)exec \(program)"])
        defer { _ = try? server.run(["kill-session", "-t", session]) }
        try server.run(["pipe-pane", "-t", session, "exec cat > \(TmuxServer.quoted(out))"])
        recorder.start()

        // Blocks until the waiting shell has the FIFO open; then the program is released.
        let goDescriptor = open(go, O_WRONLY)
        guard goDescriptor >= 0 else { throw BenchmarkError.wrongResult("cannot open \(go)") }
        let clock = ContinuousClock()
        let released = clock.now
        let releasedMonotonic = Self.monotonicNanoseconds()
        _ = write(goDescriptor, "\n", 1)
        close(goDescriptor)

        var screen = ""
        try poll(timeout: .seconds(30), "\(subject.name)'s interactive screen", last: { screen }) {
            screen = try server.capture(session)
            return subject.isReady(screen)
        }
        let readyScreen = screen
        // The pane's bytes reach the FIFO a little after tmux shows them (later on a busy
        // machine): take the recording once a replay of it shows the interactive screen too.
        var chunksBeforeKey: [OutputRecorder.Chunk] = []
        let settling = clock.now
        while true {
            chunksBeforeKey = recorder.chunks
            if !chunksBeforeKey.isEmpty,
               subject.isReady(try server.replay(chunksBeforeKey.flatMap(\.bytes), work: work, id: "\(id)-all",
                                                 columns: Self.columns, rows: Self.rows)) { break }
            guard clock.now - settling < .seconds(5) else {
                throw BenchmarkError.wrongResult("\(subject.name): replaying its output does not show the interactive screen")
            }
            usleep(20_000)
        }
        let keySent = clock.now
        try server.run(["send-keys", "-t", session, subject.key])
        try poll(timeout: .seconds(10), "\(subject.name) to act on \(subject.key)", last: { screen }) {
            screen = try server.capture(session)
            return screen != readyScreen
        }
        let keyActed = clock.now - keySent
        try server.run(["send-keys", "-t", session] + subject.quitKeys)
        try poll(timeout: .seconds(15), "\(subject.name) to exit", last: { screen }) {
            try server.run(["display-message", "-p", "-t", session, "#{pane_dead}"]).hasPrefix("1")
        }

        // Which chunk completed each frame, decided by tmux on a replay of the bytes up to it.
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for chunk in chunksBeforeKey {
            bytes += chunk.bytes
            ends.append(bytes.count)
        }
        func screenAfter(_ index: Int) throws -> String {
            try server.replay(Array(bytes[0..<ends[index]]), work: work, id: "\(id)-\(index)",
                              columns: Self.columns, rows: Self.rows)
        }
        let firstFrame = try firstIndex(in: ends.count) { !(try screenAfter($0)).allSatisfy(\.isWhitespace) }
        let ready = try firstIndex(in: ends.count) { subject.isReady(try screenAfter($0)) }
        func milliseconds(_ index: Int) -> Double { (chunksBeforeKey[index].time - released).seconds * 1000 }
        return StartupSample(firstFrame: milliseconds(firstFrame), ready: milliseconds(ready),
                             keyActed: keyActed.seconds * 1000,
                             checkpoints: subject.traceFile.map { Self.checkpoints(in: $0, since: releasedMonotonic) } ?? [:])
    }

    /// The trace's clock (StartupTrace writes CLOCK_MONOTONIC; ContinuousClock is another clock on Linux).
    static func monotonicNanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }

    /// `<ns> <name>` lines, the first of each name, as ms since `start`.
    static func checkpoints(in file: String, since start: Int) -> [String: Double] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [:] }
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let nanoseconds = Int(line[..<space]) else { continue }
            let name = String(line[line.index(after: space)...])
            if result[name] == nil { result[name] = Double(nanoseconds - start) / 1_000_000 }
        }
        return result
    }

    /// The first index in 0..<count where `holds` is true, for a condition that stays true once
    /// it holds (the last index is known to hold). Binary search: each probe is a replay.
    private func firstIndex(in count: Int, where holds: (Int) throws -> Bool) throws -> Int {
        var low = 0, high = count - 1
        while low < high {
            let middle = (low + high) / 2
            if try holds(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private func poll(timeout: Duration, _ what: String, last: () -> String, _ condition: () throws -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return }
            usleep(2_000)
        }
        throw BenchmarkError.wrongResult("startup: timed out waiting for \(what). Last screen:\n\(last())")
    }
}

/// Reads a FIFO on a thread of its own and keeps every chunk with the time it arrived.
private final class OutputRecorder: @unchecked Sendable {
    // @unchecked: `chunks` and `done` are only touched under `lock`; the descriptor is read by the
    // recording thread alone until `finish()` has joined it (waited for `finished`).
    struct Chunk {
        var time: ContinuousClock.Instant
        var bytes: [UInt8]
    }

    private let descriptor: Int32
    private let lock = NSLock()
    private var recorded: [Chunk] = []
    private var done = false
    private let finished = DispatchSemaphore(value: 0)
    private var started = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    var chunks: [Chunk] { lock.withLock { recorded } }

    func start() {
        started = true
        Thread { [self] in
            let clock = ContinuousClock()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            while !lock.withLock({ done }) {
                poller.revents = 0
                guard Glibc.poll(&poller, 1, 20) > 0 else { continue }
                let count = read(descriptor, &buffer, buffer.count)
                let now = clock.now
                if count > 0 {
                    lock.withLock { recorded.append(Chunk(time: now, bytes: Array(buffer[0..<count]))) }
                } else if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) {
                    // The writer closed (the session ended): wait to be told to stop without spinning.
                    usleep(5_000)
                }
            }
            finished.signal()
        }.start()
    }

    func finish() {
        lock.withLock { done = true }
        if started { finished.wait() }
        close(descriptor)
    }
}

/// A tmux server of our own (private socket, no configuration file), driven command by command.
private struct TmuxServer {
    let tmux: String
    let socket: String

    init(tmux: String, socket: String) throws {
        self.tmux = tmux
        self.socket = socket
        // A session that outlives the measured ones keeps the server up; panes stay after their
        // program exits so the exit can be seen.
        try run(["new-session", "-d", "-s", "keeper", "-x", "\(StartupBenchmark.columns)",
                 "-y", "\(StartupBenchmark.rows)", "exec sleep 86400"])
        try run(["set-option", "-g", "remain-on-exit", "on"])
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let outcome = try SpawnedCommand.run(tmux, ["-L", socket, "-f", "/dev/null"] + arguments)
        guard outcome.status == 0 else {
            throw BenchmarkError.commandFailed("tmux \(arguments.first ?? "")", status: outcome.status, output: outcome.output)
        }
        return outcome.output
    }

    func capture(_ session: String) throws -> String {
        try run(["capture-pane", "-p", "-t", session])
    }

    /// What a pane of `columns`×`rows` shows after `bytes`: a fresh session prints them, then sets
    /// its title, which tmux parses only after every byte before it.
    func replay(_ bytes: [UInt8], work: URL, id: String, columns: Int, rows: Int) throws -> String {
        let file = work.appendingPathComponent("replay-\(id)").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        let session = "replay\(id)"
        let title = "replayed-\(id)"
        try run(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)",
                 "cat \(Self.quoted(file)); printf '\\033]2;\(title)\\033\\\\'; exec sleep 600"])
        defer { _ = try? run(["kill-session", "-t", session]) }
        let deadline = ContinuousClock.now + .seconds(10)
        while try run(["display-message", "-p", "-t", session, "#{pane_title}"])
            .trimmingCharacters(in: .whitespacesAndNewlines) != title
        {
            guard ContinuousClock.now < deadline else { throw BenchmarkError.wrongResult("replay \(id) never finished") }
            usleep(1_000)
        }
        return try capture(session)
    }

    func kill() {
        let pid = (try? run(["display-message", "-p", "-t", "keeper", "#{pid}"]))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        _ = try? run(["kill-server"])
        if let pid { Glibc.kill(pid, SIGKILL) }
    }

    /// One shell word.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A short command run to its end with posix_spawn, output (both streams) read from a file:
/// `tmux new-session` leaves a server behind that would hold a pipe open, and Foundation's
/// `Process` waits for its pipes.
private enum SpawnedCommand {
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("stitch-benchmark-tmux-\(UUID().uuidString.prefix(8)).out").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchmarkError.commandFailed(executable, status: -1, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }
}
