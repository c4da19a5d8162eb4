/// How everit (Java, org.json) names and prints values, plus the numeric comparisons the checks need.
extension JSONValue {
    /// The Java class name everit prints after "found: ". An integral number counts as Integer; other
    /// numbers print as Number.
    var everitTypeName: String {
        switch self {
        case .null: "Null"
        case .bool: "Boolean"
        case .integer: "Integer"
        case .number(let value): value.isFinite && value.rounded() == value ? "Integer" : "Number"
        case .string: "String"
        case .array: "JSONArray"
        case .object: "JSONObject"
        }
    }

    /// The value as Java's `toString()` prints it in messages: strings bare, doubles like `Double.toString`
    /// (`200.0`, `1.0E7`), containers as compact JSON.
    var everitText: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): JavaDoubleText.format(value)
        case .string(let value): value
        case .array, .object: jsonText
        }
    }

    var isNumeric: Bool {
        switch self {
        case .integer, .number: true
        default: false
        }
    }

    /// The numeric value as a Double; 0 for non-numbers.
    var doubleValue: Double {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: 0
        }
    }

    /// JSON Schema equality (for `enum`, `const`, `uniqueItems`): numbers compare by value, so `1` equals
    /// `1.0`; objects compare regardless of key order.
    func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number):
            return NumericOrder.compare(self, other) == 0
        case (.array(let lhs), .array(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.schemaEquals($1) }
        case (.object(let lhs), .object(let rhs)):
            guard lhs.count == rhs.count else { return false }
            return lhs.members.allSatisfy { member in rhs[member.key].map { member.value.schemaEquals($0) } ?? false }
        default:
            return self == other
        }
    }
}

/// Exact ordering of JSON numbers, whether stored as Int64 or Double.
enum NumericOrder {
    /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`. Both must be numeric.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.integer(let a), .number(let b)): return compare(a, b)
        case (.number(let a), .integer(let b)): return -compare(b, a)
        default:
            let a = lhs.doubleValue, b = rhs.doubleValue
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    /// Compares without rounding the integer through Double, which would blur values beyond 2^53.
    private static func compare(_ integer: Int64, _ double: Double) -> Int {
        if double >= 0x1p63 { return -1 }
        if double < -0x1p63 { return 1 }
        let whole = double.rounded(.down)
        let wholeInteger = Int64(whole)
        if integer != wholeInteger { return integer < wholeInteger ? -1 : 1 }
        return whole == double ? 0 : -1
    }
}

/// Java's `Double.toString`: plain notation for 10^-3 ≤ |x| < 10^7 (always with a fraction digit),
/// otherwise `d.dddE±n`. Swift's shortest round-trip digits are reused, only the layout differs.
enum JavaDoubleText {
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let sign = value < 0 ? "-" : ""
        let (digits, exponent) = decompose(value.magnitude)
        let magnitude = value.magnitude
        if magnitude >= 1e-3 && magnitude < 1e7 {
            if exponent >= 0 {
                let padded = digits + String(repeating: "0", count: max(0, exponent + 1 - digits.count))
                let integerPart = padded.prefix(exponent + 1)
                let fraction = padded.dropFirst(exponent + 1)
                return sign + integerPart + "." + (fraction.isEmpty ? "0" : fraction)
            }
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let rest = digits.dropFirst()
        return sign + digits.prefix(1) + "." + (rest.isEmpty ? "0" : rest) + "E" + String(exponent)
    }

    /// Significant digits (no leading or trailing zeros) and the decimal exponent of the first one.
    private static func decompose(_ magnitude: Double) -> (digits: String, exponent: Int) {
        let text = "\(magnitude)"
        var mantissa = Substring(text)
        var exponentShift = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponentShift = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart = mantissa.split(separator: ".", omittingEmptySubsequences: false).first ?? ""
        let fractionPart = mantissa.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first ?? ""
        let all = String(integerPart) + String(fractionPart)
        let leadingZeros = all.prefix { $0 == "0" }.count
        var digits = String(all.dropFirst(leadingZeros))
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { digits = "0" }
        let exponent = integerPart.count - 1 - leadingZeros + exponentShift
        return (digits, exponent)
    }
}
