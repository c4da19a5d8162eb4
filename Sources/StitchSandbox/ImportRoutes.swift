import Hummingbird
import Logging
import NIOPosix
import StitchAPI
import StitchDestination

/// Import API v2 (spec §3): the health check, the batch endpoint, and the push-format dry run.
struct ImportRoutes<Context: ConnectionRequestContext>: Sendable {
    let store: ConnectStore
    let inbox: Inbox
    let progress: LoadProgress
    let wakeLoader: @Sendable () -> Void
    let logger: Logger
    /// Shared by both body-reading endpoints, so memory stays bounded however many clients push.
    let bodyBudget = BodyBudget(capacity: ImportRequestBody.bytesInFlight)
    /// How long a request waits for budget with none being freed before it answers 503.
    var bodyBudgetPatience: Duration = ConnectionLimits().bodyBudgetPatience
    /// Where bodies are parsed and validated, big and small apart (see `ValidationLanes`).
    let lanes = ValidationLanes()
    /// What `GET /v2/import/status` reports on (see `ImportHealth`).
    let health = ImportHealth()

    private static var statusPath: RouterPath { "v2/import/status" }
    private static var batchPath: RouterPath { "v2/import/batch" }
    private static var validatePath: RouterPath { "v2/import/validate" }

    func register(on router: Router<Context>) {
        router.get(Self.statusPath) { _, _ in
            await status()
        }
        router.post(Self.batchPath) { request, context in
            await withinBodyBudget(request, context, acceptBatch)
        }
        router.post(Self.validatePath) { request, context in
            await withinBodyBudget(request, context, validatePush)
        }
        // Only GET and POST exist (spec §3.1); without these, other methods would get a 404.
        Self.refuseOtherMethods(on: router, path: Self.statusPath, allowed: .get, plainText: false)
        Self.refuseOtherMethods(on: router, path: Self.batchPath, allowed: .post, plainText: false)
        Self.refuseOtherMethods(on: router, path: Self.validatePath, allowed: .post, plainText: true)
    }

    private static func refuseOtherMethods(on router: Router<Context>, path: RouterPath, allowed: HTTPRequest.Method,
                                           plainText: Bool) {
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]
        for method in methods where method != allowed {
            router.on(path, method: method) { _, _ in
                ImportReplies.methodNotAllowed(allowed: allowed.rawValue, plainText: plainText)
            }
        }
    }

    // MARK: GET /v2/import/status

    /// OK only when a batch sent now can be stored and is not stuck behind others (see `ImportHealth`).
    private func status() async -> Response {
        let problem = await health.problem(inboxDirectory: inbox.directory, lanes: lanes,
                                           lastBodyRelease: bodyBudget.lastReleased)
        return ImportReplies.status(problem: problem)
    }

    // MARK: POST /v2/import/batch

    /// Spec §7.3's order: media type, size, token, JSON, envelope, schema, records; then store.
    private func acceptBatch(_ request: Request) async -> Response {
        guard ImportRequestBody.mediaType(of: request.headers[.contentType]) == .json else {
            return ImportReplies.batchNeedsJSON
        }
        let body: [UInt8]
        let source: Source
        switch await receive(request) {
        case .success(let received): (body, source) = received
        case .failure(let refusal): return refusal.response
        }
        let receivedAt = UTCTimestamp.now()

        let check: @Sendable () -> Verdict = {
            let json: JSONValue
            switch Self.parse(body) {
            case .success(let parsed): json = parsed
            case .failure(let refusal): return .rejected(refusal.response)
            }
            return Self.verdict(on: json, bodySize: body.count)
        }
        let verdict: Verdict
        if let known = Self.checkedAtOnce(body) {
            verdict = known
        } else {
            verdict = await validate(bodySize: body.count, check)
        }
        if let refusal = verdict.response { return refusal }

        do {
            let number = try await inbox.accept(sourceID: source.id, schemaName: source.name, receivedAt: receivedAt,
                                                body: body)
            health.recordStore(failure: nil)
            await progress.accepted(number)
            wakeLoader()
        } catch {
            logger.error("Could not store an accepted batch", metadata: ["reason": "\(error)"])
            health.recordStore(failure: "\(error)")
            return ImportReplies.notStored
        }
        return ImportReplies.batchAccepted
    }

    /// The batch checks on a parsed body.
    private static func verdict(on json: JSONValue, bodySize: Int) -> Verdict {
        let patternSteps = BatchValidator.patternSteps(forBodyOfSize: bodySize)
        if let problem = BatchValidator.problem(with: json, patternSteps: patternSteps) {
            return .rejected(HTTPReplies.batchRejected(problem))
        }
        return .valid
    }

    /// Bodies up to this size whose schema has no `pattern` are checked where the request is handled.
    static var atOnceBodyLimit: Int { 4096 }

    /// The verdict on a tiny body whose checks take microseconds, without the trip to a validation
    /// lane and back (two thread switches, a measurable share of a one-record batch's 201); nil
    /// when the body must go to a lane. A few kilobytes parse in linear time and, without
    /// patterns (the one check whose cost `BatchValidator`'s step budget bounds only to a fraction
    /// of a second), every check is linear in them too; a body with patterns still goes to its lane.
    static func checkedAtOnce(_ body: [UInt8]) -> Verdict? {
        guard body.count <= atOnceBodyLimit else { return nil }
        let json: JSONValue
        switch parse(body) {
        case .success(let parsed): json = parsed
        case .failure(let refusal): return .rejected(refusal.response)
        }
        guard !mentionsPattern(json["schema"] ?? .null) else { return nil }
        return verdict(on: json, bodySize: body.count)
    }

    /// Whether a schema uses `pattern` or `patternProperties` anywhere (as a key at any depth,
    /// which may over-count: then the body merely takes the lane).
    private static func mentionsPattern(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object):
            object.members.contains { $0.key == "pattern" || $0.key == "patternProperties" || mentionsPattern($0.value) }
        case .array(let elements):
            elements.contains(where: mentionsPattern)
        case .null, .bool, .integer, .number, .string:
            false
        }
    }

    // MARK: POST /v2/import/validate

    /// A dry run of a push-format body (spec §3.4): the push endpoint's checks and replies, never stored.
    private func validatePush(_ request: Request) async -> Response {
        let mediaType = ImportRequestBody.mediaType(of: request.headers[.contentType])
        guard mediaType == .json || mediaType == .transitJSON else {
            return ImportReplies.pushUnsupportedMediaType(mediaType)
        }
        let body: [UInt8]
        let clientID: Int
        switch await receive(request) {
        case .success(let received): (body, clientID) = (received.body, received.source.stitchClientID)
        case .failure(let refusal): return refusal.response
        }

        let verdict = await validate(bodySize: body.count) { () -> Verdict in
            var json: JSONValue
            switch Self.parse(body) {
            case .success(let parsed): json = parsed
            case .failure(let refusal): return .rejected(refusal.response)
            }
            if mediaType == .transitJSON {
                do throws(TransitDecoder.Failure) {
                    json = try TransitDecoder.decode(json)
                } catch {
                    return .malformed("transit", error.message)
                }
            }
            do throws(PushRejection) {
                try PushValidator.validate(json, clientID: clientID)
            } catch {
                return .rejected(HTTPReplies.json(error.body, status: HTTPResponse.Status(code: error.status)))
            }
            return .valid
        }
        return verdict.response ?? ImportReplies.batchValid
    }

    // MARK: Shared steps

    /// Handles a request once its body fits in the budget. A body declared over the limit is
    /// refused at once instead (413 before reading, spec §7.3), so it never waits for room. A
    /// request that cannot get room in time answers 503 (see `BodyBudget`).
    private func withinBodyBudget(_ request: Request, _ context: Context, _ handle: (Request) async -> Response)
        async -> Response
    {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > ImportRequestBody.maximumSize { return await handle(request) }
        let channel = context.channel
        guard let held = await health.waitingForBodyRoom({
            await bodyBudget.reserve(declared ?? ImportRequestBody.maximumSize,
                                     patience: bodyBudgetPatience, isConnected: { channel.isActive })
        })
        else { return HTTPReplies.busyReceiving }
        let response = await handle(request)
        await bodyBudget.release(held)
        return response
    }

    struct Refusal: Error {
        var response: Response
    }

    /// The body (up to the size limit), then the token's active source: §7.3's size-before-token order.
    private func receive(_ request: Request) async -> Result<(body: [UInt8], source: Source), Refusal> {
        let body: [UInt8]
        switch await ImportRequestBody.read(request) {
        case .complete(let bytes): body = bytes
        case .tooLarge(let size): return .failure(Refusal(response: ImportReplies.tooLarge(size)))
        case .interrupted: return .failure(Refusal(response: ImportReplies.bodyInterrupted))
        }
        return await authorize(request).map { (body, $0) }
    }

    /// The body as JSON, or the Jackson-style 400 the gate answers for a syntax error.
    private static func parse(_ body: [UInt8]) -> Result<JSONValue, Refusal> {
        do throws(JSONParser.SyntaxError) {
            return .success(try JSONParser.parse(body))
        } catch {
            let message = ImportReplies.jacksonStyle(error.message, offset: error.offset, in: body)
            return .failure(Refusal(response: ImportReplies.malformed("json", error: message)))
        }
    }

    /// The Import token's active source, or the 401 to answer with.
    private func authorize(_ request: Request) async -> Result<Source, Refusal> {
        guard let token = request.bearerToken else { return .failure(Refusal(response: ImportReplies.notAuthorized)) }
        switch await store.authorizeImport(token: token) {
        case .unknown: return .failure(Refusal(response: ImportReplies.notAuthorized))
        case .inactive: return .failure(Refusal(response: ImportReplies.connectionNotActive))
        case .active(let source): return .success(source)
        }
    }

    /// What parsing and validating a body concluded.
    enum Verdict: Sendable {
        case valid
        case malformed(String, String)
        case rejected(Response)

        /// The reply for a body that cannot go further; nil when it is valid.
        var response: Response? {
            switch self {
            case .valid: nil
            case .malformed(let what, let error): ImportReplies.malformed(what, error: error)
            case .rejected(let response): response
            }
        }
    }

    /// Parsing and validating a 20 MB body takes long enough to matter on a two-core machine: run on
    /// the validation lanes, so the cooperative pool keeps serving other requests and the loader, and
    /// small batches never wait behind big ones (see `ValidationLanes`).
    private func validate(bodySize: Int, _ work: @escaping @Sendable () -> Verdict) async -> Verdict {
        // Nil only when the request was cancelled before its turn: its client is gone.
        await lanes.run(bodySize: bodySize, work) ?? .rejected(ImportReplies.notValidated)
    }
}
