import StitchAPI

/// The JSON of `GET /v4/sources/{id}/streams` and `GET /v4/sources/{id}/streams/{stream_id}`,
/// shaped like the docs' examples (`list-streams-v4.md`, `retrieve-a-streams-schema-v4.md`).
struct StreamPresentation {
    /// The metadata keys a client may set; the rest is discovered (documented list).
    static let nonDiscoverableKeys = ["selected", "replication-method", "replication-key", "view-key-properties"]

    var record: StreamRecord
    var template: StreamTemplate
    var style: StreamDiscovery.Style

    /// One element of the stream list.
    var listEntry: JSONValue {
        .object(JSONObject([
            ("selected", record.selected.map(JSONValue.bool) ?? .null),
            ("stream_id", .integer(Int64(record.streamID))),
            ("tap_stream_id", .string(record.tapStreamID)),
            ("stream_name", .string(record.streamName)),
            ("metadata", .object(streamMetadata)),
        ]))
    }

    /// The stream schema object. `schema` is a string holding JSON, as in the docs' example.
    var schemaReply: JSONValue {
        var entries: [JSONValue] = [["breadcrumb": [], "metadata": .object(streamMetadata)]]
        for field in template.fields {
            var metadata = JSONObject()
            metadata["inclusion"] = template.isAutomatic(field.name) ? "automatic" : "available"
            metadata["selected"] = .bool(record.selectedFields[field.name] ?? false)
            if style == .database { metadata["sql-datatype"] = .string(FieldSchema.sqlDataType(of: field.schema)) }
            entries.append(["breadcrumb": ["properties", .string(field.name)], "metadata": .object(metadata)])
        }
        return .object(JSONObject([
            ("schema", .string(template.schema.jsonText)),
            ("metadata", .array(entries)),
            ("non-discoverable-metadata-keys", .array(Self.nonDiscoverableKeys.map(JSONValue.string))),
        ]))
    }

    /// Stream-level metadata: what discovery found plus what the user chose, keys in the
    /// alphabetical order of the docs' examples.
    private var streamMetadata: JSONObject {
        var members: [String: JSONValue] = [:]
        switch style {
        case .database:
            members["database-name"] = record.databaseName.map(JSONValue.string) ?? .null
            members["is-view"] = .bool(template.isView)
            // The sandbox reads no real database, so it reports no rows.
            members["row-count"] = 0
            members["schema-name"] = "public"
        case .saas:
            members["forced-replication-method"] = "INCREMENTAL"
            members["valid-replication-keys"] = .array(template.replicationKeys.map(JSONValue.string))
        }
        members["table-key-properties"] = .array(template.keyProperties.map(JSONValue.string))
        for (key, value) in record.chosenMetadata { members[key] = value }
        members["selected"] = record.selected.map(JSONValue.bool) ?? .null
        return JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
