@testable import RecordBatch
import StitchAPI
import Testing

struct BatchEditTests {
    @Test func typedTextIsReadByItsColumnAndAValueThatDoesNotFitIsRefused() throws {
        let batch = try Fixtures.batch()
        let id = Fixtures.column(batch, "id")
        let edited = try batch.applying(.setText(row: 1, column: id, text: "22"))
        #expect(edited[1, id] == .integer(22))
        #expect(batch[1, id] == .integer(2), "applying leaves the original alone")
        #expect(throws: BatchEditError.valueDoesNotFit(column: "id", CellInputError(text: "two", type: ColumnType([.integer], isNullable: false)))) {
            try batch.applying(.setText(row: 1, column: id, text: "two"))
        }
        #expect(throws: BatchEditError.valueDoesNotFit(column: "active", CellInputError(text: "x", type: ColumnType([.boolean], isNullable: false)))) {
            try batch.applying(.setValue(row: 0, column: Fixtures.column(batch, "active"), .string("x")))
        }
        let address = Fixtures.column(batch, "address")
        #expect(try batch.applying(.setText(row: 1, column: address, text: #"{"city":"Paris"}"#))[1, address] == .json(["city": "Paris"]))
        #expect(try batch.applying(.setValue(row: 0, column: address, .absent))[0, address] == .absent)
        #expect(throws: BatchEditError.noSuchRow(5, rowCount: 2)) { try batch.applying(.setText(row: 5, column: 0, text: "1")) }
        #expect(throws: BatchEditError.noSuchColumn(9, columnCount: 6)) { try batch.applying(.setText(row: 0, column: 9, text: "1")) }
        #expect(BatchEditError.valueDoesNotFit(column: "id", CellInputError(text: "two", type: .integer)).description
                == "id: \"two\" is not integer or null")
    }

    @Test func rowsAreAddedDuplicatedAndDeleted() throws {
        var batch = try Fixtures.batch()
        try batch.apply(.addRow(at: 0))
        #expect(batch.rowCount == 3)
        #expect(batch.record(0).isEmpty)
        #expect(batch[1, 0] == .integer(1))
        try batch.apply(.duplicateRow(1))
        #expect(batch.rowCount == 4)
        #expect(batch.record(2) == batch.record(1))
        #expect(batch.sequence(ofRow: 1) == 1_700_000_000_000)
        #expect(batch.sequence(ofRow: 2) == nil, "the copy takes the send time, not its original's sequence")
        try batch.apply(.deleteRows([0, 2]))
        #expect(batch.rowCount == 2)
        #expect(batch.batchJSON(sequencesFrom: 0) == Fixtures.batchJSON)
        #expect(throws: BatchEditError.noSuchRow(7, rowCount: 2)) { try batch.applying(.deleteRows([0, 7])) }
        #expect(throws: BatchEditError.noSuchRow(3, rowCount: 2)) { try batch.applying(.addRow(at: 3)) }
    }

    @Test func columnsAreAddedRenamedAndDeletedWithTheirKeys() throws {
        var batch = try Fixtures.batch()
        try batch.apply(.addColumn(name: "tier", type: .string, at: 1))
        #expect(batch.columns.map(\.name) == ["id", "tier", "name", "score", "active", "joined", "address"])
        #expect(batch[0, 1] == .absent)
        #expect(batch.schema["properties"]?["tier"] == ["type": ["null", "string"]])
        #expect(throws: BatchEditError.duplicateColumn("name")) { try batch.applying(.addColumn(name: "name", type: .string, at: nil)) }
        #expect(throws: BatchEditError.emptyName(what: "column name")) { try batch.applying(.renameColumn(1, to: "")) }
        try batch.apply(.renameColumn(0, to: "customer_id"))
        #expect(batch.keyNames == ["customer_id"])
        #expect(batch.record(0)["customer_id"] == 1)
        #expect(batch.schema["properties"]?["customer_id"] == ["type": "integer"])
        try batch.apply(.deleteColumn(0))
        #expect(batch.keyNames == [])
        #expect(batch.columns.first?.name == "tier")
        #expect(batch.record(0)["customer_id"] == nil)
    }

    @Test func retypingConvertsTheCellsThatReadAsTheNewType() throws {
        var batch = RecordBatch(tableName: "t", columns: [BatchColumn(name: "n", type: .string)])
        for text in ["12", "x", "7"] {
            try batch.apply(.addRow(at: nil))
            try batch.apply(.setText(row: batch.rowCount - 1, column: 0, text: text))
        }
        try batch.apply(.retypeColumn(0, to: .integer))
        #expect((0..<3).map { batch[$0, 0] } == [.integer(12), .string("x"), .integer(7)], "what does not convert stays, for the checks to show")
        #expect(batch.schema["properties"]?["n"] == ["type": ["null", "integer"]])
        try batch.apply(.retypeColumn(0, to: .string))
        #expect(batch[0, 0] == .string("12"))
        // Retyping keeps the property's other keywords and drops the anyOf that declared the old type.
        var anyOf = try RecordBatch(batchJSON: ["table_name": "t", "messages": [],
                                               "schema": ["properties": ["d": ["anyOf": [["type": "null"], ["type": "string"]], "description": "when"]]]])
        try anyOf.apply(.retypeColumn(0, to: .dateTime))
        #expect(anyOf.schema["properties"]?["d"] == ["description": "when", "type": ["null", "string"], "format": "date-time"])
    }

    @Test func keysAreMarkedInColumnOrderAndTheTableRenamed() throws {
        var batch = try Fixtures.batch()
        try batch.apply(.setKey(column: Fixtures.column(batch, "joined"), true))
        try batch.apply(.setKey(column: Fixtures.column(batch, "name"), true))
        #expect(batch.keyNames == ["id", "name", "joined"])
        try batch.apply(.setKey(column: 0, false))
        #expect(batch.keyNames == ["name", "joined"])
        try batch.apply(.setKeyNames(nil))
        #expect(batch.batchJSON(sequencesFrom: 0)["key_names"] == nil)
        try batch.apply(.renameTable("clients"))
        #expect(batch.batchJSON(sequencesFrom: 0)["table_name"] == "clients")
        #expect(throws: BatchEditError.emptyName(what: "table name")) { try batch.applying(.renameTable("")) }
    }

    @Test func sequencesAreSetAndCleared() throws {
        var batch = try Fixtures.batch()
        try batch.apply(.setSequence(row: 1, 99))
        #expect(batch.sequence(ofRow: 1) == 99)
        try batch.apply(.setSequence(row: 1, nil))
        #expect(batch.request(sequencesFrom: 5).messages.map(\.sequence) == [1_700_000_000_000, 5])
    }
}
