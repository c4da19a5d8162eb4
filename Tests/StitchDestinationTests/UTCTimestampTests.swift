import Testing
import StitchAPI
@testable import StitchDestination

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test("Parses RFC 3339 and the docs' ±hhmm offsets into the same instant", arguments: [
        "2020-01-13T21:25:03Z", "2020-01-13T21:25:03+00:00", "2020-01-13T21:25:03+0000", "2020-01-13 21:25:03Z",
        "2020-01-13T22:25:03+01:00", "2020-01-13T20:25:03-0100", "2020-01-13T21:25:03.000Z", "2020-01-13T21:25:03",
    ])
    func parsesOffsets(text: String) throws {
        let timestamp = try #require(UTCTimestamp(iso8601: text))
        #expect(timestamp.destinationText == "2020-01-13T21:25:03.000000Z")
        #expect(timestamp.secondsText == "2020-01-13T21:25:03Z")
    }

    @Test("Keeps microseconds and rejects what is not a date-time", arguments: [
        ("2018-04-30T17:00:00.1234567Z", "2018-04-30T17:00:00.123456Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000Z"),
        ("2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000000Z"),
    ])
    func fractions(text: String, expected: String) {
        #expect(UTCTimestamp(iso8601: text)?.destinationText == expected)
    }

    @Test("Rejects malformed text", arguments: ["", "2020-13-01T00:00:00Z", "2019-02-29T00:00:00Z", "yesterday",
                                                  "2020-01-01T00:00:00Zjunk", "2020-01-01T24:00:00Z", "2020-01-01"])
    func rejects(text: String) {
        #expect(UTCTimestamp(iso8601: text) == nil)
    }

    @Test("Round-trips through the epoch")
    func epoch() {
        #expect(UTCTimestamp(secondsSinceEpoch: 0).secondsText == "1970-01-01T00:00:00Z")
        #expect(UTCTimestamp(secondsSinceEpoch: 1_577_977_767).secondsText == "2020-01-02T15:09:27Z")
        #expect(UTCTimestamp(iso8601: "2020-01-02T15:09:27Z")?.secondsSinceEpoch == 1_577_977_767)
    }
}

@Suite("UTC text of parsed date-times")
struct DateTimeTextTests {
    @Test("Formats exactly as DateTimeValue.utcText, rounding and range included")
    func matchesUTCText() {
        var samples: [DateTimeValue] = [
            DateTimeValue(epochSeconds: 0, nanoseconds: 0),
            DateTimeValue(epochSeconds: -1, nanoseconds: 999_999_500), // rounds up into the next second
            DateTimeValue(epochSeconds: 1_578_950_703, nanoseconds: 123_456_789),
            DateTimeValue(epochSeconds: -62_167_219_200, nanoseconds: 0), // 0000-01-01
            DateTimeValue(epochSeconds: -62_167_219_201, nanoseconds: 0), // year -1: nil
            DateTimeValue(epochSeconds: 253_402_300_799, nanoseconds: 999_999_400), // 9999-12-31T23:59:59.999999
            DateTimeValue(epochSeconds: 253_402_300_799, nanoseconds: 999_999_600), // rounds into year 10000: nil
        ]
        // A spread of instants across the supported years, odd steps so every field varies.
        var seconds: Int64 = -62_167_219_200
        var nanos: Int32 = 0
        while seconds < 253_402_300_800 {
            samples.append(DateTimeValue(epochSeconds: seconds, nanoseconds: nanos))
            seconds += 7_919_999_993
            nanos = (nanos &+ 123_456_791) % 1_000_000_000
        }
        for sample in samples {
            #expect(UTCTimestamp.destinationText(of: sample) == sample.utcText, "\(sample)")
        }
    }

    @Test("Parsed text comes out in UTC with microseconds", arguments: [
        ("2020-01-13T22:25:03.5+01:00", "2020-01-13T21:25:03.500000Z"),
        ("1969-12-31T23:59:59.9999996Z", "1970-01-01T00:00:00.000000Z"),
        ("2000-02-29T00:00:00-0130", "2000-02-29T01:30:00.000000Z"),
    ])
    func parsed(text: String, expected: String) throws {
        let value = try #require(DateTimeValue(parsing: text))
        #expect(UTCTimestamp.destinationText(of: value) == expected)
    }
}
