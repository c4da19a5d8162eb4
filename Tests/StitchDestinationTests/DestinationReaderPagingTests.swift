import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// The record editor's destination view reads through these (issue 8 item 6): every table with its
/// true row count, and pages of rows that neither overlap nor skip, cells as stored.
///
/// SQLite only: the reader reads the sandbox's SQLite files, which is what the wizard's in-process
/// sandbox writes (PostgreSQL is read through `PostgresDestination`).
@Suite("Destination reader: tables, counts and pages")
struct DestinationReaderPagingTests {
    static let taggedSchema: JSONValue = [
        "properties": [
            "id": ["type": "integer"],
            "name": ["type": ["null", "string"]],
            "tags": ["type": "array", "items": ["type": "string"]],
        ],
    ]

    @Test("Tables are listed with their true counts: the batch's table, its child table and _sdc_rejected")
    func tablesWithCounts() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        let messages = (1...250).map { upsert(1, ["id": .integer(Int64($0)), "tags": ["a", "b", "c"]]) }
        try await destination.load(batch(number: 1, schema: Self.taggedSchema, messages: messages))
        try await destination.reject(RejectedBatch(number: 2, schemaName: "import_api", receivedAt: .now(), tableName: "customers",
                                                   reason: "refused", records: [#"{"id":1}"#, #"{"id":2}"#]))
        await destination.close()

        let summaries = try DestinationReader.tableSummaries(schema: "import_api", dataDirectory: directory)
        #expect(summaries == [
            DestinationReader.TableSummary(name: "_sdc_rejected", rowCount: 2),
            DestinationReader.TableSummary(name: "customers", rowCount: 250),
            DestinationReader.TableSummary(name: "customers__tags", rowCount: 750),
        ])
        #expect(throws: DestinationError.noSuchSchema("other")) {
            try DestinationReader.tableSummaries(schema: "other", dataDirectory: directory)
        }
    }

    @Test("Pages of 20 cover 45 rows once each, in load order, each with the total; past the end is empty")
    func paging() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        // Ids out of order, so load order and key order differ.
        let ids = (1...45).map { ($0 * 17) % 46 }
        try await destination.load(batch(number: 1, messages: ids.map { upsert(1, ["id": .integer(Int64($0))]) }))
        await destination.close()

        var seen: [CellValue] = []
        for offset in stride(from: 0, to: 60, by: 20) {
            let page = try DestinationReader.page(schema: "import_api", table: "customers", offset: offset, limit: 20,
                                                  dataDirectory: directory)
            #expect(page.totalCount == 45)
            #expect(page.offset == offset)
            #expect(page.columns.first == "id")
            #expect(page.columnTypes.first == .integer)
            #expect(page.rows.count == [20, 20, 5][offset / 20])
            seen += page.rows.map { $0[0] }
        }
        #expect(seen == ids.map { .integer(Int64($0)) })
        let past = try DestinationReader.page(schema: "import_api", table: "customers", offset: 100, limit: 20,
                                              dataDirectory: directory)
        #expect(past.rows.isEmpty)
        #expect(past.totalCount == 45)

        let byKey = try DestinationReader.page(schema: "import_api", table: "customers", offset: 40, limit: 20,
                                               dataDirectory: directory, order: .primaryKey)
        #expect(byKey.rows.map { $0[0] } == (41...45).map { .integer(Int64($0)) })
    }

    @Test("NULL reads apart from the text NULL; empty text and control characters come back as stored")
    func cellsAsStored() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        let names: [JSONValue] = [.null, "NULL", "", "line one\nline two\tTab\u{7}", "null"]
        try await destination.load(batch(number: 1, schema: Self.taggedSchema, messages: names.enumerated().map { index, name in
            upsert(1, ["id": .integer(Int64(index)), "name": name])
        }))
        await destination.close()

        let page = try DestinationReader.page(schema: "import_api", table: "customers", offset: 0, limit: 10,
                                              dataDirectory: directory)
        let name = try #require(page.columns.firstIndex(of: "name"))
        #expect(page.rows.map { $0[name] } == [.null, .text("NULL"), .text(""), .text("line one\nline two\tTab\u{7}"), .text("null")])
    }

    @Test("A keyless table pages in a total order too, by every column then the rowid")
    func keylessPrimaryKeyOrder() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        // Ten identical rows: only the rowid tells them apart.
        try await destination.load(batch(number: 1, table: "events", keys: nil,
                                         messages: (0..<10).map { _ in upsert(1, ["id": 1, "name": "same"]) }))
        await destination.close()
        var keys: [CellValue] = []
        for offset in stride(from: 0, to: 10, by: 3) {
            let page = try DestinationReader.page(schema: "import_api", table: "events", offset: offset, limit: 3,
                                                  dataDirectory: directory, order: .primaryKey)
            let key = try #require(page.columns.firstIndex(of: "__sdc_primary_key"))
            keys += page.rows.map { $0[key] }
        }
        #expect(keys.count == 10)
        #expect(Set(keys).count == 10)
    }

    @Test("A page of a table that does not exist says so")
    func missingTable() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = SQLiteDestination(dataDirectory: directory)
        try await destination.load(batch(number: 1, messages: [upsert(1, ["id": 1])]))
        await destination.close()
        #expect(throws: DestinationError.noSuchTable(schema: "import_api", table: "orders")) {
            try DestinationReader.page(schema: "import_api", table: "orders", offset: 0, limit: 10, dataDirectory: directory)
        }
    }
}
