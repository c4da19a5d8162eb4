import StitchAPI

/// One column of the grid: a top-level property of the batch's schema.
public struct BatchColumn: Sendable, Hashable {
    public var name: String
    public private(set) var type: ColumnType
    /// False for a member the records hold but the schema does not name (loaded from a batch whose
    /// schema leaves it out): it is sent in the data but not declared, as the file had it.
    public private(set) var isDeclared: Bool
    /// The property's schema as loaded (other keywords such as `maxLength`, nested `properties`),
    /// kept so a batch comes back out as it went in.
    public private(set) var property: JSONObject

    public init(name: String, type: ColumnType) {
        self.name = name
        self.type = type
        isDeclared = true
        property = JSONObject(type.schemaMembers)
    }

    /// A column of the schema's `properties`.
    init(name: String, property: JSONValue) {
        self.name = name
        type = ColumnType(property: property)
        isDeclared = true
        self.property = property.objectValue ?? JSONObject()
    }

    /// A member of the records that the schema does not declare.
    init(undeclared name: String) {
        self.name = name
        type = .any
        isDeclared = false
        property = JSONObject()
    }

    /// Declares the column with `type`: `type`/`format` are replaced, and the `anyOf`/`oneOf` that
    /// declared the old type dropped; other keywords stay.
    mutating func retype(_ newType: ColumnType) {
        var object = JSONObject()
        for (key, value) in property.members where !["type", "format", "anyOf", "oneOf"].contains(key) {
            object[key] = value
        }
        for (key, value) in newType.schemaMembers { object[key] = value }
        property = object
        type = newType
        isDeclared = true
    }
}
