/// An instant written as an RFC 3339 date-time, as JSON Schema's `format: "date-time"` means it.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`, with `t`/`z` in either case and a fraction
/// of any length (digits past nanoseconds are dropped). The colon-less `±HHMM` offset is not RFC 3339
/// but Stitch's own docs send it (`2020-01-13T21:25:03+0000`, spec §4.2). Leap seconds (`:60`) and a space
/// instead of `T` are refused. Parsing is done by hand so it does not depend on a locale or on Foundation.
public struct DateTimeValue: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// 0 ..< 1_000_000_000.
    public var nanoseconds: Int32

    public init(epochSeconds: Int64, nanoseconds: Int32) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
    }

    /// Parses `text`; nil when it is not a valid date-time (including impossible dates such as Feb 30).
    public init?(parsing text: String) {
        var text = text
        guard let value = text.withUTF8(Self.parse) else { return nil }
        self = value
    }

    /// Parses UTF-8 bytes as `init(parsing:)` parses a string's: what a loader that holds bytes, not
    /// Strings, checks without making a String per value.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = Self.parse(bytes) else { return nil }
        self = value
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> DateTimeValue? {
        var reader = Reader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.skip("-"),
              let month = reader.number(digits: 2), reader.skip("-"),
              let day = reader.number(digits: 2), reader.skip("T") || reader.skip("t"),
              let hour = reader.number(digits: 2), reader.skip(":"),
              let minute = reader.number(digits: 2), reader.skip(":"),
              let second = reader.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }

        var nanoseconds = 0
        if reader.skip(".") {
            var digitCount = 0
            while let digit = reader.digit() {
                if digitCount < 9 { nanoseconds = nanoseconds * 10 + digit }
                digitCount += 1
            }
            guard digitCount > 0 else { return nil }
            for _ in digitCount..<max(digitCount, 9) { nanoseconds *= 10 }
        }

        var offsetSeconds: Int64 = 0
        if reader.skip("Z") || reader.skip("z") {
            offsetSeconds = 0
        } else {
            let sign: Int64
            if reader.skip("+") { sign = 1 } else if reader.skip("-") { sign = -1 } else { return nil }
            guard let offsetHour = reader.number(digits: 2) else { return nil }
            _ = reader.skip(":")
            guard let offsetMinute = reader.number(digits: 2),
                  (0...23).contains(offsetHour), (0...59).contains(offsetMinute)
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        }
        guard reader.isAtEnd else { return nil }

        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return DateTimeValue(epochSeconds: local - offsetSeconds, nanoseconds: Int32(nanoseconds))
    }

    /// `text` as UTC with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (rounded to the nearest microsecond,
    /// as PostgreSQL stores timestamps); nil when it is not a valid date-time or lands outside years 0–9999.
    public static func normalizedUTC(_ text: String) -> String? {
        DateTimeValue(parsing: text)?.utcText
    }

    /// This instant as `YYYY-MM-DDTHH:MM:SS.ffffffZ`; nil outside years 0–9999.
    public var utcText: String? {
        var seconds = epochSeconds
        var microseconds = (Int64(nanoseconds) + 500) / 1000
        if microseconds == 1_000_000 {
            seconds += 1
            microseconds = 0
        }
        guard Self.utcTextRange.contains(seconds) else { return nil }
        return CivilCalendar.utcText(epochSeconds: seconds, microseconds: microseconds)
    }

    /// The seconds of years 0–9999, where `utcText`'s four-digit year is exact.
    private static let utcTextRange: Range<Int64> =
        CivilCalendar.daysSinceEpoch(year: 0, month: 1, day: 1) * 86_400
            ..< CivilCalendar.daysSinceEpoch(year: 10_000, month: 1, day: 1) * 86_400

    public static func < (lhs: DateTimeValue, rhs: DateTimeValue) -> Bool {
        (lhs.epochSeconds, lhs.nanoseconds) < (rhs.epochSeconds, rhs.nanoseconds)
    }

    /// A cursor over ASCII bytes.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        /// Exactly `digits` decimal digits.
        mutating func number(digits: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<digits {
                guard let digit = digit() else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
    }
}
