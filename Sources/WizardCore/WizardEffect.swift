import RecordBatch
import RecordInput
import StitchAPI

/// Work the wizard asks for. Effects are values: the runtime performs them (HTTP, files,
/// timers) and feeds the results back as `WizardEvent`s, so the reducer stays pure.
public enum WizardEffect: Sendable, Equatable {
    /// Check a target before using it: both base URLs against the URL policy, the token for
    /// pasting accidents, then real requests (the source type's report card from the Connect
    /// API, the Import API's status). Answers `.connected` or `.connectFailed`.
    case connect(WizardTarget, sourceType: String)
    // Every request names the target it goes to, taken from `WizardState.target`: the state is
    // the one place that says where requests go, so what the screens show is where they went.
    case fetchSourceTypes(via: WizardTarget)
    case fetchSources(via: WizardTarget)
    case fetchSourceType(String, via: WizardTarget)
    case fetchSource(id: Int, via: WizardTarget)
    case createSource(CreateSourceRequest, via: WizardTarget)
    case updateSource(id: Int, UpdateSourceRequest, via: WizardTarget)
    case createToken(sourceID: Int, via: WizardTarget)
    case listTokens(sourceID: Int, via: WizardTarget)
    case revokeToken(sourceID: Int, tokenID: Int, via: WizardTarget)
    /// Write the token to a new file with mode 0600; never overwrite.
    case saveToken(ImportAccessToken, path: String)
    /// In-process sandbox only: the schema's tables with their row counts; answers `.destinationTables`.
    case listDestinationTables(schema: String)
    /// In-process sandbox only: up to `limit` rows of `table` from the `offset`-th (in load order),
    /// with its row count; answers `.destinationPage`.
    case loadDestinationPage(schema: String, table: String, offset: Int, limit: Int)
    // Discovery and streams (discover_schema, field_selection).
    /// `GET /v4/sources/{id}` and `GET /v4/sources/{id}/last-connection-check` together, one poll
    /// of a source at `discover_schema`; answers `.discoveryPolled` with the same `round`.
    case pollDiscovery(sourceID: Int, round: Int, via: WizardTarget)
    case fetchStreams(sourceID: Int, via: WizardTarget)
    case fetchStreamSchema(sourceID: Int, streamID: Int, via: WizardTarget)
    case updateStreamMetadata(sourceID: Int, StreamMetadataUpdate, via: WizardTarget)
    // The record editor's sending and load following (issue 8).
    /// The next request of the record editor's batch: the rows of `batch` from `fromRow` that fit
    /// one request (`BatchSplitter`), made and POSTed by the runner, so the reducer never builds a
    /// body; answers `.partSent` with `id`. `sequenceBase` is nil for a run's first request: the
    /// runner, not the reducer, reads the wall clock (milliseconds), and the reply says what it took.
    case sendPart(id: Int, RecordBatch, fromRow: Int, sequenceBase: Int64?, token: ImportAccessToken, importBaseURL: String)
    /// `GET /v4/{client_id}/loads`, every page; answers `.loads` (stamped with the runner's clock).
    case pollLoads(clientID: Int, via: WizardTarget)
    /// In-process sandbox only: `table`'s row count and its `_sdc_rejected` records since
    /// `sinceMilliseconds` (epoch); answers `.loadRead` with `id`.
    case readLoad(id: Int, schema: String, table: String, sinceMilliseconds: Int64)
    // The record editor's checks and raw view (issue 8).
    /// All of `batch`'s problems (`BatchChecks`, at most `EditorDocument.problemLimit`), found off
    /// the main loop; answers `.batchChecked` with `generation`, so a stale answer is ignored.
    case checkBatch(RecordBatch, generation: Int)
    /// The raw JSON view's text of `batch`, its unset sequences shown from the runner's clock
    /// (the reducer reads none); answers `.rawText`.
    case renderRawText(RecordBatch)
    // The record editor's files (issue 8 items 1 and 3; FilesPanel).
    /// Reads a file of records with `RecordFileLoader`, off the main loop (`format` nil: by its
    /// name and first bytes); answers `.recordsLoaded`, or `.failed(.loadRecords, …)` when the file
    /// cannot be read at all. The file is only read.
    case loadRecords(path: String, format: RecordFormat?)
    /// Writes `batch` to `path` with `RecordFileWriter` (a batch body, or the rows as JSONL), through
    /// a temporary file put in place at the end; an existing file is replaced only with `overwrite`
    /// (else `.failed(.saveRecords, …)` with code `WizardFailure.fileExists`). Answers `.recordsSaved`.
    case saveRecords(RecordBatch, path: String, format: RecordFormat, overwrite: Bool)
    /// Hands `batch`'s raw JSON to `$EDITOR` in a new 0600 temporary file, the terminal given up
    /// meanwhile (WizardApp runs it, not the runner), and reads it back; answers `.externalEdit`.
    case editExternally(RecordBatch)
    /// Runs `effect` after `delay` (polling a step that moves on by itself).
    indirect case after(Duration, WizardEffect)
    case quit
}

/// Where the wizard talks to, and how.
public struct WizardTarget: Sendable, Equatable {
    public var connectBaseURL: String
    public var connectToken: String
    public var importBaseURL: String
    /// Whether the target is the in-process sandbox (enables the destination view).
    public var isSandbox: Bool

    public init(connectBaseURL: String, connectToken: String, importBaseURL: String, isSandbox: Bool) {
        self.connectBaseURL = connectBaseURL
        self.connectToken = connectToken
        self.importBaseURL = importBaseURL
        self.isSandbox = isSandbox
    }
}

extension WizardTarget: CustomStringConvertible, CustomDebugStringConvertible {
    // The Connect token must never reach a log line through string interpolation.
    public var description: String {
        "WizardTarget(connect: \(connectBaseURL), import: \(importBaseURL), sandbox: \(isSandbox), token: <redacted>)"
    }
    public var debugDescription: String { description }
}
