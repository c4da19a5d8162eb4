import NIOConcurrencyHelpers
import StitchAPI
@testable import RecordInput
import Testing

/// The Singer mapping, message by message, against what target-stitch 4.0.3 sends (spec §5.1).
struct SingerMapperTests {
    private struct Mapped {
        var requests: [BatchRequest] = []
        /// Each output in order: "batch <table>" or "state <json>".
        var trace: [String] = []
    }

    private func map(_ lines: [JSONValue], limits: BatchLimits = BatchLimits()) throws -> Mapped {
        let text = Array(lines.map { $0.jsonText + "\n" }.joined().utf8)
        var reader = SingerReader(input: ByteInput(bytes: text), maximumLineBytes: 1 << 20)
        let counter = NIOLockedValueBox<Int64>(100)
        var mapper = SingerMapper(limits: limits, clock: SequenceClock(now: { counter.withLockedValue { $0 += 1; return $0 } }))
        var mapped = Mapped()
        func note(_ outputs: [SingerMapper.Output]) throws {
            for output in outputs {
                switch output {
                case .batch(let batch):
                    let request = try BatchRequest(json: JSONParser.parse(batch.body))
                    mapped.requests.append(request)
                    mapped.trace.append("batch \(request.tableName)")
                case .state(let value):
                    mapped.trace.append("state \(value)")
                }
            }
        }
        while let message = try reader.next() { try note(mapper.map(message)) }
        try note(mapper.finish())
        return mapped
    }

    static let schema: JSONValue = ["type": "object", "properties": ["id": ["type": "integer"]]]

    @Test func recordsBecomeUpsertsWithKeysBookmarksAndTimeExtracted() throws {
        let mapped = try map([
            ["type": "SCHEMA", "stream": "users", "schema": Self.schema, "key_properties": ["id"], "bookmark_properties": ["updated_at"]],
            ["type": "RECORD", "stream": "users", "record": ["id": 1], "time_extracted": "2024-03-04T09:00:00.000000Z"],
            ["type": "RECORD", "stream": "users", "record": ["id": 2]],
        ])
        #expect(mapped.requests.count == 1)
        let request = try #require(mapped.requests.first)
        #expect(request.tableName == "users")
        #expect(request.schema == Self.schema)
        #expect(request.keyNames == ["id"])
        #expect(request.bookmarkNames == ["updated_at"])
        #expect(request.tableVersion == nil)
        #expect(request.messages.map(\.action) == [.upsert, .upsert])
        #expect(request.messages.map(\.data) == [JSONObject([("id", 1)]), JSONObject([("id", 2)])])
        #expect(request.messages.map(\.timeExtracted) == ["2024-03-04T09:00:00.000000Z", nil])
        let sequences = request.messages.map(\.sequence)
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
    }

    @Test func emptyKeyPropertiesAreSentAndBookmarksLeftOutWhenAbsent() throws {
        let mapped = try map([
            ["type": "SCHEMA", "stream": "events", "schema": Self.schema, "key_properties": []],
            ["type": "RECORD", "stream": "events", "record": ["id": 1]],
        ])
        #expect(mapped.requests.first?.keyNames == [])
        #expect(mapped.requests.first?.bookmarkNames == nil)
    }

    @Test func versionsBecomeTableVersionsAndActivateVersionGoesAloneAfterItsRecords() throws {
        let mapped = try map([
            ["type": "SCHEMA", "stream": "products", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "RECORD", "stream": "products", "record": ["id": 1], "version": 7],
            ["type": "RECORD", "stream": "products", "record": ["id": 2], "version": 8],
            ["type": "ACTIVATE_VERSION", "stream": "products", "version": 8],
        ])
        #expect(mapped.requests.map(\.tableVersion) == [7, 8, 8])
        #expect(mapped.requests.map { $0.messages.map(\.action) } == [[.upsert], [.upsert], [.activateVersion]])
        #expect(mapped.requests[2].messages.first?.data == nil)
    }

    @Test func aSchemaFlushesEveryStreamAndStatesFollowTheirRecords() throws {
        let mapped = try map([
            ["type": "SCHEMA", "stream": "a", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "STATE", "value": ["n": 0]],
            ["type": "RECORD", "stream": "a", "record": ["id": 1]],
            ["type": "STATE", "value": ["n": 1]],
            ["type": "SCHEMA", "stream": "b", "schema": Self.schema, "key_properties": ["id"]],
            ["type": "RECORD", "stream": "b", "record": ["id": 2]],
            ["type": "RECORD", "stream": "a", "record": ["id": 3]],
            ["type": "STATE", "value": ["n": 2]],
            ["type": "STATE", "value": ["n": 3]],
        ])
        #expect(mapped.trace == [#"state {"n":0}"#, "batch a", #"state {"n":1}"#, "batch a", "batch b", #"state {"n":3}"#])
    }

    @Test func bufferedBytesOverTheBatchSizeFlushAllStreams() throws {
        var lines: [JSONValue] = [["type": "SCHEMA", "stream": "a", "schema": Self.schema, "key_properties": ["id"]]]
        lines += (1...50).map { ["type": "RECORD", "stream": "a", "record": ["id": .integer($0), "pad": .string(String(repeating: "x", count: 100))]] }
        let mapped = try map(lines, limits: BatchLimits(targetBytes: 1_000))
        #expect(mapped.requests.count > 5)
        #expect(mapped.requests.flatMap(\.messages).count == 50)
    }

    @Test func malformedMessagesNameTheirLine() throws {
        #expect(throws: InputError(line: 1, "a RECORD for stream x came before its SCHEMA")) {
            try map([["type": "RECORD", "stream": "x", "record": ["id": 1]]])
        }
        #expect(throws: InputError(line: 1, "the SCHEMA needs \"key_properties\", a list of strings (it may be empty)")) {
            try map([["type": "SCHEMA", "stream": "x", "schema": Self.schema]])
        }
        #expect(throws: InputError(line: 2, "unknown Singer message type BOGUS (expected SCHEMA, RECORD, STATE or ACTIVATE_VERSION)")) {
            try map([["type": "STATE", "value": 1], ["type": "BOGUS"]])
        }
    }
}
