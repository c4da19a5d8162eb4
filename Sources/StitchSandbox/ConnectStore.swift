import Foundation
import StitchAPI
import StitchDestination

/// The Connect API's model: sources and their Import API tokens, saved durably on every change.
actor ConnectStore {
    /// Documented: "at most 2 active tokens per source" (spec §1, §2.5.8).
    static let maximumActiveTokens = 2

    private let statePath: String
    private var state: ConnectState

    /// Loads `statePath`, or starts a fresh account there.
    init(statePath: String) throws(SandboxError) {
        self.statePath = statePath
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

    func sources() -> [Source] { state.sources.map(\.source) }

    func source(id: Int) -> Source? { state.sources.first { $0.source.id == id }?.source }

    /// `POST /v4/sources`, validated in the documented order (spec §2.5.3).
    func createSource(body: JSONValue) throws(ConnectError) -> Source {
        guard let object = body.objectValue else { throw .invalidBody() }
        // `destination_id` is documented as optional for multi-destination accounts; the sandbox
        // has one destination, so it is accepted when it is an integer and otherwise ignored.
        let allowed: Set<String> = ["type", "display_name", "properties", "destination_id"]
        guard object.keys.allSatisfy(allowed.contains),
              let type = object["type"]?.stringValue, !type.isEmpty,
              let displayName = object["display_name"]?.stringValue, !displayName.isEmpty
        else { throw .invalidBody() }
        if let destination = object["destination_id"] {
            guard case .integer = destination else { throw .invalidBody() }
        }
        let properties = try Self.stringProperties(object["properties"])
        guard SourceTypeCatalog.sourceTypeCard(for: type) != nil else { throw .invalidType(type) }
        try Self.checkImportAPIProperties(properties, type: type)

        let name = SourceName.derive(fromDisplayName: displayName)
        guard SourceName.problem(with: name) == nil else {
            throw ConnectError(status: 400, code: "InvalidDisplayName",
                               message: "invalid name after deriving it from display_name (\(displayName) -> \(name))")
        }
        // Names of deleted sources may be reused (spec §2.5.7), so only live ones collide.
        if state.sources.contains(where: { $0.source.name == name && $0.source.deletedAt == nil }) {
            let message = displayName == name
                ? "non-unique name (\(name))"
                : "non-unique name after deriving it from display_name (\(displayName) -> \(name))"
            throw ConnectError(status: 400, code: "InvalidName", message: message)
        }

        var next = state
        next.lastSourceID += 1
        let now = UTCTimestamp.now().secondsText
        let source = Source(id: next.lastSourceID, type: type, displayName: displayName, name: name,
                            properties: JSONObject(), reportCard: SourceTypeCatalog.configuredCard(for: type),
                            schedule: nil, stitchClientID: next.stitchClientID, createdAt: now, updatedAt: now)
        next.sources.append(SourceRecord(source: source, tokens: []))
        try commit(next)
        return source
    }

    /// `PUT /v4/sources/{id}`: rename (the schema `name` never changes), pause, unpause.
    func updateSource(id: Int, body: JSONValue) throws(ConnectError) -> Source {
        guard let index = index(ofSource: id) else { throw .sourceNotFound(String(id)) }
        guard let object = body.objectValue,
              object.keys.allSatisfy(["display_name", "properties", "paused_at"].contains)
        else { throw .invalidBody("PUT body may only include display_name, properties and paused_at") }
        var source = state.sources[index].source
        if let value = object["display_name"] {
            guard let displayName = value.stringValue, !displayName.isEmpty else {
                throw ConnectError(status: 400, code: "InvalidDisplayName",
                                   message: "invalid display_name (\(value.stringValue ?? value.jsonText))")
            }
            source.displayName = displayName
        }
        if object["properties"] != nil {
            try Self.checkImportAPIProperties(try Self.stringProperties(object["properties"]), type: source.type)
        }
        switch object["paused_at"] {
        case .none: break
        case .null?: source.pausedAt = nil
        // Any ISO-8601 timestamp pauses at once, and the reply echoes what was sent (spec §2.5.6).
        case .string(let timestamp)? where UTCTimestamp(iso8601: timestamp) != nil: source.pausedAt = timestamp
        case let other?:
            throw .invalidBody("paused_at must be an ISO-8601 timestamp or null, not \(other.jsonText)")
        }
        source.updatedAt = UTCTimestamp.now().secondsText
        var next = state
        next.sources[index].source = source
        try commit(next)
        return source
    }

    /// `DELETE /v4/sources/{id}`: marks it deleted; it can still be fetched, and its data stays.
    func deleteSource(id: Int) throws(ConnectError) -> Source {
        guard let index = index(ofSource: id) else { throw .sourceNotFound(String(id)) }
        var next = state
        if next.sources[index].source.deletedAt == nil {
            let now = UTCTimestamp.now().secondsText
            next.sources[index].source.deletedAt = now
            next.sources[index].source.updatedAt = now
            try commit(next)
        }
        return next.sources[index].source
    }

    // MARK: Import API tokens

    /// `POST /v4/sources/{id}/tokens`. Only the digest is kept; the value leaves in the reply.
    func createToken(sourceID: Int) throws(ConnectError) -> ImportAccessToken {
        guard let index = index(ofSource: sourceID), state.sources[index].source.deletedAt == nil else {
            throw .sourceNotFound(String(sourceID))
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
        next.sources[index].tokens.append(TokenRecord(id: next.lastTokenID, sha256: SHA256.hexDigest(value),
                                                      createdAt: UTCTimestamp.now().secondsText))
        try commit(next)
        return ImportAccessToken(id: next.lastTokenID, accessToken: value)
    }

    /// `GET /v4/sources/{id}/tokens`, newest first as in the docs' example.
    func tokens(sourceID: Int) throws(ConnectError) -> [TokenSummary] {
        guard let index = index(ofSource: sourceID) else { throw .sourceNotFound(String(sourceID)) }
        return state.sources[index].tokens.reversed().map { TokenSummary(tokenID: $0.id, createdAt: $0.createdAt) }
    }

    /// `DELETE /v4/sources/{id}/tokens/{token_id}`: replies with the Source, `updated_at` moved on.
    func revokeToken(sourceID: Int, tokenID: Int) throws(ConnectError) -> Source {
        guard let index = index(ofSource: sourceID) else { throw .sourceNotFound(String(sourceID)) }
        guard let tokenIndex = state.sources[index].tokens.firstIndex(where: { $0.id == tokenID }) else {
            // Undocumented [?]: the same shape and code as an unknown source.
            throw ConnectError(status: 400, code: "InvalidId", message: "token not found (\(tokenID))")
        }
        var next = state
        next.sources[index].tokens.remove(at: tokenIndex)
        next.sources[index].source.updatedAt = UTCTimestamp.now().secondsText
        try commit(next)
        return next.sources[index].source
    }

    /// Who an Import API bearer token belongs to.
    enum ImportAuthorization: Sendable {
        case unknown
        case inactive(Source)
        case active(Source)
    }

    func authorizeImport(token: String) -> ImportAuthorization {
        let digest = SHA256.hexDigest(token)
        for record in state.sources where record.tokens.contains(where: { SecretToken.constantTimeEquals($0.sha256, digest) }) {
            return record.source.isActive ? .active(record.source) : .inactive(record.source)
        }
        return .unknown
    }

    // MARK: Private

    private func index(ofSource id: Int) -> Int? { state.sources.firstIndex { $0.source.id == id } }

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

    private static func stringProperties(_ value: JSONValue?) throws(ConnectError) -> [String: String] {
        guard let value else { return [:] }
        guard let object = value.objectValue else { throw .invalidBody() }
        var result: [String: String] = [:]
        for (key, member) in object.members {
            guard let string = member.stringValue else { throw .invalidBody() }
            result[key] = string
        }
        return result
    }

    /// The `import_api` form has no properties, so any property is refused the way a form
    /// schema refuses unknown ones [?] (the type's real form schema is not published).
    private static func checkImportAPIProperties(_ properties: [String: String], type: String) throws(ConnectError) {
        guard type == SourceTypeCatalog.importAPI, !properties.isEmpty else { return }
        var extra = JSONObject()
        extra["bad_properties"] = .array(properties.keys.sorted().map(JSONValue.string))
        throw ConnectError(status: 400, code: "InvalidProperties", message: "properties do not match schema",
                           extraData: extra)
    }
}
