import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// Names a destination will not take, or takes for another name (issue 10, items 4 and 5), on
/// every destination: SQLite always, PostgreSQL when `STITCH_TEST_POSTGRES_URL` is set.
@Suite("Loader: reserved and colliding names (every destination)")
struct NameCollisionTests {
    static let peopleSchema: JSONValue = ["properties": [:]]

    @Test("Table names starting with sqlite_ (any case) are rejected on SQLite with the rule named; PostgreSQL loads them",
          arguments: DestinationUnderTest.available)
    func sqliteReservedTableNames(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            let names = ["sqlite_x", "SQLITE_Master", "Sqlite_stat1"]
            for (offset, name) in names.enumerated() {
                let summary = try await loader.load(number: Int64(offset + 1), table: name,
                                                    messages: [upsert(1, ["id": .integer(Int64(offset + 1)), "name": "Finn"])])
                #expect(summary.tableName == name)
                #expect(summary.rejected == (kind == .sqlite ? 1 : 0), "\(name)")
                #expect(summary.rowsOffered == (kind == .sqlite ? 0 : 1), "\(name)")
                #expect(summary.firstRejection == (kind == .sqlite
                    ? "Table name \(name) is reserved: SQLite keeps names starting with sqlite_ (in any case) for itself" : nil))
            }
            let rejected = try await loader.rows("_sdc_rejected")
            switch kind {
            case .sqlite:
                #expect(Set(try await loader.tables()) == ["_sdc_rejected"])
                #expect(Set(rejected.compactMap { $0["table_name"] }) == Set(names))
                #expect(Set(rejected.compactMap { $0["record"] }) == [#"{"id":1,"name":"Finn"}"#, #"{"id":2,"name":"Finn"}"#,
                                                                        #"{"id":3,"name":"Finn"}"#])
            case .postgres:
                #expect(Set(try await loader.tables()) == Set(names + ["_sdc_rejected"]))
                #expect(rejected.isEmpty)
                #expect(try await loader.column("name", of: "SQLITE_Master") == ["Finn"])
            }
        }
    }

    @Test("Orders and orders: two tables on PostgreSQL; on SQLite the later name is rejected, never mixed into the other's rows",
          arguments: DestinationUnderTest.available)
    func tablesDifferingByCase(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "Orders", messages: [upsert(1, ["id": 1, "name": "Big"])])
            let second = try await loader.load(number: 2, table: "orders", tableVersion: 5, messages: [
                upsert(2, ["id": 1, "name": "small"]), upsert(2, ["id": 2, "name": "other"]),
            ])
            // Activating a version of `orders` must not clear `Orders`.
            try await loader.load(number: 3, table: "orders", tableVersion: 5, messages: [activateVersion(3)])
            #expect(try await loader.rows("Orders").map { [$0["id"], $0["name"]] } == [["1", "Big"]])
            switch kind {
            case .sqlite:
                #expect(second.rejected == 2)
                #expect(second.rowsOffered == 0)
                let rejected = try await loader.rows("_sdc_rejected")
                #expect(rejected.map { $0["reason"] } == Array(repeating: "Table name orders collides with table Orders: "
                                                                    + "names that differ only by case are one name to this destination", count: 2))
                #expect(rejected.map { $0["table_name"] } == ["orders", "orders"])
                #expect(Set(try await loader.tables()) == ["Orders", "_sdc_rejected"])
            case .postgres:
                #expect(second.rejected == 0)
                #expect(try await loader.rows("orders").map { [$0["id"], $0["name"]] } == [["1", "small"], ["2", "other"]])
            }
        }
    }

    @Test("Name and name, Items and items, key ID and id: kept apart on PostgreSQL, rejected on SQLite, never mixed",
          arguments: DestinationUnderTest.available)
    func columnsDifferingByCase(kind: DestinationUnderTest) async throws {
        try await LoaderHarness.with(kind) { loader in
            try await loader.load(number: 1, table: "people", schema: Self.peopleSchema, messages: [
                upsert(1, ["id": 1, "Name": "Finn", "Items": ["sword"]]),
            ])
            let later = try await loader.load(number: 2, table: "people", schema: Self.peopleSchema, messages: [
                upsert(2, ["id": 2, "name": "Jake"]),
                upsert(2, ["id": 3, "Name": "Bmo"]),
                upsert(2, ["id": 4, "items": ["violin"]]),
            ])
            let key = try await loader.load(number: 3, table: "people", schema: Self.peopleSchema, keys: ["ID"], messages: [
                upsert(3, ["ID": 1, "Name": "Not Finn"]),
            ])
            #expect(key.firstRejection == "key_names [ID] differ from the primary key [id] of table people")
            let people = try await loader.rows("people")
            let collision = ": names that differ only by case are one name to this destination"
            switch kind {
            case .sqlite:
                #expect(later.rejected == 2)
                #expect(people.map { [$0["id"], $0["Name"]] } == [["1", "Finn"], ["3", "Bmo"]])
                #expect(try await loader.column("value", of: "people__Items") == ["sword"])
                let reasons = try await loader.rows("_sdc_rejected").compactMap { $0["reason"] }
                #expect(Set(reasons) == ["Field collision on name with column Name" + collision,
                                         "Field collision on people__items with table people__Items" + collision,
                                         "key_names [ID] differ from the primary key [id] of table people"])
            case .postgres:
                #expect(later.rejected == 0)
                #expect(people.map { [$0["id"], $0["Name"], $0["name"]] }
                            == [["1", "Finn", "NULL"], ["2", "NULL", "Jake"], ["3", "Bmo", "NULL"], ["4", "NULL", "NULL"]])
                #expect(try await loader.column("value", of: "people__Items") == ["sword"])
                #expect(try await loader.column("value", of: "people__items") == ["violin"])
            }
        }
    }
}
