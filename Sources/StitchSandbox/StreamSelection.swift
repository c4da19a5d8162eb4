import StitchAPI

/// `PUT /v4/sources/{id}/streams/metadata`: reads the body and applies it to a source's
/// discovered streams, all or nothing.
///
/// Documented: the body shape, the error for a missing or unknown `tap_stream_id`, and the
/// error for keys that are not `non-discoverable-metadata-keys`. Undocumented [?], chosen
/// here in the same `invalid_fields` shape: a breadcrumb naming no field, and values of the
/// wrong kind (`selected` not a boolean, an unknown `replication-method`, a `replication-key`
/// or `view-key-properties` naming no field).
enum StreamSelection {
    struct Update {
        var tapStreamID: String?
        /// StitchAPI's entry type, the one clients send.
        var entries: [StreamMetadataEntry]
    }

    static let replicationMethods: Set<String> = ["FULL_TABLE", "INCREMENTAL", "LOG_BASED"]

    static func parse(_ body: JSONValue) throws(StreamError) -> [Update] {
        guard let streams = body["streams"]?.arrayValue else { throw .malformedBody }
        var updates: [Update] = []
        for stream in streams {
            guard let entries = stream["metadata"]?.arrayValue else { throw .malformedBody }
            var update = Update(tapStreamID: stream["tap_stream_id"]?.stringValue, entries: [])
            for entry in entries {
                guard let crumbs = entry["breadcrumb"]?.arrayValue, let metadata = entry["metadata"]?.objectValue
                else { throw .malformedBody }
                let breadcrumb = crumbs.compactMap(\.stringValue)
                guard breadcrumb.count == crumbs.count else { throw .malformedBody }
                update.entries.append(StreamMetadataEntry(breadcrumb: breadcrumb, metadata: metadata))
            }
            updates.append(update)
        }
        return updates
    }

    /// Applies `updates` to `streams` (found by `tap_stream_id`), or throws and changes nothing.
    static func apply(_ updates: [Update], to streams: inout [StreamRecord], templates: [StreamTemplate])
        throws(StreamError)
    {
        let unknown = updates.compactMap { update -> String? in
            guard let id = update.tapStreamID else { return "nil" }
            return streams.contains { $0.tapStreamID == id } ? nil : id
        }
        // Clojure's vector printing, two spaces included, as documented.
        if !unknown.isEmpty { throw .invalidFields("invalid tap-stream-ids:  [\(unknown.joined(separator: " "))]") }

        var result = streams
        for update in updates {
            guard let index = result.firstIndex(where: { $0.tapStreamID == update.tapStreamID }),
                  let template = templates.first(where: { $0.name == result[index].streamName })
            else { continue }
            for entry in update.entries {
                try apply(entry, to: &result[index], template: template)
            }
        }
        streams = result
    }

    private static func apply(_ entry: StreamMetadataEntry, to stream: inout StreamRecord,
                              template: StreamTemplate) throws(StreamError) {
        let allowed: [String]
        var field: String?
        switch entry.breadcrumb.count {
        case 0:
            allowed = StreamPresentation.nonDiscoverableKeys
        case 2 where entry.breadcrumb[0] == "properties" && template.hasField(entry.breadcrumb[1]):
            allowed = ["selected"]
            field = entry.breadcrumb[1]
        default:
            throw .invalidFields("invalid breadcrumb for \(stream.tapStreamID): \(JSONValue.array(entry.breadcrumb.map(JSONValue.string)).jsonText)")
        }
        let refused = entry.metadata.keys.filter { !allowed.contains($0) }
        if !refused.isEmpty {
            // Clojure's set printing, as documented: #{"row-count" "is-view"}.
            let set = refused.map { "\"\($0)\"" }.joined(separator: " ")
            throw .invalidFields("only non-discoverable metadata can be produced by the UI: #{\(set)}")
        }
        for (key, value) in entry.metadata.members {
            guard isValid(value, for: key, template: template) else {
                throw .invalidFields("invalid value for \(key) in \(stream.tapStreamID): \(value.jsonText)")
            }
            if let field {
                if case .bool(let selected) = value { stream.selectedFields[field] = selected }
            } else {
                stream.chosenMetadata[key] = value
            }
        }
    }

    private static func isValid(_ value: JSONValue, for key: String, template: StreamTemplate) -> Bool {
        switch (key, value) {
        case ("selected", .bool): true
        case ("replication-method", .string(let method)): replicationMethods.contains(method)
        case ("replication-key", .string(let field)): template.hasField(field)
        case ("view-key-properties", .array(let fields)):
            fields.allSatisfy { $0.stringValue.map(template.hasField) ?? false }
        default: false
        }
    }
}
