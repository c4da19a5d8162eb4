import StitchAPI

/// The schema the gate checks a `POST /v2/import/batch` body against before looking at its records
/// (spec §3.3, §7.3 step 6). It is a reconstruction [I]: the gate's messages are everit's
/// ("required key [...] not found", "extraneous key [...] is not permitted", "N subschemas matched
/// instead of one"), so running this schema through StitchAPI's everit-style validator yields the
/// documented texts, including their exact order.
///
/// - Top level: the documented keys plus what target-stitch sends (`table_version`, `bookmark_names`;
///   §3.9), nothing else: the gate rejects unknown keys, which is how that allow-list was inferred.
/// - Each message is `oneOf` an `activate_version` message (no data) and an upsert. The branch order
///   reproduces the docs' example for a message lacking a required key:
///   `#/messages/0: #: 0 subschemas matched instead of one #/messages/0: 2 schema violations found
///   #/messages/0: required key [action] not found #/messages/0: extraneous key [data] is not permitted
///   #/messages/0: required key [action] not found` — the two-violation branch (activate_version, which
///   forbids `data`) comes first.
/// - `time_extracted` must be a date-time: the loader turns it into `_sdc_extracted_at`, and a value
///   that cannot load must not get a 201.
/// - The 20,000-message maximum is checked before this schema (see `BatchValidator`), so that a huge
///   array is refused without validating every element.
enum BatchEnvelopeSchema {
    static let json: JSONValue = [
        "type": "object",
        "properties": [
            "table_name": ["type": "string", "minLength": 1],
            "schema": ["type": "object"],
            "messages": ["type": "array", "minItems": 1, "items": ["oneOf": [activateVersionMessage, upsertMessage]]],
            "key_names": ["type": "array", "items": ["type": "string"]],
            "table_version": ["type": "integer"],
            "bookmark_names": ["type": "array", "items": ["type": "string"]],
        ],
        "required": ["table_name", "schema", "messages"],
        "additionalProperties": false,
    ]

    static let activateVersionMessage: JSONValue = [
        "type": "object",
        "properties": [
            "action": ["enum": ["activate_version"]],
            "sequence": ["type": "integer"],
        ],
        "required": ["action", "sequence"],
        "additionalProperties": false,
    ]

    static let upsertMessage: JSONValue = [
        "type": "object",
        "properties": [
            "action": ["enum": ["upsert"]],
            "sequence": ["type": "integer"],
            "data": ["type": "object"],
            "time_extracted": ["type": "string", "format": "date-time"],
        ],
        "required": ["action", "sequence", "data"],
        "additionalProperties": false,
    ]

    /// Loaded once. The schema is a constant of this file and a test loads it, so failing here is a
    /// programming error, not a request's.
    static let schema = load(json)

    /// The same schema without the per-message `oneOf`. Checking 20,000 messages through `oneOf` costs
    /// as much as checking their records; for messages that `isPlainlyValid` vouches for, the `items`
    /// rule can only pass, so this schema gives the same findings for less.
    static let schemaWithoutMessageItems: JSONSchema = {
        guard case .object(var envelope) = json, case .object(var properties)? = envelope["properties"],
              case .object(var messages)? = properties["messages"] else {
            preconditionFailure("The batch envelope schema has no messages property")
        }
        messages["items"] = nil
        properties["messages"] = .object(messages)
        envelope["properties"] = .object(properties)
        return load(.object(envelope))
    }()

    /// True only for a message that matches exactly one `oneOf` branch of `json`: an upsert with an
    /// integer sequence, an object `data` and at most a date-time `time_extracted`, or a bare
    /// activate_version. False means "check it with the full schema", not "invalid".
    static func isPlainlyValid(_ message: JSONValue) -> Bool {
        guard case .object(let object) = message, case .integer? = object["sequence"] else { return false }
        switch object["action"] {
        case "upsert"?:
            guard case .object? = object["data"] else { return false }
            switch object["time_extracted"] {
            case nil: return object.count == 3
            case .string(let text)?: return object.count == 4 && DateTimeValue(parsing: text) != nil
            default: return false
            }
        case "activate_version"?:
            return object.count == 2
        default:
            return false
        }
    }

    private static func load(_ json: JSONValue) -> JSONSchema {
        do {
            return try JSONSchema(json)
        } catch {
            preconditionFailure("The batch envelope schema does not load: \(error)")
        }
    }
}
