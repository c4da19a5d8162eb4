/// The checks `POST /v2/import/batch` applies to a batch's schema, keys and records (spec §3.3,
/// §7.3 steps 8 and 9), with the gate's texts, for clients that check a batch before sending it
/// (`push --dry-run`). The first failing check wins, as at the gate.
///
/// The sandbox's `BatchValidator` applies these same functions, adding its own pattern budget.
public enum BatchRecordRules {
    /// The 400 text for a batch body (parsed), or nil when its schema, keys and records pass.
    /// The envelope itself (required keys, types) is assumed well-formed, as a client builds it.
    public static func problem(with request: BatchRequest) -> String? {
        let schema: JSONSchema
        do throws(JSONSchemaError) {
            schema = try JSONSchema(request.schema)
        } catch {
            return "Invalid JSON schema: \(error.message)"
        }
        let keyNames = request.keyNames ?? []
        if let problem = keyNameProblem(keyNames, schema: schema) { return problem }
        for (index, message) in request.messages.enumerated() {
            guard let data = message.data else { continue }
            if let problem = recordProblem(.object(data), at: index, schema: schema, keyNames: keyNames) { return problem }
        }
        return nil
    }

    /// Key properties must be top-level properties of the schema. The gate's text is undocumented [?].
    public static func keyNameProblem(_ keyNames: [String], schema: JSONSchema) -> String? {
        let properties = Set(schema.properties.map(\.name))
        guard let key = keyNames.first(where: { !properties.contains($0) }) else { return nil }
        return "Request failed validation:#/key_names: key [\(key)] is not a top-level property of the schema"
    }

    /// Data points, then the schema, then the keys of record `index`.
    public static func recordProblem(_ data: JSONValue, at index: Int, schema: JSONSchema, keyNames: [String]) -> String? {
        if let problem = dataPointsProblem(data, at: index) { return problem }
        if let problem = schemaProblem(schema.validate(data), at: index) { return problem }
        for key in keyNames {
            if let problem = keyValueProblem(key: key, value: data[key], at: index) { return problem }
        }
        return nil
    }

    /// Checked before the schema, so an oversized record is refused without validating all of it.
    /// Undocumented text [?].
    public static func dataPointsProblem(_ data: JSONValue, at index: Int) -> String? {
        guard DataPoints.count(in: data) > DataPoints.maximumPerRecord else { return nil }
        return "Record \(index) has more than \(DataPoints.maximumPerRecord) data points, the most a record may have"
    }

    /// One line per violation, each ending in a newline, as in Stitch's replies (spec §3.3).
    public static func schemaProblem(_ violations: [SchemaViolation], at index: Int) -> String? {
        guard !violations.isEmpty else { return nil }
        return "Record \(index) did not conform to schema:\n" + JSONSchema.report(violations) + "\n"
    }

    /// A key value must be present, not null, and a string key shorter than 256 UTF-16 units
    /// (counted in UTF-16 units, as the JVM gate's String.length() does [?]; undocumented text [?]).
    public static func keyValueProblem(key: String, value: JSONValue?, at index: Int) -> String? {
        switch value {
        case nil, .null?:
            return "Record is missing key property \(key)"
        case .string(let text)? where text.utf16.count > ImportLimits.maximumStringKeyLength:
            return "Record \(index) key property \(key) is \(text.utf16.count) characters long; string key values must be shorter than \(ImportLimits.maximumStringKeyLength + 1) characters"
        default:
            return nil
        }
    }
}
