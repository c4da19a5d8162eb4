import StitchAPI

/// Validates a parsed `POST /v2/import/batch` body in the order of spec §7.3, steps 6 to 9,
/// with the gate's documented messages. Each check stops at the first failure.
enum BatchValidator {
    static let maximumMessages = 20_000
    static let requiredKeys = ["table_name", "schema", "messages"]
    /// The documented keys plus what target-stitch sends (spec §3.9).
    static let allowedKeys: Set<String> = ["table_name", "schema", "messages", "key_names", "table_version",
                                           "bookmark_names"]

    /// The text of the 400 reply's `error`, or nil when the batch is acceptable.
    static func problem(with body: JSONValue) -> String? {
        if let message = envelopeProblem(body) { return "Request failed validation:" + message }
        guard let object = body.objectValue, let schema = object["schema"] else { return nil }
        if let message = schemaProblem(schema) { return "Invalid JSON schema: " + message }
        let keyNames = object["key_names"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let properties = schema["properties"]?.objectValue ?? JSONObject()
        // Each key must be a top-level property (spec §3.3); the real error text is undocumented [?].
        if let key = keyNames.first(where: { properties[$0] == nil }) {
            return "Request failed validation:#/key_names: key [\(key)] is not a top-level property of the schema"
        }
        let validator = RecordValidator(schema: schema)
        for (index, message) in (object["messages"]?.arrayValue ?? []).enumerated() {
            guard let data = message["data"] else { continue }
            let violations = validator.violations(of: data)
            if !violations.isEmpty { return RecordValidator.report(recordIndex: index, violations: violations) }
            for key in keyNames where data[key] == nil || data[key] == .null {
                return "Record is missing key property \(key)"
            }
        }
        return nil
    }

    /// Everit-style `<pointer>: <message>` for the request envelope, without the prefix.
    private static func envelopeProblem(_ body: JSONValue) -> String? {
        guard let object = body.objectValue else {
            return "#: expected type: JSONObject, found: \(JSONTypeNames.found(body))"
        }
        for key in requiredKeys where object[key] == nil { return "#: required key [\(key)] not found" }
        if let key = object.keys.first(where: { !allowedKeys.contains($0) }) {
            return "#: extraneous key [\(key)] is not permitted"
        }
        let typeChecks: [(String, String)] = [
            ("table_name", "string"), ("schema", "object"), ("messages", "array"), ("key_names", "array"),
            ("table_version", "integer"), ("bookmark_names", "array"),
        ]
        for (key, type) in typeChecks {
            guard let value = object[key], !JSONTypeNames.value(value, isOfType: type) else { continue }
            return "#/\(key): expected type: \(JSONTypeNames.expected(type)), found: \(JSONTypeNames.found(value))"
        }
        if object["table_name"] == .string("") { return "#/table_name: expected minLength: 1, actual: 0" }
        for key in ["key_names", "bookmark_names"] {
            for (index, element) in (object[key]?.arrayValue ?? []).enumerated() where element.stringValue == nil {
                return "#/\(key)/\(index): expected type: String, found: \(JSONTypeNames.found(element))"
            }
        }
        if case .number = object["table_version"] { return "#/table_version: expected type: Integer, found: BigInteger" }
        let messages = object["messages"]?.arrayValue ?? []
        if messages.isEmpty { return "#/messages: expected minimum item count: 1, found: 0" }
        if messages.count > maximumMessages {
            return "#/messages: expected maximum item count: \(maximumMessages), found: \(messages.count)"
        }
        for (index, message) in messages.enumerated() {
            if let problem = messageProblem(message, at: "#/messages/\(index)") { return problem }
        }
        return nil
    }

    /// A message is an upsert (`action`, `sequence`, `data`, optional `time_extracted`) or an
    /// `activate_version` (`action`, `sequence`). The gate reports a `oneOf` failure with all its
    /// branches' causes; this reports the first cause only [?].
    private static func messageProblem(_ message: JSONValue, at pointer: String) -> String? {
        guard let object = message.objectValue else {
            return "\(pointer): expected type: JSONObject, found: \(JSONTypeNames.found(message))"
        }
        guard let actionValue = object["action"] else { return "\(pointer): required key [action] not found" }
        guard let action = actionValue.stringValue else {
            return "\(pointer)/action: expected type: String, found: \(JSONTypeNames.found(actionValue))"
        }
        let required: [String]
        let allowed: Set<String>
        switch action {
        case "upsert":
            required = ["sequence", "data"]
            allowed = ["action", "sequence", "data", "time_extracted"]
        case "activate_version":
            required = ["sequence"]
            allowed = ["action", "sequence"]
        default:
            return "\(pointer)/action: \(actionValue.jsonText) is not a valid enum value"
        }
        for key in required where object[key] == nil { return "\(pointer): required key [\(key)] not found" }
        if let key = object.keys.first(where: { !allowed.contains($0) }) {
            return "\(pointer): extraneous key [\(key)] is not permitted"
        }
        switch object["sequence"] {
        case .integer?: break
        case .number(let number)? where number.rounded() == number && number >= 9.223372036854775807e18:
            return "#: sequence can not be above \(Int64.max)"
        case let other?:
            return "\(pointer)/sequence: expected type: Integer, found: \(JSONTypeNames.found(other))"
        case nil: break
        }
        if let data = object["data"], data.objectValue == nil {
            return "\(pointer)/data: expected type: JSONObject, found: \(JSONTypeNames.found(data))"
        }
        if let extracted = object["time_extracted"], extracted.stringValue == nil {
            return "\(pointer)/time_extracted: expected type: String, found: \(JSONTypeNames.found(extracted))"
        }
        return nil
    }

    /// Unknown JSON types anywhere in the schema make it invalid (spec §3.3).
    private static func schemaProblem(_ schema: JSONValue) -> String? {
        switch schema {
        case .object(let object):
            var types: [JSONValue] = []
            switch object["type"] {
            case .string?: types = [object["type"] ?? .null]
            case .array(let list)?: types = list
            default: break
            }
            for type in types {
                guard let name = type.stringValue, JSONTypeNames.knownTypes.contains(name) else {
                    return "unknown type: [\(type.stringValue ?? type.jsonText)]"
                }
            }
            for (key, member) in object.members where !["enum", "const", "default", "examples"].contains(key) {
                if let problem = schemaProblem(member) { return problem }
            }
            return nil
        case .array(let elements):
            for element in elements { if let problem = schemaProblem(element) { return problem } }
            return nil
        default:
            return nil
        }
    }
}
