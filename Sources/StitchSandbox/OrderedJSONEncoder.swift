import StitchAPI

/// Encodes an `Encodable` into a `JSONValue`, keeping keys in the order `encode(to:)` writes
/// them. Foundation's `JSONEncoder` on Linux reorders keys, and the replies must read like
/// Stitch's (the tutorial's Source starts `properties`, `updated_at`, `schedule`...).
enum OrderedJSONEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        return root.json
    }
}

/// A mutable tree the containers fill in; becomes a `JSONValue` at the end.
private final class Node {
    enum Content {
        case empty
        case value(JSONValue)
        case object(keys: [String], members: [String: Node])
        case array([Node])
    }

    var content: Content = .empty

    var json: JSONValue {
        switch content {
        case .empty: return .null
        case .value(let value): return value
        case .object(let keys, let members):
            return .object(JSONObject(keys.compactMap { key in members[key].map { (key, $0.json) } }))
        case .array(let nodes): return .array(nodes.map(\.json))
        }
    }

    func child(forKey key: String) -> Node {
        var (keys, members): ([String], [String: Node]) = ([], [:])
        if case .object(let existingKeys, let existingMembers) = content { (keys, members) = (existingKeys, existingMembers) }
        if let existing = members[key] { return existing }
        let node = Node()
        keys.append(key)
        members[key] = node
        content = .object(keys: keys, members: members)
        return node
    }

    func appendChild() -> Node {
        var nodes: [Node] = []
        if case .array(let existing) = content { nodes = existing }
        let node = Node()
        nodes.append(node)
        content = .array(nodes)
        return node
    }

    func makeObject() { if case .object = content {} else { content = .object(keys: [], members: [:]) } }
    func makeArray() { if case .array = content {} else { content = .array([]) } }

    var count: Int {
        if case .array(let nodes) = content { return nodes.count }
        return 0
    }

    /// Stores scalars directly; everything else encodes itself into this node.
    func store(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let value as String: content = .value(.string(value))
        case let value as Bool: content = .value(.bool(value))
        case let value as Int: content = .value(.integer(Int64(value)))
        case let value as Int64: content = .value(.integer(value))
        case let value as Int32: content = .value(.integer(Int64(value)))
        case let value as Double: content = .value(.number(value))
        case let value as JSONValue: content = .value(value)
        default: try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
        }
    }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .value(.null) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try node.child(forKey: key.stringValue).store(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.appendChild().content = .value(.null) }

    mutating func encode(_ value: some Encodable) throws {
        try node.appendChild().store(value, codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(node: node.appendChild(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.appendChild(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appendChild(), codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }

    mutating func encode(_ value: some Encodable) throws {
        try node.store(value, codingPath: codingPath)
    }
}
