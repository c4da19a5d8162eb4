/// A JSON document that keeps what Foundation's decoders lose: the order of object keys
/// (columns are created in schema order) and the difference between integers and numbers
/// (a `sequence` must stay an exact Int64).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer literal that fits in Int64.
    case integer(Int64)
    /// Any other number, including integer literals too large for Int64.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The type name JSON Schema uses for this value ("integer" for whole numbers).
    public var schemaTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number(let value): value.rounded() == value && value.isFinite ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON object whose members keep their document order.
///
/// Members live in one array in document order; objects with more than `indexThreshold` members also
/// get a key-to-position index, built once. Smaller objects (a typical record, its nested objects,
/// every batch message) are searched linearly, which costs less than hashing their keys. Equality and hashing
/// ignore member order, as for a dictionary.
public struct JSONObject: Sendable, Hashable {
    private var storage: [(key: String, value: JSONValue)]
    private var index: [String: Int]?

    /// Above this many members a lookup hashes instead of comparing keys one by one.
    static let indexThreshold = 16

    public init() {
        storage = []
        index = nil
    }

    public init(_ members: [(String, JSONValue)]) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// Members as parsed, possibly with repeated keys: a repeated key keeps its first position and
    /// takes its last value, as assigning them one after another would.
    /// A static function rather than an init: a second one-argument init makes the type checker
    /// give up on nested `JSONObject([(name, [...])])` literals.
    static func parsed(_ members: [(key: String, value: JSONValue)]) -> JSONObject {
        var object = JSONObject()
        object.storage = members
        if members.count > indexThreshold {
            var index = [String: Int](minimumCapacity: members.count)
            for position in members.indices where index.updateValue(position, forKey: members[position].key) != nil {
                object.removeDuplicates()
                return object
            }
            object.index = index
        } else {
            for position in members.indices.dropFirst() {
                let key = members[position].key
                if members[..<position].contains(where: { $0.key == key }) {
                    object.removeDuplicates()
                    return object
                }
            }
        }
        return object
    }

    /// The slow path for repeated keys: rebuild by assignment.
    private mutating func removeDuplicates() {
        let members = storage
        storage = []
        index = nil
        for (key, value) in members { self[key] = value }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return storage.firstIndex { $0.key == key }
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { storage[$0].value } }
        set {
            if let newValue {
                if let position = position(of: key) {
                    storage[position].value = newValue
                } else {
                    storage.append((key, newValue))
                    if index != nil {
                        index?[key] = storage.count - 1
                    } else if storage.count > Self.indexThreshold {
                        buildIndex()
                    }
                }
            } else if let position = position(of: key) {
                storage.remove(at: position)
                if index != nil { buildIndex() }
            }
        }
    }

    private mutating func buildIndex() {
        var index = [String: Int](minimumCapacity: storage.count)
        for position in storage.indices { index[storage[position].key] = position }
        self.index = index
    }

    /// The keys in document order.
    public var keys: [String] { storage.map(\.key) }

    /// The members in document order.
    public var members: [(key: String, value: JSONValue)] { storage }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.storage.allSatisfy { member in rhs[member.key] == member.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, like a dictionary's: equal objects may list their members differently.
        var combined = 0
        for member in storage {
            var memberHasher = Hasher()
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(storage.count)
        hasher.combine(combined)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: Codable {
    // Codable cannot see key order; models that only pass JSON through use this path,
    // while request bodies that must keep order go through `JSONParser`.
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var object = JSONObject()
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                object[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
            self = .object(object)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !container.isAtEnd { values.append(try container.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let object):
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in object.members { try container.encode(value, forKey: AnyKey(key)) }
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
