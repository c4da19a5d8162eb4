import RecordBatch
import StitchAPI
import TerminalUI

/// Everything that can happen to the wizard: keys from the terminal, answers in the line
/// mode, and results of effects.
public enum WizardEvent: Sendable, Equatable {
    case key(Key)
    case resized(Size)
    /// A line typed in the accessible line mode, without its newline.
    case line(String)
    /// The line mode's input ended (Ctrl-D, a closed pipe): the run is cancelled.
    case endOfInput
    case reply(WizardReply)
}

/// The result of an effect, handed to the screen on show.
public enum WizardReply: Sendable, Equatable {
    /// The target passed the connect check; the report card is the check's Connect request.
    case connected(WizardTarget, ReportCard)
    /// The target failed the connect check; `field` is the connect-screen field at fault.
    case connectFailed(WizardTarget, field: ConnectForm.Field, WizardFailure)
    case sourceTypes([ReportCard])
    case sources([Source])
    case sourceType(ReportCard)
    /// A source as created, updated or fetched.
    case source(Source)
    case token(ImportAccessToken)
    case tokens(sourceID: Int, TokenList)
    case tokenRevoked(sourceID: Int, tokenID: Int)
    case tokenSaved(path: String)
    case destinationTables(schema: String, [DestinationTableInfo])
    case destinationPage(DestinationPage)
    // Discovery and streams (discover_schema, field_selection).
    case discoveryPolled(DiscoveryPoll)
    case streams(sourceID: Int, [SourceStream])
    case streamSchema(sourceID: Int, streamID: Int, StreamSchema)
    case streamMetadataUpdated(sourceID: Int)
    // The record editor's sending and load following (issue 8).
    case partSent(SentPart)
    /// `GET /v4/{client_id}/loads`, and when (milliseconds since the epoch, the runner's clock).
    case loads([StreamLoad], polledAt: Int64)
    case loadRead(LoadReadback)
    // The record editor's checks and raw view (issue 8).
    /// The problems of the batch a `.checkBatch` with this `generation` was given; `complete` is
    /// false when there were more than the list holds.
    case batchChecked(generation: Int, [BatchProblem], complete: Bool)
    case rawText(String)
    // The record editor's files (FilesPanel).
    case recordsLoaded(path: String, LoadedRecords)
    case recordsSaved(path: String, rows: Int)
    case externalEdit(ExternalEdit)
    case failed(WizardRequest, WizardFailure)
}

/// Which request a failure belongs to, so the screen knows what failed.
public enum WizardRequest: Sendable, Equatable {
    case fetchSourceTypes
    case fetchSources
    case fetchSourceType
    case fetchSource
    case createSource
    case updateSource
    case createToken
    case listTokens
    case revokeToken
    case saveToken
    case listDestinationTables
    case loadDestinationPage
    // Discovery and streams (discover_schema, field_selection).
    case pollDiscovery
    case fetchStreams
    case fetchStreamSchema
    case updateStreamMetadata
    // The record editor's load following (a `.sendPart` always answers `.partSent`).
    case pollLoads
    case readLoad
    // The record editor's files (FilesPanel).
    case loadRecords
    case saveRecords
    case editExternally
}

/// A failed request, reduced to what a person needs: what happened and what to do.
public struct WizardFailure: Sendable, Equatable, Error {
    /// The HTTP status, when the server answered.
    public var statusCode: Int?
    /// The API's error code (`InvalidName`, `Forbidden`…), when the body had one.
    public var code: String?
    public var message: String
    /// The reply body as received (never holds a secret: the APIs don't echo tokens).
    public var body: String?
    public var hint: String?
    /// The properties an `InvalidProperties` 400 names (`data.bad_properties`).
    public var badProperties: [String]

    public init(statusCode: Int? = nil, code: String? = nil, message: String, body: String? = nil, hint: String? = nil,
                badProperties: [String] = []) {
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.body = body
        self.hint = hint
        self.badProperties = badProperties
    }
}
