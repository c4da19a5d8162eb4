/// The checked, ready-to-run form of one schema object. A class so that schemas can nest without
/// copying subtrees; every stored property is an immutable `let`, so sharing across tasks is safe.
final class SchemaNode: Sendable {
    let source: JSONValue
    let types: [SchemaType]?

    let properties: [PropertySchema]
    let propertyNames: Set<String>
    let required: [String]
    let additionalProperties: AdditionalRule
    let patternProperties: [PatternPropertySchema]
    let minProperties: Int?
    let maxProperties: Int?

    let items: ItemsRule?
    let additionalItems: AdditionalRule
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool

    let minLength: Int?
    let maxLength: Int?
    let pattern: SchemaPattern?
    let format: String?
    /// Whether any keyword above can fail a string; most string schemas have none, and reading the
    /// optional pattern alone goes through generic code.
    let checksStrings: Bool

    let lowerBounds: [NumericLimit]
    let upperBounds: [NumericLimit]
    let multipleOf: JSONValue?

    let enumValues: [JSONValue]?
    let constValue: JSONValue?
    let allOf: [SchemaNode]
    let anyOf: [SchemaNode]
    let oneOf: [SchemaNode]
    let not: SchemaNode?

    init(source: JSONValue, types: [SchemaType]?, properties: [PropertySchema], required: [String],
         additionalProperties: AdditionalRule, patternProperties: [PatternPropertySchema], minProperties: Int?,
         maxProperties: Int?, items: ItemsRule?, additionalItems: AdditionalRule, minItems: Int?, maxItems: Int?,
         uniqueItems: Bool, minLength: Int?, maxLength: Int?, pattern: SchemaPattern?, format: String?,
         lowerBounds: [NumericLimit], upperBounds: [NumericLimit], multipleOf: JSONValue?, enumValues: [JSONValue]?,
         constValue: JSONValue?, allOf: [SchemaNode], anyOf: [SchemaNode], oneOf: [SchemaNode], not: SchemaNode?) {
        self.source = source
        self.types = types
        self.properties = properties
        self.propertyNames = Set(properties.map(\.name))
        self.required = required
        self.additionalProperties = additionalProperties
        self.patternProperties = patternProperties
        self.minProperties = minProperties
        self.maxProperties = maxProperties
        self.items = items
        self.additionalItems = additionalItems
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
        self.checksStrings = minLength != nil || maxLength != nil || pattern != nil || format == "date-time"
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.multipleOf = multipleOf
        self.enumValues = enumValues
        self.constValue = constValue
        self.allOf = allOf
        self.anyOf = anyOf
        self.oneOf = oneOf
        self.not = not
    }
}

/// The seven JSON Schema type names.
enum SchemaType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, array, object

    func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string), (.array, .array), (.object, .object): true
        case (.number, .integer), (.number, .number), (.integer, .integer): true
        case (.integer, .number(let number)): number.isFinite && number.rounded() == number
        default: false
        }
    }

    /// The Java class name everit prints for the expected type.
    var javaName: String {
        switch self {
        case .null: "Null"
        case .boolean: "Boolean"
        case .integer: "Integer"
        case .number: "Number"
        case .string: "String"
        case .array: "JSONArray"
        case .object: "JSONObject"
        }
    }
}

struct PropertySchema: Sendable {
    let name: String
    let schema: SchemaNode
    /// `name` escaped for a JSON pointer, computed once rather than per record.
    let pointerFragment: String

    init(name: String, schema: SchemaNode) {
        self.name = name
        self.schema = schema
        self.pointerFragment = SchemaNode.pointerFragment(name)
    }
}

struct PatternPropertySchema: Sendable {
    let pattern: SchemaPattern
    let schema: SchemaNode
}

/// `additionalProperties` / `additionalItems`.
enum AdditionalRule: Sendable {
    case allowed
    case forbidden
    case schema(SchemaNode)
}

enum ItemsRule: Sendable {
    /// `"items": {...}`: every element.
    case uniform(SchemaNode)
    /// `"items": [{...}, {...}]`: element by position.
    case tuple([SchemaNode])
}

/// A bound from `minimum`/`maximum` (exclusive with draft 4's `exclusiveMinimum: true`), or from the
/// number form of `exclusiveMinimum`/`exclusiveMaximum`.
struct NumericLimit: Sendable {
    let value: JSONValue
    let isExclusive: Bool
    /// The keyword a failure is reported under: "minimum", "exclusiveMinimum" …
    let keyword: String
}
