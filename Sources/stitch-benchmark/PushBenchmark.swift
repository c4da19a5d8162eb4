import Foundation
import StitchAPI
import StitchClient

#if canImport(Glibc)
import Glibc
#endif

/// One client run of the push benchmark.
struct PushFigures: Sendable {
    var client: String
    var records: Int
    var inputBytes: Int
    var run: ChildProcessRun
    /// CPU the sandbox used while the client ran: how much of the wall time was the server's work.
    var sandboxCPUSeconds: Double

    var recordsPerSecond: Double { Double(records) / run.wallTime.seconds }
}

struct PushResults: Sendable {
    var ours: PushFigures
    var targetStitch: PushFigures?
    var memory: PushFigures?
}

/// `stitch-wizard push` against target-stitch 4.0.3, both pushing the same records into the same
/// release `stitch-sandbox` (each into a source of its own): ours reads them as JSONL, target-stitch
/// as the Singer stream a tap would print. The kernel measures each client process (wall time,
/// user + system CPU, peak resident memory); between runs the sandbox finishes loading, so its
/// loader never competes with the next client. Then `push` sends a JSONL file of about
/// `memoryBytes`, for its peak resident memory.
struct PushBenchmark {
    var sandboxBinary: String
    var wizardBinary: String
    /// target-stitch's console script (in a venv); nil skips it.
    var targetStitch: String?
    var records: Int
    /// Size of the memory run's input; 0 skips it.
    var memoryBytes: Int
    var progress: @Sendable (String) -> Void

    func run() async throws -> PushResults {
        guard FileManager.default.isExecutableFile(atPath: wizardBinary) else {
            throw BenchmarkError.missingTool(wizardBinary, hint: "build it with `swift build -c release --product stitch-wizard`")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-benchmark-push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let sandbox = try SandboxProcess(binary: sandboxBinary, dataDirectory: work.appendingPathComponent("data").path)
        do {
            let results = try await measure(sandbox: sandbox, work: work)
            await sandbox.stop()
            return results
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func measure(sandbox: SandboxProcess, work: URL) async throws -> PushResults {
        let baseURL = try await sandbox.baseURL()
        let connect = try ConnectClient(baseURL: baseURL, token: sandbox.connectToken)
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_IMPORT_TOKEN"] = nil
        environment["XDG_CONFIG_HOME"] = work.appendingPathComponent("no-config").path

        progress("push: writing \(BenchmarkReport.grouped(records)) records as JSONL and as a Singer stream")
        let jsonl = work.appendingPathComponent("orders.jsonl")
        let singer = work.appendingPathComponent("orders.singer")
        let schemaFile = work.appendingPathComponent("orders.schema.json")
        try Data(SampleOrders.schema.jsonText.utf8).write(to: schemaFile)
        let jsonlBytes = try writeRecords(count: records, jsonl: jsonl, singer: singer)

        func newSource(_ name: String) async throws -> (source: Source, token: String) {
            let source = try await connect.createSource(CreateSourceRequest(type: "import_api", displayName: name))
            return (source, try await connect.createToken(sourceID: source.id).accessToken)
        }
        func pushArguments(_ input: URL, tokenFile: URL) -> [String] {
            ["push", input.path, "--table", SampleOrders.tableName, "--key", "id", "--schema", schemaFile.path,
             "--token-file", tokenFile.path, "--import-url", baseURL, "--json"]
        }

        // Ours.
        let (_, ourToken) = try await newSource("Benchmark push")
        let tokenFile = work.appendingPathComponent("token")
        try writePrivately(ourToken + "\n", to: tokenFile)
        progress("push: stitch-wizard push, \(BenchmarkReport.grouped(records)) records of JSONL")
        var ours = try await measured("stitch-wizard push (JSONL)", records: records, inputBytes: jsonlBytes, sandbox: sandbox) {
            try await ChildProcessRun.run(wizardBinary, pushArguments(jsonl, tokenFile: tokenFile), environment: environment)
        }
        try expectAccepted(&ours, records: records)
        try await sandbox.waitUntilLoaded()

        // target-stitch.
        var theirs: PushFigures?
        if let targetStitch {
            let (source, token) = try await newSource("Benchmark target-stitch")
            let config = work.appendingPathComponent("target-stitch.json")
            let url = baseURL + "/v2/import/batch"
            try writePrivately(JSONValue.object(JSONObject([
                ("token", .string(token)), ("client_id", .integer(Int64(source.stitchClientID))),
                ("small_batch_url", .string(url)), ("big_batch_url", .string(url)),
                ("batch_size_preferences", [:]), ("disable_collection", true),
            ])).jsonText, to: config)
            let singerBytes = (try? FileManager.default.attributesOfItem(atPath: singer.path)[.size] as? Int) ?? 0
            progress("push: target-stitch, the same records as a Singer stream")
            let figures = try await measured("target-stitch 4.0.3 (Singer)", records: records, inputBytes: singerBytes,
                                             sandbox: sandbox) {
                try await ChildProcessRun.run(targetStitch, ["--config", config.path], environment: environment,
                                              standardInput: singer.path)
            }
            guard figures.run.succeeded else {
                throw BenchmarkError.commandFailed("target-stitch", status: figures.run.status, output: figures.run.standardError)
            }
            theirs = figures
            try await sandbox.waitUntilLoaded()
        }
        try? FileManager.default.removeItem(at: singer)

        // Peak memory on a big file.
        var memory: PushFigures?
        if memoryBytes > 0 {
            let big = work.appendingPathComponent("big.jsonl")
            progress("push: writing about \(BenchmarkReport.megabytes(memoryBytes)) of JSONL")
            let (bigRecords, bigBytes) = try writeRecords(atLeast: memoryBytes, from: jsonl, to: big)
            let (_, bigToken) = try await newSource("Benchmark memory")
            let bigTokenFile = work.appendingPathComponent("big-token")
            try writePrivately(bigToken + "\n", to: bigTokenFile)
            progress("push: stitch-wizard push, \(BenchmarkReport.grouped(bigRecords)) records (\(BenchmarkReport.megabytes(bigBytes)))")
            var figures = try await measured("stitch-wizard push (JSONL)", records: bigRecords, inputBytes: bigBytes,
                                             sandbox: sandbox) {
                try await ChildProcessRun.run(wizardBinary, pushArguments(big, tokenFile: bigTokenFile), environment: environment)
            }
            try expectAccepted(&figures, records: bigRecords)
            memory = figures
            try? FileManager.default.removeItem(at: big)
            try await sandbox.waitUntilLoaded(timeout: .seconds(1800))
        }
        return PushResults(ours: ours, targetStitch: theirs, memory: memory)
    }

    private func measured(_ client: String, records: Int, inputBytes: Int, sandbox: SandboxProcess,
                          _ body: () async throws -> ChildProcessRun) async throws -> PushFigures {
        let before = ProcessCPU.seconds(of: sandbox.processIdentifier) ?? 0
        let run = try await body()
        let after = ProcessCPU.seconds(of: sandbox.processIdentifier) ?? before
        return PushFigures(client: client, records: records, inputBytes: inputBytes, run: run, sandboxCPUSeconds: after - before)
    }

    /// Checks that push accepted everything, and takes its own exact peak (VmHWM read at its end)
    /// over the sampled one.
    private func expectAccepted(_ figures: inout PushFigures, records: Int) throws {
        let run = figures.run
        let summary = try? JSONParser.parse(run.standardOutput)
        guard run.succeeded, summary?["records_accepted"] == .integer(Int64(records)) else {
            throw BenchmarkError.commandFailed("stitch-wizard push", status: run.status,
                                               output: run.standardOutput + run.standardError)
        }
        if case .integer(let peak)? = summary?["peak_resident_bytes"] {
            figures.run.peakResidentBytes = max(figures.run.peakResidentBytes, Int(peak))
        }
    }

    /// `count` sample orders as JSONL and as a Singer stream (SCHEMA, RECORDs, a STATE). Returns the JSONL size.
    private func writeRecords(count: Int, jsonl: URL, singer: URL) throws -> Int {
        FileManager.default.createFile(atPath: jsonl.path, contents: nil)
        FileManager.default.createFile(atPath: singer.path, contents: nil)
        let lines = try FileHandle(forWritingTo: jsonl)
        let stream = try FileHandle(forWritingTo: singer)
        defer {
            try? lines.close()
            try? stream.close()
        }
        let schema: JSONValue = .object(JSONObject([
            ("type", "SCHEMA"), ("stream", .string(SampleOrders.tableName)), ("schema", SampleOrders.schema),
            ("key_properties", ["id"]),
        ]))
        try stream.write(contentsOf: Data((schema.jsonText + "\n").utf8))
        var orders = SampleOrders()
        var written = 0
        var nextID: Int64 = 1
        while Int(nextID) <= count {
            let chunk = min(20_000, count - Int(nextID) + 1)
            let batch = orders.batch(firstID: nextID, count: chunk)
            nextID += Int64(chunk)
            var jsonlText = "", singerText = ""
            for message in batch.messages {
                guard let data = message.data else { continue }
                let record = JSONValue.object(data).jsonText
                jsonlText += record + "\n"
                singerText += #"{"type":"RECORD","stream":"\#(SampleOrders.tableName)","record":\#(record)}"# + "\n"
            }
            let jsonlData = Data(jsonlText.utf8)
            written += jsonlData.count
            try lines.write(contentsOf: jsonlData)
            try stream.write(contentsOf: Data(singerText.utf8))
        }
        try stream.write(contentsOf: Data((#"{"type":"STATE","value":{"bookmarks":{"orders":{"done":true}}}}"# + "\n").utf8))
        return written
    }

    /// Copies of `source`'s lines with fresh ids until `target` holds at least `bytes` bytes.
    private func writeRecords(atLeast bytes: Int, from source: URL, to target: URL) throws -> (records: Int, bytes: Int) {
        let template = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").prefix(20_000).map(String.init)
        FileManager.default.createFile(atPath: target.path, contents: nil)
        let handle = try FileHandle(forWritingTo: target)
        defer { try? handle.close() }
        var written = 0, count = 0
        let idPrefix = #"{"id":"#
        while written < bytes {
            var text = ""
            for line in template {
                count += 1
                // Every record keeps its shape; only the id changes, so every row is its own.
                guard let comma = line.firstIndex(of: ",") else { continue }
                text += idPrefix + String(count) + line[comma...] + "\n"
            }
            let data = Data(text.utf8)
            written += data.count
            try handle.write(contentsOf: data)
        }
        return (count, written)
    }

    private func writePrivately(_ text: String, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BenchmarkError.commandFailed("open", status: errno, output: url.path) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data(text.utf8))
    }
}

extension PushResults {
    /// The README's push figures.
    var text: String {
        var lines: [String] = []
        lines.append("Push: \(BenchmarkReport.grouped(ours.records)) records into the release `stitch-sandbox` over loopback "
            + "(SQLite destination), each client into a source of its own; CPU = user + system of the client process (wait4).")
        lines.append("")
        lines.append("| client | input | wall s | records/s | client CPU s (user + sys) | peak RSS | sandbox CPU s meanwhile |")
        lines.append("|---|---|---:|---:|---:|---:|---:|")
        for figures in [ours] + (targetStitch.map { [$0] } ?? []) + (memory.map { [$0] } ?? []) {
            let run = figures.run
            lines.append("| \(figures.client) | \(BenchmarkReport.grouped(figures.records)) records, \(BenchmarkReport.megabytes(figures.inputBytes)) "
                + "| \(BenchmarkReport.decimal(run.wallTime.seconds)) | \(BenchmarkReport.grouped(Int(figures.recordsPerSecond))) "
                + "| \(BenchmarkReport.decimal(run.cpuSeconds)) (\(BenchmarkReport.decimal(run.userSeconds)) + \(BenchmarkReport.decimal(run.systemSeconds))) "
                + "| \(String(format: "%.1f MiB", Double(run.peakResidentBytes) / 1_048_576)) | \(BenchmarkReport.decimal(figures.sandboxCPUSeconds)) |")
        }
        lines.append("")
        if let theirs = targetStitch {
            let cpuRatio = ours.run.cpuSeconds / max(theirs.run.cpuSeconds, 0.001)
            let wallRatio = ours.run.wallTime.seconds / max(theirs.run.wallTime.seconds, 0.001)
            lines.append("Ours ÷ target-stitch: CPU \(BenchmarkReport.ratio(cpuRatio)) (goal ≤ 0.10), wall time "
                + "\(BenchmarkReport.ratio(wallRatio)) (goal ≤ 1.00).")
        }
        if let memory {
            let mebibytes = Double(memory.run.peakResidentBytes) / 1_048_576
            lines.append("Peak resident memory of push on \(BenchmarkReport.megabytes(memory.inputBytes)) of JSONL: "
                + "\(String(format: "%.1f", mebibytes)) MiB (goal ≤ 64 MB).")
        }
        return lines.joined(separator: "\n")
    }
}
