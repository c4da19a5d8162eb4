import StitchAPI

/// The JSON of `GET /v4/sources/{id}/streams` and `GET /v4/sources/{id}/streams/{stream_id}`,
/// shaped like the docs' examples (`list-streams-v4.md`, `retrieve-a-streams-schema-v4.md`),
/// through StitchAPI's `SourceStream` and `StreamSchema`: the types clients decode.
struct StreamPresentation {
    /// The metadata keys a client may set; the rest is discovered (documented list).
    static let nonDiscoverableKeys = ["selected", "replication-method", "replication-key", "view-key-properties"]

    var record: StreamRecord
    var template: StreamTemplate
    var style: StreamDiscovery.Style

    /// One element of the stream list.
    var stream: SourceStream {
        SourceStream(streamID: record.streamID, tapStreamID: record.tapStreamID, streamName: record.streamName,
                     selected: record.selected, metadata: streamMetadata)
    }

    var listEntry: JSONValue { HTTPReplies.jsonValue(of: stream) }

    /// The stream schema object. `schema` is a string holding JSON, as in the docs' example.
    var schema: StreamSchema {
        var entries: [StreamMetadataEntry] = [.stream(streamMetadata)]
        for field in template.fields {
            var metadata = JSONObject()
            metadata["inclusion"] = template.isAutomatic(field.name) ? "automatic" : "available"
            metadata["selected"] = .bool(record.selectedFields[field.name] ?? false)
            if style == .database { metadata["sql-datatype"] = .string(FieldSchema.sqlDataType(of: field.schema)) }
            entries.append(StreamMetadataEntry(breadcrumb: ["properties", field.name], metadata: metadata))
        }
        return StreamSchema(schema: template.schema, metadata: entries,
                            nonDiscoverableMetadataKeys: Self.nonDiscoverableKeys)
    }

    var schemaReply: JSONValue { HTTPReplies.jsonValue(of: schema) }

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
