import ArgumentParser
import Foundation
import RecordInput
import StitchAPI
import StitchClient
import StitchPush

/// `stitch-wizard push`: the wizard's engine without the screens.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push records to the Import API in batches, from a file or stdin.",
        discussion: """
        The token comes from --token-file PATH or STITCH_IMPORT_TOKEN (or a target-stitch config \
        given with -c), never from the command line. Batches stay within the Import API's limits \
        (20,000 records, 20 MiB, 10,000 data points per record); 5xx, 429 and connection failures \
        are retried with exponential backoff, other 4xx never. A retried batch of a table without \
        --key can load twice if its first reply was lost.

        Exit status: 0 all accepted; 1 some batches rejected or the input is invalid; 2 usage; \
        3 authentication; 4 network or server gave up.

        The Import API is --import-url URL, else --region na|eu, else small_batch_url of -c, \
        else import_url or region of $XDG_CONFIG_HOME/stitch-wizard/config.json, else North America.
        """)

    @Argument(help: ArgumentHelp("The input file, or - for stdin.", valueName: "file"))
    var file: String = "-"

    @Option(help: ArgumentHelp("Destination table (not for batch or singer input).", valueName: "name"))
    var table: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("A key column (repeat for a compound key). Without one, rows are appended.", valueName: "col"))
    var keys: [String] = []

    @Option(help: ArgumentHelp("jsonl, json (an array), csv (with a header), batch (Import API bodies) or singer. Default: from the file name, else jsonl.", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("A JSON Schema for the table's records (types CSV cells too). Default: the key columns, untyped.", valueName: "path"))
    var schema: String?

    @Option(help: ArgumentHelp("A file holding the Import API token (mode 0600).", valueName: "path"))
    var tokenFile: String?

    @Option(name: [.customShort("c"), .customLong("config")],
            help: ArgumentHelp("A target-stitch config file: token, client_id, small_batch_url, big_batch_url.", valueName: "path"))
    var targetStitchConfig: String?

    /// `--import-url` and `--region` are the wizard's own options; argument-parser hands them to
    /// the root command wherever they appear, so they are read from there.
    @ParentCommand var wizard: StitchWizardCommand

    @Option(help: ArgumentHelp("Requests in flight at once.", valueName: "n"))
    var concurrency = PushConfiguration.defaultConcurrency

    @Option(help: ArgumentHelp("Retries of a batch after a 5xx, 429 or connection failure.", valueName: "n"))
    var maxRetries = RetryPolicy().maximumRetries

    @Option(help: ArgumentHelp("Aim for requests of about this many bytes (a bigger record goes alone, up to 20 MiB).", valueName: "bytes"))
    var batchBytes = BatchLimits.defaultTargetBytes

    @Option(help: ArgumentHelp("At most this many records per request.", valueName: "n"))
    var batchRecords = ImportLimits.maximumRecordsPerBatch

    @Flag(help: "Check every batch locally with the Import API's rules and send nothing.")
    var dryRun = false

    @Flag(help: "Print a machine-readable summary (stdout; stderr with --format singer, whose stdout carries STATE).")
    var json = false

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1...64") }
        guard (0...100).contains(maxRetries) else { throw ValidationError("--max-retries must be 0...100") }
        guard (1...ImportLimits.maximumRecordsPerBatch).contains(batchRecords) else {
            throw ValidationError("--batch-records must be 1...\(ImportLimits.maximumRecordsPerBatch)")
        }
        guard (1024...ImportLimits.maximumBodyBytes).contains(batchBytes) else {
            throw ValidationError("--batch-bytes must be 1024...\(ImportLimits.maximumBodyBytes)")
        }
        let format = try resolvedFormat()
        switch format {
        case .jsonl, .json, .csv:
            guard let table, !table.isEmpty else { throw ValidationError("--table is required for \(format.rawValue) input") }
        case .batch, .singer:
            if table != nil || !keys.isEmpty || schema != nil {
                throw ValidationError("--table, --key and --schema do not apply to \(format.rawValue) input: it names its own tables")
            }
        }
        if targetStitchConfig != nil && format != .singer { throw ValidationError("-c/--config is target-stitch's; it goes with --format singer") }
    }

    private func resolvedFormat() throws -> RecordFormat {
        if let format {
            guard let value = RecordFormat(rawValue: format) else {
                throw ValidationError("--format must be one of \(RecordFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        if targetStitchConfig != nil { return .singer }
        if file.hasSuffix(".csv") { return .csv }
        if file.hasSuffix(".json") { return .json }
        return .jsonl
    }

    func run() async throws {
        LargeBuffers.returnToSystemWhenFreed()
        let format = try resolvedFormat()
        let settings = try HeadlessConfiguration.load()
        let targetConfig = try targetStitchConfig.map(TargetStitchConfig.load)
        let mode = try pushMode(format)
        let input = try openInput()

        let transport: any BatchTransport
        if dryRun {
            transport = DryRunTransport()
        } else {
            let token = try importToken(targetConfig)
            let base = try importBaseURL(settings: settings, targetConfig: targetConfig)
            do {
                transport = ImportTransport(client: try ImportClient(baseURL: base, token: token, timeout: .seconds(120)))
            } catch {
                throw HeadlessError.usage(error.description)
            }
        }

        let showsProgress = Terminal.standardErrorIsTerminal && !json
        let meter = ProgressLine(enabled: showsProgress)
        let events = PushEvents(
            state: { value in Terminal.standardOutput(value) },
            notice: { line in meter.print(line) })
        let configuration = PushConfiguration(
            concurrency: concurrency, retry: RetryPolicy(maximumRetries: maxRetries),
            limits: BatchLimits(maximumRecords: batchRecords, targetBytes: batchBytes))
        let show: @Sendable (PushProgress) -> Void = { progress in meter.show(progress) }
        var summary = await PushPipeline.run(input: input, mode: mode, transport: transport, configuration: configuration,
                                             events: events, progress: showsProgress ? show : nil)
        meter.clear()
        summary.dryRun = dryRun
        summary.peakResidentBytes = Self.peakResidentBytes()
        if json {
            let text = summary.json.jsonText
            if format == .singer { Terminal.standardError(text) } else { Terminal.standardOutput(text) }
        } else {
            Terminal.standardError(summary.text)
        }
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }

    private func pushMode(_ format: RecordFormat) throws(HeadlessError) -> PushMode {
        switch format {
        case .batch: return .batches
        case .singer: return .singer
        case .jsonl, .json, .csv:
            var schemaValue: JSONValue = ["type": "object", "properties": .object(JSONObject(keys.map { ($0, [:]) }))]
            if let schema {
                guard let data = FileManager.default.contents(atPath: schema) else { throw .usage("cannot read the schema file \(schema)") }
                do {
                    schemaValue = try JSONParser.parse(Array(data))
                } catch {
                    throw .usage("\(schema) is not valid JSON: \(error)")
                }
                let loaded: JSONSchema
                do throws(JSONSchemaError) {
                    loaded = try JSONSchema(schemaValue)
                } catch {
                    throw .usage("\(schema) is not a usable JSON Schema: \(error.message)")
                }
                if let problem = BatchRecordRules.keyNameProblem(keys, schema: loaded) { throw .usage("\(schema): \(problem)") }
            }
            let header = BatchHeader(tableName: table ?? "", schema: schemaValue, keyNames: keys.isEmpty ? nil : keys)
            return .records(format, header: header)
        }
    }

    private func openInput() throws(HeadlessError) -> PushInput {
        if file == "-" { return .descriptor(0, size: Self.regularFileSize(0)) }
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .usage("cannot open \(file): \(String(cString: strerror(errno)))") }
        return .descriptor(descriptor, size: Self.regularFileSize(descriptor))
    }

    /// `VmHWM` from /proc (Linux): what the memory bound is measured by.
    private static func peakResidentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }

    private static func regularFileSize(_ descriptor: Int32) -> Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    private func importToken(_ targetConfig: TargetStitchConfig?) throws(HeadlessError) -> String {
        // argument-parser hands `--token-file` to the root command, whose option has the same name.
        if let tokenFile = tokenFile ?? wizard.tokenFile { return try SecretSource.token(fromFile: tokenFile) }
        if let token = SecretSource.environment("STITCH_IMPORT_TOKEN") { return token }
        if let token = targetConfig?.token { return token }
        throw .usage("no Import API token: give --token-file PATH (mode 0600) or set STITCH_IMPORT_TOKEN")
    }

    private func importBaseURL(settings: HeadlessConfiguration, targetConfig: TargetStitchConfig?) throws(HeadlessError) -> String {
        if let url = wizard.importURL { return url }
        // The root's --region defaults to na, so only another value can be told from "not given".
        if let region = ImportRegion(rawValue: wizard.region), region != .northAmerica { return region.baseURL }
        if let base = targetConfig?.importBaseURL { return base }
        if let url = settings.importURL { return url }
        return (settings.region ?? .northAmerica).baseURL
    }
}

/// target-stitch's `--config` file (spec §5.1), so `push --format singer -c config.json` drops in
/// where `target-stitch --config config.json` was.
struct TargetStitchConfig {
    var token: String
    var clientID: Int64?
    /// The base URL of `small_batch_url` (the part before `/v2/import/batch`).
    var importBaseURL: String

    static func load(_ path: String) throws(HeadlessError) -> TargetStitchConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .usage("cannot read the config file \(path)") }
        guard let object = (try? JSONParser.parse(Array(data)))?.objectValue else {
            throw .usage("\(path) is not a JSON object")
        }
        guard let token = object["token"]?.stringValue, !token.isEmpty else { throw .usage("\(path) has no \"token\"") }
        // Only the small-batch URL is used: this client's batches all fit any Import API route
        // (20 MiB). Both must name the same Import API, as they do in every documented config.
        guard let url = object["small_batch_url"]?.stringValue ?? object["big_batch_url"]?.stringValue else {
            throw .usage("\(path) has no \"small_batch_url\"")
        }
        let suffix = "/v2/import/batch"
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.hasSuffix(suffix) else {
            throw .usage("\(path): small_batch_url must end with \(suffix) (it is \(url))")
        }
        var clientID: Int64?
        if case .integer(let id)? = object["client_id"] { clientID = id }
        return TargetStitchConfig(token: token, clientID: clientID, importBaseURL: String(trimmed.dropLast(suffix.count)))
    }
}

/// The progress bar on stderr: records, batches, records/s and ETA, redrawn in place.
final class ProgressLine: Sendable {
    private let enabled: Bool
    private let started = ContinuousClock.now
    private let shown = LockedFlag()

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: PushProgress) {
        guard enabled else { return }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(progress.recordsAccepted) / seconds : 0
        var line = "\(progress.recordsAccepted.formatted()) / \(progress.recordsRead.formatted()) records · "
            + "\(progress.batchesAccepted.formatted()) / \(progress.batchesBuilt.formatted()) batches · \(Int(rate).formatted()) records/s"
        if let total = progress.totalBytes, total > 0, progress.bytesRead > 0, progress.recordsRead > 0 {
            // Reading runs ahead of sending, so the bar follows accepted records, out of the total
            // the bytes read so far predict.
            let expected = max(Double(progress.recordsRead) * Double(total) / Double(progress.bytesRead),
                               Double(progress.recordsRead))
            let fraction = min(1, Double(progress.recordsAccepted) / expected)
            let remaining = rate > 0 ? (expected - Double(progress.recordsAccepted)) / rate : 0
            let width = 20
            let filled = min(width, Int(fraction * Double(width)))
            line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + line
                + " · ETA \(Int(remaining) / 60):" + String(format: "%02d", Int(remaining) % 60)
        }
        if progress.retries > 0 { line += " · \(progress.retries) retries" }
        shown.set()
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// A line above the bar (retries, warnings); always shown.
    func print(_ text: String) {
        if enabled && shown.isSet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        Terminal.standardError(text)
    }

    func clear() {
        if enabled && shown.isSet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// A flag set once from any thread.
final class LockedFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched with `lock` held.
    private let lock = NSLock()
    private var value = false

    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
