import Testing
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
