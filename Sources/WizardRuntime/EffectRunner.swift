import Foundation
import RecordBatch
import StitchAPI
import StitchClient
import WizardCore

#if canImport(Glibc)
import Glibc
#endif

/// Performs the wizard's effects and turns their results into events. The only place the
/// wizard reaches the network or the file system.
public actor EffectRunner {
    /// Reads what a load left for a table (rows, `_sdc_rejected` records since a time, in ms since
    /// the epoch); present only when the sandbox runs in-process. The runner sets the reply's id.
    public typealias LoadReader = @Sendable (_ schema: String, _ table: String, _ sinceMilliseconds: Int64) async throws
        -> LoadReadback
    let loadReader: LoadReader?
    /// Reads the destination's tables and pages (the destination view); present only when the sandbox runs in-process.
    let destinationBrowser: DestinationBrowser?
    let currentDirectory: String
    /// How long the connect check waits for each reply: it is answered in well under a second,
    /// and an unreachable host should not hold the connect screen for the clients' 30 s.
    private let checkTimeout: Duration

    public init(loadReader: LoadReader? = nil,
                destinationBrowser: DestinationBrowser? = nil,
                currentDirectory: String = FileManager.default.currentDirectoryPath,
                checkTimeout: Duration = .seconds(15)) {
        self.loadReader = loadReader
        self.destinationBrowser = destinationBrowser
        self.currentDirectory = currentDirectory
        self.checkTimeout = checkTimeout
    }

    /// Runs one effect; nil when it has no result to report (`quit`).
    ///
    /// The runner keeps no endpoints of its own: each request is sent where its effect says,
    /// which the reducer takes from `WizardState.target`, the URLs the screens show.
    public func run(_ effect: WizardEffect) async -> WizardEvent? {
        switch effect {
        case .connect(let target, let sourceType):
            return await check(target, sourceType: sourceType)
        case .fetchSourceTypes(let target):
            return await connectCall(.fetchSourceTypes, target, WizardReply.sourceTypes) { try await $0.sourceTypes() }
        case .fetchSources(let target):
            return await connectCall(.fetchSources, target, WizardReply.sources) { try await $0.sources() }
        case .fetchSourceType(let type, let target):
            return await connectCall(.fetchSourceType, target, WizardReply.sourceType) { try await $0.sourceType(type) }
        case .fetchSource(let id, let target):
            return await connectCall(.fetchSource, target, WizardReply.source) { try await $0.source(id: id) }
        case .createSource(let request, let target):
            return await connectCall(.createSource, target, WizardReply.source) { try await $0.createSource(request) }
        case .updateSource(let id, let request, let target):
            return await connectCall(.updateSource, target, WizardReply.source) { try await $0.updateSource(id: id, request) }
        case .createToken(let sourceID, let target):
            return await connectCall(.createToken, target, WizardReply.token) { try await $0.createToken(sourceID: sourceID) }
        case .listTokens(let sourceID, let target):
            return await connectCall(.listTokens, target, { WizardReply.tokens(sourceID: sourceID, $0) }) {
                try await $0.tokens(sourceID: sourceID)
            }
        case .revokeToken(let sourceID, let tokenID, let target):
            return await connectCall(.revokeToken, target, { (_: Source) in WizardReply.tokenRevoked(sourceID: sourceID, tokenID: tokenID) }) {
                try await $0.revokeToken(sourceID: sourceID, tokenID: tokenID)
            }
        case .saveToken(let token, let path):
            do {
                let saved = try TokenFile.write(token, to: path, relativeTo: currentDirectory)
                return .reply(.tokenSaved(path: saved))
            } catch {
                return .reply(.failed(.saveToken, WizardFailure(message: error.message)))
            }
        case .listDestinationTables(let schema):
            guard let destinationBrowser else {
                return .reply(.failed(.listDestinationTables, WizardFailure(message: "The destination can only be read in --sandbox mode.")))
            }
            do {
                return .reply(.destinationTables(schema: schema, try await destinationBrowser.tables(schema)))
            } catch {
                return .reply(.failed(.listDestinationTables, WizardFailure(message: "\(error)")))
            }
        case .loadDestinationPage(let schema, let table, let offset, let limit):
            guard let destinationBrowser else {
                return .reply(.failed(.loadDestinationPage, WizardFailure(message: "The destination can only be read in --sandbox mode.")))
            }
            do {
                return .reply(.destinationPage(try await destinationBrowser.page(schema, table, offset, limit)))
            } catch {
                return .reply(.failed(.loadDestinationPage, WizardFailure(message: "\(error)")))
            }
        // Discovery and streams (discover_schema, field_selection).
        case .pollDiscovery(let sourceID, let round, let target):
            return await connectCall(.pollDiscovery, target, WizardReply.discoveryPolled) { client in
                let source = try await client.source(id: sourceID)
                let check = try await client.lastConnectionCheck(sourceID: sourceID)
                return DiscoveryPoll(round: round, source: source, check: check, receivedAt: .now)
            }
        case .fetchStreams(let sourceID, let target):
            return await connectCall(.fetchStreams, target, { WizardReply.streams(sourceID: sourceID, $0) }) {
                try await $0.streams(sourceID: sourceID)
            }
        case .fetchStreamSchema(let sourceID, let streamID, let target):
            return await connectCall(.fetchStreamSchema, target,
                                     { WizardReply.streamSchema(sourceID: sourceID, streamID: streamID, $0) }) {
                try await $0.streamSchema(sourceID: sourceID, streamID: streamID)
            }
        case .updateStreamMetadata(let sourceID, let update, let target):
            return await connectCall(.updateStreamMetadata, target,
                                     { (_: Void) in WizardReply.streamMetadataUpdated(sourceID: sourceID) }) {
                try await $0.updateStreamMetadata(sourceID: sourceID, update)
            }
        // The record editor's sending and load following (EffectRunner+Sending.swift).
        case .sendPart(let id, let batch, let row, let sequenceBase, let token, let importBaseURL):
            return .reply(.partSent(await sendPart(id: id, batch, fromRow: row, sequenceBase: sequenceBase, token: token,
                                                   importBaseURL: importBaseURL)))
        case .pollLoads(let clientID, let target):
            return await connectCall(.pollLoads, target, { WizardReply.loads($0, polledAt: Self.wallMilliseconds()) }) {
                try await $0.loads(clientID: clientID)
            }
        case .readLoad(let id, let schema, let table, let since):
            return await readLoad(id: id, schema: schema, table: table, sinceMilliseconds: since)
        // The record editor's checks and raw view: CPU work, run off the actor so it holds up
        // no request (a million rows take seconds to check).
        case .checkBatch(let batch, let generation):
            let found = await Task.detached(priority: .userInitiated) {
                BatchChecks.problems(in: batch, limit: EditorDocument.problemLimit + 1)
            }.value
            return .reply(.batchChecked(generation: generation, Array(found.prefix(EditorDocument.problemLimit)),
                                        complete: found.count <= EditorDocument.problemLimit))
        case .renderRawText(let batch):
            let now = Self.wallMilliseconds()
            return .reply(.rawText(await Task.detached(priority: .userInitiated) { batch.rawText(sequencesFrom: now) }.value))
        // The record editor's files (EffectRunner+Files.swift).
        case .loadRecords(let path, let format):
            return await loadRecords(path: path, format: format)
        case .saveRecords(let batch, let path, let format, let overwrite):
            return await saveRecords(batch, path: path, format: format, overwrite: overwrite)
        case .editExternally:
            // WizardApp runs it: only the loop can give the terminal to another program.
            return .reply(.failed(.editExternally, WizardFailure(message: "$EDITOR can only be used in the full-screen editor.")))
        case .after(let delay, let effect):
            try? await Task.sleep(for: delay)
            return await run(effect)
        case .quit:
            return nil
        }
    }

    /// The connect screen's check, in the order a person would fix things: each URL against the
    /// URL policy, the token for pasting accidents, then the Connect API's answer for the
    /// source type (the request the next step needs anyway) and the Import API's status.
    private func check(_ target: WizardTarget, sourceType: String) async -> WizardEvent {
        func refused(_ field: ConnectForm.Field, _ error: any Error) -> WizardEvent {
            .reply(.connectFailed(target, field: field, Self.failure(from: error, request: .fetchSourceType)))
        }
        let connectURL: EndpointURL
        let importURL: EndpointURL
        let client: ConnectClient
        do { connectURL = try EndpointURL.validate(target.connectBaseURL) } catch { return refused(.connectURL, error) }
        do { importURL = try EndpointURL.validate(target.importBaseURL) } catch { return refused(.importURL, error) }
        do {
            client = try ConnectClient(baseURL: connectURL, token: target.connectToken, timeout: checkTimeout)
        } catch {
            return refused(.token, error)
        }
        let card: ReportCard
        do {
            card = try await client.sourceType(sourceType)
        } catch let error as StitchAPIError where [401, 403].contains(error.statusCode) {
            return refused(.token, error)
        } catch {
            return refused(.connectURL, error)
        }
        do {
            // The status endpoint takes no credentials (the client sends none); the placeholder
            // only satisfies the client's initialiser.
            _ = try await ImportClient(baseURL: importURL, token: "unused", timeout: checkTimeout).status()
        } catch let error as StitchClientError {
            return refused(.importURL, error)
        } catch {
            // An API reply (e.g. 503 while Stitch is degraded) still proves the URL reaches the Import API.
        }
        return .reply(.connected(target, card))
    }

    /// One Connect request to `target`: its result as `success`, or the failure of `request`.
    private func connectCall<T: Sendable>(_ request: WizardRequest, _ target: WizardTarget, _ success: (T) -> WizardReply,
                                          _ call: @Sendable (ConnectClient) async throws -> T) async -> WizardEvent {
        do {
            let client = try ConnectClient(baseURL: target.connectBaseURL, token: target.connectToken)
            return .reply(success(try await call(client)))
        } catch {
            return .reply(.failed(request, Self.failure(from: error, request: request)))
        }
    }

    /// Turns any error into what the screens show, with a hint for the common causes.
    static func failure(from error: any Error, request: WizardRequest? = nil) -> WizardFailure {
        if let apiError = error as? StitchAPIError {
            var hint: String?
            switch (apiError.statusCode, request) {
            case (401, _):
                hint = "Check the Connect API token: it may be mistyped, revoked, or for another account."
            case (404, .fetchSourceType?):
                hint = "Check the Connect API URL; the source type may not exist there."
            case (500..., _):
                hint = "Stitch had a problem on its side. Try again in a moment (r)."
            default:
                break
            }
            var badProperties: [String] = []
            if case .connect(_, _, let names?) = apiError.body { badProperties = names }
            return WizardFailure(statusCode: apiError.statusCode, code: apiError.body.code, message: apiError.message,
                                 body: apiError.rawBody, hint: hint, badProperties: badProperties)
        }
        if let clientError = error as? StitchClientError {
            return WizardFailure(message: clientError.description)
        }
        return WizardFailure(message: "\(error)")
    }
}
