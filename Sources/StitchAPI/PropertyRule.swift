/// Whether a form value is acceptable for one report card property: the rule the sandbox's
/// `POST`/`PUT /v4/sources` applies to each value (a refusal there is `InvalidProperties`,
/// spec §2.5.3), so a form can check a field as the user types and agree with the server.
///
/// A value is refused when the property is `read_only` [?] (documented as "not settable"), when
/// it is the empty string (documented), or when it does not conform to the property's
/// `json_schema` (documented). Form values travel as strings even where the schema declares
/// another type: the docs' `heroku_pg` source sends `"5432"` for `port` with
/// `{"type":"integer"}`. So a string that reads as the declared scalar type is checked as that
/// value [I]. `cron_expression` is also checked as a Quartz expression (`CronExpression`),
/// which the API reports as `InvalidCronExpression` rather than in `bad_properties`.
///
/// Build it once per field: the schema (and its patterns) are compiled in `init`.
public struct PropertyRule: Sendable {
    public let property: StepProperty
    /// Nil when the property has no schema, or one that cannot be loaded: then only read-only
    /// and empty values are refused, since a schema nobody can evaluate must not make its
    /// property impossible to set.
    let schema: JSONSchema?

    public init(_ property: StepProperty) {
        self.property = property
        if let json = property.jsonSchema, json != .null {
            schema = try? JSONSchema(json)
        } else {
            schema = nil
        }
    }

    /// Nil when `value` is acceptable; otherwise what is wrong and what is expected.
    public func problem(with value: String) -> PropertyProblem? {
        if property.propertyType == "read_only" {
            return PropertyProblem(reason: .readOnly, message: "is set by Stitch and cannot be changed")
        }
        if value.isEmpty { return PropertyProblem(reason: .empty, message: "cannot be empty") }
        if let schema, let problem = schemaProblem(with: value, schema: schema) { return problem }
        if property.name == Self.cronExpressionName, let problem = CronExpression.problem(with: value) {
            return PropertyProblem(reason: .cronExpression, message: "must be a Quartz cron expression like "
                                       + "\(CronExpression.example) (\(problem))")
        }
        return nil
    }

    /// The property whose value is also a Quartz cron expression (spec §2.4.2).
    public static let cronExpressionName = "cron_expression"

    private func schemaProblem(with value: String, schema: JSONSchema) -> PropertyProblem? {
        let violations = schema.validate(Self.candidate(value, for: schema))
        guard let first = violations.first else { return nil }
        let keyword = violations.count == 1 ? first.keyword : nil
        let expectation = keyword.flatMap { Self.expectation(failing: $0, in: schema) }
        return PropertyProblem(reason: .schema(keyword: keyword),
                               message: expectation.map { "must \($0)" } ?? Self.fallback(violations))
    }

    /// Whether `value` is acceptable.
    public func accepts(_ value: String) -> Bool { problem(with: value) == nil }

    /// The JSON value a form string stands for under `schema`: the declared scalar when the
    /// text reads as one, else the string itself.
    static func candidate(_ value: String, for schema: JSONSchema) -> JSONValue {
        let types = schema.nonNullTypes
        if types.isEmpty || types.contains("string") { return .string(value) }
        if types.contains("integer"), let integer = Int64(value) { return .integer(integer) }
        if types.contains("number"), let number = Double(value), number.isFinite { return .number(number) }
        if types.contains("boolean"), value == "true" || value == "false" { return .bool(value == "true") }
        return .string(value)
    }

    // MARK: Wording

    /// An example that a `date-time` field accepts, shown in its message.
    public static let dateTimeExample = "2024-01-31T00:00:00Z"

    /// What `keyword` of `schema` asks for, as the rest of "must …"; nil when it cannot be said
    /// more plainly than the validator's own text.
    static func expectation(failing keyword: String, in schema: JSONSchema) -> String? {
        let json = schema.json
        switch keyword {
        case "type": return typeExpectation(schema.nonNullTypes)
        case "pattern": return json["pattern"]?.stringValue.map { "match \($0)" }
        case "format": return json["format"] == "date-time" ? "be a date-time like \(dateTimeExample)" : nil
        case "enum": return json["enum"]?.arrayValue.map { "be one of: \(listing($0))" }
        case "const": return json["const"].map { "be \(text(of: $0))" }
        case "anyOf", "oneOf":
            let branches = keyword == "anyOf" ? schema.anyOf : schema.oneOf
            if let options = PropertyFieldKind.constants(of: branches) { return "be one of: \(options.joined(separator: ", "))" }
            let phrases = branches.compactMap(whole)
            return phrases.count == branches.count && !phrases.isEmpty ? phrases.joined(separator: " or ") : nil
        case "minLength": return json["minLength"].map { "be at least \(text(of: $0)) characters long" }
        case "maxLength": return json["maxLength"].map { "be at most \(text(of: $0)) characters long" }
        case "minimum": return json["minimum"].map { "be at least \(text(of: $0))" }
        case "maximum": return json["maximum"].map { "be at most \(text(of: $0))" }
        case "exclusiveMinimum": return bound(json, "exclusiveMinimum", "minimum").map { "be greater than \($0)" }
        case "exclusiveMaximum": return bound(json, "exclusiveMaximum", "maximum").map { "be less than \($0)" }
        case "multipleOf": return json["multipleOf"].map { "be a multiple of \(text(of: $0))" }
        default: return nil
        }
    }

    /// Everything a branch schema asks for, for "match A or be B".
    private static func whole(_ branch: JSONSchema) -> String? {
        let json = branch.json
        var phrases: [String] = []
        // Form values are text, so "be text" says nothing unless it is all the branch asks.
        if json["type"] != nil, branch.nonNullTypes != ["string"] || json.objectValue?.count == 1,
           let type = typeExpectation(branch.nonNullTypes) {
            phrases.append(type)
        }
        for keyword in ["const", "enum", "pattern", "format", "minLength", "maxLength", "minimum", "maximum"]
            where json[keyword] != nil {
            guard let phrase = expectation(failing: keyword, in: branch) else { continue }
            phrases.append(phrase)
        }
        return phrases.isEmpty ? nil : phrases.joined(separator: " and ")
    }

    private static func typeExpectation(_ types: [String]) -> String? {
        let names = types.map { type -> String in
            switch type {
            case "integer": "an integer"
            case "number": "a number"
            case "boolean": "true or false"
            case "string": "text"
            case "object": "a JSON object"
            case "array": "a JSON array"
            default: type
            }
        }
        return names.isEmpty ? nil : "be " + names.joined(separator: " or ")
    }

    /// Draft 4 writes `exclusiveMinimum: true` next to `minimum`; later drafts give the number.
    private static func bound(_ json: JSONValue, _ exclusive: String, _ inclusive: String) -> String? {
        guard let value = json[exclusive] else { return nil }
        if case .bool = value { return json[inclusive].map(text(of:)) }
        return text(of: value)
    }

    /// Strings as they are typed (no quotes), other values as JSON.
    static func text(of value: JSONValue) -> String {
        value.stringValue ?? value.jsonText
    }

    private static func listing(_ values: [JSONValue]) -> String {
        values.map(text(of:)).joined(separator: ", ")
    }

    /// The validator's own findings, for what has no plainer wording (several keywords at once).
    private static func fallback(_ violations: [SchemaViolation]) -> String {
        let leaves = violations.flatMap(\.leaves).map(\.message)
        return "does not match its schema: " + leaves.joined(separator: "; ")
    }
}

extension StepProperty {
    /// The rule that checks this property's form values (see `PropertyRule`).
    public var rule: PropertyRule { PropertyRule(self) }

    /// Nil when `value` is acceptable for this property; else what is wrong and what is
    /// expected. Compiles the schema on every call: a form keeps a `rule` per field instead.
    public func problem(with value: String) -> PropertyProblem? { rule.problem(with: value) }
}
