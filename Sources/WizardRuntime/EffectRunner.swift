import Foundation
import StitchAPI
import StitchClient
import WizardCore

#if canImport(Glibc)
import Glibc
#endif

/// Performs the wizard's effects and turns their results into events. The only place the
/// wizard reaches the network or the file system.
public actor EffectRunner {
    /// Reads loaded rows back from a destination; present only when the sandbox runs in-process.
    public typealias DestinationReader = @Sendable (_ schema: String, _ table: String) async throws -> DestinationSnapshot

    private var connect: ConnectClient?
    private var importTarget: (baseURL: String, client: ImportClient?)?
    private let destinationReader: DestinationReader?
    private let currentDirectory: String

    public init(destinationReader: DestinationReader? = nil,
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.destinationReader = destinationReader
        self.currentDirectory = currentDirectory
    }

    /// Runs one effect; nil when it has no result to report (`quit`).
    public func run(_ effect: WizardEffect) async -> WizardEvent? {
        switch effect {
        case .configure(let target):
            do {
                connect = try ConnectClient(baseURL: target.connectBaseURL, token: target.connectToken)
                _ = try EndpointURL.validate(target.importBaseURL)
                importTarget = (target.importBaseURL, nil)
                return nil
            } catch {
                return .failed(.configure, Self.failure(from: error))
            }
        case .fetchSourceType(let type):
            return await connectCall(.fetchSourceType, WizardEvent.sourceTypeLoaded) { try await $0.sourceType(type) }
        case .createSource(let request):
            return await connectCall(.createSource, WizardEvent.sourceCreated) { try await $0.createSource(request) }
        case .createToken(let sourceID):
            return await connectCall(.createToken, WizardEvent.tokenCreated) { try await $0.createToken(sourceID: sourceID) }
        case .saveToken(let token, let path):
            do {
                let saved = try TokenFile.write(token, to: path, relativeTo: currentDirectory)
                return .tokenSaved(path: saved)
            } catch {
                return .failed(.saveToken, WizardFailure(message: error.message))
            }
        case .sendBatch(let body, let token):
            return await sendBatch(body: body, token: token)
        case .loadDestination(let schema, let table, let delay):
            guard let destinationReader else {
                return .failed(.loadDestination, WizardFailure(message: "The destination can only be read in --sandbox mode."))
            }
            if delay > .zero { try? await Task.sleep(for: delay) }
            do {
                return .destinationLoaded(try await destinationReader(schema, table))
            } catch {
                return .failed(.loadDestination, WizardFailure(message: "\(error)"))
            }
        case .quit:
            return nil
        }
    }

    /// One Connect request: its result as `success`, or the failure of `request`.
    private func connectCall<T: Sendable>(_ request: WizardRequest, _ success: (T) -> WizardEvent,
                                          _ call: @Sendable (ConnectClient) async throws -> T) async -> WizardEvent {
        guard let connect else {
            return .failed(request, WizardFailure(message: "The Connect API is not configured yet."))
        }
        do {
            return success(try await call(connect))
        } catch {
            return .failed(request, Self.failure(from: error, request: request))
        }
    }

    private func sendBatch(body: String, token: ImportAccessToken) async -> WizardEvent {
        guard let importTarget else {
            return .failed(.sendBatch, WizardFailure(message: "The Import API is not configured yet."))
        }
        let batch = (try? JSONParser.parse(body)).flatMap { try? BatchRequest(json: $0) }
        let table = batch?.tableName ?? ""
        let count = batch?.messages.count ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let client = try importTarget.client ?? ImportClient(baseURL: importTarget.baseURL, token: token.accessToken)
            self.importTarget = (importTarget.baseURL, client)
            let reply = try await client.sendBatch(body: Array(body.utf8))
            return .batchReplied(BatchOutcome(statusCode: reply.statusCode, body: reply.bodyText, latency: clock.now - start,
                                              tableName: table, recordCount: count))
        } catch let error as StitchAPIError {
            // Rejections are replies too: the editor shows their status and body like any other.
            return .batchReplied(BatchOutcome(statusCode: error.statusCode, body: error.rawBody ?? error.message,
                                              latency: clock.now - start, tableName: table, recordCount: count))
        } catch {
            return .failed(.sendBatch, Self.failure(from: error))
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
            return WizardFailure(statusCode: apiError.statusCode, code: apiError.body.code, message: apiError.message,
                                 body: apiError.rawBody, hint: hint)
        }
        if let clientError = error as? StitchClientError {
            return WizardFailure(message: clientError.description)
        }
        return WizardFailure(message: "\(error)")
    }
}
