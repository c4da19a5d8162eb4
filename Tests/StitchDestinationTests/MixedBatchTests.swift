import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// Batches whose records do not all look alike: the planner remembers the shape of recent records
/// and where their fields went, and fills rows of cells held compactly (`CellRows`), so a record
/// that changes shape mid-batch (a field missing, a new field, a type that splits a column, a new
/// nested object, arrays of other lengths) must still land where Stitch's rules put it.
@Suite("Batches whose records change shape midway (every destination)")
struct MixedBatchTests {
    /// The rows of a table as `column -> rendered value`, every column listed.
    static func table(_ loader: LoaderHarness, _ name: String) async throws -> (columns: [String], rows: [[String: String]]) {
        let result = try await loader.destination.rows(schema: loader.schema, table: name, limit: 1000)
        return (result.columns, result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) })
    }

    @Test("One batch: a missing field, a new field, a split to __st and __do, a new nested object, members in another order",
          arguments: DestinationUnderTest.available)
    func shapeChangesMidBatch(kind: DestinationUnderTest) async throws {
        let schema: JSONValue = ["properties": ["id": ["type": "integer"], "name": ["type": ["null", "string"]]]]
        try await LoaderHarness.with(kind) { loader in
            let summary = try await loader.load(number: 1, schema: schema, messages: [
                upsert(1, ["id": 1, "name": "Finn", "age": 10]),
                upsert(1, ["id": 2, "name": "Jake"]),
                upsert(1, .object(JSONObject([("id", 3), ("age", 11), ("name", "Bmo"), ("extra", true)]))),
                upsert(1, ["id": 4, "name": "Marceline", "age": "a thousand"]),
                upsert(1, ["id": 5, "name": nil, "address": ["city": "Ooo", "zip": nil]]),
                upsert(1, ["id": 6, "name": "Gunter", "age": 12.5]),
                upsert(1, ["id": 7, "name": "Ice King", "age": 13]),
            ])
            #expect(summary.rowsOffered == 7 && summary.rejected == 0)
            let (columns, rows) = try await Self.table(loader, "customers")
            // `age` was made by the first record and renamed when a string came; its splits keep its
            // place; a null makes no column (`address__zip`).
            #expect(columns == ["id", "name", "age__bi", "age__st", "age__do", "extra", "address__city",
                                "_sdc_received_at", "_sdc_batched_at", "_sdc_sequence", "_sdc_table_version"])
            let data = ["id", "name", "age__bi", "age__st", "extra", "address__city", "age__do"]
            let expected: [[String]] = [
                ["1", "Finn", "10", "NULL", "NULL", "NULL", "NULL"],
                ["2", "Jake", "NULL", "NULL", "NULL", "NULL", "NULL"],
                ["3", "Bmo", "11", "NULL", "true", "NULL", "NULL"],
                ["4", "Marceline", "NULL", "a thousand", "NULL", "NULL", "NULL"],
                ["5", "NULL", "NULL", "NULL", "NULL", "Ooo", "NULL"],
                ["6", "Gunter", "NULL", "NULL", "NULL", "NULL", "12.5"],
                ["7", "Ice King", "13", "NULL", "NULL", "NULL", "NULL"],
            ]
            #expect(rows.map { row in data.map { row[$0] ?? "<none>" } } == expected)
            #expect(Set(rows.map { $0["_sdc_sequence"] }) == ["1"])
            #expect(Set(rows.map { $0["_sdc_received_at"] }) == ["2020-09-13T12:26:41.000000Z"])
            #expect(Set(rows.map { $0["_sdc_batched_at"] }) == ["2023-11-14T22:13:20.000000Z"])
        }
    }

    @Test("One batch: arrays of other lengths (none, empty), a field new in a child row, splits inside child tables",
          arguments: DestinationUnderTest.available)
    func nestedArraysMidBatch(kind: DestinationUnderTest) async throws {
        let schema: JSONValue = ["properties": ["order_id": ["type": "integer"]]]
        try await LoaderHarness.with(kind) { loader in
            let summary = try await loader.load(number: 1, table: "orders", schema: schema, keys: ["order_id"], messages: [
                upsert(1, ["order_id": 1, "items": [["sku": "a", "taxes": [["rate": 0.5]]], ["sku": "b"]], "tags": ["x", "y"]]),
                upsert(1, ["order_id": 2, "items": [], "tags": []]),
                upsert(1, ["order_id": 3, "items": [["sku": "c", "qty": 2, "taxes": [["rate": 1], ["rate": "high"]]]],
                           "tags": ["z", 7, nil]]),
                upsert(1, ["order_id": 4, "items": [["sku": "d", "taxes": []]]]),
            ])
            #expect(summary.rowsOffered == 4 && summary.rejected == 0)
            #expect(try await loader.column("order_id", of: "orders") == ["1", "2", "3", "4"])

            let items = try await Self.table(loader, "orders__items")
            #expect(items.columns.prefix(4) == ["sku", "qty", "_sdc_source_key_order_id", "_sdc_level_0_id"])
            #expect(items.rows.map { [$0["_sdc_source_key_order_id"], $0["_sdc_level_0_id"], $0["sku"], $0["qty"]] }
                == [["1", "0", "a", "NULL"], ["1", "1", "b", "NULL"], ["3", "0", "c", "2"], ["4", "0", "d", "NULL"]])

            let taxes = try await Self.table(loader, "orders__items__taxes")
            #expect(taxes.rows.map { row in
                ["_sdc_source_key_order_id", "_sdc_level_0_id", "_sdc_level_1_id", "rate__do", "rate__bi", "rate__st"].map { row[$0] }
            } == [["1", "0", "0", "0.5", "NULL", "NULL"], ["3", "0", "0", "NULL", "1", "NULL"], ["3", "0", "1", "NULL", "NULL", "high"]])

            let tags = try await Self.table(loader, "orders__tags")
            #expect(tags.rows.map { row in ["_sdc_source_key_order_id", "_sdc_level_0_id", "value__st", "value__bi"].map { row[$0] } }
                == [["1", "0", "x", "NULL"], ["1", "1", "y", "NULL"], ["3", "0", "z", "NULL"], ["3", "1", "NULL", "7"],
                    ["3", "2", "NULL", "NULL"]])
        }
    }

    @Test("Keys that repeat or fall in a batch pick the highest sequence; rising keys all load, and lose to newer rows",
          arguments: DestinationUnderTest.available)
    func keysOutOfOrder(kind: DestinationUnderTest) async throws {
        let schema: JSONValue = ["properties": ["id": ["type": "integer"]]]
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, schema: schema, messages: [
                upsert(1, ["id": 2, "v": "old"]),
                upsert(1, ["id": 1, "v": 1]),
                upsert(3, ["id": 2, "v": "new", "w": true]),
                upsert(0, ["id": 1, "v": "loser"]),
            ])
            // The losers still shaped the table: every record is placed before the winners are picked.
            let first = try await Self.table(loader, "customers")
            #expect(first.columns.prefix(4) == ["id", "v__st", "v__bi", "w"])
            #expect(first.rows.map { [$0["id"], $0["v__st"], $0["v__bi"], $0["w"]] }
                == [["1", "NULL", "1", "NULL"], ["2", "new", "NULL", "true"]])

            // Rising keys (the fast path): id 2 is older than the row it would replace, so it stays.
            try await loader.load(number: 2, schema: schema, messages: [
                upsert(2, ["id": 1, "v": "one"]),
                upsert(2, ["id": 2, "v": "two"]),
                upsert(2, ["id": 3, "v": "three"]),
            ])
            let second = try await Self.table(loader, "customers")
            #expect(second.rows.map { [$0["id"], $0["v__st"], $0["v__bi"], $0["_sdc_sequence"]] }
                == [["1", "one", "NULL", "2"], ["2", "new", "NULL", "3"], ["3", "three", "NULL", "2"]])
        }
    }
}

@Suite("CellRows: rows of cells held compactly")
struct CellRowsTests {
    static let cells: [CellValue] = [
        .null, .integer(-9_223_372_036_854_775_808), .integer(42), .real(-0.0), .real(1e-300), .real(.infinity),
        .boolean(true), .boolean(false), .text(""), .text("Ünïcödé ✓ 🎉"), .text(String(repeating: "long text ", count: 50)),
        .timestamp("2020-01-13T20:25:03.000000Z"),
    ]

    @Test("Every kind of cell reads back as it was set, in its row and column")
    func roundTrip() {
        let width = 4
        let rows = stride(from: 0, to: Self.cells.count, by: width).map { Array(Self.cells[$0 ..< $0 + width]) }
        let held = CellRows(rows, width: width)
        #expect(held.count == 3)
        #expect(held.arrays == rows)
        #expect(held.cell(row: 2, column: 1) == .text("Ünïcödé ✓ 🎉"))
        #expect(held[1] == Array(Self.cells[4 ..< 8]))
        // A real's sign and bits survive: -0.0 stays negative.
        if case .real(let zero) = held.cell(row: 0, column: 3) { #expect(zero.sign == .minus) } else { Issue.record("not a real") }
    }

    @Test("A constant column reads the same in every row and is not stored per row")
    func constants() {
        var rows = CellRows(width: 3, constants: [1: .timestamp("2023-11-14T22:13:20.000000Z")])
        for value in 0..<3 {
            let start = rows.appendRow()
            rows.set(.integer(Int64(value)), at: start)
            rows.set(.text("row \(value)"), at: start + 2)
        }
        #expect(rows.arrays == (0..<3).map { [.integer(Int64($0)), .timestamp("2023-11-14T22:13:20.000000Z"), .text("row \($0)")] })
        #expect(rows.bytes.count == "row 0row 1row 2".utf8.count)
    }

    @Test("Rows are equal when their cells are, however their texts lie in the arena")
    func equality() {
        var first = CellRows(width: 2), second = CellRows(width: 2)
        let a = first.appendRow(), b = second.appendRow()
        first.set(.text("left"), at: a)
        first.set(.text("right"), at: a + 1)
        second.set(.text("right"), at: b + 1)
        second.set(.text("left"), at: b)
        #expect(first.bytes != second.bytes)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        second.set(.integer(1), at: b)
        #expect(first != second)
    }
}
