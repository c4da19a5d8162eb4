@testable import RecordBatch
import StitchAPI
import Testing

struct CellColumnTests {
    private let samples: [CellValue] = [
        .absent, .null, .boolean(true), .boolean(false), .integer(.min), .integer(42), .number(-0.5),
        .string(""), .string("12345678"), .string("123456789"), .string("é🙂x"), .dateTime("2026-01-31T12:00:00Z"),
        .json(["a": [1, 2, ["b": nil]]]), .json([]), .string(String(repeating: "long ", count: 100)),
    ]

    @Test func everyKindOfCellComesBackAsItWent() {
        var column = CellColumn()
        for sample in samples { column.append(sample) }
        #expect((0..<column.count).map { column[$0] } == samples)
    }

    @Test func setInsertAndRemoveKeepTheOtherCells() {
        var column = CellColumn()
        for sample in samples { column.append(sample) }
        column.set(.string("replaced with a long text"), at: 9)
        column.insert(.integer(7), at: 0)
        column.remove(sortedRows: [1, 5, 15])
        var expected = [CellValue.integer(7)] + samples
        expected[10] = .string("replaced with a long text")
        expected.remove(at: 15)
        expected.remove(at: 5)
        expected.remove(at: 1)
        #expect((0..<column.count).map { column[$0] } == expected)
    }

    @Test func replacedTextIsCompactedAway() {
        var column = CellColumn(repeating: .string("short"), count: 4)
        let long = String(repeating: "x", count: 300_000)
        for round in 0..<20 { column.set(.string(long + String(round)), at: round % 4) }
        #expect(column.heldBytes < 4 * 1024 * 1024, "garbage was compacted")
        #expect(column[3] == .string(long + "19"))
        #expect(column[0] == .string(long + "16"))
    }
}

struct CellRetagTests {
    @Test func retaggingKeepsTheTextAndSwitchesItsKind() {
        var column = CellColumn()
        for value in [CellValue.string("2026-01-31T12:00:00Z"), .string("short"), .integer(3)] { column.append(value) }
        let held = column.heldBytes
        for row in 0..<3 { column.retagText(at: row, dateTime: true) }
        #expect((0..<3).map { column[$0] } == [.dateTime("2026-01-31T12:00:00Z"), .dateTime("short"), .integer(3)])
        for row in 0..<3 { column.retagText(at: row, dateTime: false) }
        #expect((0..<3).map { column[$0] } == [.string("2026-01-31T12:00:00Z"), .string("short"), .integer(3)])
        #expect(column.heldBytes == held, "no text was copied")
    }
}
