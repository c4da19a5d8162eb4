@testable import RecordBatch
import RecordInput
import StitchAPI
import Testing

/// `RecordJSONWriter` writes a row's JSON from the cells; what it must match is what sending did
/// before it: `JSONValue.object(batch.record(row)).jsonText`.
struct RecordJSONWriterTests {
    /// The old path's bytes for a row.
    private func oldBytes(_ batch: RecordBatch, row: Int) -> [UInt8] {
        Array(JSONValue.object(batch.record(row)).jsonText.utf8)
    }

    private static let awkwardStrings: [String] = [
        "", "a", "12345678", "123456789", "quote \" and backslash \\ and slash /", "\"", "\\",
        "line\nbreak\rreturn\ttab", "\u{0}\u{1}\u{7}\u{8}\u{b}\u{c}\u{e}\u{1f}\u{7f}", "a\u{0}", "é", "e\u{301}", "日本語のテキスト",
        "emoji 😀👩‍👩‍👧 flag 🇳🇴", "\u{2028}\u{2029}\u{feff}", "tab\t", String(repeating: "long text ", count: 40),
    ]

    private static let numbers: [JSONValue] = [
        .integer(0), .integer(-1), .integer(.max), .integer(.min), .integer(1_234_567_890_123),
        .number(0.1), .number(-0.0), .number(1.5), .number(-2.5e20), .number(1e15), .number(999_999_999_999_999),
        .number(-999_999_999_999_999), .number(123_456_789_012_345.6), .number(1e-7), .number(5e-324), .number(1.7976931348623157e308),
        .number(1e19), .number(-9.3e18), .number(.nan), .number(.infinity), .number(-.infinity), .number(3),
    ]

    /// A batch with every kind of cell: declared and undeclared columns, awkward names, date-times
    /// (valid and not), nested values, nulls, missing members.
    private func variedBatch() throws -> RecordBatch {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "id": ["type": "integer"],
                "text": ["type": ["null", "string"]],
                "when": ["type": ["null", "string"], "format": "date-time"],
                "amount": ["type": ["null", "number"]],
                "flag": ["type": ["null", "boolean"]],
                "nested": ["type": ["null", "object", "array"]],
                "name \"quoted\" \\ é\t\u{1}": ["type": ["null", "string"]],
            ],
        ]
        var messages: [JSONValue] = []
        func add(_ data: JSONValue) {
            messages.append(["action": "upsert", "sequence": .integer(Int64(messages.count)), "data": data])
        }
        for (index, text) in Self.awkwardStrings.enumerated() {
            add(["id": .integer(Int64(index)), "text": .string(text), "name \"quoted\" \\ é\t\u{1}": .string(text),
                 "extra": .string(text)])
        }
        for (index, number) in Self.numbers.enumerated() {
            add(["id": .integer(Int64(100 + index)), "amount": number, "extra": number])
        }
        for when in ["2026-11-30T12:00:00Z", "2026-11-30T12:00:00.123456789+01:00", "2026-02-30T00:00:00Z", "not a date", "",
                     "2026-11-30t12:00:00z"] {
            add(["id": 200, "when": .string(when)])
        }
        add(["id": 300, "flag": true, "nested": ["a": 1, "b": [1, 2.5, "x\"y", nil, ["deep": [:]]], "c": []]])
        add(["id": 301, "flag": false, "nested": [1, "two", ["three": 3e30], [], [:], nil, true]])
        add(["id": 302, "flag": nil, "text": nil, "when": nil, "amount": nil, "nested": nil])
        add([:]) // every cell absent
        add(["nested": ["\u{0}key\"\\": "\u{1f}value\n", "é": ["日本": 1e-300]], "undeclared nested": [["a": [1, [2, [3]]]]]])
        return try RecordBatch(batchJSON: ["table_name": "things", "schema": schema, "key_names": ["id"], "messages": .array(messages)])
    }

    @Test func theWritersBytesAreTheOldPathsForEveryKindOfCell() throws {
        var batch = try variedBatch()
        // Cells only edits make: a nested cell holding a scalar, one nested past the parser's depth
        // (which reads back as null), long and short text set in place.
        let extra = try #require(batch.columnIndex(named: "extra"))
        var deep: JSONValue = []
        for _ in 0..<600 { deep = .array([deep]) }
        batch.cells[extra].set(.json(.string("a \"scalar\" in a nested cell")), at: 0)
        batch.cells[extra].set(.json(deep), at: 1)
        batch.cells[extra].set(.dateTime("2026-01-01T00:00:00Z"), at: 2)
        batch.cells[extra].set(.string("\u{3}\u{1b}"), at: 3)
        let writer = RecordJSONWriter(batch)
        #expect(batch.rowCount >= 50)
        for row in 0..<batch.rowCount {
            let expected = oldBytes(batch, row: row)
            var written: [UInt8] = [0x20] // what is there already stays
            let dataPoints = writer.write(row: row, to: &written)
            #expect(written == [0x20] + expected,
                    "row \(row): \(String(decoding: written, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
            let measured = writer.measure(row: row)
            #expect(measured.bytes == expected.count, "row \(row)")
            let record = JSONValue.object(batch.record(row))
            #expect(dataPoints == DataPoints.count(in: record, limit: .max), "row \(row)")
            #expect(measured.dataPoints == dataPoints, "row \(row)")
        }
    }

    @Test func everyControlCharacterAndEveryNumberAloneToo() throws {
        var batch = RecordBatch(tableName: "t", columns: [BatchColumn(name: "s", type: .string), BatchColumn(name: "n", type: .number)])
        var index = ["s": 0, "n": 1]
        for code in 0..<0x80 {
            let scalar = try #require(Unicode.Scalar(UInt32(code)))
            batch.appendRecord(JSONObject([("s", .string(String(scalar))), ("n", .number(Double(code) / 7))]), columnIndex: &index)
            batch.appendRecord(JSONObject([("s", .string("\(scalar)abc\(scalar)\(scalar)defgh\(scalar)"))]), columnIndex: &index)
        }
        // Doubles spread over every exponent: bit patterns of a Weyl sequence (fixed, so a failure replays).
        for step in 1...500 {
            let value = Double(bitPattern: UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
            batch.appendRecord(JSONObject([("n", .number(value))]), columnIndex: &index)
            batch.appendRecord(JSONObject([("n", .number((value.isFinite ? value : 1).truncatingRemainder(dividingBy: 1e16).rounded()))]),
                               columnIndex: &index)
        }
        let writer = RecordJSONWriter(batch)
        for row in 0..<batch.rowCount {
            var written: [UInt8] = []
            writer.write(row: row, to: &written)
            #expect(written == oldBytes(batch, row: row), "row \(row): \(String(decoding: written, as: UTF8.self))")
        }
    }

    /// What `BatchSplitter` did before the writer: each row's `jsonText` into the same builder.
    private func oldParts(_ batch: RecordBatch, now: Int64, limits: BatchLimits) throws -> [(rows: Range<Int>, body: [UInt8])] {
        var builder = BatchBuilder(header: BatchHeader(tableName: batch.tableName, schema: batch.schema, keyNames: batch.keyNames,
                                                       tableVersion: batch.tableVersion, bookmarkNames: batch.bookmarkNames),
                                   limits: limits)
        var clock = SequenceClock(now: { now })
        var parts: [(rows: Range<Int>, body: [UInt8])] = []
        var start = 0
        for row in 0..<batch.rowCount {
            let record = JSONValue.object(batch.record(row))
            if let closed = try builder.appendUpsert(data: Array(record.jsonText.utf8)[...], dataPoints: DataPoints.count(in: record),
                                                     sequence: batch.sequence(ofRow: row) ?? clock.next(),
                                                     timeExtracted: batch.timeExtracted(ofRow: row), line: row + 1) {
                parts.append((start..<row, closed.body))
                start = row
            }
        }
        if let last = builder.finish() { parts.append((start..<batch.rowCount, last.body)) }
        return parts
    }

    @Test func splittingByBytesGivesTheSameRequestsAsBefore() throws {
        var batch = try variedBatch()
        let count = batch.rowCount
        for row in 0..<count { try batch.apply(.duplicateRow(row)) } // enough rows for several requests
        try batch.apply(.setSequence(row: 3, 7))
        for target in [600, 1_500, 4_000, 1 << 20] {
            let limits = BatchLimits(targetBytes: target, maximumBytes: 8_000)
            let parts = try BatchSplitter.parts(of: batch, now: 1_000, limits: limits)
            let old = try oldParts(batch, now: 1_000, limits: limits)
            #expect(parts.map(\.rows) == old.map(\.rows), "target \(target)")
            #expect(parts.map(\.batch.body) == old.map(\.body), "target \(target)")
            #expect(target == 1 << 20 || parts.count > 2, "target \(target): the batch is split by bytes")
        }
    }

    /// The check's size of a record alone in a request is the writer's count; the old one counted
    /// `jsonText`, escapes included (a control character is six bytes sent).
    @Test func theChecksSizeCountsEscapesAsSent() throws {
        let schema: JSONValue = ["type": "object", "properties": ["s": ["type": "string"]]]
        let controls = String(repeating: "\u{1}", count: ImportLimits.maximumBodyBytes / 6 + 1)
        let batch = try RecordBatch(batchJSON: ["table_name": "t", "schema": schema,
                                                "messages": [["action": "upsert", "sequence": 1, "data": ["s": .string(controls)]]]])
        let size = BatchChecks.envelopeBytes(batch) + BatchChecks.messageBytes(dataBytes: oldBytes(batch, row: 0).count)
        #expect(size > ImportLimits.maximumBodyBytes)
        #expect(BatchChecks.problems(in: batch).map(\.message) == [
            "the record makes a \(size)-byte request on its own, over the Import API's limit of \(ImportLimits.maximumBodyBytes) bytes per request",
        ])
    }
}
