@testable import RecordBatch
import StitchAPI
import Testing

struct BatchJSONTests {
    @Test func aBatchComesBackOutAsItWentIn() throws {
        let batch = try Fixtures.batch()
        #expect(batch.tableName == "customers")
        #expect(batch.columns.map(\.name) == ["id", "name", "score", "active", "joined", "address"])
        #expect(batch.keyNames == ["id"])
        #expect(batch.rowCount == 2)
        #expect(batch.batchJSON(sequencesFrom: 0) == Fixtures.batchJSON)
        // And once more through the model.
        let again = try RecordBatch(batchJSON: batch.batchJSON(sequencesFrom: 0))
        #expect(again.batchJSON(sequencesFrom: 0) == Fixtures.batchJSON)
    }

    @Test func columnsReadTheirTypesFromTheSchema() throws {
        let batch = try Fixtures.batch()
        #expect(batch.columns.map(\.type) == [
            ColumnType([.integer], isNullable: false), ColumnType([.string], isNullable: true),
            ColumnType([.number], isNullable: true), ColumnType([.boolean], isNullable: false),
            ColumnType([.string], isNullable: false, format: "date-time"), ColumnType([.object], isNullable: true),
        ])
        #expect(batch[0, 4] == .dateTime("2026-01-31T12:00:00Z"))
        #expect(batch[1, 2] == .absent)
        #expect(batch[1, 1] == .null)
        #expect(batch[0, 5] == .json(["city": "London"]))
        #expect(batch.timeExtracted(ofRow: 1) == "2026-02-01T00:00:00Z")
        #expect(batch.sequence(ofRow: 0) == 1_700_000_000_000)
    }

    @Test func unsetSequencesTakeTheSendTimeInOrderAndActionIsUpsert() throws {
        var batch = try Fixtures.batch()
        try batch.apply(.setSequence(row: 0, nil))
        try batch.apply(.addRow(at: nil))
        try batch.apply(.setText(row: 2, column: 0, text: "3"))
        let request = batch.request(sequencesFrom: 1_800_000_000_000)
        #expect(request.messages.map(\.sequence) == [1_800_000_000_000, 1_700_000_000_001, 1_800_000_000_001])
        #expect(request.messages.allSatisfy { $0.action == .upsert })
    }

    @Test func activateVersionAndBrokenShapesAreRefusedWithTheirReason() {
        var json = Fixtures.batchJSON
        if case .object(var object) = json {
            object["messages"] = [["action": "activate_version", "sequence": 1]]
            json = .object(object)
        }
        #expect(throws: BatchRequestShapeError("messages[0] is an activate_version message; the record editor holds upserts only")) {
            try RecordBatch(batchJSON: json)
        }
        #expect(throws: BatchRequestShapeError("table_name must be a non-empty string")) {
            try RecordBatch(batchJSON: ["schema": [:], "messages": []])
        }
    }

    @Test func membersTheSchemaDoesNotDeclareStayInTheDataButOutOfTheSchema() throws {
        let json: JSONValue = ["table_name": "t", "schema": ["properties": ["id": ["type": "integer"]]],
                               "messages": [["action": "upsert", "sequence": 5, "data": ["id": 1, "extra": "x"]]]]
        let batch = try RecordBatch(batchJSON: json)
        #expect(batch.columns.map(\.isDeclared) == [true, false])
        #expect(batch.batchJSON(sequencesFrom: 0) == json)
    }
}

struct RawTextTests {
    @Test func theRawViewReadsBackAsTheSameBatch() throws {
        let batch = try Fixtures.batch()
        let text = batch.rawText(sequencesFrom: 0)
        #expect(text.contains("\n  \"table_name\": \"customers\""))
        #expect(try RecordBatch(rawText: text).batchJSON(sequencesFrom: 0) == Fixtures.batchJSON)
    }

    @Test func aSyntaxErrorPointsAtItsLineAndColumn() {
        let text = "{\n  \"table_name\": \"t\",\n  \"schema\": {},\n  \"messages\": [\n    {\"action\": \"upsert\" \"sequence\": 1}\n  ]\n}"
        #expect(throws: LoadProblem(line: 5, column: 25, "the batch is not valid JSON: Expected ',' or '}' in an object")) {
            try RecordBatch(rawText: text)
        }
        #expect(throws: LoadProblem(line: 0, "messages must be an array")) {
            try RecordBatch(rawText: #"{"table_name":"t","schema":{}}"#)
        }
    }
}
