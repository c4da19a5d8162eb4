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
        let (carry, rest) = CivilCalendar.floorDivide(microseconds, 1_000_000)
        self.secondsSinceEpoch = secondsSinceEpoch + carry
        self.microseconds = rest
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
        CivilCalendar.utcText(epochSeconds: secondsSinceEpoch, microseconds: microseconds)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the Connect API's timestamp form.
    public var secondsText: String {
        CivilCalendar.utcText(epochSeconds: secondsSinceEpoch)
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
        guard (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day),
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
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        self.init(secondsSinceEpoch: seconds, microseconds: micros)
    }

    /// `DateTimeValue.utcText` (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, rounded to the microsecond; nil
    /// outside years 0–9999), written into one 27-byte buffer: the loader formats every date-time
    /// field of every record, and building the text from padded pieces costs more than the parse.
    static func destinationText(of value: DateTimeValue) -> String? {
        guard let parts = DestinationTextParts(value) else { return nil }
        return String(unsafeUninitializedCapacity: DestinationTextParts.length) { buffer in
            parts.write(into: buffer)
            return DestinationTextParts.length
        }
    }

    /// `destinationText(of:)` appended to `bytes` (the loader's arena of texts), without a `String`
    /// in between; false, and nothing appended, outside years 0–9999.
    static func appendDestinationText(of value: DateTimeValue, to bytes: inout [UInt8]) -> Bool {
        guard let parts = DestinationTextParts(value) else { return false }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: DestinationTextParts.length))
        bytes[start...].withUnsafeMutableBufferPointer { parts.write(into: $0) }
        return true
    }
}

/// A date-time's fields in UTC, rounded to the microsecond, for `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
private struct DestinationTextParts {
    static let length = 27
    let year: Int64, month: Int64, day: Int64, secondOfDay: Int64, micros: Int64

    /// nil outside years 0–9999.
    init?(_ value: DateTimeValue) {
        var seconds = value.epochSeconds
        var micros = (Int64(value.nanoseconds) + 500) / 1000
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        let (days, secondOfDay) = CivilCalendar.floorDivide(seconds, 86_400)
        let (year, month, day) = CivilCalendar.civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else { return nil }
        (self.year, self.month, self.day, self.secondOfDay, self.micros) = (year, month, day, secondOfDay, micros)
    }

    /// Writes the text into the first `length` bytes of `buffer`.
    func write(into buffer: UnsafeMutableBufferPointer<UInt8>) {
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
