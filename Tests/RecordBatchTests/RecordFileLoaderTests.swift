@testable import RecordBatch
import StitchAPI
import RecordInput
import Testing

struct RecordFileLoaderTests {
    @Test func jsonLinesBecomeRowsWithAnInferredSchemaTheStemAsTableAndIdAsKey() throws {
        let text = """
        {"id":1,"name":"Ada","price":3,"at":"2026-01-31T12:00:00Z","tags":["a"],"meta":{"k":1},"vip":true}

        {"id":2,"name":"Bob","price":2.5,"at":"2026-02-01T00:00:00Z","vip":null}\r
        {"id":3,"name":"Cy","extra":"late column"}
        """
        let loaded = Fixtures.load(text, name: "/tmp/data/orders.jsonl")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.format == .jsonl)
        #expect(loaded.schemaWasInferred)
        #expect(loaded.readToEnd)
        let batch = loaded.batch
        #expect(batch.tableName == "orders")
        #expect(batch.keyNames == ["id"])
        #expect(batch.rowCount == 3)
        #expect(batch.schema["properties"] == [
            "id": ["type": "integer"], "name": ["type": "string"], "price": ["type": "number"],
            "at": ["type": "string", "format": "date-time"], "tags": ["type": "array"], "meta": ["type": "object"],
            "vip": ["type": ["null", "boolean"]], "extra": ["type": "string"],
        ])
        #expect(batch[0, 3] == .dateTime("2026-01-31T12:00:00Z"))
        #expect(batch[2, Fixtures.column(batch, "extra")] == .string("late column"))
        #expect(batch[2, Fixtures.column(batch, "vip")] == .absent)
        #expect(BatchChecks.problems(in: batch).isEmpty, "an inferred schema fits the values it came from")
    }

    @Test func everyBadLineIsNamedWithItsColumnAndTheGoodOnesAroundItStay() {
        let text = "{\"id\":1}\n{\"id\":}\n[1,2]\n{\"id\":4,\"s\":\"caf\u{E9}\"}\n{\"id\":5} x\n{\"id\":6}"
        var bytes = Array(text.utf8)
        // A Latin-1 é (0xE9) where UTF-8 was due, inside a string on line 4, and a bare 0xFF on line 7.
        let latin = bytes.firstIndex(of: 0xC3) ?? 0
        bytes.replaceSubrange(latin..<(latin + 2), with: [0xE9])
        bytes += Array("\n{\"id\":".utf8) + [0xFF] + Array("}\n".utf8)
        let loaded = RecordFileLoader.load(bytes: bytes, name: "t.jsonl")
        #expect(loaded.problems == [
            LoadProblem(line: 2, column: 7, "the line is not valid JSON: Unexpected character '}'"),
            LoadProblem(line: 3, column: 1, "the line must be a JSON object, not an array"),
            LoadProblem(line: 4, column: 17, "the line is not UTF-8: byte 0xE9 cannot start a character there"),
            LoadProblem(line: 5, column: 10, "the line is not valid JSON: Unexpected text after the JSON value"),
            LoadProblem(line: 7, column: 7, "the line is not UTF-8: byte 0xFF cannot start a character there"),
        ])
        #expect((0..<loaded.batch.rowCount).map { loaded.batch[$0, 0] } == [.integer(1), .integer(6)])
        #expect(loaded.problems[0].description == "line 2, column 7: the line is not valid JSON: Unexpected character '}'")
    }

    @Test func aRecordOverTwentyMegabytesIsNamedAndSkipped() {
        let huge = "{\"s\":\"" + String(repeating: "x", count: ImportLimits.maximumBodyBytes + 10) + "\"}"
        let loaded = Fixtures.load("{\"id\":1}\n" + huge + "\n{\"id\":3}\n", name: "big.jsonl")
        #expect(loaded.problems.count == 1, "\(loaded.problems.map { String($0.description.prefix(200)) })")
        #expect(loaded.problems.first?.line == 2)
        #expect(loaded.problems.first?.message.contains("over \(ImportLimits.maximumBodyBytes) bytes") == true)
        #expect((0..<loaded.batch.rowCount).map { loaded.batch[$0, 0] } == [.integer(1), .integer(3)])
    }

    @Test func aJSONArrayIsReadElementByElement() {
        let loaded = Fixtures.load("[\n {\"id\":1},\n {\"id\":\"x\" \"y\"},\n {\"id\":3}\n]", name: "list.json")
        #expect(loaded.format == .json)
        #expect(loaded.problems == [LoadProblem(line: 3, column: 12, "record 2 is not valid JSON: Expected ',' or '}' in an object")])
        #expect(loaded.batch.rowCount == 2)
        let broken = Fixtures.load("[{\"id\":1}\n{\"id\":2}]", name: "list.json")
        #expect(broken.problems == [LoadProblem(line: 2, "expected ',' or ']' after record 1; the rest of the file is not read")])
        #expect(!broken.readToEnd)
        #expect(broken.batch.rowCount == 1)
    }

    @Test func aWholeBatchKeepsItsSchemaAndFurtherBodiesOfItsTableAddRows() throws {
        let first = Fixtures.batchJSON.prettyJSONText
        let second: JSONValue = ["table_name": "customers", "schema": Fixtures.batchJSON["schema"] ?? [:],
                                 "messages": [["action": "upsert", "sequence": 9, "data": ["id": 3]]]]
        let other: JSONValue = ["table_name": "orders", "schema": [:], "messages": [["action": "upsert", "sequence": 9, "data": [:]]]]
        let text = first + "\n" + second.jsonText + "\n" + other.jsonText + "\n"
        let loaded = Fixtures.load(text, name: "dump.json")
        #expect(loaded.format == .batch)
        #expect(!loaded.schemaWasInferred)
        #expect(loaded.batch.tableName == "customers")
        #expect(loaded.batch.rowCount == 3)
        #expect(loaded.batch.sequence(ofRow: 2) == 9)
        let otherLine = first.split(separator: "\n").count + 2
        #expect(loaded.problems == [LoadProblem(line: otherLine, "batch 3 is for the table orders; the editor holds one table (customers), so its 1 records are not loaded")])
        #expect(try RecordBatch(batchJSON: Fixtures.batchJSON).batchJSON(sequencesFrom: 0)
                == Fixtures.load(first, name: "one.json").batch.batchJSON(sequencesFrom: 0))
    }

    @Test func csvCellsAreTypedByWhatEveryCellOfTheirColumnReadsAs() {
        let text = "id,code,price,ok,when,note\r\n1,007,12.50,TRUE,2026-01-31T12:00:00Z,\"a, b\"\n2,010,3,false,2026-02-01T00:00:00Z,\n"
        let loaded = Fixtures.load(text, name: "items.csv")
        #expect(loaded.problems.isEmpty)
        let batch = loaded.batch
        #expect(batch.tableName == "items")
        #expect(batch.keyNames == ["id"])
        #expect(batch.columns.map(\.type) == [
            ColumnType([.integer], isNullable: false), ColumnType([.string], isNullable: false),
            ColumnType([.number], isNullable: false), ColumnType([.boolean], isNullable: false),
            ColumnType([.string], isNullable: false, format: "date-time"), ColumnType([.string], isNullable: true),
        ])
        #expect(batch.record(0) == JSONObject([("id", 1), ("code", "007"), ("price", 12.5), ("ok", true),
                                               ("when", "2026-01-31T12:00:00Z"), ("note", "a, b")]))
        #expect(batch[1, 5] == .null)
        #expect(batch[1, 2] == .integer(3))
    }

    @Test func csvRowsThatDoNotFitAreNamedAndReadingGoesOn() {
        let bytes = Array("a,b\n1,2\n3\n4,x".utf8) + [0xFF] + Array("\n5,6\n7,\"open".utf8)
        let loaded = RecordFileLoader.load(bytes: bytes, name: "rows.csv")
        #expect(loaded.problems == [
            LoadProblem(line: 3, "the row has 1 fields; the header has 2"),
            LoadProblem(line: 4, "the field b is not valid UTF-8"),
            LoadProblem(line: 6, column: 3, "the quoted field that starts here is not closed before the input ends"),
        ])
        #expect(loaded.batch.rowCount == 2)
    }

    @Test func csvQuotingErrorsAreNamedAtTheirColumnAndTheNextLineIsRead() {
        let text = "id,note\n1,ok\n2,say \"hi\"\n3,\"quoted\"tail\n4,\"fine \"\"x\"\"\"\n5,\"two\nlines\" \n6,last\n"
        let loaded = Fixtures.load(text, name: "notes.csv")
        #expect(loaded.problems == [
            LoadProblem(line: 3, column: 7, "a quote inside an unquoted field; quote the whole field and double the quotes in it (\"a \"\"b\"\"\")"),
            LoadProblem(line: 4, column: 11, "text after the closing quote of a field; a field is either quoted whole or not at all"),
            LoadProblem(line: 7, column: 7, "text after the closing quote of a field; a field is either quoted whole or not at all"),
        ])
        #expect((0..<loaded.batch.rowCount).map { loaded.batch[$0, 1] } == [.string("ok"), .string("fine \"x\""), .string("last")])
        #expect(loaded.readToEnd)
    }

    @Test func theFormatIsSniffedWhenTheNameDoesNotSayIt() {
        #expect(Fixtures.load("{\"id\":1}\n{\"id\":2}\n", name: "x.json").format == .jsonl)
        #expect(Fixtures.load("  [ ]", name: "x.json").format == .json)
        #expect(Fixtures.load("{\n \"id\": 1\n}\n", name: "x.json").batch.rowCount == 1, "a pretty-printed record")
        #expect(Fixtures.load("a,b\n1,2\n", name: "export.txt").format == .csv)
        #expect(Fixtures.load(Fixtures.batchJSON.jsonText, name: "body").format == .batch)
        #expect(RecordFileLoader.tableName(forPath: "/a/b/orders.2026.jsonl") == "orders.2026")
        #expect(RecordFileLoader.tableName(forPath: "plain") == "plain")
    }

    @Test func aFileThatCannotBeOpenedSaysWhy() {
        let loaded = RecordFileLoader.load(path: "/nonexistent/dir/records.jsonl")
        #expect(loaded.problems == [LoadProblem(line: 0, "cannot open /nonexistent/dir/records.jsonl: No such file or directory")])
        #expect(loaded.batch.tableName == "records")
    }
}
