import StitchAPI

/// What a batch's JSON Schema says about one field, read once per batch so that typing
/// 20,000 records does not walk the schema 20,000 times.
///
/// `anyOf`/`oneOf` branches are merged: their non-null types, their shared `format`, and
/// their properties and items (the first branch naming a property wins). That covers the
/// nullable idiom `anyOf: [{"type": "null"}, {...}]` that Singer taps send.
final class FieldGuide: Sendable {
    /// Declared types other than "null"; empty when the schema declares none.
    let types: Set<String>
    let format: String?
    /// Properties in schema order.
    let properties: [(name: String, guide: FieldGuide)]
    let propertiesByName: [String: FieldGuide]
    let items: FieldGuide?
    /// Read per value while typing records, so kept as flags rather than looked up in `types`.
    /// Declared `number` and not `integer`: integers are stored as doubles.
    let isNumberNotInteger: Bool
    /// Declared `integer` and not `number`: whole doubles are stored as integers.
    let isIntegerNotNumber: Bool
    let isDateTime: Bool

    init(_ schema: JSONSchema) {
        types = Set(schema.nonNullTypes)
        format = schema.format
        isNumberNotInteger = types.contains("number") && !types.contains("integer")
        isIntegerNotNumber = types.contains("integer") && !types.contains("number")
        isDateTime = format == "date-time"
        var properties: [(name: String, guide: FieldGuide)] = []
        var byName: [String: FieldGuide] = [:]
        var items = schema.items.map(FieldGuide.init)
        for source in [schema] + schema.nonNullBranches {
            for (name, propertySchema) in source.properties where byName[name] == nil {
                let guide = FieldGuide(propertySchema)
                properties.append((name, guide))
                byName[name] = guide
            }
            if items == nil, let branchItems = source.items { items = FieldGuide(branchItems) }
        }
        self.properties = properties
        self.propertiesByName = byName
        self.items = items
    }

    /// A batch schema as a guide; nil when it cannot be read (the gate checks schemas, so
    /// that means a body that never passed it), which leaves every value typed by itself.
    static func root(of schema: JSONValue) -> FieldGuide? {
        (try? JSONSchema(schema)).map(FieldGuide.init)
    }

    /// Whether the field may hold an object whose properties become `parent__child` columns.
    var describesObject: Bool { types.contains("object") || (types.isEmpty && !properties.isEmpty) }

    var describesArray: Bool { types.contains("array") || (types.isEmpty && items != nil) }

    /// Whether the field may hold a scalar, so it can be a column of its own.
    var describesScalar: Bool {
        types.isEmpty ? properties.isEmpty && items == nil : !types.isDisjoint(with: ["integer", "number", "boolean", "string"])
    }
}

/// The order columns get when a batch creates them: the schema's property order, depth first,
/// so `attributes__color` sits where `attributes` is declared. Fields the schema does not
/// declare come after, in the order records first show them.
struct ColumnOrder {
    private var ranks: [String: Int] = [:]
    private var next = 0
    private let names: ObjectNames

    init(root: FieldGuide?, table: String, names: ObjectNames) {
        self.names = names
        if let root { rank(properties: root, table: table, prefix: "") }
    }

    /// The rank of a column; an undeclared one gets the next rank after everything seen so far.
    mutating func rank(table: String, column: String) -> Int {
        let key = self.key(table: table, column: column)
        if let rank = ranks[key] { return rank }
        ranks[key] = next
        next += 1
        return next - 1
    }

    private func key(table: String, column: String) -> String {
        names.key(table) + "\u{0}" + names.key(column)
    }

    private mutating func rank(properties guide: FieldGuide, table: String, prefix: String) {
        for (raw, property) in guide.properties {
            guard let part = ObjectNames.canonical(raw) else { continue }
            let name = prefix + part
            rank(field: property, name: name, table: table)
        }
    }

    private mutating func rank(field: FieldGuide, name: String, table: String) {
        if field.describesScalar { _ = rank(table: table, column: name) }
        if field.describesObject { rank(properties: field, table: table, prefix: name + "__") }
        if field.describesArray, let items = field.items { rank(elements: items, table: table + "__" + name) }
    }

    private mutating func rank(elements items: FieldGuide, table: String) {
        // An array's object elements spread over the child table's columns; scalar elements
        // go to its `value` column; nested arrays make a grandchild table `<child>__value`.
        if items.describesObject { rank(properties: items, table: table, prefix: "") }
        if items.describesScalar { _ = rank(table: table, column: "value") }
        if items.describesArray, let nested = items.items { rank(elements: nested, table: table + "__value") }
    }
}
