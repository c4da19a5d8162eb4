import Foundation
import StitchAPI
import StitchDestination

/// The Connect API's model: sources, their Import API tokens and discovered streams, saved
/// durably on every change.
actor ConnectStore {
    /// Documented: "at most 2 active tokens per source" (spec §1, §2.5.8).
    static let maximumActiveTokens = TokenList.maximumActive

    private let statePath: String
    /// How long the simulated `discover_schema` step takes.
    private let discoveryDelay: Duration
    private var state: ConnectState

    /// Loads `statePath`, or starts a fresh account there.
    init(statePath: String, discoveryDelay: Duration = .seconds(2)) throws(SandboxError) {
        self.statePath = statePath
        self.discoveryDelay = discoveryDelay
        if let bytes = DurableFile.read(statePath) {
            do {
                state = try JSONDecoder().decode(ConnectState.self, from: Data(bytes))
            } catch {
                throw .corruptState(path: statePath, reason: "\(error)")
            }
        } else {
            state = .fresh()
            do {
                try Self.save(state, to: statePath)
            } catch {
                throw .dataDirectoryNotWritable(path: statePath, reason: error.description)
            }
        }
    }

    var stitchClientID: Int { state.stitchClientID }

    // MARK: Sources

    /// `GET /v4/sources`: active, paused and deleted alike.
    func sources() -> [Source] {
        let now = UTCTimestamp.now()
        return state.sources.map { Self.present($0, now: now) }
    }

    func source(id: Int) -> Source? {
        index(ofSource: id).map { Self.present(state.sources[$0], now: .now()) }
    }

    /// `POST /v4/sources`. Checked in this order: the body's shape (`SourceCreation`), the type,
    /// the name, the properties, the cron expression (spec §2.5.3 documents the errors, not their order [?]).
    func createSource(body: JSONValue) throws(ConnectError) -> Source {
        let request = try SourceCreation(body: body)
        guard let definition = SourceTypeCatalog.definition(for: request.type) else {
            throw .invalidType(request.type)
        }
        let name = try uniqueName(displayName: request.displayName, explicitName: request.explicitName)
        let now = UTCTimestamp.now()
        let source = Source(id: state.lastSourceID + 1, type: request.type, displayName: request.displayName, name: name,
                            properties: JSONObject(definition.systemProperties.map { ($0.name, .string($0.value)) }),
                            reportCard: definition.templateCard, schedule: nil,
                            stitchClientID: state.stitchClientID, createdAt: now.secondsText,
                            updatedAt: now.secondsText)
        var record = SourceRecord(source: source)
        try Self.set(request.properties, on: &record, definition: definition, now: now)

        var next = state
        next.lastSourceID += 1
        DiscoverySimulation.startIfReady(&record, definition: definition, state: &next, now: now,
                                         delay: discoveryDelay)
        next.sources.append(record)
        try commit(next)
        return Self.present(record, now: now)
    }

    /// `PUT /v4/sources/{id}`: rename (the schema `name` never changes), set some properties,
    /// pause, unpause.
    func updateSource(id: Int, body: JSONValue) throws(ConnectError) -> Source {
        guard let index = index(ofSource: id) else { throw .sourceNotFound(String(id)) }
        let update = try SourceUpdate(body: body)
        let now = UTCTimestamp.now()
        var record = state.sources[index]
        if let displayName = update.displayName { record.source.displayName = displayName }
        if let properties = update.properties, let definition = SourceTypeCatalog.definition(for: record.source.type) {
            try Self.set(properties, on: &record, definition: definition, now: now)
        }
        switch update.pause {
        case nil: break
        case .unpause?: record.source.pausedAt = nil
        case .pause(let timestamp)?: record.source.pausedAt = timestamp
        }
        record.source.updatedAt = now.secondsText
        var next = state
        if let definition = SourceTypeCatalog.definition(for: record.source.type) {
            DiscoverySimulation.startIfReady(&record, definition: definition, state: &next, now: now,
                                             delay: discoveryDelay)
        }
        next.sources[index] = record
        try commit(next)
        return Self.present(record, now: now)
    }

    /// `DELETE /v4/sources/{id}`: marks it deleted; it can still be fetched, and its data stays.
    func deleteSource(id: Int) throws(ConnectError) -> Source {
        guard let index = index(ofSource: id) else { throw .sourceNotFound(String(id)) }
        let now = UTCTimestamp.now()
        var next = state
        if next.sources[index].source.deletedAt == nil {
            next.sources[index].source.deletedAt = now.secondsText
            next.sources[index].source.updatedAt = now.secondsText
            try commit(next)
        }
        return Self.present(next.sources[index], now: now)
    }

    // MARK: Import API tokens

    /// `POST /v4/sources/{id}/tokens`. Only the digest is kept; the value leaves in the reply.
    func createToken(sourceID: Int) throws(ConnectError) -> ImportAccessToken {
        guard let index = index(ofSource: sourceID), state.sources[index].source.deletedAt == nil else {
            throw .sourceNotFound(String(sourceID))
        }
        let type = state.sources[index].source.type
        guard type == SourceTypeCatalog.importAPI else {
            // Undocumented [?]: these are Import API tokens, and a token of another source type
            // could push into nothing, so asking for one is refused as the wrong type.
            throw ConnectError(status: 400, code: "InvalidType",
                               message: "access tokens exist only for import_api sources; source \(sourceID) is \(type)")
        }
        guard state.sources[index].tokens.count < Self.maximumActiveTokens else {
            // The error for a third token is undocumented [?]; this keeps the sources' shape.
            throw ConnectError(status: 400, code: "InvalidToken",
                               message: "source \(sourceID) already has \(Self.maximumActiveTokens) active "
                                   + "access tokens; revoke one before generating another")
        }
        let value = SecretToken.importAPI()
        var next = state
        next.lastTokenID += 1
        next.sources[index].tokens.append(TokenRecord(id: next.lastTokenID, sha256: TokenDigest.hex(of: value),
                                                      createdAt: UTCTimestamp.now().secondsText))
        try commit(next)
        return ImportAccessToken(id: next.lastTokenID, accessToken: value)
    }

    /// `GET /v4/sources/{id}/tokens`, newest first as in the docs' example. Other source types
    /// have none, so they list `[]` [?] (reading is harmless; only creating one is refused).
    func tokens(sourceID: Int) throws(ConnectError) -> [TokenSummary] {
        guard let index = index(ofSource: sourceID) else { throw .sourceNotFound(String(sourceID)) }
        return state.sources[index].tokens.reversed().map { TokenSummary(tokenID: $0.id, createdAt: $0.createdAt) }
    }

    /// `DELETE /v4/sources/{id}/tokens/{token_id}`: replies with the Source, `updated_at` moved on.
    func revokeToken(sourceID: Int, tokenID: Int) throws(ConnectError) -> Source {
        guard let index = index(ofSource: sourceID) else { throw .sourceNotFound(String(sourceID)) }
        guard let tokenIndex = state.sources[index].tokens.firstIndex(where: { $0.id == tokenID }) else {
            throw .tokenNotFound(String(tokenID))
        }
        let now = UTCTimestamp.now()
        var next = state
        next.sources[index].tokens.remove(at: tokenIndex)
        next.sources[index].source.updatedAt = now.secondsText
        try commit(next)
        return Self.present(next.sources[index], now: now)
    }

    /// Who an Import API bearer token belongs to.
    enum ImportAuthorization: Sendable {
        case unknown
        case inactive(Source)
        case active(Source)
    }

    func authorizeImport(token: String) -> ImportAuthorization {
        let digest = TokenDigest.hex(of: token)
        for record in state.sources where record.tokens.contains(where: { SecretToken.constantTimeEquals($0.sha256, digest) }) {
            return record.source.isActive ? .active(record.source) : .inactive(record.source)
        }
        return .unknown
    }

    // MARK: Connection checks

    /// `GET /v4/sources/{id}/last-connection-check`; nil while no check has run.
    func lastConnectionCheck(sourceID: Int) throws(ConnectError) -> ConnectionCheck? {
        guard let index = index(ofSource: sourceID) else { throw .sourceNotFound(String(sourceID)) }
        return DiscoverySimulation.connectionCheck(of: state.sources[index], now: .now())
    }

    // MARK: Streams

    /// `GET /v4/sources/{id}/streams`. Empty until discovery has finished [?] (Stitch shows
    /// streams only once its structure sync has run; the docs do not say what comes before).
    func streams(sourceID: Int) throws(StreamError) -> [JSONValue] {
        let (record, definition) = try streamSource(sourceID)
        guard ConnectionProgress.hasDiscovered(record, now: .now()) else { return [] }
        return record.streams.compactMap { presentation(of: $0, definition: definition)?.listEntry }
    }

    /// `GET /v4/sources/{id}/streams/{stream_id}`.
    func streamSchema(sourceID: Int, streamID: String) throws(StreamError) -> JSONValue {
        let (record, definition) = try streamSource(sourceID)
        guard ConnectionProgress.hasDiscovered(record, now: .now()),
              let stream = record.streams.first(where: { String($0.streamID) == streamID }),
              let presentation = presentation(of: stream, definition: definition)
        else { throw .invalidStreamID(streamID) }
        return presentation.schemaReply
    }

    /// `PUT /v4/sources/{id}/streams/metadata`. Selecting a stream finishes `field_selection`.
    func updateStreamMetadata(sourceID: Int, body: JSONValue) throws(StreamError) {
        let (record, definition) = try streamSource(sourceID)
        let updates = try StreamSelection.parse(body)
        // Documented: streams can be selected only at `field_selection` or `fully_configured`.
        // The error for other steps is not [?]; it takes the endpoint's `invalid_fields` shape.
        let card = ConnectionProgress.reportCard(for: record, definition: definition, now: .now())
        guard [.fieldSelection, .fullyConfigured].contains(card.effectiveStepType) else {
            throw .invalidFields("streams can be selected only when the source's current step is field_selection "
                                 + "or fully_configured (it is \(card.effectiveStepType?.rawValue ?? "unknown"))")
        }
        guard let index = index(ofSource: sourceID) else { throw .source(.sourceNotFound(String(sourceID))) }
        var next = state
        try StreamSelection.apply(updates, to: &next.sources[index].streams, templates: definition.discovery.streams)
        next.sources[index].source.updatedAt = UTCTimestamp.now().secondsText
        do {
            try commit(next)
        } catch {
            throw .source(error)
        }
    }

    // MARK: Private

    private func index(ofSource id: Int) -> Int? { state.sources.firstIndex { $0.source.id == id } }

    private func streamSource(_ sourceID: Int) throws(StreamError) -> (SourceRecord, SourceTypeDefinition) {
        guard let index = index(ofSource: sourceID) else { throw .source(.sourceNotFound(String(sourceID))) }
        let record = state.sources[index]
        guard let definition = SourceTypeCatalog.definition(for: record.source.type) else {
            throw .source(.invalidType(record.source.type))
        }
        return (record, definition)
    }

    private func presentation(of stream: StreamRecord, definition: SourceTypeDefinition) -> StreamPresentation? {
        definition.discovery.streams.first { $0.name == stream.streamName }.map {
            StreamPresentation(record: stream, template: $0, style: definition.discovery.style)
        }
    }

    /// The Source as a client sees it: the report card worked out for `now`.
    private static func present(_ record: SourceRecord, now: UTCTimestamp) -> Source {
        var source = record.source
        if let definition = SourceTypeCatalog.definition(for: source.type) {
            source.reportCard = ConnectionProgress.reportCard(for: record, definition: definition, now: now)
        }
        return source
    }

    /// The schema name for a new source: the explicit `name`, or the one derived from
    /// `display_name`; valid, and not used by a live source.
    private func uniqueName(displayName: String, explicitName: String?) throws(ConnectError) -> String {
        let name: String
        if let explicitName {
            if let problem = SourceName.problem(with: explicitName) {
                throw ConnectError(status: 400, code: "InvalidName", message: "invalid name (\(explicitName)): \(problem)")
            }
            name = explicitName
        } else {
            name = SourceName.derive(fromDisplayName: displayName)
            guard SourceName.problem(with: name) == nil else {
                throw ConnectError(status: 400, code: "InvalidDisplayName",
                                   message: "invalid name after deriving it from display_name (\(displayName) -> \(name))")
            }
        }
        // Names of deleted sources may be reused (spec §2.5.7), so only live ones collide.
        if state.sources.contains(where: { $0.source.name == name && $0.source.deletedAt == nil }) {
            let message = explicitName != nil || displayName == name
                ? "non-unique name (\(name))"
                : "non-unique name after deriving it from display_name (\(displayName) -> \(name))"
            throw ConnectError(status: 400, code: "InvalidName", message: message)
        }
        return name
    }

    /// Checks `properties` against the card and stores them: credentials as "provided" only,
    /// the rest as values. Throws `InvalidProperties` (with the card as it stands) or
    /// `InvalidCronExpression`, changing nothing.
    private static func set(_ properties: PropertyAssignments, on record: inout SourceRecord,
                            definition: SourceTypeDefinition, now: UTCTimestamp) throws(ConnectError) {
        let bad = PropertyValidator.badProperties(properties, of: definition)
        if !bad.isEmpty {
            var data = JSONObject()
            data["bad_properties"] = .array(bad.map(JSONValue.string))
            data["report_card"] = HTTPReplies.jsonValue(
                of: ConnectionProgress.reportCard(for: record, definition: definition, now: now))
            throw ConnectError(status: 400, code: "InvalidProperties", message: "properties do not match schema",
                               extraData: data)
        }
        if let cron = properties.first(where: { $0.name == "cron_expression" }),
           let problem = CronExpression.problem(with: cron.value) {
            throw ConnectError(status: 400, code: "InvalidCronExpression",
                               message: "cron_expression \"\(cron.value)\" is invalid: \(problem)")
        }
        var values = record.source.properties
        for (name, value) in properties {
            if definition.property(named: name)?.credential == true {
                if !record.providedCredentials.contains(name) { record.providedCredentials.append(name) }
            } else {
                values[name] = .string(value)
            }
        }
        // Sorted, so replies do not depend on the order requests happened to send.
        record.source.properties = JSONObject(values.members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    private func commit(_ next: ConnectState) throws(ConnectError) {
        do {
            try Self.save(next, to: statePath)
        } catch {
            throw .internalError("the sandbox could not save its state: \(error.description)")
        }
        state = next
    }

    private static func save(_ state: ConnectState, to path: String) throws(DurableFile.Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain Codable values cannot fail; an empty file would be caught on load.
        let data = (try? encoder.encode(state)) ?? Data()
        try DurableFile.write(Array(data), to: path, mode: 0o600)
    }
}
