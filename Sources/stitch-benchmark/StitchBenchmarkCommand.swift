import ArgumentParser
import Foundation
import StitchDestination
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// `stitch-benchmark`: accept and load figures for the README. Run it through
/// `scripts/benchmark.sh`, which builds it in release mode and starts PostgreSQL.
@main
struct StitchBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stitch-benchmark",
        abstract: "Measure how fast stitch-sandbox accepts batches and how fast its loader fills SQLite and PostgreSQL.",
        discussion: """
            Prints Markdown tables. Accept figures come from the real stitch-sandbox binary over loopback; \
            load figures compare our loader with sqlite3 .import and psql \\copy on the same rows, \
            round by round, so the ratios hold on a busy machine.
            """)

    @Option(help: "The stitch-sandbox binary (default: the one next to this executable).")
    var sandboxBinary: String?

    @Option(help: ArgumentHelp(
        "PostgreSQL to load into, postgres://user@host:port/database (default: $STITCH_TEST_POSTGRES_URL; none skips PostgreSQL).",
        discussion: "Prefer the environment variable for a URL with a password."))
    var postgres: String?

    @Option(help: "One-record batches per client count.")
    var smallBatches = 2000

    @Option(parsing: .upToNextOption, help: "Concurrent connections pushing one-record batches, one phase each.")
    var clients: [Int] = [1, 8]

    @Option(help: "Large batches pushed one after another.")
    var largeBatches = 12

    @Option(help: "Records per large batch (the Import API allows at most 20,000).")
    var batchRecords = 20_000

    @Option(help: "Batches of --batch-records records per load round.")
    var loadBatches = 5

    @Option(help: "Load rounds; the median is reported.")
    var rounds = 3

    @Option(help: "The sqlite3 command-line tool.")
    var sqlite3 = "sqlite3"

    @Option(help: "The psql command-line tool.")
    var psql = "psql"

    @Option(help: "What was measured, for the report's first line (scripts/benchmark.sh passes the commit).")
    var commit: String?

    @Flag(help: "Skip the accept phases.")
    var skipAccept = false

    @Flag(help: "Skip the load phases.")
    var skipLoad = false

    @Flag(help: "Skip the push phases (stitch-wizard push against target-stitch, and push's peak memory).")
    var skipPush = false

    @Option(help: "Records both push clients send.")
    var pushRecords = 1_000_000

    @Option(help: "Megabytes of JSONL for push's peak-memory run (0 skips it).")
    var pushMemoryMegabytes = 1_000

    @Option(help: "target-stitch's console script, e.g. in a venv with target-stitch==4.0.3 (default: none, skipped).")
    var targetStitch: String?

    @Option(help: "The stitch-wizard binary (default: the one next to this executable).")
    var wizardBinary: String?

    @Flag(help: "Skip the start-up phase (stitch-wizard --sandbox against dialog --inputbox in tmux).")
    var skipStartup = false

    @Option(help: "Start-up runs of each program; the median is reported.")
    var startupRuns = 10

    @Flag(help: "Give each start-up run a fresh sandbox data directory (default: one, made by a warm-up run).")
    var startupFreshData = false

    @Option(help: "dialog, the C ncurses program the wizard's start-up is measured against.")
    var dialog = "dialog"

    @Option(help: "tmux, the terminal the start-up runs in.")
    var tmux = "tmux"

    @Flag(help: "Skip the record editor phase (keypress to frame, opening a large JSONL, sending it).")
    var skipEditor = false

    @Option(help: "Records of the record editor phase's JSONL.")
    var editorRecords = 1_000_000

    @Option(help: "Keys timed in the record editor phase.")
    var editorKeys = 3_000

    @Option(help: "The record editor phase's terminal size, COLUMNSxROWS.")
    var editorSize = "200x60"

    @Option(help: ArgumentHelp("Internal: open FILE as the record editor does and time keys (the editor phase's child).",
                               visibility: .hidden))
    var editorProbe: String?

    func validate() throws {
        guard smallBatches > 0, largeBatches > 0, loadBatches > 0, rounds > 0 else {
            throw ValidationError("batch and round counts must be positive")
        }
        guard (1...20_000).contains(batchRecords) else { throw ValidationError("--batch-records must be 1...20000") }
        guard !clients.isEmpty, clients.allSatisfy({ $0 > 0 }) else { throw ValidationError("--clients must be positive") }
        guard pushRecords > 0, pushMemoryMegabytes >= 0 else { throw ValidationError("push sizes must be positive") }
        guard startupRuns > 0 else { throw ValidationError("--startup-runs must be positive") }
        guard editorRecords > 0, editorKeys > 0, parsedEditorSize != nil else {
            throw ValidationError("--editor-records and --editor-keys must be positive, --editor-size COLUMNSxROWS")
        }
    }

    func run() async throws {
        let progress: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data("[benchmark] \(line)\n".utf8))
        }
        if let editorProbe, let size = parsedEditorSize {
            try EditorProbe.run(path: editorProbe, keys: editorKeys, size: size)
            return
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            var report = BenchmarkReport(machine: machineLine(), accept: nil, largeBatchRecords: batchRecords, load: [],
                                         loadBatches: loadBatches, loadRecordsPerBatch: batchRecords, rounds: rounds)
            // First, while nothing else of the benchmark has loaded the machine or its disk.
            var startup: StartupFigures?
            if !skipStartup {
                startup = try await StartupBenchmark(
                    wizardBinary: wizardBinary ?? Self.siblingBinary("stitch-wizard"), dialog: dialog, tmux: tmux,
                    runs: startupRuns, freshData: startupFreshData, progress: progress
                ).run()
            }
            if !skipAccept {
                report.accept = try await AcceptBenchmark(
                    sandboxBinary: sandboxBinary ?? Self.siblingBinary("stitch-sandbox"), smallBatches: smallBatches,
                    clientCounts: clients, largeBatches: largeBatches, largeBatchRecords: batchRecords, progress: progress
                ).run()
            }
            if !skipLoad {
                let postgresURL = try postgresDestination()
                if postgresURL == nil { progress("load: no PostgreSQL URL given, so SQLite only") }
                report.load = try await LoadBenchmark(
                    batches: loadBatches, recordsPerBatch: batchRecords, rounds: rounds,
                    sqlite3: ExternalCommand(executable: sqlite3),
                    postgres: postgresURL.map { ($0, ExternalCommand(executable: psql)) }, progress: progress
                ).run()
            }
            print(report.text)
            if let startup { print(startup.text) }
            if !skipPush {
                let push = try await PushBenchmark(
                    sandboxBinary: sandboxBinary ?? Self.siblingBinary("stitch-sandbox"),
                    wizardBinary: wizardBinary ?? Self.siblingBinary("stitch-wizard"), targetStitch: targetStitch,
                    records: pushRecords, memoryBytes: pushMemoryMegabytes * 1_000_000, progress: progress
                ).run()
                print("")
                print(push.text)
            }
            if !skipEditor, let size = parsedEditorSize {
                let editor = try await EditorBenchmark(
                    sandboxBinary: sandboxBinary ?? Self.siblingBinary("stitch-sandbox"), records: editorRecords,
                    keys: editorKeys, size: size, progress: progress
                ).run()
                print("")
                print(editor.text)
            }
            progress("done in \(BenchmarkReport.decimal((clock.now - start).seconds)) s")
        } catch let error as BenchmarkError {
            FileHandle.standardError.write(Data("stitch-benchmark: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    private var parsedEditorSize: Size? {
        let parts = editorSize.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 60, parts[1] >= 20 else { return nil }
        return Size(columns: parts[0], rows: parts[1])
    }

    private func postgresDestination() throws -> PostgresURL? {
        guard let text = postgres ?? ProcessInfo.processInfo.environment["STITCH_TEST_POSTGRES_URL"], !text.isEmpty else {
            return nil
        }
        do {
            return try PostgresURL(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    private func machineLine() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        var system = utsname()
        uname(&system)
        let kernel = withUnsafeBytes(of: system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let date = ISO8601DateFormatter().string(from: Date())
        let measured = commit.map { "commit \($0), " } ?? ""
        #if DEBUG
        let build = "DEBUG build: these figures are not the ones to quote"
        #else
        let build = "release build"
        #endif
        // Other work on the machine changes every figure; the load average says how much there was.
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").first.map { ", load average \($0) at the start" } ?? ""
        return "Measured \(date) on \(cores) cores, \(String(format: "%.0f", memory)) GB, Linux \(kernel)\(load); "
            + "\(measured)\(build)."
    }

    /// A binary built alongside this one (`.build/release/<name>`).
    private static func siblingBinary(_ name: String) -> String {
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
