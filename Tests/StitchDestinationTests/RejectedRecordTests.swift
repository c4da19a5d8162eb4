import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// What reaches `_sdc_rejected` (spec §4.9; issue 10, items 4 and 6), on every destination.
@Suite("Loader: rejected records (every destination)")
struct RejectedRecordTests {
    /// Pretty-printed on purpose: the stored record drops the layout, never the numbers' text.
    static let numbersBody = #"""
        {"table_name": "numbers", "key_names": ["id"],
         "schema": {"properties": {"id": {"type": "integer"}, "n": {"type": "integer"}, "x": {"type": "number"}}},
         "messages": [
          {"action": "upsert", "sequence": 1, "data": {"id": 1, "n": -9223372036854775809, "x": 1.0}},
          {"action": "upsert", "sequence": 1, "data": {"id": 2, "n": 9223372036854775808, "x": 1e3}},
          {"action": "upsert", "sequence": 1, "data": {"id": 3, "n": -9223372036854775808, "x": 1.5}},
          {"action": "upsert", "sequence": 1, "data": {"id": 4, "n": 9223372036854775807}},
          {"action": "upsert", "sequence": 1,
           "data": { "id" : 5, "a!": 1, "a": 2, "x": 12345678901234567890.5, "s": "\u00e9 \"q\" \\n" }}
         ]}
        """#

    @Test("Integers below Int64.min are rejected like those above Int64.max; the record keeps numbers as sent",
          arguments: DestinationUnderTest.available)
    func integerBoundsAndNumberText(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let summary = try await loader.load(number: 1, body: Self.numbersBody)
            #expect(summary.rejected == 3)
            #expect(try await loader.rows("numbers").map { [$0["id"], $0["n"]] }
                        == [["3", "-9223372036854775808"], ["4", "9223372036854775807"]])
            let rejected = try await loader.rows("_sdc_rejected")
            let byRecord = Dictionary(uniqueKeysWithValues: rejected.map { ($0["record"] ?? "", $0["reason"] ?? "") })
            #expect(byRecord == [
                #"{"id":1,"n":-9223372036854775809,"x":1.0}"#: "Value -9.223372036854776e+18 of field n is out of range for bigint",
                #"{"id":2,"n":9223372036854775808,"x":1e3}"#: "Value 9.223372036854776e+18 of field n is out of range for bigint",
                #"{"id":5,"a!":1,"a":2,"x":12345678901234567890.5,"s":"\u00e9 \"q\" \\n"}"#: "Field collision on a",
            ])
            #expect(rejected.allSatisfy { $0["table_name"] == "numbers" })
        }
    }

    @Test("A whole batch rejected by Destination.reject lands in _sdc_rejected once; the batch then counts as loaded",
          arguments: DestinationUnderTest.available)
    func wholeBatchRejected(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let receivedAt = UTCTimestamp(secondsSinceEpoch: 1_600_000_001)
            let rejected = RejectedBatch(number: 1, schemaName: loader.schema, receivedAt: receivedAt, tableName: "customers",
                                         reason: "The destination refused the batch: no", records: [#"{"id":1}"#, "{\"id\":\u{0}2}"])
            let first = try await loader.destination.reject(rejected, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
            #expect(first.rejected == 2)
            #expect(!first.wasReplay)
            #expect(first.firstRejection == "The destination refused the batch: no")
            let again = try await loader.destination.reject(rejected, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_800_000_000))
            #expect(again.wasReplay)
            // The same batch through `load` is a replay too: it never loads after its records were rejected.
            let load = try await loader.load(number: 1, messages: [upsert(1, ["id": 1])], receivedAt: receivedAt)
            #expect(load.wasReplay)
            #expect(Set(try await loader.tables()) == ["_sdc_rejected"])
            let rows = try await loader.rows("_sdc_rejected")
            #expect(rows.map { $0["record"] } == [#"{"id":1}"#, #"{"id":\u00002}"#])
            #expect(rows.allSatisfy { $0["table_name"] == "customers" && $0["reason"] == "The destination refused the batch: no"
                                      && $0["_sdc_rejected_at"] == "2023-11-14T22:13:20.000000Z" })
        }
    }

    @Test("A batch built in memory (no body) stores its records as the parsed values print")
    func recordTextWithoutBody() {
        let sent = batch(number: 1, messages: [upsert(1, ["id": 1, "x": 1.5]), activateVersion(2), upsert(3, ["id": 2])])
        #expect(sent.recordTexts([0, 2], limit: 100) == [#"{"id":1,"x":1.5}"#, #"{"id":2}"#])
        #expect(sent.recordTexts([0], limit: 7) == [#"{"id":1"#])
    }
}
