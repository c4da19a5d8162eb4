import StitchAPI

/// Realistic, reproducible batches for the benchmark: an `orders` table keyed by `id`, a dozen
/// fields per record (integers, strings, a decimal, a boolean, a nullable string, two date-times
/// with offsets that load as UTC, and a nested `address` object that flattens into four columns).
///
/// Arrays are left out on purpose: they would become child tables, and `sqlite3 .import` and
/// `COPY` fill one table, so the load comparison would no longer be like for like.
struct SampleOrders {
    static let tableName = "orders"

    /// The JSON Schema every batch carries, as a Singer tap would send it.
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "id": ["type": "integer"],
            "customer_id": ["type": "integer"],
            "email": ["type": "string"],
            "full_name": ["type": "string"],
            "status": ["type": "string", "enum": ["active", "trial", "paused", "churned"]],
            "plan": ["type": "string"],
            "amount": ["type": "number", "minimum": 0],
            "quantity": ["type": "integer", "minimum": 1],
            "is_verified": ["type": "boolean"],
            "created_at": ["type": "string", "format": "date-time"],
            "updated_at": ["type": "string", "format": "date-time"],
            "notes": ["type": ["null", "string"]],
            "address": [
                "type": "object",
                "properties": [
                    "street": ["type": "string"],
                    "city": ["type": "string"],
                    "postal_code": ["type": "string"],
                    "country": ["type": "string"],
                ],
            ],
        ],
        "required": ["id", "customer_id", "created_at"],
    ]

    private static let firstNames = ["Finn", "Jake", "Marceline", "Bonnibel", "Fionna", "Cake", "Simon", "Betty",
                                      "Phoebe", "Lumpy", "Tree", "Susan"]
    private static let lastNames = ["Mertens", "Abadeer", "Petrikov", "Grolin", "Campbell", "Nakamura", "Okafor",
                                    "Lindqvist", "Moreau", "García"]
    private static let statuses = ["active", "trial", "paused", "churned"]
    private static let plans = ["free", "starter", "team", "business", "enterprise"]
    private static let cities = [("Berlin", "DE"), ("Lyon", "FR"), ("Porto", "PT"), ("Austin", "US"), ("Osaka", "JP"),
                                 ("Lagos", "NG"), ("Malmö", "SE"), ("Toronto", "CA")]
    private static let streets = ["Main Street", "Rue de la République", "Avenida da Liberdade", "Congress Ave",
                                  "Midosuji", "Broad Street", "Södergatan", "Queen Street West"]
    private static let offsets = ["Z", "+02:00", "-05:00", "+09:00", "+01:00"]

    private var random: SplitMix64

    init(seed: UInt64 = 0x5EED_0F_0DE5) {
        random = SplitMix64(seed: seed)
    }

    /// `count` upserts with ids `firstID...`, sequences rising with the id.
    mutating func batch(firstID: Int64, count: Int) -> BatchRequest {
        let messages = (0..<Int64(count)).map { offset in
            let id = firstID + offset
            return BatchMessage(sequence: 1_700_000_000_000 + id, data: record(id: id))
        }
        return BatchRequest(tableName: Self.tableName, schema: Self.schema, messages: messages, keyNames: ["id"])
    }

    /// The request body as a client sends it.
    mutating func body(firstID: Int64, count: Int) -> [UInt8] {
        Array(batch(firstID: firstID, count: count).json.jsonText.utf8)
    }

    private mutating func record(id: Int64) -> JSONObject {
        let first = pick(Self.firstNames), last = pick(Self.lastNames)
        let (city, country) = pick(Self.cities)
        let cents = Int64(random.next(below: 5_000_000))
        var record = JSONObject()
        record["id"] = .integer(id)
        record["customer_id"] = .integer(Int64(random.next(below: 250_000)) + 1)
        record["email"] = .string("\(first.lowercased()).\(last.lowercased())\(id % 1000)@example.com")
        record["full_name"] = .string("\(first) \(last)")
        record["status"] = .string(pick(Self.statuses))
        record["plan"] = .string(pick(Self.plans))
        // Whole cents, so the decimal text is what a real export would carry (e.g. 1234.5).
        record["amount"] = .number(Double(cents) / 100)
        record["quantity"] = .integer(Int64(random.next(below: 20)) + 1)
        record["is_verified"] = .bool(random.next(below: 4) != 0)
        record["created_at"] = .string(dateTime(dayOffset: Int(random.next(below: 700)), withFraction: false))
        record["updated_at"] = .string(dateTime(dayOffset: 700 + Int(random.next(below: 60)), withFraction: true))
        record["notes"] = random.next(below: 3) == 0 ? .string("Gift wrap; deliver after \(random.next(below: 12) + 8):00") : .null
        record["address"] = [
            "street": .string("\(random.next(below: 400) + 1) \(pick(Self.streets))"),
            "city": .string(city),
            "postal_code": .string(String(10_000 + random.next(below: 89_999))),
            "country": .string(country),
        ]
        return record
    }

    /// An RFC 3339 date-time in 2023–2025 with a UTC offset, which the loader converts to UTC.
    private mutating func dateTime(dayOffset: Int, withFraction: Bool) -> String {
        // Days from 2023-01-01, walked with a fixed 28-day February: plausible, valid dates.
        let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var year = 2023, month = 0, day = dayOffset
        while day >= monthLengths[month] {
            day -= monthLengths[month]
            month += 1
            if month == 12 { month = 0; year += 1 }
        }
        let hour = random.next(below: 24), minute = random.next(below: 60), second = random.next(below: 60)
        let fraction = withFraction ? "." + padded(random.next(below: 1000), 3) : ""
        return "\(year)-\(padded(UInt64(month + 1), 2))-\(padded(UInt64(day + 1), 2))T"
            + "\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2))\(fraction)\(pick(Self.offsets))"
    }

    private func padded(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int(random.next(below: UInt64(elements.count)))]
    }
}

/// A small, fast, seedable generator, so every run benchmarks the same records.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// Uniform enough for test data; the modulo bias is irrelevant here.
    mutating func next(below bound: UInt64) -> UInt64 { next() % bound }
}
