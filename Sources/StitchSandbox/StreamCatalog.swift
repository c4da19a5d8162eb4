import StitchAPI

/// What a source type's simulated discovery (`discover_schema`) finds: a fixed set of streams
/// shaped like the docs' examples for database and SaaS sources (`list-streams-v4.md`).
struct StreamDiscovery: Sendable {
    enum Style: Sendable {
        /// `tap_stream_id` is `<database>-<schema>-<table>`; metadata names the database and
        /// schema, and the user picks the replication method.
        case database
        /// `tap_stream_id` is the stream name; the tap forces incremental replication.
        case saas
    }

    var style: Style
    var streams: [StreamTemplate]

    static let nothing = StreamDiscovery(style: .saas, streams: [])
}

/// One stream (table) a discovery finds, with its JSON Schema.
struct StreamTemplate: Sendable {
    var name: String
    var keyProperties: [String]
    /// SaaS: `valid-replication-keys`, and those fields are always replicated (`automatic`).
    var replicationKeys: [String] = []
    var isView = false
    var fields: [(name: String, schema: JSONValue)]

    /// The stream's schema as the schema endpoint serialises it (an object schema, nullable fields).
    var schema: JSONValue {
        .object(JSONObject([
            ("type", "object"),
            ("properties", .object(JSONObject(fields.map { ($0.name, $0.schema) }))),
        ]))
    }

    func hasField(_ name: String) -> Bool { fields.contains { $0.name == name } }

    /// `automatic` fields are always replicated: keys, and a SaaS tap's replication keys.
    func isAutomatic(_ field: String) -> Bool { keyProperties.contains(field) || replicationKeys.contains(field) }
}

/// The field schemas the catalogs use; every field is nullable, as taps declare them.
enum FieldSchema {
    static let integer: JSONValue = ["type": ["null", "integer"]]
    static let number: JSONValue = ["type": ["null", "number"]]
    static let string: JSONValue = ["type": ["null", "string"]]
    static let boolean: JSONValue = ["type": ["null", "boolean"]]
    static let dateTime: JSONValue = ["type": ["null", "string"], "format": "date-time"]

    /// The PostgreSQL type a database tap reports as `sql-datatype` for a field schema.
    static func sqlDataType(of schema: JSONValue) -> String {
        if schema["format"] == "date-time" { return "timestamp with time zone" }
        let types = schema["type"]?.arrayValue ?? []
        if types.contains("integer") { return "integer" }
        if types.contains("number") { return "numeric" }
        if types.contains("boolean") { return "boolean" }
        return "text"
    }
}

/// The streams each simulated source type discovers.
enum StreamCatalog {
    /// A small shop database: two tables and a view.
    static let postgres = StreamDiscovery(style: .database, streams: [
        StreamTemplate(name: "customers", keyProperties: ["id"], fields: [
            ("id", FieldSchema.integer), ("name", FieldSchema.string), ("email", FieldSchema.string),
            ("has_magic", FieldSchema.boolean), ("updated_at", FieldSchema.dateTime),
        ]),
        StreamTemplate(name: "orders", keyProperties: ["id"], fields: [
            ("id", FieldSchema.integer), ("customer_id", FieldSchema.integer), ("total", FieldSchema.number),
            ("status", FieldSchema.string), ("updated_at", FieldSchema.dateTime),
        ]),
        StreamTemplate(name: "customer_view", keyProperties: [], isView: true, fields: [
            ("id", FieldSchema.integer), ("name", FieldSchema.string), ("order_count", FieldSchema.integer),
        ]),
    ])

    /// A few of tap-hubspot's streams, with its key and replication-key names.
    static let hubspot = StreamDiscovery(style: .saas, streams: [
        StreamTemplate(name: "companies", keyProperties: ["companyId"], replicationKeys: ["hs_lastmodifieddate"],
                       fields: [
                           ("companyId", FieldSchema.integer), ("portalId", FieldSchema.integer),
                           ("name", FieldSchema.string), ("hs_lastmodifieddate", FieldSchema.dateTime),
                       ]),
        StreamTemplate(name: "contacts", keyProperties: ["vid"], replicationKeys: ["versionTimestamp"], fields: [
            ("vid", FieldSchema.integer), ("email", FieldSchema.string), ("firstname", FieldSchema.string),
            ("lastname", FieldSchema.string), ("versionTimestamp", FieldSchema.dateTime),
        ]),
        StreamTemplate(name: "deals", keyProperties: ["dealId"], replicationKeys: ["hs_lastmodifieddate"], fields: [
            ("dealId", FieldSchema.integer), ("dealname", FieldSchema.string), ("amount", FieldSchema.number),
            ("hs_lastmodifieddate", FieldSchema.dateTime),
        ]),
    ])

    /// A few of tap-closeio's streams.
    static let closeio = StreamDiscovery(style: .saas, streams: [
        StreamTemplate(name: "activities", keyProperties: ["id"], replicationKeys: ["date_created"], fields: [
            ("id", FieldSchema.string), ("lead_id", FieldSchema.string), ("type", FieldSchema.string),
            ("date_created", FieldSchema.dateTime),
        ]),
        StreamTemplate(name: "leads", keyProperties: ["id"], replicationKeys: ["date_updated"], fields: [
            ("id", FieldSchema.string), ("display_name", FieldSchema.string), ("status_label", FieldSchema.string),
            ("date_updated", FieldSchema.dateTime),
        ]),
    ])
}
