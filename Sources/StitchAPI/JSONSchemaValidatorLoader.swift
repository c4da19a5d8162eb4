/// Checks a schema document keyword by keyword and builds its `SchemaNode` tree. The first problem wins,
/// worded like everit's `SchemaException`s ("unknown type: [foo]",
/// "key x: expected type is one of JSONObject, found: Boolean").
struct SchemaLoader {
    /// One compiled regex per distinct pattern text in the document.
    private var patterns: [String: SchemaPattern] = [:]

    /// `key` names where the schema sits, for messages: the property name, or the keyword holding it.
    mutating func load(_ json: JSONValue, key: String) throws(JSONSchemaError) -> SchemaNode {
        guard case .object(let object) = json else { throw .wrongType(key: key, expected: ["JSONObject"], found: json) }
        if object["$ref"] != nil { throw JSONSchemaError("unsupported keyword $ref") }

        let types = try loadTypes(object["type"])

        var properties: [PropertySchema] = []
        if let raw = object["properties"] {
            guard case .object(let members) = raw else {
                throw .wrongType(key: "properties", expected: ["JSONObject"], found: raw)
            }
            for (name, subschema) in members.members {
                properties.append(PropertySchema(name: name, schema: try load(subschema, key: name)))
            }
        }
        var patternProperties: [PatternPropertySchema] = []
        if let raw = object["patternProperties"] {
            guard case .object(let members) = raw else {
                throw .wrongType(key: "patternProperties", expected: ["JSONObject"], found: raw)
            }
            for (source, subschema) in members.members {
                let pattern = try compile(source)
                patternProperties.append(PatternPropertySchema(pattern: pattern, schema: try load(subschema, key: source)))
            }
        }

        var items: ItemsRule?
        switch object["items"] {
        case nil: items = nil
        case let single? where single.objectValue != nil: items = .uniform(try load(single, key: "items"))
        case .array(let elements)?:
            var tuple: [SchemaNode] = []
            for element in elements { tuple.append(try load(element, key: "items")) }
            items = .tuple(tuple)
        case let other?: throw .wrongType(key: "items", expected: ["JSONObject", "JSONArray"], found: other)
        }

        var pattern: SchemaPattern?
        if let raw = object["pattern"] {
            guard case .string(let source) = raw else { throw .wrongType(key: "pattern", expected: ["String"], found: raw) }
            pattern = try compile(source)
        }
        var format: String?
        if let raw = object["format"] {
            guard case .string(let name) = raw else { throw .wrongType(key: "format", expected: ["String"], found: raw) }
            format = name
        }

        var multipleOf: JSONValue?
        if let raw = object["multipleOf"] {
            guard raw.isNumeric else { throw .wrongType(key: "multipleOf", expected: ["Number"], found: raw) }
            guard raw.doubleValue > 0 else {
                throw JSONSchemaError("key multipleOf: must be greater than 0, found: \(raw.everitText)")
            }
            multipleOf = raw
        }

        var enumValues: [JSONValue]?
        if let raw = object["enum"] {
            guard case .array(let values) = raw else { throw .wrongType(key: "enum", expected: ["JSONArray"], found: raw) }
            enumValues = values
        }

        var not: SchemaNode?
        if let raw = object["not"] { not = try load(raw, key: "not") }

        return SchemaNode(
            source: json,
            types: types,
            properties: properties,
            required: try loadRequired(object["required"]),
            additionalProperties: try loadAdditional(object["additionalProperties"], key: "additionalProperties"),
            patternProperties: patternProperties,
            minProperties: try loadCount(object, "minProperties"),
            maxProperties: try loadCount(object, "maxProperties"),
            items: items,
            additionalItems: try loadAdditional(object["additionalItems"], key: "additionalItems"),
            minItems: try loadCount(object, "minItems"),
            maxItems: try loadCount(object, "maxItems"),
            uniqueItems: try loadFlag(object, "uniqueItems"),
            minLength: try loadCount(object, "minLength"),
            maxLength: try loadCount(object, "maxLength"),
            pattern: pattern,
            format: format,
            lowerBounds: try loadBounds(object, inclusive: "minimum", exclusive: "exclusiveMinimum"),
            upperBounds: try loadBounds(object, inclusive: "maximum", exclusive: "exclusiveMaximum"),
            multipleOf: multipleOf,
            enumValues: enumValues,
            constValue: object["const"],
            allOf: try loadBranches(object, "allOf"),
            anyOf: try loadBranches(object, "anyOf"),
            oneOf: try loadBranches(object, "oneOf"),
            not: not
        )
    }

    private func loadTypes(_ raw: JSONValue?) throws(JSONSchemaError) -> [SchemaType]? {
        switch raw {
        case nil: return nil
        case .string(let name)?: return [try schemaType(named: name)]
        case .array(let names)?:
            guard !names.isEmpty else { throw JSONSchemaError("key type: expected at least one type name, found: []") }
            var types: [SchemaType] = []
            for element in names {
                guard case .string(let name) = element else {
                    throw .wrongType(key: "type", expected: ["String"], found: element)
                }
                let type = try schemaType(named: name)
                if !types.contains(type) { types.append(type) }
            }
            return types
        case let other?: throw .wrongType(key: "type", expected: ["JSONArray", "String"], found: other)
        }
    }

    private func schemaType(named name: String) throws(JSONSchemaError) -> SchemaType {
        guard let type = SchemaType(rawValue: name) else { throw JSONSchemaError("unknown type: [\(name)]") }
        return type
    }

    private func loadRequired(_ raw: JSONValue?) throws(JSONSchemaError) -> [String] {
        guard let raw else { return [] }
        guard case .array(let elements) = raw else { throw .wrongType(key: "required", expected: ["JSONArray"], found: raw) }
        var names: [String] = []
        for element in elements {
            guard case .string(let name) = element else {
                throw .wrongType(key: "required", expected: ["String"], found: element)
            }
            names.append(name)
        }
        return names
    }

    private mutating func loadAdditional(_ raw: JSONValue?, key: String) throws(JSONSchemaError) -> AdditionalRule {
        switch raw {
        case nil, .bool(true)?: return .allowed
        case .bool(false)?: return .forbidden
        case let schema? where schema.objectValue != nil: return .schema(try load(schema, key: key))
        case let other?: throw .wrongType(key: key, expected: ["Boolean", "JSONObject"], found: other)
        }
    }

    private func loadCount(_ object: JSONObject, _ key: String) throws(JSONSchemaError) -> Int? {
        guard let raw = object[key] else { return nil }
        let count: Int?
        switch raw {
        case .integer(let value): count = Int(exactly: value)
        case .number(let value) where value.isFinite && value.rounded() == value: count = Int(exactly: value)
        default: throw .wrongType(key: key, expected: ["Integer"], found: raw)
        }
        guard let count, count >= 0 else {
            throw JSONSchemaError("key \(key): must not be negative, found: \(raw.everitText)")
        }
        return count
    }

    private func loadFlag(_ object: JSONObject, _ key: String) throws(JSONSchemaError) -> Bool {
        guard let raw = object[key] else { return false }
        guard case .bool(let flag) = raw else { throw .wrongType(key: key, expected: ["Boolean"], found: raw) }
        return flag
    }

    /// Draft 4 writes an exclusive bound as `minimum` plus `exclusiveMinimum: true`; later drafts write
    /// `exclusiveMinimum: <number>`. Both appear in real Singer schemas, so both are read.
    private func loadBounds(_ object: JSONObject, inclusive: String, exclusive: String)
        throws(JSONSchemaError) -> [NumericLimit] {
        var bounds: [NumericLimit] = []
        var exclusiveFlag = false
        switch object[exclusive] {
        case nil: break
        case .bool(let flag)?: exclusiveFlag = flag
        case let value? where value.isNumeric:
            bounds.append(NumericLimit(value: value, isExclusive: true, keyword: exclusive))
        case let other?: throw .wrongType(key: exclusive, expected: ["Boolean", "Number"], found: other)
        }
        if let raw = object[inclusive] {
            guard raw.isNumeric else { throw .wrongType(key: inclusive, expected: ["Number"], found: raw) }
            bounds.insert(NumericLimit(value: raw, isExclusive: exclusiveFlag,
                                       keyword: exclusiveFlag ? exclusive : inclusive), at: 0)
        }
        return bounds
    }

    private mutating func loadBranches(_ object: JSONObject, _ key: String) throws(JSONSchemaError) -> [SchemaNode] {
        guard let raw = object[key] else { return [] }
        guard case .array(let elements) = raw else { throw .wrongType(key: key, expected: ["JSONArray"], found: raw) }
        guard !elements.isEmpty else { throw JSONSchemaError("key \(key): expected at least one subschema, found: []") }
        var branches: [SchemaNode] = []
        for element in elements { branches.append(try load(element, key: key)) }
        return branches
    }

    private mutating func compile(_ source: String) throws(JSONSchemaError) -> SchemaPattern {
        if let cached = patterns[source] { return cached }
        do throws(PatternSyntaxError) {
            let pattern = try SchemaPattern(source)
            patterns[source] = pattern
            return pattern
        } catch {
            // everit has no text for these; "is not a valid regular expression" is the sandbox's
            // long-standing one [?]. A pattern the linear-time matcher refuses says what it refused
            // and why, so the schema's author can rewrite it.
            switch error.kind {
            case .invalid: throw JSONSchemaError("key pattern: [\(source)] is not a valid regular expression")
            case .unsupported: throw JSONSchemaError("key pattern: [\(source)] is not supported: \(error.reason)")
            }
        }
    }
}

extension JSONSchemaError {
    /// everit's `SchemaException(key, expectedTypes, actualValue)` text.
    static func wrongType(key: String, expected: [String], found: JSONValue) -> JSONSchemaError {
        JSONSchemaError("key \(key): expected type is one of \(expected.joined(separator: ", ")), found: \(found.everitTypeName)")
    }
}
