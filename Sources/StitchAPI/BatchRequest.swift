/// Body of `POST /v2/import/batch` (spec §3.3): one table, a JSON Schema, and its messages.
public struct BatchRequest: Sendable, Hashable {
    public var tableName: String
    public var schema: JSONValue
    public var messages: [BatchMessage]
    /// Optional on the wire [?]: absent means append-only. Sent by every real client.
    public var keyNames: [String]?
    public var tableVersion: Int64?
    public var bookmarkNames: [String]?

    public init(tableName: String, schema: JSONValue, messages: [BatchMessage], keyNames: [String]? = nil,
                tableVersion: Int64? = nil, bookmarkNames: [String]? = nil) {
        self.tableName = tableName
        self.schema = schema
        self.messages = messages
        self.keyNames = keyNames
        self.tableVersion = tableVersion
        self.bookmarkNames = bookmarkNames
    }

    /// The JSON body, keys in the order the docs show them.
    public var json: JSONValue {
        var object = JSONObject()
        object["table_name"] = .string(tableName)
        object["schema"] = schema
        object["messages"] = .array(messages.map(\.json))
        if let keyNames { object["key_names"] = .array(keyNames.map(JSONValue.string)) }
        if let tableVersion { object["table_version"] = .integer(tableVersion) }
        if let bookmarkNames { object["bookmark_names"] = .array(bookmarkNames.map(JSONValue.string)) }
        return .object(object)
    }

    /// Reads a body leniently, for clients that hold one: structural checks only. The sandbox
    /// validates bodies itself with the documented messages.
    public init(json: JSONValue) throws(BatchRequestShapeError) {
        guard let object = json.objectValue else { throw .init("The batch must be a JSON object") }
        guard let tableName = object["table_name"]?.stringValue, !tableName.isEmpty else {
            throw .init("table_name must be a non-empty string")
        }
        guard let schema = object["schema"], schema.objectValue != nil else { throw .init("schema must be an object") }
        guard let rawMessages = object["messages"]?.arrayValue else { throw .init("messages must be an array") }
        var messages: [BatchMessage] = []
        for (index, raw) in rawMessages.enumerated() {
            guard let message = BatchMessage(json: raw) else {
                throw .init("messages[\(index)] needs an action, an integer sequence and, for upsert, a data object")
            }
            messages.append(message)
        }
        var keyNames: [String]?
        if let rawKeys = object["key_names"] {
            guard let keys = rawKeys.arrayValue?.compactMap(\.stringValue), keys.count == rawKeys.arrayValue?.count
            else { throw .init("key_names must be an array of strings") }
            keyNames = keys
        }
        var tableVersion: Int64?
        if let rawVersion = object["table_version"] {
            guard case .integer(let version) = rawVersion else { throw .init("table_version must be an integer") }
            tableVersion = version
        }
        self.init(tableName: tableName, schema: schema, messages: messages, keyNames: keyNames,
                  tableVersion: tableVersion,
                  bookmarkNames: object["bookmark_names"]?.arrayValue?.compactMap(\.stringValue))
    }
}

public struct BatchRequestShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One message of a batch: an upsert with data, or target-stitch's `activate_version`.
public struct BatchMessage: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case upsert
        case activateVersion = "activate_version"
    }

    public var action: Action
    public var sequence: Int64
    public var data: JSONObject?
    public var timeExtracted: String?

    public init(action: Action = .upsert, sequence: Int64, data: JSONObject?, timeExtracted: String? = nil) {
        self.action = action
        self.sequence = sequence
        self.data = data
        self.timeExtracted = timeExtracted
    }

    public init?(json: JSONValue) {
        guard let object = json.objectValue,
              let action = object["action"]?.stringValue.flatMap(Action.init(rawValue:)),
              case .integer(let sequence) = object["sequence"] else { return nil }
        let data = object["data"]?.objectValue
        if action == .upsert && data == nil { return nil }
        self.init(action: action, sequence: sequence, data: data, timeExtracted: object["time_extracted"]?.stringValue)
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["action"] = .string(action.rawValue)
        object["sequence"] = .integer(sequence)
        if let data { object["data"] = .object(data) }
        if let timeExtracted { object["time_extracted"] = .string(timeExtracted) }
        return .object(object)
    }
}

/// The Import API's success body: `{"status":"OK","message":"Batch Accepted!"}` for 201,
/// `{"status":"Accepted","message":"The batch is queued to be processed."}` for 202.
public struct BatchStatus: Codable, Sendable, Hashable {
    public var status: String
    public var message: String

    public init(status: String, message: String) {
        self.status = status
        self.message = message
    }

    public static let accepted = BatchStatus(status: "OK", message: "Batch Accepted!")
    public static let queued = BatchStatus(status: "Accepted", message: "The batch is queued to be processed.")
}

/// `GET /v2/import/status` (spec §3.2).
public struct ImportAPIStatus: Codable, Sendable, Hashable {
    public var name: String
    public var version: String?
    public var revision: String?
    public var status: String
    public var reason: String?

    public init(name: String = "pipeline.gate", version: String? = nil, revision: String? = nil,
                status: String = "OK", reason: String? = nil) {
        self.name = name
        self.version = version
        self.revision = revision
        self.status = status
        self.reason = reason
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(revision, forKey: .revision)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
    }
}
