import Foundation
import RecordBatch
import StitchAPI
import StitchClient
import TerminalUI
import WizardCore
import WizardRuntime
import WizardViews

#if canImport(Glibc)
import Glibc
#endif

/// The record editor's performance goals (issue 8): keypress → frame with 1,000,000 rows loaded,
/// opening a 1,000,000-record JSONL (time to the grid's first frame, peak memory), and the
/// editor's CPU per record while it sends the rows to the release sandbox next to the sandbox's.
///
/// Opening and the keys run in a child process of this binary (`--editor-probe FILE`), so its
/// peak resident memory (`VmHWM`) is the editor's alone, not the benchmark's other phases'. The
/// child drives the real reducer and views in-process (no terminal): a tmux capture polls at
/// millisecond granularity at best, too coarse for a 1 ms goal. The diff is a cell-by-cell
/// comparison of the new frame with the previous one, the work ncurses' `wrefresh` does on the
/// same cells (the backend itself needs a terminal).
struct EditorBenchmark {
    var sandboxBinary: String
    var records: Int
    var keys: Int
    var size: Size
    var progress: @Sendable (String) -> Void

    func run() async throws -> EditorFigures {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-benchmark-editor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("records.jsonl")
        progress("editor: writing \(BenchmarkReport.grouped(records)) records of JSONL")
        let bytes = try EditorRecords.write(count: records, to: file.path)

        progress("editor: opening it and typing \(keys) keys at \(size.columns)x\(size.rows) (child process)")
        let probe = try await ChildProcessRun.run(
            CommandLine.arguments[0],
            ["--editor-probe", file.path, "--editor-keys", "\(keys)", "--editor-size", "\(size.columns)x\(size.rows)"],
            environment: ProcessInfo.processInfo.environment)
        guard probe.succeeded, let line = probe.standardOutput.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw BenchmarkError.commandFailed("stitch-benchmark --editor-probe", status: probe.status,
                                               output: probe.standardError + probe.standardOutput)
        }
        var figures = try EditorFigures(probeLine: String(line), fileBytes: bytes, records: records, size: size)
        figures.probeProcessPeak = probe.peakResidentBytes

        progress("editor: sending the rows to the release sandbox")
        figures.send = try await sendFigures(file: file, work: work)
        return figures
    }

    /// The editor's own sending (`HistoryPanel`'s sender through the reducer, `EffectRunner`'s
    /// `.sendPart`), in this process, against the release sandbox; CPU from `getrusage` here and
    /// from /proc for the sandbox, over the same interval.
    private func sendFigures(file: URL, work: URL) async throws -> SendFigures {
        let sandbox = try SandboxProcess(binary: sandboxBinary, dataDirectory: work.appendingPathComponent("data").path)
        do {
            let figures = try await send(file: file, sandbox: sandbox)
            await sandbox.stop()
            return figures
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func send(file: URL, sandbox: SandboxProcess) async throws -> SendFigures {
        let baseURL = try await sandbox.baseURL()
        let connect = try ConnectClient(baseURL: baseURL, token: sandbox.connectToken)
        let source = try await connect.createSource(CreateSourceRequest(type: "import_api", displayName: "Benchmark editor"))
        let token = try await connect.createToken(sourceID: source.id)
        let target = WizardTarget(connectBaseURL: baseURL, connectToken: sandbox.connectToken, importBaseURL: baseURL,
                                  isSandbox: false)
        var session = WizardSession(target: target, token: token, size: size)
        session.source = source
        var state = WizardState(session: session)
        let loaded = RecordFileLoader.load(path: file.path)
        var screen = EditorScreen(session: session)
        screen.document = EditorDocument(loaded, path: file.path)

        let clock = ContinuousClock()
        // What the editor's `.checkBatch` effect does after a load, before Ctrl-S may send.
        let checkCPUBefore = ProcessCPU.ownSeconds()
        screen.document.problems = BatchChecks.problems(in: screen.document.batch, limit: EditorDocument.problemLimit)
        let checkCPU = ProcessCPU.ownSeconds() - checkCPUBefore
        let cpuBefore = ProcessCPU.ownSeconds()
        let sandboxBefore = ProcessCPU.seconds(of: sandbox.processIdentifier) ?? 0
        guard screen.document.problems.isEmpty else {
            throw BenchmarkError.wrongResult("editor: the generated rows have problems: \(screen.document.problems.prefix(3))")
        }
        state.screen = screen
        let runner = EffectRunner()
        let start = clock.now
        var pending = WizardReducer.reduce(&state, .key(.control("s")))
        var parts = 0
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            // Only the sending: load following (`.after` polls) is not part of this figure.
            guard case .sendPart = effect else { continue }
            guard let event = await runner.run(effect) else { continue }
            if case .reply(.partSent(let part)) = event {
                parts += 1
                guard part.statusCode.map({ (200..<300).contains($0) }) == true else {
                    throw BenchmarkError.wrongResult("editor: part \(parts) was answered \(part.statusCode.map(String.init) ?? "nothing"): "
                                                     + (part.failure ?? part.body))
                }
            }
            pending += WizardReducer.reduce(&state, event)
        }
        let wall = clock.now - start
        let cpu = ProcessCPU.ownSeconds() - cpuBefore
        let sandboxAccepting = (ProcessCPU.seconds(of: sandbox.processIdentifier) ?? 0) - sandboxBefore
        progress("editor: \(parts) requests accepted in \(BenchmarkReport.decimal(wall.seconds)) s; waiting for the loads")
        try await sandbox.waitUntilLoaded(timeout: .seconds(1200))
        // Every row in the destination, once: the figure is of a send that worked.
        let database = sandbox.dataDirectory + "/destination/\(source.name).sqlite"
        let table = RecordFileLoader.tableName(forPath: file.path)
        let counted = try await ExternalCommand(executable: "sqlite3").run([database, "SELECT count(DISTINCT id) || '/' || count(*) FROM \(table)"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard counted == "\(records)/\(records)" else {
            throw BenchmarkError.wrongResult("editor: the destination holds \(counted) (distinct ids/rows) of \(records) records")
        }
        let sandboxTotal = (ProcessCPU.seconds(of: sandbox.processIdentifier) ?? 0) - sandboxBefore
        return SendFigures(requests: parts, records: records, wall: wall, checkCPU: checkCPU, editorCPU: cpu,
                           sandboxCPUAccepting: sandboxAccepting, sandboxCPUWithLoad: sandboxTotal)
    }
}

/// The records both the probe and the sender read: six members (integer id, two strings of 15–20
/// bytes, a number, a boolean, a date-time), about 120 bytes a line.
enum EditorRecords {
    static func write(count: Int, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw BenchmarkError.wrongResult("cannot write \(path)")
        }
        defer { try? out.close() }
        var random = SplitMix64(seed: 8)
        var chunk = ""
        var total = 0
        let names = ["Finn", "Jake", "Marceline", "Bubblegum", "Lumpy", "Flame", "Gunter", "Beemo"]
        for id in 1...max(1, count) {
            let name = names[Int(random.next(below: UInt64(names.count)))]
            let suffix = random.next(below: 1_000_000)
            let score = Double(random.next(below: 100_000)) / 100
            let day = 1 + Int(random.next(below: 28))
            chunk += #"{"id":\#(id),"name":"\#(name) \#(suffix)","email":"\#(name.lowercased())\#(suffix)@example.com","#
                + #""score":\#(score),"active":\#(random.next(below: 2) == 0),"created_at":"2026-11-\#(day < 10 ? "0" : "")\#(day)T12:\#(10 + id % 50):00Z"}"#
                + "\n"
            if chunk.utf8.count > 1 << 20 {
                total += chunk.utf8.count
                out.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        total += chunk.utf8.count
        out.write(Data(chunk.utf8))
        return total
    }
}

/// The child's part (`--editor-probe FILE`): open the file as the editor does, draw the first
/// frame, then time keys. Prints one JSON line of figures.
enum EditorProbe {
    static func run(path: String, keys keyCount: Int, size: Size) throws {
        let baseline = statusField("VmRSS") ?? 0
        let clock = ContinuousClock()
        let target = WizardTarget(connectBaseURL: "http://127.0.0.1:9", connectToken: "", importBaseURL: "http://127.0.0.1:9",
                                  isSandbox: false)
        var session = WizardSession(target: target, token: ImportAccessToken(id: 1, accessToken: "fake"), size: size)
        session.recordsPath = path
        var state = WizardState(session: session)

        // Open: the loader (EffectRunner's .loadRecords runs RecordFileLoader.load off the loop),
        // the loaded document put in the editor, the first frame drawn.
        let openStart = clock.now
        let openCPUStart = ProcessCPU.ownSeconds()
        let loaded = RecordFileLoader.load(path: path)
        let loadTime = clock.now - openStart
        var screen = EditorScreen(session: session)
        screen.document = EditorDocument(loaded, path: path)
        screen.resized(to: size)
        state.screen = screen
        var frame = WizardView.render(state, size: size)
        let firstFrame = clock.now - openStart
        let firstFrameCPU = ProcessCPU.ownSeconds() - openCPUStart
        let peakAtFirstFrame = statusField("VmHWM") ?? 0
        guard loaded.batch.rowCount > 0, frame.size == size else {
            throw BenchmarkError.wrongResult("the file loaded no rows: \(loaded.problems.prefix(3))")
        }
        // The whole-batch check that follows the load (an effect, off the key path).
        let checkStart = clock.now
        let checkCPUStart = ProcessCPU.ownSeconds()
        let problems = BatchChecks.problems(in: loaded.batch, limit: EditorDocument.problemLimit)
        let checkTime = clock.now - checkStart
        let checkCPU = ProcessCPU.ownSeconds() - checkCPUStart
        if var editor = state.screen(as: EditorScreen.self) {
            state.screen = EditorScreen(session: session)  // drop the second reference before mutating
            editor.document.problems = problems
            state.screen = editor
        }
        let peakAfterCheck = statusField("VmHWM") ?? 0

        // Keys: warm up, then time reducer, view and diff per key.
        let sequence = keySequence(count: keyCount)
        for key in sequence.prefix(200) {
            _ = WizardReducer.reduce(&state, .key(key))
            frame = WizardView.render(state, size: size)
        }
        var total: [Double] = [], reduce: [Double] = [], view: [Double] = [], diff: [Double] = [], floor: [Double] = []
        // CPU time of this thread per key: what the key cost, without the time the thread waited
        // for a core (the machine may be busy; wall-clock p99 then measures the others).
        var totalCPU: [Double] = [], floorCPU: [Double] = []
        var changedCells = 0
        total.reserveCapacity(sequence.count)
        for key in sequence {
            let c0 = threadCPUMilliseconds()
            let t0 = clock.now
            _ = WizardReducer.reduce(&state, .key(key))
            let t1 = clock.now
            let next = WizardView.render(state, size: size)
            let t2 = clock.now
            changedCells &+= changed(from: frame, to: next)
            let t3 = clock.now
            totalCPU.append(threadCPUMilliseconds() - c0)
            frame = next
            reduce.append((t1 - t0).seconds * 1000)
            view.append((t2 - t1).seconds * 1000)
            diff.append((t3 - t2).seconds * 1000)
            total.append((t3 - t0).seconds * 1000)
            // The floor: an empty frame of the same size, made and diffed the same way.
            let fc0 = threadCPUMilliseconds()
            let f0 = clock.now
            let empty = Frame(size: size)
            changedCells &+= changed(from: frame, to: empty)
            floor.append((clock.now - f0).seconds * 1000)
            floorCPU.append(threadCPUMilliseconds() - fc0)
        }
        guard let editor = state.screen(as: EditorScreen.self) else {
            throw BenchmarkError.wrongResult("the keys left the record editor")
        }
        let figures: [String: Double] = [
            "rows": Double(loaded.batch.rowCount), "columns": Double(loaded.batch.columns.count),
            "loadProblems": Double(loaded.problems.count), "problems": Double(problems.count),
            "loadMs": loadTime.seconds * 1000, "firstFrameMs": firstFrame.seconds * 1000, "checkMs": checkTime.seconds * 1000,
            "baselineBytes": Double(baseline), "peakAtFirstFrameBytes": Double(peakAtFirstFrame),
            "peakAfterCheckBytes": Double(peakAfterCheck), "peakAfterKeysBytes": Double(statusField("VmHWM") ?? 0),
            "keys": Double(sequence.count), "changedCells": Double(changedCells),
            "cursorRow": Double(editor.grid.cursorRow),
            "totalP50": Statistics.percentile(50, of: total), "totalP99": Statistics.percentile(99, of: total),
            "totalMax": total.max() ?? 0,
            "reduceP50": Statistics.percentile(50, of: reduce), "reduceP99": Statistics.percentile(99, of: reduce),
            "viewP50": Statistics.percentile(50, of: view), "viewP99": Statistics.percentile(99, of: view),
            "diffP50": Statistics.percentile(50, of: diff), "diffP99": Statistics.percentile(99, of: diff),
            "floorP50": Statistics.percentile(50, of: floor), "floorP99": Statistics.percentile(99, of: floor),
            "totalCPUP50": Statistics.percentile(50, of: totalCPU), "totalCPUP99": Statistics.percentile(99, of: totalCPU),
            "totalCPUMax": totalCPU.max() ?? 0,
            "floorCPUP50": Statistics.percentile(50, of: floorCPU), "floorCPUP99": Statistics.percentile(99, of: floorCPU),
            "firstFrameCPUMs": firstFrameCPU * 1000, "checkCPUMs": checkCPU * 1000,
        ]
        let object = JSONObject(figures.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value)) })
        print(JSONValue.object(object).jsonText)
    }

    /// Arrows, page keys, End/Home and a cell edit (Enter, two digits, Enter) in a fixed mix.
    static func keySequence(count: Int) -> [Key] {
        let round: [Key] = Array(repeating: .down, count: 12) + [.right, .right, .right] + Array(repeating: .pageDown, count: 4)
            + [.left, .up, .up, .enter, .character("4"), .character("2"), .enter, .end, .end, .pageUp, .up, .home, .home, .left]
            + Array(repeating: .pageDown, count: 3) + [.right, .down]
        return (0..<count).map { round[$0 % round.count] }
    }

    /// CPU time of the calling thread so far, in milliseconds (CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1_000_000
    }

    /// Cells that differ between two frames of the same size (what a terminal backend rewrites).
    static func changed(from old: Frame, to new: Frame) -> Int {
        guard old.size == new.size else { return new.cells.count }
        var count = 0
        old.cells.withUnsafeBufferPointer { a in
            new.cells.withUnsafeBufferPointer { b in
                for index in 0..<min(a.count, b.count) where a[index] != b[index] { count += 1 }
            }
        }
        return count
    }

    /// A `kB` field of /proc/self/status, in bytes.
    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }
}

extension ProcessCPU {
    /// This process's user + system CPU so far (getrusage).
    static func ownSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

struct SendFigures: Sendable {
    var requests: Int
    var records: Int
    var wall: Duration
    /// The whole-batch check before Ctrl-S may send (CPU s).
    var checkCPU: Double
    /// Ctrl-S to the last reply: splitting, building bodies, posting (CPU s, every thread).
    var editorCPU: Double
    var sandboxCPUAccepting: Double
    var sandboxCPUWithLoad: Double
}

struct EditorFigures: Sendable {
    var values: [String: Double]
    var fileBytes: Int
    var records: Int
    var size: Size
    var probeProcessPeak = 0
    var send: SendFigures?

    init(probeLine: String, fileBytes: Int, records: Int, size: Size) throws {
        guard case .object(let object)? = try? JSONParser.parse(probeLine) else {
            throw BenchmarkError.wrongResult("editor probe printed no figures: \(probeLine)")
        }
        var values: [String: Double] = [:]
        for (key, value) in object.members {
            switch value {
            case .number(let number): values[key] = number
            case .integer(let integer): values[key] = Double(integer)
            default: break
            }
        }
        self.values = values
        self.fileBytes = fileBytes
        self.records = records
        self.size = size
    }

    private func value(_ key: String) -> Double { values[key] ?? .nan }
    private func ms(_ key: String) -> String { String(format: "%.3f", value(key)) }

    var text: String {
        let peak = value("peakAfterKeysBytes")
        let peakFirst = value("peakAtFirstFrameBytes")
        var lines = [
            "Record editor: \(BenchmarkReport.grouped(Int(value("rows")))) rows × \(Int(value("columns"))) columns loaded from "
                + "\(BenchmarkReport.megabytes(fileBytes)) of JSONL, in-process (reducer and views, no terminal), at "
                + "\(size.columns)×\(size.rows).",
            "",
            "| keypress → frame (\(Int(value("keys"))) keys) | p50 ms | p99 ms |",
            "|---|---:|---:|",
            "| reducer + view + diff | \(ms("totalP50")) | \(ms("totalP99")) |",
            "| reducer | \(ms("reduceP50")) | \(ms("reduceP99")) |",
            "| view | \(ms("viewP50")) | \(ms("viewP99")) |",
            "| diff | \(ms("diffP50")) | \(ms("diffP99")) |",
            "| floor: an empty frame of the same size, made and diffed | \(ms("floorP50")) | \(ms("floorP99")) |",
            "| reducer + view + diff, CPU time of the thread | \(ms("totalCPUP50")) | \(ms("totalCPUP99")) |",
            "| floor, CPU time of the thread | \(ms("floorCPUP50")) | \(ms("floorCPUP99")) |",
            "",
            "Keypress → frame p99 \(ms("totalP99")) ms wall, \(ms("totalCPUP99")) ms of CPU (goal ≤ 1 ms; slowest key "
                + "\(ms("totalMax")) ms wall, \(ms("totalCPUMax")) ms CPU).",
            "",
            "Open: RecordFileLoader.load \(String(format: "%.2f", value("loadMs") / 1000)) s, first frame of the grid "
                + "\(String(format: "%.2f", value("firstFrameMs") / 1000)) s after the start of the load (goal ≤ 2 s; "
                + "\(String(format: "%.2f", value("firstFrameCPUMs") / 1000)) s of CPU); "
                + "the whole-batch check after it (an effect, off the key path) \(String(format: "%.2f", value("checkMs") / 1000)) s "
                + "(\(String(format: "%.2f", value("checkCPUMs") / 1000)) s of CPU), "
                + "\(Int(value("problems"))) problems.",
            "Peak resident memory (VmHWM of the probe process): \(BenchmarkReport.megabytes(Int(peakFirst))) at the first frame, "
                + "\(BenchmarkReport.megabytes(Int(peak))) after the check and the keys; "
                + String(format: "%.2f", peak / Double(fileBytes)) + "× the file (goal ≤ 3×), "
                + String(format: "%.2f", (peak - value("baselineBytes")) / Double(fileBytes))
                + "× over the process's resident baseline of \(BenchmarkReport.megabytes(Int(value("baselineBytes")))).",
        ]
        if let send {
            let perRecord = { (seconds: Double) in String(format: "%.2f µs", seconds / Double(send.records) * 1e6) }
            lines += [
                "",
                "Sending the \(BenchmarkReport.grouped(send.records)) rows to the release sandbox: \(send.requests) requests in "
                    + "\(BenchmarkReport.decimal(send.wall.seconds)) s (the editor's sender and EffectRunner, in-process).",
                "",
                "| | CPU s | CPU per record |",
                "|---|---:|---:|",
                "| editor: splitting the rows, building and posting the requests (Ctrl-S to the last reply) | \(BenchmarkReport.decimal(send.editorCPU)) | \(perRecord(send.editorCPU)) |",
                "| editor: the whole-batch check before sending (once per load or change) | \(BenchmarkReport.decimal(send.checkCPU)) | \(perRecord(send.checkCPU)) |",
                "| sandbox while the requests were sent (accepting) | \(BenchmarkReport.decimal(send.sandboxCPUAccepting)) | \(perRecord(send.sandboxCPUAccepting)) |",
                "| sandbox from Ctrl-S until every row was loaded | \(BenchmarkReport.decimal(send.sandboxCPUWithLoad)) | \(perRecord(send.sandboxCPUWithLoad)) |",
                "",
                "Editor ÷ sandbox CPU while sending: " + String(format: "%.2f", send.editorCPU / max(send.sandboxCPUWithLoad, 1e-9))
                    + " (sandbox accepting and loading), " + String(format: "%.2f", send.editorCPU / max(send.sandboxCPUAccepting, 1e-9))
                    + " (accepting only); with the check: "
                    + String(format: "%.2f", (send.editorCPU + send.checkCPU) / max(send.sandboxCPUWithLoad, 1e-9)) + ".",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
