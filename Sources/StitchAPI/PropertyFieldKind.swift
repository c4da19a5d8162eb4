/// What kind of form field a report card property is, read from its `json_schema` (spec §2.4.2),
/// so a form can offer the right editor. The value still travels as a string and is checked by
/// `PropertyRule`; the kind only chooses how it is asked.
public enum PropertyFieldKind: Sendable, Hashable {
    /// Free text; `pattern` is the schema's, for showing what is expected.
    case text(pattern: String?)
    /// `type: integer` (sent as its decimal text, e.g. `port`).
    case integer
    /// `type: boolean`, or a string restricted to `true`/`false` by its pattern (`ssl`, `ssh`).
    case boolean
    /// A closed list of values: `enum`, `anyOf`/`oneOf` of `const`s, or a pattern that only
    /// spells out alternatives (`frequency_in_minutes`: `^1$|^30$|…`), in schema order.
    case choice([String])
    /// `format: date-time` (e.g. `anchor_time`).
    case dateTime
    /// `format: hostname` (also inside `anyOf`, as `host` has it), or a property named like a
    /// host (`host`, `hostname`, `ssh_host`) when its schema says nothing more.
    case hostName

    /// The kind of `property`'s field. A missing or unreadable schema gives text, or a host
    /// name for host-like names.
    public init(_ property: StepProperty) {
        let schema = property.jsonSchema.flatMap { $0 == .null ? nil : try? JSONSchema($0) }
        self = Self.kind(of: schema, named: property.name)
    }

    private static func kind(of schema: JSONSchema?, named name: String) -> PropertyFieldKind {
        let hostLike = isHostLike(name)
        guard let schema else { return hostLike ? .hostName : .text(pattern: nil) }
        let json = schema.json
        let types = schema.nonNullTypes
        let pattern = json["pattern"]?.stringValue
        if types == ["boolean"] { return .boolean }
        if let pattern, let options = alternatives(in: pattern) {
            return Set(options) == ["true", "false"] ? .boolean : .choice(options)
        }
        if let values = json["enum"]?.arrayValue, !values.isEmpty {
            let options = values.filter { $0 != .null }.map(PropertyRule.text(of:))
            return Set(options) == ["true", "false"] ? .boolean : .choice(options)
        }
        if let options = constants(of: schema.anyOf) ?? constants(of: schema.oneOf) { return .choice(options) }
        if types == ["integer"] { return .integer }
        let formats = [schema.format].compactMap { $0 } + schema.nonNullBranches.compactMap(\.format)
        if formats.contains("date-time") { return .dateTime }
        if formats.contains("hostname") || (hostLike && pattern == nil) { return .hostName }
        return .text(pattern: pattern)
    }

    /// The options of `anyOf`/`oneOf` branches that each allow exactly one value (`const`, or
    /// an `enum` of one); nil when any branch allows more.
    static func constants(of branches: [JSONSchema]) -> [String]? {
        guard !branches.isEmpty else { return nil }
        var options: [String] = []
        for branch in branches {
            if let value = branch.json["const"] {
                options.append(PropertyRule.text(of: value))
            } else if let values = branch.json["enum"]?.arrayValue, values.count == 1 {
                options.append(PropertyRule.text(of: values[0]))
            } else {
                return nil
            }
        }
        return options
    }

    /// The literals of a pattern that is only a list of whole-value alternatives:
    /// `^1$|^30$|^60$` or `^(true|false)$`. Nil for anything with other regex syntax.
    static func alternatives(in pattern: String) -> [String]? {
        let pieces: [Substring]
        if pattern.hasPrefix("^("), pattern.hasSuffix(")$") {
            pieces = pattern.dropFirst(2).dropLast(2).split(separator: "|", omittingEmptySubsequences: false)
        } else {
            let parts = pattern.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.allSatisfy({ $0.hasPrefix("^") && $0.hasSuffix("$") && $0.count > 2 }) else { return nil }
            pieces = parts.map { $0.dropFirst().dropLast() }
        }
        guard pieces.count >= 2, pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isLiteral) }) else { return nil }
        return pieces.map(String.init)
    }

    private static func isLiteral(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == " "
    }

    /// `host`, `hostname`, `ssh_host`, `db_hostname`: names the docs' database forms use.
    static func isHostLike(_ name: String) -> Bool {
        let last = name.lowercased().split(separator: "_").last.map(String.init) ?? ""
        return last == "host" || last == "hostname"
    }
}
