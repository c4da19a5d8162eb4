import StitchAPI

/// Decodes Transit JSON (https://github.com/cognitect/transit-format), the body format of the legacy
/// push clients (stitchclient, the Java and PHP clients; spec §5.2, §5.3), into plain JSON values.
///
/// Works on the `JSONValue` that `JSONParser` produced, walking it in document order, which is the
/// order the writer filled its key cache in. Handled: `["^ ", k, v, …]` maps and verbose-mode
/// objects, the cache (`^0`, `^1`, …, two-character codes, reset at 1,936 entries), escapes (`~~`,
/// `~^`, `` ~` ``), scalars (`~_ ~? ~i ~n ~d ~f ~m ~t ~u ~r ~c ~: ~$ ~b ~z`), and the tags `set`,
/// `list`, `cmap` and `'` (quote). What JSON lacks becomes its nearest JSON value:
/// - `~m<ms>` timestamps become RFC 3339 UTC strings, which a `date-time` schema accepts;
/// - `~f` decimals and `~n` big integers become numbers (an exact Int64 where they fit);
/// - keywords, symbols, UUIDs, URIs, characters and binary become their text; `~z` NaN/INF too,
///   since JSON has no such numbers;
/// - map keys that are not strings become their JSON text.
struct TransitDecoder {
    struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func decode(_ value: JSONValue) throws(Failure) -> JSONValue {
        var decoder = TransitDecoder()
        return try decoder.decode(value)
    }

    /// A decoded string is either a value or a tag awaiting its representation.
    private enum Item {
        case value(JSONValue)
        case tag(String)
    }

    private static let cacheCodeDigits = 44
    private static let cacheCodeBase = 48
    private static let maximumCacheEntries = cacheCodeDigits * cacheCodeDigits

    private var cache: [Item] = []

    private mutating func decode(_ value: JSONValue) throws(Failure) -> JSONValue {
        switch value {
        case .string(let text):
            switch try read(text, asMapKey: false) {
            case .value(let decoded): return decoded
            case .tag(let tag): throw Failure(message: "The transit tag ~#\(tag) stands alone, without a value")
            }
        case .array(let elements):
            return try decodeArray(elements)
        case .object(let object):
            return try decodeVerboseMap(object)
        case .null, .bool, .integer, .number:
            return value
        }
    }

    private mutating func decodeArray(_ elements: [JSONValue]) throws(Failure) -> JSONValue {
        guard case .string(let first)? = elements.first else { return .array(try decodeAll(elements[...])) }
        if first == "^ " { return try decodeMap(elements.dropFirst()) }
        switch try read(first, asMapKey: false) {
        case .tag(let tag):
            guard elements.count == 2 else {
                throw Failure(message: "The transit tag ~#\(tag) must be followed by exactly one value")
            }
            return try decodeTagged(tag, elements[1])
        case .value(let value):
            return .array([value] + (try decodeAll(elements.dropFirst())))
        }
    }

    /// In order, since decoding fills the cache.
    private mutating func decodeAll(_ elements: ArraySlice<JSONValue>) throws(Failure) -> [JSONValue] {
        var decoded: [JSONValue] = []
        decoded.reserveCapacity(elements.count)
        for element in elements { decoded.append(try decode(element)) }
        return decoded
    }

    /// `["^ ", k1, v1, k2, v2, …]`.
    private mutating func decodeMap(_ pairs: ArraySlice<JSONValue>) throws(Failure) -> JSONValue {
        guard pairs.count.isMultiple(of: 2) else { throw Failure(message: "A transit map has a key without a value") }
        var object = JSONObject()
        var index = pairs.startIndex
        while index < pairs.endIndex {
            let key = try decodeKey(pairs[index])
            object[key] = try decode(pairs[index + 1])
            index += 2
        }
        return .object(object)
    }

    /// Verbose mode writes maps as JSON objects, and a tagged value as `{"~#tag": value}`.
    private mutating func decodeVerboseMap(_ source: JSONObject) throws(Failure) -> JSONValue {
        var object = JSONObject()
        for (rawKey, rawValue) in source.members {
            switch try read(rawKey, asMapKey: true) {
            case .tag(let tag) where source.count == 1:
                return try decodeTagged(tag, rawValue)
            case .tag(let tag):
                throw Failure(message: "The transit tag ~#\(tag) is a map key beside other keys")
            case .value(let key):
                object[Self.keyText(key)] = try decode(rawValue)
            }
        }
        return .object(object)
    }

    private mutating func decodeKey(_ raw: JSONValue) throws(Failure) -> String {
        if case .string(let text) = raw {
            guard case .value(let key) = try read(text, asMapKey: true) else {
                throw Failure(message: "A transit map key is a tag")
            }
            return Self.keyText(key)
        }
        return Self.keyText(try decode(raw))
    }

    private static func keyText(_ key: JSONValue) -> String {
        if case .string(let text) = key { return text }
        return key.jsonText
    }

    private mutating func decodeTagged(_ tag: String, _ representation: JSONValue) throws(Failure) -> JSONValue {
        switch tag {
        case "'":
            return try decode(representation)
        case "set", "list":
            guard case .array(let elements) = representation else {
                throw Failure(message: "The transit tag ~#\(tag) needs an array")
            }
            return .array(try decodeAll(elements[...]))
        case "cmap":
            guard case .array(let elements) = representation, elements.count.isMultiple(of: 2) else {
                throw Failure(message: "The transit tag ~#cmap needs an array of keys and values")
            }
            var object = JSONObject()
            var index = 0
            while index < elements.count {
                let key = Self.keyText(try decode(elements[index]))
                object[key] = try decode(elements[index + 1])
                index += 2
            }
            return .object(object)
        default:
            // A scalar may also travel as a tagged value with a one-letter tag, e.g. ["~#m", 1577836800000].
            if tag.count == 1, case .value(let value) = try scalar(tag, Self.text(of: representation)) {
                return value
            }
            throw Failure(message: "Unknown transit tag ~#\(tag)")
        }
    }

    private static func text(of value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }

    // MARK: Strings and the cache

    private mutating func read(_ text: String, asMapKey: Bool) throws(Failure) -> Item {
        let utf8 = Array(text.utf8)
        if utf8.first == UInt8(ascii: "^"), text != "^ " { return try cached(utf8) }
        let item = try parse(text, utf8)
        if Self.isCacheable(utf8, asMapKey: asMapKey) {
            if cache.count == Self.maximumCacheEntries { cache.removeAll(keepingCapacity: true) }
            cache.append(item)
        }
        return item
    }

    private static func isCacheable(_ utf8: [UInt8], asMapKey: Bool) -> Bool {
        guard utf8.count > 3 else { return false }
        if asMapKey { return true }
        return utf8[0] == UInt8(ascii: "~")
            && [UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "#")].contains(utf8[1])
    }

    private func cached(_ code: [UInt8]) throws(Failure) -> Item {
        let digits = code.dropFirst().map { Int($0) - Self.cacheCodeBase }
        guard (1...2).contains(digits.count), digits.allSatisfy({ (0..<Self.cacheCodeDigits).contains($0) }) else {
            throw Failure(message: "Bad transit cache reference \(String(decoding: code, as: UTF8.self))")
        }
        let index = digits.count == 1 ? digits[0] : digits[0] * Self.cacheCodeDigits + digits[1]
        guard index < cache.count else {
            throw Failure(message: "The transit cache reference \(String(decoding: code, as: UTF8.self)) comes before its value")
        }
        return cache[index]
    }

    private func parse(_ text: String, _ utf8: [UInt8]) throws(Failure) -> Item {
        guard utf8.first == UInt8(ascii: "~"), utf8.count >= 2 else { return .value(.string(text)) }
        let marker = String(decoding: utf8[1...1], as: UTF8.self)
        let rest = String(decoding: utf8[2...], as: UTF8.self)
        switch marker {
        case "~", "^", "`": return .value(.string(String(decoding: utf8[1...], as: UTF8.self)))
        case "#": return .tag(rest)
        default: return try scalar(marker, rest)
        }
    }

    private func scalar(_ marker: String, _ text: String) throws(Failure) -> Item {
        func bad() -> Failure { Failure(message: "Bad transit value ~\(marker)\(text)") }
        switch marker {
        case "_": return .value(.null)
        case "?":
            guard text == "t" || text == "f" else { throw bad() }
            return .value(.bool(text == "t"))
        case "i", "n":
            if let integer = Int64(text) { return .value(.integer(integer)) }
            guard let number = Double(text), text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) else { throw bad() }
            return .value(.number(number))
        case "d", "f":
            guard let number = Double(text), number.isFinite else { throw bad() }
            return .value(.number(number))
        case "m":
            guard let milliseconds = Int64(text), let instant = Self.utcText(milliseconds: milliseconds) else { throw bad() }
            return .value(.string(instant))
        case "s", "t", "u", "r", "c", ":", "$", "b", "z":
            return .value(.string(text))
        default:
            throw Failure(message: "Unknown transit value ~\(marker)\(text)")
        }
    }

    private static func utcText(milliseconds: Int64) -> String? {
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let floorSeconds = remainder < 0 ? seconds - 1 : seconds
        let floorRemainder = remainder < 0 ? remainder + 1000 : remainder
        return DateTimeValue(epochSeconds: floorSeconds, nanoseconds: Int32(floorRemainder) * 1_000_000).utcText
    }
}
