import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// The structuring rules on their own: no database, just a batch, the destination's current
/// shape, and the plan.
@Suite("Load plan (structuring, no SQL)")
struct LoadPlanTests {
    static let postgresNames = ObjectNames(foldsCase: false)
    static let sqliteNames = ObjectNames(foldsCase: true)
    static let batchedAt = UTCTimestamp(secondsSinceEpoch: 1_700_000_000)

    func plan(_ batch: DestinationBatch, state: DestinationState = .init(), names: ObjectNames = postgresNames) -> LoadPlan {
        LoadPlan(batch: batch, state: state, names: names, batchedAt: Self.batchedAt)
    }

    /// A table's rows as `column -> value`, leaving out NULLs and the `_sdc` times.
    func records(_ table: TablePlan?) -> [[String: CellValue]] {
        guard let table else { return [] }
        return table.rows.map { row in
            var record: [String: CellValue] = [:]
            for (column, cell) in zip(table.columns, row) where cell != .null
                && ![SystemColumns.receivedAt, SystemColumns.batchedAt].contains(column.name) {
                record[column.name] = cell
            }
            return record
        }
    }

    func table(_ name: String, in plan: LoadPlan) -> TablePlan? { plan.tables.first { $0.name == name } }

    static let sdc = ["_sdc_received_at", "_sdc_batched_at", "_sdc_sequence", "_sdc_table_version"]

    @Test("Objects flatten into parent__child columns, in schema order; the _sdc columns follow")
    func flattening() throws {
        let schema: JSONValue = ["properties": [
            "id": ["type": "integer"],
            "attributes": ["type": "object", "properties": [
                "color": ["type": "string"], "size": ["type": "object", "properties": ["w": ["type": "integer"]]],
            ]],
            "note": ["type": "string"],
        ]]
        // Data in another order than the schema: columns still follow the schema; the undeclared field comes last.
        let result = plan(batch(number: 1, table: "things", schema: schema, messages: [
            upsert(3, ["extra": true, "note": "n", "attributes": ["size": ["w": 2], "color": "red"], "id": 1]),
        ]))
        let things = try #require(table("things", in: result))
        #expect(things.isNew)
        #expect(things.columns.map(\.name) == ["id", "attributes__color", "attributes__size__w", "note", "extra"] + Self.sdc)
        #expect(things.keyColumns == ["id"])
        #expect(records(things) == [["id": .integer(1), "attributes__color": .text("red"), "attributes__size__w": .integer(2),
                                     "note": .text("n"), "extra": .boolean(true), "_sdc_sequence": .integer(3),
                                     "_sdc_table_version": .integer(0)]])
    }

    @Test("Arrays become child tables with source keys and level ids; nested arrays go one level deeper")
    func childTables() throws {
        let result = plan(batch(number: 1, table: "orders", schema: LoaderTests.ordersSchema, keys: ["order_id"],
                                messages: [upsert(1, LoaderTests.order(7, skus: ["a", "b"], tags: ["x"]))]))
        #expect(result.tables.map(\.name) == ["orders", "orders__line_items", "orders__line_items__tax_lines", "orders__tags"])
        #expect(result.childTables == ["orders__line_items", "orders__line_items__tax_lines", "orders__tags"])
        let items = try #require(table("orders__line_items", in: result))
        #expect(items.depth == 1)
        #expect(items.keyColumns == ["_sdc_source_key_order_id", "_sdc_level_0_id"])
        #expect(items.columns.map(\.name) == ["sku", "_sdc_source_key_order_id", "_sdc_level_0_id"] + Self.sdc)
        #expect(records(items).map { [$0["_sdc_source_key_order_id"], $0["_sdc_level_0_id"], $0["sku"]] }
                    == [[.integer(7), .integer(0), .text("a")], [.integer(7), .integer(1), .text("b")]])
        let taxes = try #require(table("orders__line_items__tax_lines", in: result))
        #expect(taxes.keyColumns == ["_sdc_source_key_order_id", "_sdc_level_0_id", "_sdc_level_1_id"])
        #expect(records(taxes).map { [$0["_sdc_level_0_id"], $0["_sdc_level_1_id"], $0["rate"]] }
                    == [[.integer(0), .integer(0), .real(0.5)], [.integer(1), .integer(0), .real(1.5)]])
        #expect(records(table("orders__tags", in: result)).map { $0["value"] } == [.text("x")])
    }

    @Test("Singer-style schemas (type lists with null, anyOf with a null branch) type and flatten like plain ones")
    func singerSchemas() throws {
        let schema: JSONValue = ["type": ["null", "object"], "properties": [
            "id": ["type": ["integer"]],
            "address": ["type": ["null", "object"], "properties": ["city": ["type": ["null", "string"]]]],
            "tags": ["type": ["null", "array"], "items": ["type": ["null", "string"]]],
            "updated": ["anyOf": [["type": "null"], ["type": "string", "format": "date-time"]]],
            "score": ["anyOf": [["type": "null"], ["type": "number"]]],
            "meta": ["anyOf": [["type": "object", "properties": ["v": ["type": "integer"]]], ["type": "null"]]],
        ]]
        let result = plan(batch(number: 1, table: "people", schema: schema, messages: [
            upsert(1, ["meta": ["v": 1], "score": 2, "updated": "2021-06-01T12:00:00-04:00", "tags": ["a", .null], "address": ["city": .null], "id": 1]),
            upsert(2, ["id": 2, "address": .null, "tags": .null, "updated": .null, "score": .null, "meta": .null]),
        ]))
        #expect(result.rejects.isEmpty)
        let people = try #require(table("people", in: result))
        #expect(people.columns.map(\.name) == ["id", "updated", "score", "meta__v"] + Self.sdc)
        #expect(people.columns.map(\.type).prefix(4) == [.integer, .dateTime, .number, .integer])
        #expect(records(people).first?["updated"] == .timestamp("2021-06-01T16:00:00.000000Z"))
        #expect(records(people).first?["score"] == .real(2))
        #expect(records(table("people__tags", in: result)).map { $0["value"] } == [.text("a"), nil])
    }

    @Test("Arrays of arrays make a grandchild table named …__value")
    func arraysOfArrays() throws {
        let result = plan(batch(number: 1, table: "grid", schema: ["properties": [:]], messages: [
            upsert(1, ["id": 1, "cells": [[1, 2], [3]]]),
        ]))
        #expect(result.tables.map(\.name) == ["grid", "grid__cells", "grid__cells__value"])
        #expect(records(table("grid__cells__value", in: result)).map { [$0["_sdc_level_0_id"], $0["_sdc_level_1_id"], $0["value"]] }
                    == [[.integer(0), .integer(0), .integer(1)], [.integer(0), .integer(1), .integer(2)], [.integer(1), .integer(0), .integer(3)]])
    }

    @Test("A union type splits within one batch: the first type's column is renamed in place")
    func splitWithinBatch() throws {
        let schema: JSONValue = ["properties": ["id": ["type": "integer"], "age": ["type": ["integer", "number"]]]]
        let result = plan(batch(number: 1, schema: schema, messages: [upsert(1, ["id": 1, "age": 15]), upsert(2, ["id": 2, "age": 15.5])]))
        let customers = try #require(table("customers", in: result))
        #expect(customers.columns.map(\.name) == ["id", "age__bi", "age__do"] + Self.sdc)
        #expect(customers.renames.isEmpty)
        #expect(records(customers).map { [$0["age__bi"], $0["age__do"]] } == [[.integer(15), nil], [nil, .real(15.5)]])
    }

    @Test("Records that alternate between shapes, reorder their fields or split a column land in the right columns")
    func alternatingShapes() throws {
        let result = plan(batch(number: 1, schema: ["properties": [:]], messages: [
            upsert(1, ["id": 1, "age": 15, "note": nil]),
            upsert(2, ["id": 2, "age": 15, "note": "x"]),
            upsert(3, ["id": 3, "age": "old", "note": nil]),
            upsert(4, ["id": 4, "age": 16, "note": "y"]),
            upsert(5, ["note": "z", "id": 5, "age": 17]),
            upsert(6, ["id": 6, "note": "w", "age": 18.5]),
            upsert(7, ["id": 7, "age": 19, "note": "v"]),
        ]))
        let customers = try #require(table("customers", in: result))
        // Split columns take the rank of the column they split from.
        #expect(customers.columns.map(\.name) == ["id", "age__bi", "age__st", "age__do", "note"] + Self.sdc)
        #expect(records(customers).map { [$0["id"], $0["age__bi"], $0["age__st"], $0["age__do"], $0["note"]] } == [
            [.integer(1), .integer(15), nil, nil, nil],
            [.integer(2), .integer(15), nil, nil, .text("x")],
            [.integer(3), nil, .text("old"), nil, nil],
            [.integer(4), .integer(16), nil, nil, .text("y")],
            [.integer(5), .integer(17), nil, nil, .text("z")],
            [.integer(6), nil, nil, .real(18.5), .text("w")],
            [.integer(7), .integer(19), nil, nil, .text("v")],
        ])
    }

    @Test("A collision is found in its own row: a parent's field after a child row, not across sibling rows")
    func collisionsPerRow() throws {
        let sent = batch(number: 1, table: "t", schema: ["properties": [:]], keys: ["id"], messages: [
            upsert(1, ["id": 1, "x": 1, "items": [["x": 2], ["x": 3, "X": 4]], "y": 5]),
            upsert(2, ["id": 2, "x": 1, "items": [["x": 2]], "X": 3]),
            upsert(3, ["id": 3, "x": 1, "items": [["x": 2], ["x": 3]], "y": 4]),
        ])
        let sqlite = plan(sent, names: Self.sqliteNames)
        #expect(sqlite.rejects.map(\.reason) == ["Field collision on X", "Field collision on X"])
        #expect(records(table("t", in: sqlite)).map { $0["id"] } == [.integer(3)])
        #expect(records(table("t__items", in: sqlite)).map { $0["x"] } == [.integer(2), .integer(3)])
        let postgres = plan(sent, names: Self.postgresNames)
        #expect(postgres.rejects.isEmpty)
        #expect(records(table("t__items", in: postgres)).count == 5)
    }

    static let existingCustomers = TableLayout(name: "customers", columns: [
        .init(name: "id", type: .integer), .init(name: "age", type: .integer), .init(name: "_sdc_received_at", type: .dateTime),
        .init(name: "_sdc_batched_at", type: .dateTime), .init(name: "_sdc_sequence", type: .integer),
        .init(name: "_sdc_table_version", type: .integer),
    ], keyColumns: ["id"])

    @Test("A type change against an existing table renames the original and adds the new type's column")
    func splitAcrossBatches() throws {
        let schema: JSONValue = ["properties": ["id": ["type": "integer"], "age": ["type": "number"]]]
        let result = plan(batch(number: 2, schema: schema, messages: [upsert(1, ["id": 1, "age": 3.5])]),
                          state: DestinationState(tables: [Self.existingCustomers]))
        let customers = try #require(table("customers", in: result))
        #expect(!customers.isNew)
        #expect(customers.renames == [.init(from: "age", to: "age__bi")])
        #expect(customers.addedColumns == [.init(name: "age__do", type: .number)])
        #expect(customers.columns.map(\.name) == ["id", "age__bi"] + Self.sdc + ["age__do"])
        #expect(records(customers).first?["age__do"] == .real(3.5))
    }

    @Test("Once split, each type finds its own column; a third type adds a third")
    func alreadySplit() throws {
        var layout = Self.existingCustomers
        layout.columns[1].name = "age__bi"
        layout.columns.append(.init(name: "age__do", type: .number))
        let state = DestinationState(tables: [layout])
        let integer = plan(batch(number: 2, schema: ["properties": [:]], messages: [upsert(1, ["id": 1, "age": 4])]), state: state)
        #expect(table("customers", in: integer)?.addedColumns == [])
        #expect(table("customers", in: integer)?.renames == [])
        #expect(records(table("customers", in: integer)).first?["age__bi"] == .integer(4))
        let text = plan(batch(number: 2, schema: ["properties": [:]], messages: [upsert(1, ["id": 1, "age": "old"])]), state: state)
        #expect(table("customers", in: text)?.addedColumns == [.init(name: "age__st", type: .string)])
        #expect(table("customers", in: text)?.renames == [])
    }

    @Test("A key column never splits: a key value of another type rejects the record; a whole double converts")
    func keyTypes() throws {
        let state = DestinationState(tables: [Self.existingCustomers])
        let result = plan(batch(number: 2, schema: ["properties": ["id": ["type": ["string", "number"]]]], messages: [
            upsert(1, ["id": "abc"]), upsert(2, ["id": 2.0]),
        ]), state: state)
        #expect(result.rejects.map(\.reason) == ["Key property id has a text value, but column id is bigint"])
        #expect(records(table("customers", in: result)).map { $0["id"] } == [.integer(2)])
    }

    @Test("Field names lose special characters and leading non-letters; collisions reject the record")
    func fieldNames() throws {
        let result = plan(batch(number: 1, table: "t", schema: ["properties": [:]], keys: [], messages: [
            upsert(1, ["customer!id": 1, "123count": 2, "_987X": 3, "customer id": 4]),
            upsert(2, ["customer!id": 1, "customerid": 2]),
            upsert(3, ["123": 1]),
            upsert(4, ["_sdc_sequence": 1]),
            upsert(5, ["age__st": "x"]),
            upsert(6, ["a": ["b": 1], "a__b": 2]),
        ]))
        #expect(table("t", in: result)?.columns.prefix(4).map(\.name) == ["customerid", "count", "_987X", "customer id"])
        #expect(result.rejects.map(\.reason) == [
            "Field collision on customerid",
            "Field name \"123\" has no letters, digits or underscores left after removing special characters",
            "Field collision on _sdc_sequence",
            "Field name age__st ends with a suffix reserved for split columns (__bi __bo __de __do __it __st __ti)",
            "Field collision on a__b",
        ])
    }

    @Test("SQLite folds case, so id and ID collide there; PostgreSQL keeps both")
    func caseFolding() {
        let sent = batch(number: 1, table: "t", schema: ["properties": [:]], keys: [], messages: [upsert(1, ["id": 1, "ID": 2])])
        #expect(plan(sent, names: Self.sqliteNames).rejects.map(\.reason) == ["Field collision on ID"])
        #expect(plan(sent, names: Self.postgresNames).rejects.isEmpty)
        // Across records, SQLite cannot keep `Name` and `name` apart: the later one is rejected, not mixed in.
        let mixed = batch(number: 1, table: "t", schema: ["properties": [:]], keys: [],
                          messages: [upsert(1, ["Name": "a"]), upsert(2, ["name": "b"])])
        let sqlite = plan(mixed, names: Self.sqliteNames)
        #expect(table("t", in: sqlite)?.columns.filter { $0.name.lowercased() == "name" }.map(\.name) == ["Name"])
        #expect(sqlite.rejects.map(\.reason)
                    == ["Field collision on name with column Name: names that differ only by case are one name to this destination"])
        #expect(records(table("t", in: sqlite)).map { $0["Name"] } == [.text("a")])
        #expect(table("t", in: plan(mixed, names: Self.postgresNames))?.columns.filter { $0.name.lowercased() == "name" }.count == 2)
        // SQLite folds ASCII only: `É` and `é` are two names there, as on PostgreSQL.
        let accents = batch(number: 1, table: "t", schema: ["properties": [:]], keys: [], messages: [upsert(1, ["É": 1, "é": 2])])
        #expect(plan(accents, names: Self.sqliteNames).rejects.isEmpty)
    }

    @Test("Over-long names reject the record: tables over 63 characters, columns over 59, system columns over 63")
    func longNames() {
        let table63 = String(repeating: "t", count: 63)
        let ok = plan(batch(number: 1, table: table63, schema: ["properties": [:]], messages: [upsert(1, ["id": 1])]))
        #expect(ok.rejects.isEmpty)
        let long = plan(batch(number: 1, table: table63 + "t", schema: ["properties": [:]], messages: [upsert(1, ["id": 1]), upsert(2, ["id": 2])]))
        #expect(long.rejects.count == 2)
        #expect(long.tables.isEmpty)
        #expect(long.rejects.first?.tableName == table63 + "t")

        let column59 = String(repeating: "c", count: 59)
        let columns = plan(batch(number: 1, table: "t", schema: ["properties": [:]], messages: [
            upsert(1, .object(JSONObject([("id", 1), (column59, 1)]))),
            upsert(2, .object(JSONObject([("id", 2), (column59 + "c", 1)]))),
            upsert(3, .object(JSONObject([("id", 3), ("nested", .object(JSONObject([(String(repeating: "n", count: 52), 1)])))]))),
        ]))
        #expect(columns.rejects.map(\.reason) == [
            "Column name \(column59 + "c") is longer than 59 characters",
            "Column name nested__\(String(repeating: "n", count: 52)) is longer than 59 characters",
        ])

        let child = plan(batch(number: 1, table: String(repeating: "p", count: 57), schema: ["properties": [:]], messages: [
            upsert(1, ["id": 1, "items": [1]]), upsert(2, ["id": 2, "item": [1]]),
        ]))
        #expect(child.rejects.map(\.reason) == ["Table name \(String(repeating: "p", count: 57))__items is longer than 63 characters"])

        let key = String(repeating: "k", count: 50)
        let sourceKey = plan(batch(number: 1, table: "t", schema: ["properties": [:]], keys: [key], messages: [
            upsert(1, .object(JSONObject([(key, 1), ("items", [1])]))),
        ]))
        #expect(sourceKey.rejects.map(\.reason) == ["Column name _sdc_source_key_\(key) is longer than 63 characters"])
    }

    @Test("Out-of-range values reject the record: bigint, timestamps without a year PostgreSQL knows, NUL in text")
    func outOfRange() {
        let schema: JSONValue = ["properties": [
            "id": ["type": "integer"], "n": ["type": "integer"], "when": ["type": "string", "format": "date-time"],
        ]]
        let result = plan(batch(number: 1, table: "t", schema: schema, messages: [
            upsert(1, ["id": 1, "n": 9.3e18]),
            upsert(2, ["id": 2, "n": 9_000_000_000_000_000_000]),
            upsert(3, ["id": 3, "when": "0000-06-01T00:00:00Z"]),
            upsert(4, ["id": 4, "when": "9999-12-31T23:59:59.9999999Z"]),
            upsert(5, ["id": 5, "n": 3.0, "when": "2020-01-13T21:25:03+0100"]),
            upsert(6, ["id": 6, "s": "a\u{0}b"]),
        ]))
        #expect(result.rejects.map(\.reason) == [
            "Value 9.3e+18 of field n is out of range for bigint",
            "Value 0000-06-01T00:00:00Z of field when is out of range for timestamp",
            "Value 9999-12-31T23:59:59.9999999Z of field when is out of range for timestamp",
            "Value of field s contains a NUL character",
        ])
        #expect(records(table("t", in: result)).map { [$0["id"], $0["n"], $0["when"]] } == [
            [.integer(2), .integer(9_000_000_000_000_000_000), nil],
            [.integer(5), .integer(3), .timestamp("2020-01-13T20:25:03.000000Z")],
        ])
    }

    @Test("Records over 4 MB are rejected, with as much of the record as fits")
    func oversizedRecords() {
        let big = String(repeating: "é", count: 2_100_000)
        let result = plan(batch(number: 1, table: "t", schema: ["properties": [:]], messages: [upsert(1, ["id": 1, "blob": .string(big)])]))
        #expect(result.rejects.count == 1)
        let reject = result.rejects.first
        #expect(reject?.reason.hasPrefix("Record is 4200018 bytes; the limit is 4194304 bytes") == true)
        #expect(reject.map { $0.record.utf8.count <= 4_194_304 && $0.record.hasPrefix(#"{"id":1,"blob":"éé"#) } == true)
    }

    @Test("Keys: missing or null key properties reject; the highest sequence per key survives, ties go to the later message")
    func keysAndSequences() {
        let result = plan(batch(number: 1, table: "orders", schema: LoaderTests.ordersSchema, keys: ["order_id"], messages: [
            upsert(5, LoaderTests.order(1, skus: ["five"])),
            upsert(9, LoaderTests.order(1, skus: ["nine"])),
            upsert(7, LoaderTests.order(1, skus: ["seven"])),
            upsert(3, LoaderTests.order(2, skus: ["first"])),
            upsert(3, LoaderTests.order(2, skus: ["second"])),
            upsert(1, ["customer": ["name": "x"]]),
            upsert(1, ["order_id": .null]),
        ]))
        #expect(result.rejects.map(\.reason) == ["Record is missing key property order_id", "Record is missing key property order_id"])
        #expect(records(table("orders", in: result)).map { [$0["order_id"], $0["_sdc_sequence"]] }
                    == [[.integer(1), .integer(9)], [.integer(2), .integer(3)]])
        // The losers' child rows are gone with them.
        #expect(records(table("orders__line_items", in: result)).map { $0["sku"] } == [.text("nine"), .text("second")])
    }

    @Test("Keyless tables get a deterministic __sdc_primary_key per message; child tables link to it")
    func keylessKeys() throws {
        let sent = batch(number: 42, table: "events", schema: ["properties": [:]], keys: nil,
                         messages: [upsert(1, ["id": 1, "tags": ["a"]]), upsert(1, ["id": 1])])
        let first = plan(sent), second = plan(sent)
        #expect(first == second)
        #expect(first.isAppendOnly)
        let events = try #require(table("events", in: first))
        #expect(events.keyColumns == ["__sdc_primary_key"])
        let keys = records(events).compactMap { $0["__sdc_primary_key"] }
        // Batch number, then message index, then the low 32 bits of the receipt time in microseconds.
        #expect(keys == [.text("00000000-0000-002a-0000-00000a24de80"), .text("00000000-0000-002a-0000-00010a24de80")])
        #expect(records(table("events__tags", in: first)).map { $0["_sdc_source_key___sdc_primary_key"] } == [keys[0]])
        // Another receipt time (a fresh data directory reusing number 42) gives other keys.
        let later = plan(batch(number: 42, table: "events", schema: ["properties": [:]], keys: nil, messages: [upsert(1, ["id": 1])],
                               receivedAt: UTCTimestamp(secondsSinceEpoch: 1_650_000_000)))
        #expect(records(table("events", in: later)).first?["__sdc_primary_key"] != keys[0])
    }

    @Test("A changed key, or a table the batch cannot own, rejects every record")
    func keyAndTableMismatch() {
        let state = DestinationState(tables: [Self.existingCustomers])
        let keyless = plan(batch(number: 2, keys: [], messages: [upsert(1, ["id": 1])]), state: state)
        #expect(keyless.rejects.map(\.reason) == ["key_names [__sdc_primary_key] differ from the primary key [id] of table customers"])
        let reserved = plan(batch(number: 2, table: "_sdc_rejected", messages: [upsert(1, ["id": 1])]))
        #expect(reserved.rejects.map(\.reason) == ["Table name _sdc_rejected is reserved"])
        let symbols = plan(batch(number: 2, table: "!!!", messages: [upsert(1, ["id": 1])]))
        #expect(symbols.rejects.map(\.tableName) == ["!!!"])
    }

    @Test("Table versions: older records are ignored once a newer version is active; activation only moves forward")
    func versions() {
        let active = DestinationState(tables: [Self.existingCustomers], activeVersion: 5)
        let stale = plan(batch(number: 2, tableVersion: 4, messages: [upsert(1, ["id": 1]), activateVersion(2)]), state: active)
        #expect(stale.ignoredRecords == 1)
        #expect(stale.tables.isEmpty)
        #expect(stale.activatedVersion == nil)
        let current = plan(batch(number: 2, tableVersion: 5, messages: [upsert(1, ["id": 1])]), state: active)
        #expect(records(table("customers", in: current)).first?["_sdc_table_version"] == .integer(5))
        let newer = plan(batch(number: 2, tableVersion: 6, messages: [activateVersion(2)]), state: active)
        #expect(newer.activatedVersion == 6)
        #expect(newer.tableExists)
        let unversioned = plan(batch(number: 2, messages: [upsert(1, ["id": 1])]), state: active)
        #expect(unversioned.ignoredRecords == 0)
    }

    @Test("A batch loaded before plans nothing")
    func replay() {
        let result = plan(batch(number: 1, messages: [upsert(1, ["id": 1])]), state: DestinationState(isBatchLoaded: true))
        #expect(result.isReplay)
        #expect(result.tables.isEmpty && result.rejects.isEmpty)
    }

    @Test("Null-only fields add no column; time_extracted adds _sdc_extracted_at")
    func optionalColumns() throws {
        let result = plan(batch(number: 1, messages: [
            upsert(1, ["id": 1, "name": .null], timeExtracted: "2020-01-02T03:04:05+01:00"), upsert(2, ["id": 2]),
        ]))
        let customers = try #require(table("customers", in: result))
        #expect(customers.columns.map(\.name) == ["id", "_sdc_extracted_at"] + Self.sdc)
        #expect(records(customers).map { $0["_sdc_extracted_at"] } == [.timestamp("2020-01-02T02:04:05.000000Z"), nil])
    }

    @Test("A table stops at its column limit: the record that would pass it is rejected")
    func columnLimit() {
        var names = Self.postgresNames
        names.maxColumnsPerTable = 7
        let result = plan(batch(number: 1, table: "t", schema: ["properties": [:]], messages: [
            upsert(1, ["id": 1, "a": 1]), upsert(2, ["id": 2, "b": 1, "c": 1]), upsert(3, ["id": 3, "a": 2]),
        ]), names: names)
        #expect(result.rejects.map(\.reason) == ["Table t would have more than 7 columns"])
        #expect(records(table("t", in: result)).map { $0["id"] } == [.integer(1), .integer(3)])
        #expect(table("t", in: result)?.columns.count == 6)
    }
}

@Suite("Object names (§4.3)")
struct ObjectNamesTests {
    @Test("Canonical names", arguments: [
        ("customer!id", "customerid"), ("123customerid", "customerid"), ("_987X", "_987X"), ("CuStOmErId", "CuStOmErId"),
        ("customer id", "customer id"), (" lead", "lead"), ("9 lives", "lives"), ("café", "café"), ("a-b.c", "abc"),
    ])
    func canonical(raw: String, expected: String) {
        #expect(ObjectNames.canonical(raw) == expected)
    }

    @Test("Names with nothing usable left have no canonical form", arguments: ["", "123", "!!!", "  "])
    func unusable(raw: String) {
        #expect(ObjectNames.canonical(raw) == nil)
    }

    @Test("Lengths are PostgreSQL's: bytes of UTF-8")
    func lengths() {
        #expect(ObjectNames.length("é") == 2)
        #expect(ObjectNames.length("abc") == 3)
    }
}
