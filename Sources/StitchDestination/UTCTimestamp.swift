import Foundation
import StitchAPI

/// An instant in UTC with microsecond precision, and the text forms Stitch uses.
///
/// Written by hand rather than with `ISO8601DateFormatter` because the destination needs
/// microseconds and the `±hhmm` offsets the docs' examples use (`2020-01-13T21:25:03+0000`),
/// and because `Date`'s `Double` would round microseconds.
public struct UTCTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64
    /// 0..<1_000_000.
    public var microseconds: Int64

    public init(secondsSinceEpoch: Int64, microseconds: Int64 = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch + microseconds.floorDivided(by: 1_000_000)
        self.microseconds = microseconds.floorModulo(1_000_000)
    }

    public init(_ date: Date) {
        let totalMicroseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        self.init(secondsSinceEpoch: 0, microseconds: totalMicroseconds)
    }

    public static func now() -> UTCTimestamp { UTCTimestamp(Date()) }

    public static func < (lhs: UTCTimestamp, rhs: UTCTimestamp) -> Bool {
        (lhs.secondsSinceEpoch, lhs.microseconds) < (rhs.secondsSinceEpoch, rhs.microseconds)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`: fixed width, so text order is time order in SQL.
    public var destinationText: String {
        text(fraction: true)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the Connect API's timestamp form.
    public var secondsText: String {
        text(fraction: false)
    }

    public var description: String { destinationText }

    /// Parses RFC 3339 date-times and the variants Stitch's docs show: a space instead of `T`,
    /// any number of fraction digits, offsets `Z`, `±hh:mm`, `±hhmm` or `±hh`.
    /// A missing offset is read as UTC [?]: strict RFC 3339 requires one, but a local sandbox
    /// that drops such values would surprise more than it helps.
    public init?(iso8601 text: String) {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
              let month = scanner.number(digits: 2), scanner.skip("-"),
              let day = scanner.number(digits: 2),
              scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
              let hour = scanner.number(digits: 2), scanner.skip(":"),
              let minute = scanner.number(digits: 2), scanner.skip(":"),
              let second = scanner.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var micros: Int64 = 0
        if scanner.skip(".") {
            var digits = 0
            while let digit = scanner.digit() {
                if digits < 6 { micros = micros * 10 + Int64(digit) }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if scanner.skip("Z") || scanner.skip("z") || scanner.isAtEnd {
            offsetSeconds = 0
        } else if let sign = scanner.sign() {
            guard let offsetHours = scanner.number(digits: 2) else { return nil }
            var offsetMinutes: Int64 = 0
            if scanner.skip(":") {
                guard let minutes = scanner.number(digits: 2) else { return nil }
                offsetMinutes = minutes
            } else if let minutes = scanner.number(digits: 2) {
                offsetMinutes = minutes
            }
            guard offsetHours < 24, offsetMinutes < 60 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard scanner.isAtEnd else { return nil }
        // A leap second (:60) is folded into the next second, as most databases do.
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        self.init(secondsSinceEpoch: seconds, microseconds: micros)
    }

    private func text(fraction: Bool) -> String {
        let days = secondsSinceEpoch.floorDivided(by: 86_400)
        let secondOfDay = secondsSinceEpoch.floorModulo(86_400)
        let (year, month, day) = Self.civilFromDays(days)
        var result = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
        result += "T" + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay % 3600 / 60, 2)
        result += ":" + Self.pad(secondOfDay % 60, 2)
        if fraction { result += "." + Self.pad(microseconds, 6) }
        return result + "Z"
    }

    /// `DateTimeValue.utcText` (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, rounded to the microsecond; nil
    /// outside years 0–9999), written into one 27-byte buffer: the loader formats every date-time
    /// field of every record, and building the text from padded pieces costs more than the parse.
    static func destinationText(of value: DateTimeValue) -> String? {
        var seconds = value.epochSeconds
        var micros = (Int64(value.nanoseconds) + 500) / 1000
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds.floorModulo(86_400)
        let (year, month, day) = civilFromDays(days)
        guard (0...9999).contains(year) else { return nil }
        return String(unsafeUninitializedCapacity: 27) { buffer in
            func put(_ number: Int64, width: Int, at end: Int) {
                var rest = number
                for index in stride(from: end - 1, through: end - width, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, width: 4, at: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 7)
            buffer[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 10)
            buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, width: 2, at: 13)
            buffer[13] = UInt8(ascii: ":")
            put(secondOfDay % 3600 / 60, width: 2, at: 16)
            buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, width: 2, at: 19)
            buffer[19] = UInt8(ascii: ".")
            put(micros, width: 6, at: 26)
            buffer[26] = UInt8(ascii: "Z")
            return 27
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func isLeap(_ year: Int64) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    mutating func number(digits count: Int) -> Int64? {
        let start = index
        var value: Int64 = 0
        for _ in 0..<count {
            guard let digit = digit() else { index = start; return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
