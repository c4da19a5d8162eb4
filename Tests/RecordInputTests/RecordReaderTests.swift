import Foundation
import StitchAPI
@testable import RecordInput
import Testing

/// Readers over a real file read in tiny chunks, so records and lines straddle chunk boundaries.
struct RecordReaderTests {
    private func input(_ text: String, chunk: Int = 3) throws -> ByteInput {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("push-reader-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        unlink(path)
        return ByteInput(descriptor: descriptor, chunkSize: chunk)
    }

    private func all(_ reader: inout some RecordReader) throws -> [(text: String, line: Int)] {
        var records: [(String, Int)] = []
        while let record = try reader.next() { records.append((String(decoding: record.data, as: UTF8.self), record.line)) }
        return records
    }

    @Test func jsonLinesWithBlankLinesAndCRLF() throws {
        var reader = JSONLinesReader(input: try input("{\"id\":1}\r\n\n  \n{\"id\": 2, \"s\":\"a\\nb\"}\n{\"id\":3}"),
                                     keyNames: ["id"], maximumRecordBytes: 1000)
        let records = try all(&reader)
        #expect(records.map(\.text) == [#"{"id":1}"#, #"{"id": 2, "s":"a\nb"}"#, #"{"id":3}"#])
        #expect(records.map(\.line) == [1, 4, 5])
    }

    @Test func jsonLinesErrorsNameTheLine() throws {
        var reader = JSONLinesReader(input: try input("{\"id\":1}\n{\"id\":}\n"), keyNames: [], maximumRecordBytes: 1000)
        _ = try reader.next()
        #expect(throws: InputError(line: 2, "the record is not valid JSON: Unexpected character '}' (byte 7 of the record)")) {
            try reader.next()
        }
        var array = JSONLinesReader(input: try input("[1]\n"), keyNames: [], maximumRecordBytes: 1000)
        #expect(throws: InputError(line: 1, "the record must be a JSON object, not an array")) { try array.next() }
    }

    @Test func aLineOverTheLimitIsRefusedWithoutReadingItAll() throws {
        let long = "{\"a\":\"" + String(repeating: "x", count: 5000) + "\"}"
        let source = try input("{\"a\":1}\n" + long + "\n", chunk: 64)
        var reader = JSONLinesReader(input: source, keyNames: [], maximumRecordBytes: 1000)
        _ = try reader.next()
        do {
            _ = try reader.next()
            Issue.record("a 5 kB line passed a 1 kB limit")
        } catch {
            #expect(error.line == 2)
        }
        #expect(source.buffer.count < 1200, "the reader stopped buffering soon after the limit")
    }

    @Test func jsonArrayElementsWithTheirLines() throws {
        var reader = JSONArrayReader(input: try input(" [\n{\"id\":1,\"s\":\"}]\"},\n  {\"id\":2,\n\"x\":[{}]}\n]\n"),
                                     keyNames: ["id"], maximumRecordBytes: 1000)
        let records = try all(&reader)
        #expect(records.map(\.text) == [#"{"id":1,"s":"}]"}"#, "{\"id\":2,\n\"x\":[{}]}"])
        #expect(records.map(\.line) == [2, 3])
        var empty = JSONArrayReader(input: try input("[ ]"), keyNames: [], maximumRecordBytes: 1000)
        #expect(try all(&empty).isEmpty)
        var cut = JSONArrayReader(input: try input("[{\"a\":1},"), keyNames: [], maximumRecordBytes: 1000)
        _ = try cut.next()
        #expect(throws: InputError.self) { try cut.next() }
        var scalar = JSONArrayReader(input: try input("[{\"a\":1},\n\n 7]"), keyNames: [], maximumRecordBytes: 1000)
        _ = try scalar.next()
        #expect(throws: InputError(line: 3, "record 2 must be a JSON object")) { try scalar.next() }
    }

    @Test func csvWithQuotesLineBreaksAndSchemaTypes() throws {
        let schema = try JSONSchema(["properties": ["id": ["type": "integer"], "price": ["type": ["null", "number"]],
                                                    "vip": ["type": "boolean"]]])
        let text = "id,name,price,vip\r\n1,\"Ada, Countess\",12.50,TRUE\n2,\"two\nlines \"\"quoted\"\"\",,false\n3,007,x,maybe\n"
        var reader = CSVReader(input: try input(text), keyNames: ["id"], schema: schema, maximumRecordBytes: 1000)
        let records = try all(&reader)
        #expect(records.map(\.line) == [2, 3, 5])
        let parsed = try records.map { try JSONParser.parse($0.text) }
        #expect(parsed[0] == ["id": 1, "name": "Ada, Countess", "price": 12.5, "vip": true])
        #expect(parsed[1] == ["id": 2, "name": "two\nlines \"quoted\"", "price": nil, "vip": false])
        // Cells that do not read as the declared type stay strings (the server then says what is wrong).
        #expect(parsed[2] == ["id": 3, "name": "007", "price": "x", "vip": "maybe"])
    }

    @Test func csvRowsMustMatchTheHeader() throws {
        var reader = CSVReader(input: try input("a,b\n1,2\n3\n"), keyNames: [], schema: nil, maximumRecordBytes: 1000)
        _ = try reader.next()
        #expect(throws: InputError(line: 3, "the row has 1 fields; the header has 2")) { try reader.next() }
    }
}
