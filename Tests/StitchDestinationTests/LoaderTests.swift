import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// The loading rules of spec §4, run against every destination: SQLite always, PostgreSQL when
/// `STITCH_TEST_POSTGRES_URL` is set (otherwise `PostgresOnlyTests` reports the skip).
@Suite("Loader (every destination)")
struct LoaderTests {
    static let ordersSchema: JSONValue = [
        "type": "object",
        "properties": [
            "order_id": ["type": "integer"],
            "customer": ["type": "object", "properties": [
                "name": ["type": "string"],
                "address": ["type": "object", "properties": ["city": ["type": ["null", "string"]]]],
            ]],
            "line_items": ["type": "array", "items": ["type": "object", "properties": [
                "sku": ["type": "string"],
                "tax_lines": ["type": "array", "items": ["type": "object", "properties": ["rate": ["type": "number"]]]],
            ]]],
            "tags": ["type": ["null", "array"], "items": ["type": "string"]],
        ],
    ]

    static func order(_ id: Int64, skus: [String], tags: [JSONValue] = ["new"]) -> JSONValue {
        .object(JSONObject([
            ("order_id", .integer(id)),
            ("customer", ["name": "Finn", "address": ["city": "Ooo"]]),
            ("line_items", .array(skus.enumerated().map { index, sku in
                ["sku": .string(sku), "tax_lines": [["rate": .number(0.5 + Double(index))]]]
            })),
            ("tags", .array(tags)),
        ]))
    }

    @Test("The tutorial's batch makes a typed table with its key and the _sdc columns", arguments: DestinationUnderTest.available)
    func createsTable(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let summary = try await loader.load(number: 1, messages: [
                upsert(1_565_880_017, ["id": 1, "name": "Finn", "age": 15, "has_magic": false]),
            ])
            #expect(summary.rowsOffered == 1)
            let layout = try await loader.layout()
            #expect(layout.columns.map(\.name) == ["id", "name", "age", "has_magic", "_sdc_received_at", "_sdc_batched_at",
                                                   "_sdc_sequence", "_sdc_table_version"])
            #expect(layout.columns.map(\.type) == [.integer, .string, .integer, .boolean, .dateTime, .dateTime, .integer, .integer])
            #expect(layout.keyColumns == ["id"])
            #expect(try await loader.tables() == ["_sdc_rejected", "customers"])
            let row = try #require(try await loader.rows().first)
            #expect(row == ["id": "1", "name": "Finn", "age": "15", "has_magic": "false",
                            "_sdc_received_at": "2020-09-13T12:26:41.000000Z", "_sdc_batched_at": "2023-11-14T22:13:20.000000Z",
                            "_sdc_sequence": "1565880017", "_sdc_table_version": "0"])
        }
    }

    @Test("Types follow the schema: integer, number, boolean, string, date-time in UTC", arguments: DestinationUnderTest.available)
    func types(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let schema: JSONValue = ["properties": [
                "id": ["type": "integer"],
                "price": ["type": ["null", "number"]],
                "flag": ["type": "boolean"],
                "label": ["type": "string"],
                "when": ["anyOf": [["type": "null"], ["type": "string", "format": "date-time"]]],
                "plain": ["type": "string"],
            ]]
            try await loader.load(number: 1, table: "items", schema: schema, messages: [
                upsert(1, ["id": 7, "price": 3, "flag": true, "label": "12", "when": "2020-01-13T21:25:03+0100",
                           "plain": "2020-01-13T21:25:03+0100"]),
            ])
            let layout = try await loader.layout(of: "items")
            #expect(layout.columns.prefix(6).map(\.type) == [.integer, .number, .boolean, .string, .dateTime, .string])
            let row = try #require(try await loader.rows("items").first)
            #expect(row["price"] == "3.0")
            #expect(row["flag"] == "true")
            #expect(row["label"] == "12")
            #expect(row["when"] == "2020-01-13T20:25:03.000000Z")
            // Without `format: date-time` a string stays a string, even one that looks like a date (§4.2).
            #expect(row["plain"] == "2020-01-13T21:25:03+0100")
        }
    }

    @Test("Nested objects flatten into parent__child columns", arguments: DestinationUnderTest.available)
    func flattensObjects(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                  messages: [upsert(1, Self.order(10, skus: []))])
            let columns = try await loader.columns(of: "orders")
            #expect(columns.prefix(3) == ["order_id", "customer__name", "customer__address__city"])
            let row = try #require(try await loader.rows("orders").first)
            #expect(row["customer__address__city"] == "Ooo")
        }
    }

    @Test("Arrays become child tables with source keys and level ids; one order, 2 items, 2 tax lines is 5 rows",
          arguments: DestinationUnderTest.available)
    func childTables(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                  messages: [upsert(1, Self.order(10, skus: ["a", "b"], tags: []))])
            #expect(try await loader.tables() == ["_sdc_rejected", "orders", "orders__line_items", "orders__line_items__tax_lines"])
            let items = try await loader.layout(of: "orders__line_items")
            #expect(items.keyColumns == ["_sdc_source_key_order_id", "_sdc_level_0_id"])
            #expect(items.columns.first { $0.name == "_sdc_source_key_order_id" }?.type == .integer)
            let itemRows = try await loader.rows("orders__line_items")
            #expect(itemRows.map { [$0["_sdc_source_key_order_id"], $0["_sdc_level_0_id"], $0["sku"]] }
                        == [["10", "0", "a"], ["10", "1", "b"]])
            let taxes = try await loader.layout(of: "orders__line_items__tax_lines")
            #expect(taxes.keyColumns == ["_sdc_source_key_order_id", "_sdc_level_0_id", "_sdc_level_1_id"])
            let taxRows = try await loader.rows("orders__line_items__tax_lines")
            #expect(taxRows.map { [$0["_sdc_level_0_id"], $0["_sdc_level_1_id"], $0["rate"]] } == [["0", "0", "0.5"], ["1", "0", "1.5"]])
            #expect(taxRows.allSatisfy { $0["_sdc_sequence"] == "1" && $0["_sdc_table_version"] == "0" })
            let total = try await loader.rows("orders").count + itemRows.count + taxRows.count
            #expect(total == 5)
        }
    }

    @Test("Arrays of scalars go to a value column", arguments: DestinationUnderTest.available)
    func scalarArrays(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                  messages: [upsert(1, Self.order(10, skus: [], tags: ["x", "y", .null]))])
            let tags = try await loader.rows("orders__tags")
            #expect(tags.map { [$0["_sdc_level_0_id"], $0["value"]] } == [["0", "x"], ["1", "y"], ["2", "NULL"]])
        }
    }

    @Test("A newer record replaces its child rows; an older one arriving later changes nothing",
          arguments: DestinationUnderTest.available)
    func childRowsFollowTheirParent(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "orders", schema: Self.ordersSchema, keys: ["order_id"], messages: [
                upsert(5, Self.order(10, skus: ["a", "b", "c"])), upsert(5, Self.order(11, skus: ["z"])),
            ])
            try await loader.load(number: 2, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                  messages: [upsert(9, Self.order(10, skus: ["new"], tags: []))])
            try await loader.load(number: 3, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                  messages: [upsert(7, Self.order(10, skus: ["stale", "stale"]))])
            let items = try await loader.rows("orders__line_items")
            #expect(items.map { [$0["_sdc_source_key_order_id"], $0["sku"], $0["_sdc_sequence"]] }
                        == [["10", "new", "9"], ["11", "z", "5"]])
            let tags = try await loader.rows("orders__tags")
            #expect(tags.map { $0["_sdc_source_key_order_id"] } == ["11"])
            let taxes = try await loader.rows("orders__line_items__tax_lines")
            #expect(taxes.map { $0["_sdc_source_key_order_id"] } == ["10", "11"])
        }
    }

    @Test("The highest sequence wins across batches, whatever the arrival order", arguments: DestinationUnderTest.available)
    func highestSequenceAcrossBatches(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            for (number, (sequence, name)) in [(10, "ten"), (5, "five"), (12, "twelve"), (11, "eleven")].enumerated() {
                try await loader.load(number: Int64(number + 1), messages: [upsert(Int64(sequence), ["id": 1, "name": .string(name)])])
            }
            let rows = try await loader.rows()
            #expect(rows.map { $0["name"] } == ["twelve"])
            #expect(rows.first?["_sdc_sequence"] == "12")
        }
    }

    @Test("Within one batch the highest sequence per key wins, whatever the message order",
          arguments: DestinationUnderTest.available)
    func highestSequenceWithinBatch(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let summary = try await loader.load(number: 1, messages: [
                upsert(5, ["id": 1, "name": "five"]), upsert(9, ["id": 1, "name": "nine"]),
                upsert(7, ["id": 1, "name": "seven"]), upsert(1, ["id": 2, "name": "other"]),
            ])
            #expect(summary.rowsOffered == 2)
            #expect(try await loader.rows().map { $0["name"] } == ["nine", "other"])
        }
    }

    @Test("On an equal sequence the later-received batch wins", arguments: DestinationUnderTest.available)
    func equalSequenceLaterBatchWins(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, messages: [upsert(5, ["id": 1, "name": "first"])])
            try await loader.load(number: 2, messages: [upsert(5, ["id": 1, "name": "second"])])
            #expect(try await loader.column("name") == ["second"])
        }
    }

    @Test("A replaced row loses the fields the newer record lacks", arguments: DestinationUnderTest.available)
    func replacementIsWhole(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, messages: [upsert(1, ["id": 1, "name": "Finn", "age": 15])])
            try await loader.load(number: 2, messages: [upsert(2, ["id": 1, "name": "Finn"])])
            #expect(try await loader.column("age") == ["NULL"])
        }
    }

    @Test("A type change splits the column: the original is renamed with its type's suffix",
          arguments: DestinationUnderTest.available)
    func splitsColumns(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, messages: [upsert(1, ["id": 1, "age": 15, "has_magic": false])])
            let changed: JSONValue = ["properties": [
                "id": ["type": "integer"], "age": ["type": "number"], "has_magic": ["type": ["boolean", "string"]],
            ]]
            try await loader.load(number: 2, schema: changed, messages: [
                upsert(2, ["id": 2, "age": 15.5, "has_magic": "sometimes"]), upsert(3, ["id": 3, "age": 16, "has_magic": true]),
            ])
            let columns = try await loader.columns()
            #expect(columns.contains("age__bi") && columns.contains("age__do") && !columns.contains("age"))
            #expect(columns.contains("has_magic__bo") && columns.contains("has_magic__st") && !columns.contains("has_magic"))
            let rows = try await loader.rows()
            #expect(rows.map { [$0["age__bi"], $0["age__do"]] } == [["15", "NULL"], ["NULL", "15.5"], ["NULL", "16.0"]])
            #expect(rows.map { [$0["has_magic__bo"], $0["has_magic__st"]] }
                        == [["false", "NULL"], ["NULL", "sometimes"], ["true", "NULL"]])
            // A later integer goes to the existing split column, without another change.
            try await loader.load(number: 3, messages: [upsert(4, ["id": 4, "age": 40])])
            #expect(try await loader.columns() == columns)
            #expect(try await loader.rows().last?["age__bi"] == "40")
        }
    }

    @Test("New fields add columns at the end; older rows read NULL; null-only fields add none",
          arguments: DestinationUnderTest.available)
    func newColumns(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, messages: [upsert(1, ["id": 1, "name": "Finn", "age": .null])])
            #expect(try await !loader.columns().contains("age"))
            let wider: JSONValue = ["properties": ["id": ["type": "integer"], "email": ["type": "string"]]]
            try await loader.load(number: 2, schema: wider, messages: [upsert(2, ["id": 2, "email": "j@example.com"])])
            #expect(try await loader.columns().last == "email")
            let rows = try await loader.rows()
            #expect(rows.map { [$0["email"], $0["name"]] } == [["NULL", "Finn"], ["j@example.com", "NULL"]])
        }
    }

    @Test("Keyless tables append every record under __sdc_primary_key, child tables too",
          arguments: DestinationUnderTest.available)
    func keylessAppends(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let schema: JSONValue = ["properties": ["id": ["type": "integer"], "tags": ["type": "array", "items": ["type": "string"]]]]
            try await loader.load(number: 1, table: "events", schema: schema, keys: [],
                                  messages: [upsert(1, ["id": 1, "tags": ["a"]]), upsert(1, ["id": 1, "tags": ["b"]])])
            try await loader.load(number: 2, table: "events", schema: schema, keys: nil, messages: [upsert(1, ["id": 1])])
            let layout = try await loader.layout(of: "events")
            #expect(layout.keyColumns == ["__sdc_primary_key"])
            let rows = try await loader.rows("events")
            #expect(rows.count == 3)
            #expect(Set(rows.compactMap { $0["__sdc_primary_key"] }).count == 3)
            #expect(rows.allSatisfy { $0["__sdc_primary_key"]?.count == 36 })
            let tags = try await loader.rows("events__tags")
            #expect(tags.map { $0["value"] } == ["a", "b"])
            #expect(tags.map { $0["_sdc_source_key___sdc_primary_key"] } == rows.prefix(2).map { $0["__sdc_primary_key"] })
        }
    }

    @Test("Loading a batch again changes nothing: keyed, keyless, child rows and rejects",
          arguments: DestinationUnderTest.available)
    func replayIsIdempotent(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let keyed = batch(number: 1, schemaName: loader.schema, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                              messages: [upsert(3, Self.order(1, skus: ["a"])), upsert(4, ["order_id": 2, "customer": ["name": "NUL \u{0} inside"]])])
            let keyless = batch(number: 2, schemaName: loader.schema, table: "events", keys: nil,
                                messages: [upsert(1, ["id": 1, "name": "a"]), upsert(1, ["id": 1, "name": "a"])])
            try await loader.destination.load(keyed, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
            try await loader.destination.load(keyless, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_700_000_000))
            let tables = ["orders", "orders__line_items", "orders__tags", "events", "_sdc_rejected"]
            var before: [[[String: String]]] = []
            for table in tables { before.append(try await loader.rows(table)) }
            #expect(before[3].count == 2)

            let again = try await loader.destination.load(keyed, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_800_000_000))
            try await loader.destination.load(keyless, batchedAt: UTCTimestamp(secondsSinceEpoch: 1_800_000_000))
            #expect(again.wasReplay)
            var after: [[[String: String]]] = []
            for table in tables { after.append(try await loader.rows(table)) }
            #expect(after == before)
        }
    }

    @Test("table_version + activate_version replace a table's rows, child rows included; older versions are ignored after",
          arguments: DestinationUnderTest.available)
    func activatesVersions(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            func load(_ number: Int64, version: Int64, _ messages: [BatchMessage]) async throws {
                try await loader.load(number: number, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                      tableVersion: version, messages: messages)
            }
            try await load(1, version: 1, [upsert(1, Self.order(1, skus: ["a"])), upsert(2, Self.order(2, skus: ["b"]))])
            try await load(2, version: 1, [activateVersion(3)])
            try await load(3, version: 2, [upsert(4, Self.order(2, skus: ["c"]))])
            #expect(try await loader.rows("orders").count == 2)
            try await load(4, version: 2, [activateVersion(5)])
            let orders = try await loader.rows("orders")
            #expect(orders.map { [$0["order_id"], $0["_sdc_table_version"]] } == [["2", "2"]])
            #expect(try await loader.rows("orders__line_items").map { $0["sku"] } == ["c"])
            #expect(try await loader.rows("orders__tags").map { $0["_sdc_source_key_order_id"] } == ["2"])
            // A straggler from version 1 no longer loads.
            let late = try await loader.load(number: 5, table: "orders", schema: Self.ordersSchema, keys: ["order_id"],
                                             tableVersion: 1, messages: [upsert(9, Self.order(1, skus: ["old"]))])
            #expect(late.ignored == 1)
            #expect(try await loader.rows("orders").count == 1)
        }
    }

    @Test("Records that cannot load go to _sdc_rejected with the table, the reason and the record",
          arguments: DestinationUnderTest.available)
    func rejects(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let longField = String(repeating: "f", count: 60)
            let schema: JSONValue = ["properties": [
                "id": ["type": "integer"], "big": ["type": "integer"], "when": ["type": "string", "format": "date-time"],
            ]]
            let summary = try await loader.load(number: 1, table: "things", schema: schema, messages: [
                upsert(1, ["id": 1, "big": 1e20]),
                upsert(2, .object(JSONObject([("id", 2), (longField, 1)]))),
                upsert(3, ["id": 3, "when": "0000-01-01T00:30:00+01:00"]),
                upsert(4, ["id": 4, "customer!id": 1, "customerid": 2]),
                upsert(5, ["id": 5, "big": 7]),
            ])
            #expect(summary.rejected == 4)
            #expect(summary.rowsOffered == 1)
            try await loader.load(number: 2, table: String(repeating: "t", count: 64), schema: schema, messages: [upsert(6, ["id": 6])])
            // Raw names quoted in a reason or a table_name cannot carry NUL into PostgreSQL.
            try await loader.load(number: 3, table: "\u{0}!", schema: schema, messages: [upsert(7, ["id": 7])])
            try await loader.load(number: 4, table: "things", schema: schema, messages: [upsert(8, .object(JSONObject([("id", 8), ("\u{0}", 1)])))])
            let rejected = try await loader.rows("_sdc_rejected")
            #expect(rejected.count == 7)
            #expect(rejected.contains { $0["table_name"] == "\\u0000!" })
            #expect(rejected.contains { $0["reason"] == #"Field name "\u0000" has no letters, digits or underscores left after removing special characters"# })
            #expect(rejected.allSatisfy { $0["_sdc_rejected_at"] == "2023-11-14T22:13:20.000000Z" })
            let reasons = Set(rejected.compactMap { $0["reason"] })
            #expect(reasons.contains("Value 1e+20 of field big is out of range for bigint"))
            #expect(reasons.contains("Column name \(longField) is longer than 59 characters"))
            #expect(reasons.contains("Value 0000-01-01T00:30:00+01:00 of field when is out of range for timestamp"))
            #expect(reasons.contains("Field collision on customerid"))
            #expect(reasons.contains("Table name \(String(repeating: "t", count: 64)) is longer than 63 characters"))
            #expect(rejected.contains { $0["table_name"] == "things" && $0["record"] == #"{"id":1,"big":1e+20}"# })
            #expect(try await loader.column("id", of: "things") == ["5"])
        }
    }

    @Test("A batch whose key differs from the table's is rejected record by record", arguments: DestinationUnderTest.available)
    func keyMismatch(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, messages: [upsert(1, ["id": 1, "name": "Finn"])])
            let summary = try await loader.load(number: 2, keys: ["name"], messages: [upsert(2, ["id": 1, "name": "Jake"])])
            #expect(summary.rejected == 1)
            #expect(try await loader.column("name") == ["Finn"])
            #expect(try await loader.column("reason", of: "_sdc_rejected")
                        == ["key_names [name] differ from the primary key [id] of table customers"])
        }
    }

    @Test("time_extracted adds _sdc_extracted_at, in UTC", arguments: DestinationUnderTest.available)
    func extractedAt(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, messages: [upsert(1, ["id": 1], timeExtracted: "2020-01-02T03:04:05.5-02:00")])
            #expect(try await loader.columns().contains("_sdc_extracted_at"))
            #expect(try await loader.column("_sdc_extracted_at") == ["2020-01-02T05:04:05.500000Z"])
        }
    }

    @Test("Text arrives byte for byte: tabs, newlines, backslashes, quotes, \\N, Unicode", arguments: DestinationUnderTest.available)
    func textRoundTrip(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let texts = ["a\tb", "line\nbreak\r\n", #"back\slash \N"#, "quote \" ' ;", "ünï 😀 中文", "", "NULL"]
            let keyless: JSONValue = ["properties": ["s": ["type": "string"]]]
            try await loader.load(number: 1, table: "texts", schema: keyless, keys: nil,
                                  messages: texts.enumerated().map { upsert(Int64($0.offset), ["s": .string($0.element)]) })
            #expect(try await loader.column("s", of: "texts") == texts)
            let keyed = try await loader.load(number: 2, schema: customersSchema, messages: texts.enumerated().map {
                upsert(Int64($0.offset), ["id": .integer(Int64($0.offset)), "name": .string($0.element)])
            })
            #expect(keyed.rowsOffered == texts.count)
            #expect(try await loader.column("name") == texts)
        }
    }

    @Test("Field and table names lose special characters and leading non-letters; case and spaces stay",
          arguments: DestinationUnderTest.available)
    func names(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "My-Table!", schema: ["properties": [:]], keys: ["Order ID"], messages: [
                upsert(1, ["Order ID": 1, "customer!id": 2, "123count": 3, "_987X": 4, "CuStOmEr": "c"]),
            ])
            #expect(try await loader.tables() == ["MyTable", "_sdc_rejected"])
            #expect(try await loader.columns(of: "MyTable").prefix(5) == ["Order ID", "customerid", "count", "_987X", "CuStOmEr"])
            #expect(try await loader.layout(of: "MyTable").keyColumns == ["Order ID"])
        }
    }
}

/// What only PostgreSQL has: its own types, constraint names and schemas.
@Suite("PostgreSQL destination", .enabled(if: testPostgresURL != nil, postgresSkipReason))
struct PostgresOnlyTests {
    @Test("Columns get the PostgreSQL types of §4.2 and the key a <table>_pkey constraint, in a schema per source")
    func catalog() async throws {
        try await LoaderHarness.with(.postgres) { loader in
            let schema: JSONValue = ["properties": [
                "id": ["type": "integer"], "n": ["type": "number"], "b": ["type": "boolean"], "s": ["type": "string"],
                "t": ["type": "string", "format": "date-time"],
            ]]
            try await loader.load(number: 1, schema: schema, messages: [upsert(1, ["id": 1, "n": 1.5, "b": true, "s": "x", "t": "2020-01-01T00:00:00Z"])])
            let postgres = try #require(loader.destination as? PostgresDestination)
            let types = try await postgres.query("""
                SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
                WHERE table_schema = $1::text AND table_name = 'customers' ORDER BY ordinal_position
                """, [.text(loader.schema)], types: [.string, .string, .string])
            #expect(types.map { $0.map(\.displayText) } == [
                ["id", "bigint", "NO"], ["n", "double precision", "YES"], ["b", "boolean", "YES"], ["s", "text", "YES"],
                ["t", "timestamp without time zone", "YES"], ["_sdc_received_at", "timestamp without time zone", "YES"],
                ["_sdc_batched_at", "timestamp without time zone", "YES"], ["_sdc_sequence", "bigint", "YES"],
                ["_sdc_table_version", "bigint", "YES"],
            ])
            let constraints = try await postgres.query("""
                SELECT constraint_name::text FROM information_schema.table_constraints
                WHERE table_schema = $1::text AND table_name = 'customers' AND constraint_type = 'PRIMARY KEY'
                """, [.text(loader.schema)], types: [.string])
            #expect(constraints.map { $0.map(\.displayText) } == [["customers_pkey"]])
            #expect(try await postgres.schemas().contains(loader.schema))
        }
    }

    @Test("Case is kept: id and ID are two columns on PostgreSQL (SQLite folds them into a collision)")
    func caseIsKept() async throws {
        try await LoaderHarness.with(.postgres) { loader in
            try await loader.load(number: 1, schema: ["properties": [:]], messages: [upsert(1, ["id": 1, "ID": 2])])
            #expect(try await loader.columns().prefix(2) == ["id", "ID"])
        }
    }
}
