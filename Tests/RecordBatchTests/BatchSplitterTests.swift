@testable import RecordBatch
import StitchAPI
import RecordInput
import Testing

struct BatchSplitterTests {
    private func rows(_ count: Int, text: String = "x") -> RecordBatch {
        var batch = RecordBatch(tableName: "events", columns: [BatchColumn(name: "id", type: .integer), BatchColumn(name: "s", type: .string)],
                                keyNames: ["id"])
        var index: [String: Int] = ["id": 0, "s": 1]
        for row in 0..<count { batch.appendRecord(JSONObject([("id", .integer(Int64(row))), ("s", .string(text))]), columnIndex: &index) }
        return batch
    }

    private func request(_ part: BatchSplitter.Part) throws -> BatchRequest {
        try BatchRequest(json: JSONParser.parse(part.batch.body))
    }

    @Test func fortyFiveThousandRowsAreThreeRequestsOfAtMostTwentyThousand() throws {
        let parts = try BatchSplitter.parts(of: rows(45_000), now: 1_000)
        #expect(parts.map(\.rows) == [0..<20_000, 20_000..<40_000, 40_000..<45_000])
        let requests = try parts.map(request)
        #expect(requests.map(\.messages.count) == [20_000, 20_000, 5_000])
        let sequences = requests.flatMap { $0.messages.map(\.sequence) }
        #expect(sequences == (0..<45_000).map { 1_000 + Int64($0) }, "unset sequences: the send time, one more per row")
        #expect(requests.flatMap { $0.messages.compactMap { $0.data?["id"] } } == (0..<45_000).map { .integer(Int64($0)) })
        #expect(requests.allSatisfy { $0.tableName == "events" && $0.keyNames == ["id"] && $0.messages.allSatisfy { $0.action == .upsert } })
    }

    @Test func bytesSplitToo() throws {
        let batch = rows(50, text: String(repeating: "b", count: 1_000))
        let limits = BatchLimits(targetBytes: 10_000, maximumBytes: 10_000)
        let parts = try BatchSplitter.parts(of: batch, now: 0, limits: limits)
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.batch.body.count <= 10_000 })
        #expect(parts.map(\.rows.count).reduce(0, +) == 50)
        #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.rows.upperBound == $1.rows.lowerBound })
        #expect(try parts.map { try request($0).messages.count } == parts.map(\.rows.count))
    }

    @Test func setSequencesAreKeptAndARowTooBigAloneIsNamed() throws {
        var batch = rows(3)
        try batch.apply(.setSequence(row: 1, 42))
        let request = try request(try #require(try BatchSplitter.parts(of: batch, now: 100).first))
        #expect(request.messages.map(\.sequence) == [100, 42, 101])
        try batch.apply(.setText(row: 2, column: 1, text: String(repeating: "z", count: 600)))
        #expect(throws: BatchProblem.self) { try BatchSplitter.parts(of: batch, now: 0, limits: BatchLimits(maximumBytes: 500)) }
        do {
            _ = try BatchSplitter.parts(of: batch, now: 0, limits: BatchLimits(maximumBytes: 500))
        } catch {
            #expect(error.row == 2)
        }
        #expect(try BatchSplitter.parts(of: RecordBatch(tableName: "empty"), now: 0).isEmpty)
    }

    /// The editor sends one request at a time, each from a new splitter where the last ended: the
    /// same requests as one splitter, the same rows and sequences.
    @Test func aSplitterStartingAtARowMakesTheSameRequestsAsOneSplitter() throws {
        let batch = rows(45_000)
        let whole = try BatchSplitter.parts(of: batch, now: 5_000)
        var row = 0
        var parts: [BatchSplitter.Part] = []
        while true {
            var splitter = BatchSplitter(batch, startingAt: row, now: 5_000)
            guard let part = try splitter.next() else { break }
            parts.append(part)
            row = part.rows.upperBound
        }
        #expect(parts.map(\.rows) == [0..<20_000, 20_000..<40_000, 40_000..<45_000])
        #expect(parts.map(\.rows) == whole.map(\.rows))
        #expect(try parts.map { try request($0).messages.map(\.sequence) } == whole.map { try request($0).messages.map(\.sequence) })
        var past = BatchSplitter(batch, startingAt: 45_000, now: 0)
        #expect(try past.next() == nil)
    }
}
