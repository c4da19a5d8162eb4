/// A JSON Schema (draft 4 with a few later keywords) that checks records the way Stitch's Import API
/// gate does and words its findings like the Java everit-org/json-schema validator the gate's
/// messages come from (spec §3.3): `#/name: expected type: String, found: Integer`.
///
/// Supported keywords: `type` (a name or a list, including "null"), `properties`, `required`,
/// `additionalProperties`, `patternProperties`, `minProperties`/`maxProperties`, `items` (one schema or a
/// tuple), `additionalItems`, `minItems`/`maxItems`, `uniqueItems`, `minLength`/`maxLength` (in Characters),
/// `pattern`, `format: "date-time"`, `minimum`/`maximum`, `exclusiveMinimum`/`exclusiveMaximum` (draft 4
/// booleans and later numbers), `multipleOf`, `enum`, `const`, `anyOf`, `oneOf`, `allOf`, `not`.
/// Other keywords (`title`, `description`, `$schema`, `inclusion`, `definitions`, other formats …) are
/// ignored; `$ref` is refused because references are not resolved.
///
/// A schema is checked once, at `init`, so a bad schema is reported before any record
/// ("Invalid JSON schema: …"); patterns are compiled there too, once per schema, for a matcher whose time
/// is linear in the text (`SchemaPattern`), so no pattern can make a validation spin.
public struct JSONSchema: Sendable {
    let node: SchemaNode

    /// Loads and checks a schema; the error's `message` is the text Stitch puts after "Invalid JSON schema: ".
    public init(_ json: JSONValue) throws(JSONSchemaError) {
        var loader = SchemaLoader()
        node = try loader.load(json, key: "null")
    }

    init(node: SchemaNode) { self.node = node }

    /// The JSON this schema was loaded from.
    public var json: JSONValue { node.source }

    /// The violations of `value`, in everit's order: for an object, its properties (schema order), then
    /// missing required keys, then extraneous keys. A failing property contributes one entry; when it has
    /// several problems that entry is a "N schema violations found" group whose `causes` hold them.
    /// Empty when the value conforms.
    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        validate(value, budget: PatternBudget(steps: .max))
    }

    /// The same, with the pattern matching counted against `budget`, which many validations may share
    /// (the records of one batch). Once `budget.isExhausted`, patterns are no longer evaluated and the
    /// findings are incomplete: the caller refuses the value for that reason instead.
    public func validate(_ value: JSONValue, budget: PatternBudget) -> [SchemaViolation] {
        node.violations(of: value, at: { "#" }, budget: budget)
    }

    public func conforms(_ value: JSONValue) -> Bool {
        validate(value).isEmpty
    }

    /// The text Stitch puts after "Record i did not conform to schema:\n": one line per violation, nested
    /// causes after the line they explain, and a leading "#: N schema violations found" line when there is
    /// more than one violation. No trailing newline; empty for no violations.
    public static func report(_ violations: [SchemaViolation]) -> String {
        switch violations.count {
        case 0: ""
        case 1: violations[0].reportLines.joined(separator: "\n")
        default: SchemaViolation.group(violations, at: "#").reportLines.joined(separator: "\n")
        }
    }

    /// Parses an RFC 3339 date-time (also `±hhmm` offsets and lowercase `t`/`z`) into the instant it names.
    public static func parseDateTime(_ text: String) -> (epochSeconds: Int64, nanoseconds: Int32)? {
        guard let value = DateTimeValue(parsing: text) else { return nil }
        return (value.epochSeconds, value.nanoseconds)
    }
}

// MARK: - Reading a schema's shape (for deciding destination columns)

extension JSONSchema {
    /// The declared `type` names in schema order, or nil when the schema has no `type`.
    public var types: [String]? { node.types?.map(\.rawValue) }

    /// The declared types other than "null": from `type`, or, without one, the union of the `anyOf`/`oneOf`
    /// branches' non-null types (the `anyOf: [{"type":"null"}, {...}]` idiom). Empty means no type is declared.
    public var nonNullTypes: [String] {
        if let types = node.types { return types.filter { $0 != .null }.map(\.rawValue) }
        var result: [String] = []
        for branch in node.anyOf + node.oneOf {
            for type in JSONSchema(node: branch).nonNullTypes where !result.contains(type) { result.append(type) }
        }
        return result
    }

    /// Whether `null` conforms, so a column for this schema must accept NULL.
    public var isNullable: Bool { conforms(.null) }

    /// The `format` (e.g. "date-time"), or, without one, the format shared by every non-null
    /// `anyOf`/`oneOf` branch that declares one.
    public var format: String? {
        if let format = node.format { return format }
        let formats = nonNullBranches.compactMap(\.format)
        guard let first = formats.first, formats.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    /// The `properties` in schema order.
    public var properties: [(name: String, schema: JSONSchema)] {
        node.properties.map { ($0.name, JSONSchema(node: $0.schema)) }
    }

    /// The list form of `items` (one schema for every element); nil for none or the tuple form.
    public var items: JSONSchema? {
        if case .uniform(let schema) = node.items { return JSONSchema(node: schema) }
        return nil
    }

    public var anyOf: [JSONSchema] { node.anyOf.map(JSONSchema.init(node:)) }
    public var oneOf: [JSONSchema] { node.oneOf.map(JSONSchema.init(node:)) }
    public var allOf: [JSONSchema] { node.allOf.map(JSONSchema.init(node:)) }

    /// The `anyOf`/`oneOf` branches that do not accept only null: where the real shape of a
    /// nullable field lives.
    public var nonNullBranches: [JSONSchema] {
        (anyOf + oneOf).filter { $0.types != ["null"] }
    }
}

// MARK: - Errors and findings

/// A schema that cannot be used; `message` is the text after "Invalid JSON schema: ".
public struct JSONSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "Invalid JSON schema: \(message)" }
}

/// One way a value breaks a schema, located by a JSON pointer such as `#/items/0/name`.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: `#` for the value itself, `#/address/zip` below it (`~` and `/` escaped).
    public var pointer: String
    /// everit's text, e.g. "expected type: String, found: Integer". Combinator messages keep everit's own
    /// "#: " prefix ("#: no subschema matched out of the total 2 subschemas"), as Stitch's replies show.
    public var message: String
    /// The keyword that failed ("type", "required", "anyOf" …); nil for a "N schema violations found" group.
    public var keyword: String?
    /// What a group or a combinator failure consists of (for `anyOf`/`oneOf`/`allOf`: each failing branch).
    public var causes: [SchemaViolation]

    public init(pointer: String, message: String, keyword: String?, causes: [SchemaViolation] = []) {
        self.pointer = pointer
        self.message = message
        self.keyword = keyword
        self.causes = causes
    }

    /// "#/name: expected type: String, found: Integer"
    public var description: String { "\(pointer): \(message)" }

    /// How many problems this stands for, counted like everit: a finding without causes is one.
    public var violationCount: Int {
        causes.isEmpty ? 1 : max(1, causes.reduce(0) { $0 + $1.violationCount })
    }

    /// The findings without causes below this one (itself when it has none), in order.
    public var leaves: [SchemaViolation] {
        causes.isEmpty ? [self] : causes.flatMap(\.leaves)
    }

    /// This finding's line followed by its causes' lines, depth first.
    public var reportLines: [String] {
        [description] + causes.flatMap(\.reportLines)
    }

    /// Several findings at one place become one, as everit throws them.
    static func group(_ violations: [SchemaViolation], at pointer: String) -> SchemaViolation {
        if violations.count == 1 { return violations[0] }
        let count = violations.reduce(0) { $0 + $1.violationCount }
        return SchemaViolation(pointer: pointer, message: "\(count) schema violations found", keyword: nil,
                               causes: violations)
    }
}
