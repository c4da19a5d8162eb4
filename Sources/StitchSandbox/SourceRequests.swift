import StitchAPI
import StitchDestination

/// The `properties` member of a source request: string values, in request order
/// ("map of string properties", spec §2.5.3).
typealias PropertyAssignments = [(name: String, value: String)]

/// A `POST /v4/sources` body whose shape has been checked; what it names (the type, the name,
/// the properties' values) is checked against the account by `ConnectStore`.
struct SourceCreation {
    var type: String
    var displayName: String
    var explicitName: String?
    var properties: PropertyAssignments

    /// Every shape problem is the same documented `400 Bad Request` body (spec §2.5.3).
    init(body: JSONValue) throws(ConnectError) {
        guard let object = body.objectValue else { throw .invalidBody() }
        // `destination_id` is documented as optional for multi-destination accounts; the sandbox
        // has one destination, so it is accepted when it is an integer and otherwise ignored.
        // `name` is not in the docs' argument table, but the community OpenAPI spec has it and a
        // documented error ("The name field must be under 50 characters…") only makes sense if
        // it can be sent, so an explicit name is accepted and checked [?].
        let allowed: Set<String> = ["type", "display_name", "properties", "destination_id", "name"]
        guard object.keys.allSatisfy(allowed.contains),
              let type = object["type"]?.stringValue, !type.isEmpty,
              let displayName = object["display_name"]?.stringValue, !displayName.isEmpty
        else { throw .invalidBody() }
        if let destination = object["destination_id"] {
            guard case .integer = destination else { throw .invalidBody() }
        }
        switch object["name"] {
        case nil: explicitName = nil
        case .string(let name)?: explicitName = name
        case _?: throw .invalidBody()
        }
        self.type = type
        self.displayName = displayName
        properties = try propertyAssignments(object["properties"], invalid: .invalidBody())
    }
}

/// A `PUT /v4/sources/{id}` body whose shape has been checked: rename, set some properties,
/// pause or unpause (spec §2.5.6).
struct SourceUpdate {
    enum Pause {
        case pause(at: String)
        case unpause
    }

    var displayName: String?
    var properties: PropertyAssignments?
    var pause: Pause?

    init(body: JSONValue) throws(ConnectError) {
        // `destination_id` is in the docs' argument table though not in the error text; it is
        // accepted as an integer and ignored, as on create.
        guard let object = body.objectValue,
              object.keys.allSatisfy(["display_name", "properties", "paused_at", "destination_id"].contains)
        else { throw .invalidBody("PUT body may only include display_name, properties and paused_at") }
        if let destination = object["destination_id"] {
            guard case .integer = destination else { throw .invalidBody("destination_id must be an integer") }
        }
        if let value = object["display_name"] {
            guard let displayName = value.stringValue, !displayName.isEmpty else {
                throw ConnectError(status: 400, code: "InvalidDisplayName",
                                   message: "invalid display_name (\(value.stringValue ?? value.jsonText))")
            }
            self.displayName = displayName
        }
        if let value = object["properties"] {
            properties = try propertyAssignments(
                value, invalid: .invalidBody("properties must be a map of string values"))
        }
        switch object["paused_at"] {
        case .none: pause = nil
        case .null?: pause = .unpause
        // Any ISO-8601 timestamp pauses at once, and the reply echoes what was sent (spec §2.5.6).
        case .string(let timestamp)? where UTCTimestamp(iso8601: timestamp) != nil: pause = .pause(at: timestamp)
        case let other?:
            throw .invalidBody("paused_at must be an ISO-8601 timestamp or null, not \(other.jsonText)")
        }
    }
}

private func propertyAssignments(_ value: JSONValue?, invalid: ConnectError) throws(ConnectError)
    -> PropertyAssignments
{
    guard let value else { return [] }
    guard let object = value.objectValue else { throw invalid }
    var result: PropertyAssignments = []
    for (key, member) in object.members {
        guard let string = member.stringValue else { throw invalid }
        result.append((key, string))
    }
    return result
}
