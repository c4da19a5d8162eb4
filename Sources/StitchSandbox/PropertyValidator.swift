import StitchAPI

/// Checks the `properties` of `POST`/`PUT /v4/sources` against the type's card, giving the
/// names that `InvalidProperties` lists in `data.bad_properties` (spec §2.5.3).
enum PropertyValidator {
    /// The names of the properties the card refuses, sorted. A property is refused when:
    /// - the card has no such property [?] (a real form schema refuses unknown keys; which
    ///   error Stitch gives is undocumented, and `InvalidProperties` names the culprit);
    /// - it is `read_only` [?] (documented as "not settable"; refused rather than silently
    ///   ignored, so a client learns that its value was not taken);
    /// - its value is the empty string (documented);
    /// - its value does not conform to the property's `json_schema` (documented).
    static func badProperties(_ values: [(name: String, value: String)], of definition: SourceTypeDefinition)
        -> [String]
    {
        var bad: Set<String> = []
        for (name, value) in values {
            guard let property = definition.property(named: name), !property.isReadOnly, !value.isEmpty,
                  conforms(value, to: property.jsonSchema)
            else {
                bad.insert(name)
                continue
            }
        }
        return bad.sorted()
    }

    /// Form values are strings even where the schema declares another type: the docs'
    /// `heroku_pg` source has `port` with `json_schema {"type":"integer"}` and the value `"5432"`.
    /// So a string that reads as the declared scalar type is checked as that value [I].
    static func conforms(_ value: String, to schemaJSON: JSONValue?) -> Bool {
        guard let schemaJSON, schemaJSON != .null else { return true }
        // The catalog's schemas are fixed and loaded by a test; one that failed to load would
        // otherwise make its property impossible to set, so it checks nothing instead.
        guard let schema = try? JSONSchema(schemaJSON) else { return true }
        return schema.conforms(candidate(value, for: schema))
    }

    private static func candidate(_ value: String, for schema: JSONSchema) -> JSONValue {
        let types = schema.nonNullTypes
        if types.isEmpty || types.contains("string") { return .string(value) }
        if types.contains("integer"), let integer = Int64(value) { return .integer(integer) }
        if types.contains("number"), let number = Double(value), number.isFinite { return .number(number) }
        if types.contains("boolean"), value == "true" || value == "false" { return .bool(value == "true") }
        return .string(value)
    }
}
