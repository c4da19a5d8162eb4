import StitchAPI

/// Rows made up from a batch's schema, for demos and trying a destination: a value of each
/// column's type (integers, numbers, booleans, names and words, RFC 3339 date-times, small objects
/// and arrays), within the property's `enum`, `minimum`/`maximum`, `minLength`/`maxLength` and
/// `minItems`/`maxItems`, and, inside an object, its declared `properties` and `required`.
///
/// The same seed gives the same rows (a SplitMix64 generator, not the system's random source), and
/// key columns get values no other row of the batch has: integers counting up from the largest
/// there, strings and date-times numbered past the rows already held. A `pattern` is not
/// generated for: such a column's strings may not match it, and the checks then say so.
public struct SampleData: Sendable {
    private var random: SplitMix64

    public init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// Appends `count` rows to `batch`; their `sequence`s are left to the send time.
    public mutating func appendRows(_ count: Int, to batch: inout RecordBatch) {
        guard count > 0 else { return }
        let keys = Set(batch.keyNames ?? [])
        var keyMakers: [Int: KeyMaker] = [:]
        for (index, column) in batch.columns.enumerated() where keys.contains(column.name) {
            keyMakers[index] = KeyMaker(column: index, in: batch)
        }
        for _ in 0..<count {
            for (index, column) in batch.columns.enumerated() {
                let value: CellValue
                if keyMakers[index] != nil {
                    value = keyMakers[index]?.next(type: column.type, property: column.property) ?? .absent
                } else {
                    value = cell(for: column)
                }
                batch.cells[index].append(value)
            }
            batch.sequences.append(.absent)
            batch.timesExtracted.append(.absent)
        }
    }

    // MARK: Values

    private mutating func cell(for column: BatchColumn) -> CellValue {
        let type = column.type
        // One null in ten where the column takes it, so the destination's NULLs show too.
        if type.isNullable && !type.kinds.isEmpty && random.below(10) == 0 { return .null }
        guard !type.kinds.isEmpty else { return .string(word()) }
        let value = self.value(schema: .object(column.property), kind: type.kinds[random.below(type.kinds.count)],
                               format: type.format, name: column.name, depth: 0)
        return CellValue(value, dateTime: type.isDateTime)
    }

    /// A value of `kind` meeting the keywords of `schema` that are generated for.
    private mutating func value(schema: JSONValue, kind: ColumnKind, format: String?, name: String, depth: Int) -> JSONValue {
        if let choices = schema["enum"]?.arrayValue, !choices.isEmpty { return choices[random.below(choices.count)] }
        if let constant = schema["const"] { return constant }
        switch kind {
        case .integer:
            let low = Self.integer(schema["minimum"]) ?? 0
            let high = max(low, Self.integer(schema["maximum"]) ?? low.addingReportingOverflow(999).partialValue)
            let (span, overflow) = high.subtractingReportingOverflow(low)
            return .integer(low &+ Int64(random.below(Int(overflow ? 1_000_000 : min(span, 1_000_000)) + 1)))
        case .number:
            let low = Self.number(schema["minimum"]) ?? 0
            let high = max(low, Self.number(schema["maximum"]) ?? low + 1_000)
            // Two decimals, as a price or a score would have.
            let hundredths = ((low + (high - low) * random.unit()) * 100).rounded() / 100
            return .number(min(max(hundredths, low), high))
        case .boolean:
            return .bool(random.below(2) == 0)
        case .string:
            if format == "date-time" { return .string(Self.dateTime(offsetSeconds: Int64(random.below(366 * 86_400)))) }
            return .string(fitted(text(for: name), schema))
        case .object:
            return .object(object(schema: schema, depth: depth))
        case .array:
            return .array(array(schema: schema, depth: depth))
        }
    }

    private mutating func object(schema: JSONValue, depth: Int) -> JSONObject {
        guard let properties = schema["properties"]?.objectValue, !properties.isEmpty, depth < 3 else {
            return JSONObject([("label", .string(word())), ("count", .integer(Int64(random.below(100))))])
        }
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var members: [(String, JSONValue)] = []
        for (name, property) in properties.members {
            // Optional members are left out now and then, as real records do.
            if !required.contains(name) && random.below(5) == 0 { continue }
            members.append((name, nested(schema: property, name: name, depth: depth + 1)))
        }
        return JSONObject(members)
    }

    private mutating func array(schema: JSONValue, depth: Int) -> [JSONValue] {
        let low = Int(Self.integer(schema["minItems"]) ?? 1)
        let high = max(low, Int(Self.integer(schema["maxItems"]) ?? Int64(low + 3)))
        let count = low + random.below(min(high - low, 5) + 1)
        let items = schema["items"] ?? ["type": "integer"]
        return (0..<count).map { _ in depth < 3 ? nested(schema: items, name: "item", depth: depth + 1) : .integer(0) }
    }

    /// A value for a nested property's schema, by its `type` (a name or a list; null where listed
    /// and drawn), or its `anyOf`'s first branch.
    private mutating func nested(schema: JSONValue, name: String, depth: Int) -> JSONValue {
        if let branch = schema["anyOf"]?.arrayValue?.first(where: { $0["type"]?.stringValue != "null" }) {
            return nested(schema: branch, name: name, depth: depth)
        }
        let types: [String] = switch schema["type"] {
        case .string(let type)?: [type]
        case .array(let list)?: list.compactMap(\.stringValue)
        default: ["string"]
        }
        let kinds = types.compactMap(ColumnKind.init(rawValue:))
        guard !kinds.isEmpty else { return .null }
        return value(schema: schema, kind: kinds[random.below(kinds.count)], format: schema["format"]?.stringValue,
                     name: name, depth: depth)
    }

    // MARK: Text

    /// A person's name for a column called like one, an email for an email, else a word or two.
    private mutating func text(for column: String) -> String {
        let lowered = column.lowercased()
        if lowered.contains("email") {
            return "\(Self.firstNames[random.below(Self.firstNames.count)].lowercased())@example.com"
        }
        if lowered.contains("name") {
            return "\(Self.firstNames[random.below(Self.firstNames.count)]) \(Self.lastNames[random.below(Self.lastNames.count)])"
        }
        return random.below(3) == 0 ? "\(word()) \(word())" : word()
    }

    private mutating func word() -> String { Self.words[random.below(Self.words.count)] }

    /// `text` within the schema's `minLength`/`maxLength` (counted in characters, as the validator does).
    private func fitted(_ text: String, _ schema: JSONValue) -> String {
        var fitted = text
        if let maximum = Self.integer(schema["maxLength"]), fitted.count > maximum { fitted = String(fitted.prefix(Int(max(0, maximum)))) }
        if let minimum = Self.integer(schema["minLength"]), fitted.count < minimum {
            fitted += String(repeating: "x", count: Int(minimum) - fitted.count)
        }
        return fitted
    }

    /// 2026-01-01T00:00:00Z plus `offsetSeconds`, in UTC.
    static func dateTime(offsetSeconds: Int64) -> String {
        let base: Int64 = 1_767_225_600 // 2026-01-01T00:00:00Z
        let seconds = base + offsetSeconds
        var days = seconds / 86_400
        let inDay = seconds % 86_400
        // Civil from days (Howard Hinnant's algorithm), days since 1970-01-01.
        days += 719_468
        let era = days / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(inDay / 3_600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))Z"
    }

    static func integer(_ value: JSONValue?) -> Int64? {
        switch value {
        case .integer(let number)?: number
        case .number(let number)?: ColumnType.int64(exactly: number.rounded(.up))
        default: nil
        }
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let number)?: Double(number)
        case .number(let number)?: number
        default: nil
        }
    }

    static let firstNames = ["Ada", "Finn", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia",
                             "Linus", "Margaret", "Dennis", "Hedy", "Tim", "Karen", "Niklaus", "Annie", "John", "Sophie"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman",
                            "Torvalds", "Hamilton", "Ritchie", "Lamarr", "Berners-Lee", "Jones", "Wirth", "Easley", "Wilson"]
    static let words = ["apple", "river", "copper", "meadow", "lantern", "harbor", "velvet", "summit", "pebble", "orchid",
                        "falcon", "canyon", "ember", "glacier", "juniper", "marble", "nectar", "prairie", "quartz", "saffron",
                        "thistle", "willow", "zephyr", "bramble", "cobalt", "delta", "fjord", "granite", "indigo", "kelp"]
}

extension RecordBatch {
    /// The batch with `count` rows of sample data appended (`SampleData`); deterministic for `seed`.
    public func appendingSampleRows(count: Int, seed: UInt64) -> RecordBatch {
        var batch = self
        var sample = SampleData(seed: seed)
        sample.appendRows(count, to: &batch)
        return batch
    }
}

/// Values for one key column that no row of the batch has yet.
private struct KeyMaker {
    var nextInteger: Int64
    var nextNumber: Int64
    var taken: Set<String>

    init(column: Int, in batch: RecordBatch) {
        var largest: Int64 = 0
        var taken: Set<String> = []
        for row in 0..<batch.rowCount {
            let value = batch[row, column]
            switch value {
            case .integer(let number): largest = max(largest, number)
            case .number(let number): largest = max(largest, ColumnType.int64(exactly: number.rounded(.up)) ?? largest)
            default: break
            }
            if value != .absent { taken.insert(value.text) }
        }
        nextInteger = largest == .max ? 0 : largest + 1
        nextNumber = Int64(batch.rowCount + 1)
        self.taken = taken
    }

    mutating func next(type: ColumnType, property: JSONObject) -> CellValue {
        let kinds = type.kinds.isEmpty ? [ColumnKind.string] : type.kinds
        if kinds.contains(.integer) || kinds.contains(.number) {
            defer { nextInteger += 1 }
            return .integer(nextInteger)
        }
        while true {
            defer { nextNumber += 1 }
            let value: CellValue
            if type.isDateTime {
                value = .dateTime(SampleData.dateTime(offsetSeconds: nextNumber * 60))
            } else if kinds.contains(.string) {
                value = .string("key-\(nextNumber)")
            } else if kinds.contains(.boolean) {
                // Only two values exist: a third row repeats one (the checks do not require unique keys).
                value = .boolean(nextNumber % 2 == 0)
            } else {
                value = .json(.object(JSONObject([("id", .integer(nextNumber))])))
            }
            if !taken.contains(value.text) || kinds == [.boolean] {
                taken.insert(value.text)
                return value
            }
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small generator whose output depends on the seed only.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// In [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
