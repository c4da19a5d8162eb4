import Foundation
import StitchAPI
import StitchDestination

/// Checks one record against the batch's JSON Schema.
///
/// A deliberately small subset of JSON Schema: `type` (a name or a list, `null` included),
/// `format: date-time`, `properties`, `required`, `additionalProperties: false`, `items`, and
/// `anyOf`/`oneOf` as "some branch must match". A full validator is planned; it can replace
/// this type without touching the batch endpoint, which only calls `violations(of:)`.
struct RecordValidator: Sendable {
    let schema: JSONValue

    /// Violations as `<pointer>: <message>` lines, in the gate's wording; empty when the record conforms.
    func violations(of record: JSONValue) -> [String] {
        check(record, against: schema, at: "#")
    }

    /// The full 400 message for record `index` (0-based), e.g.
    /// `Record 0 did not conform to schema:\n#/name: expected type: String, found: Integer\n`.
    static func report(recordIndex index: Int, violations: [String]) -> String {
        var text = "Record \(index) did not conform to schema:\n"
        if violations.count > 1 { text += "#: \(violations.count) schema violations found\n" }
        return text + violations.map { $0 + "\n" }.joined()
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at pointer: String) -> [String] {
        guard let schema = schema.objectValue else { return [] }
        let types: [String] = switch schema["type"] {
        case .string(let name)?: [name]
        case .array(let names)?: names.compactMap(\.stringValue)
        default: []
        }
        if !types.isEmpty, !types.contains(where: { JSONTypeNames.value(value, isOfType: $0) }) {
            // A nullable type reads as its non-null type: "expected type: String" for ["null","string"] [?].
            let named = types.filter { $0 != "null" }.map(JSONTypeNames.expected)
            let expected = named.count == 1 ? named[0] : "one of [\(types.map(JSONTypeNames.expected).joined(separator: ", "))]"
            return ["\(pointer): expected type: \(expected), found: \(JSONTypeNames.found(value))"]
        }
        var problems: [String] = []
        if case .string(let text) = value, schema["format"]?.stringValue == "date-time",
           UTCTimestamp(iso8601: text) == nil {
            problems.append("\(pointer): [\(text)] is not a valid date-time")
        }
        for combinator in ["anyOf", "oneOf"] {
            guard let branches = schema[combinator]?.arrayValue, !branches.isEmpty else { continue }
            if !branches.contains(where: { check(value, against: $0, at: pointer).isEmpty }) {
                problems.append("\(pointer): no subschema matched out of the total \(branches.count) subschemas")
            }
        }
        if case .object(let object) = value {
            for case .string(let key) in schema["required"]?.arrayValue ?? [] where object[key] == nil {
                problems.append("\(pointer): required key [\(key)] not found")
            }
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for (key, member) in object.members {
                if let propertySchema = properties[key] {
                    problems += check(member, against: propertySchema, at: pointer + "/" + Self.escape(key))
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(pointer): extraneous key [\(key)] is not permitted")
                }
            }
        }
        if case .array(let elements) = value, let itemSchema = schema["items"], itemSchema.objectValue != nil {
            for (index, element) in elements.enumerated() {
                problems += check(element, against: itemSchema, at: pointer + "/\(index)")
            }
        }
        return problems
    }

    /// JSON Pointer escaping (RFC 6901).
    private static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
