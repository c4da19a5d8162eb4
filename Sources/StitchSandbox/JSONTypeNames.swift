import StitchAPI

/// The type names in the gate's validation messages. They are those of the Java validator the
/// messages come from (everit json-schema, spec §3.3): `String`, `Integer`, `JSONObject`...
enum JSONTypeNames {
    /// The name a value is reported as ("found: ...").
    static func found(_ value: JSONValue) -> String {
        switch value {
        case .null: "Null"
        case .bool: "Boolean"
        case .integer(let number): Int32(exactly: number) != nil ? "Integer" : "Long"
        case .number(let number): number.rounded() == number && number.isFinite ? "BigInteger" : "BigDecimal"
        case .string: "String"
        case .array: "JSONArray"
        case .object: "JSONObject"
        }
    }

    /// The name a JSON Schema type is reported as ("expected type: ...").
    static func expected(_ schemaType: String) -> String {
        switch schemaType {
        case "null": "Null"
        case "boolean": "Boolean"
        case "integer": "Integer"
        case "number": "Number"
        case "string": "String"
        case "array": "JSONArray"
        case "object": "JSONObject"
        default: schemaType
        }
    }

    /// Whether a value is an instance of a JSON Schema type (draft 4: 1.0 is an integer).
    static func value(_ value: JSONValue, isOfType schemaType: String) -> Bool {
        switch (schemaType, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
             ("integer", .integer), ("number", .integer), ("number", .number):
            true
        case ("integer", .number(let number)):
            number.rounded() == number && number.isFinite
        default:
            false
        }
    }

    static let knownTypes: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]
}
