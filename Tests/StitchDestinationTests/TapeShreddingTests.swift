import Foundation
import StitchAPI
import Testing
@testable import StitchDestination

/// The loader reads a stored body into a `BatchTape` and shreds records from it (issue 9); a batch
/// built from a parsed `BatchRequest` is shredded from its `JSONValue` tree, as before. Both must
/// plan the same: same tables, columns, types and cells, same rejects with the same reasons.
@Suite("Tape shredding: the same plan as the tree-based shredder")
struct TapeShreddingTests {
    static let batchedAt = UTCTimestamp(secondsSinceEpoch: 1_700_000_000)

    /// Plans `body` both ways against `state` and expects the same plan; returns it.
    @discardableResult
    func expectSamePlan(_ body: String, state: DestinationState = .init(), names: ObjectNames,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> LoadPlan {
        let bytes = Array(body.utf8)
        let receivedAt = UTCTimestamp(secondsSinceEpoch: 1_600_000_000)
        let taped = try DestinationBatch(number: 7, schemaName: "s", body: bytes, receivedAt: receivedAt)
        #expect(taped.taped != nil, "the body should be read through the tape", sourceLocation: sourceLocation)
        let request = try BatchRequest(json: try JSONParser.parse(bytes))
        let tree = DestinationBatch(number: 7, schemaName: "s", request: request, receivedAt: receivedAt, body: bytes)
        let new = LoadPlan(batch: taped, state: state, names: names, batchedAt: Self.batchedAt)
        let old = LoadPlan(batch: tree, state: state, names: names, batchedAt: Self.batchedAt)
        #expect(new == old, "plans differ for \(body.prefix(300))\nnew: \(describe(new))\nold: \(describe(old))",
                sourceLocation: sourceLocation)
        // The envelope reads the same, too (upserts' data stays in the tape).
        #expect(taped.request.tableName == request.tableName && taped.request.schema == request.schema
                    && taped.request.keyNames == request.keyNames && taped.request.tableVersion == request.tableVersion
                    && taped.request.bookmarkNames == request.bookmarkNames, sourceLocation: sourceLocation)
        #expect(taped.request.messages.map { [$0.action.rawValue, String($0.sequence), $0.timeExtracted ?? "-"] }
                    == request.messages.map { [$0.action.rawValue, String($0.sequence), $0.timeExtracted ?? "-"] },
                sourceLocation: sourceLocation)
        for index in request.messages.indices where request.messages[index].action == .upsert {
            #expect(taped.data(ofMessage: index) == request.messages[index].data, sourceLocation: sourceLocation)
        }
        return new
    }

    func describe(_ plan: LoadPlan) -> String {
        let tables = plan.tables.map { table in
            "\(table.name)(\(table.columns.map { "\($0.name):\($0.type)" }.joined(separator: ","))) \(table.rows)"
        }
        return "\(tables) rejects: \(plan.rejects.map { "\($0.reason) | \($0.record)" })"
    }

    static let allNames = [ObjectNames(foldsCase: true), ObjectNames(foldsCase: false)]

    func body(table: String = "things", schema: String, keys: String? = "[\"id\"]", tableVersion: String? = nil,
              messages: [String]) -> String {
        var parts = ["\"table_name\":\"\(table)\"", "\"schema\":\(schema)", "\"messages\":[\(messages.joined(separator: ","))]"]
        if let keys { parts.append("\"key_names\":\(keys)") }
        if let tableVersion { parts.append("\"table_version\":\(tableVersion)") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    func upsert(_ sequence: Int, _ data: String, extracted: String? = nil) -> String {
        "{\"action\":\"upsert\",\"sequence\":\(sequence),\"data\":\(data)"
            + (extracted.map { ",\"time_extracted\":\"\($0)\"" } ?? "") + "}"
    }

    static let typedSchema = """
        {"type":"object","properties":{"id":{"type":"integer"},"n":{"type":"number"},"i":{"type":"integer"},\
        "at":{"type":"string","format":"date-time"},"u":{"type":["null","string","integer"]},\
        "o":{"type":"object","properties":{"at":{"type":"string","format":"date-time"},"x":{"type":"integer"}}},\
        "list":{"type":"array","items":{"type":"object","properties":{"at":{"type":"string","format":"date-time"}}}}}}
        """

    /// Hand-picked records: every kind of value, and every way the tape walk hands a record to the tree.
    static let edgeRecords: [String] = [
        #"{"id":1,"name":"plain","n":1.5,"i":2,"flag":true,"off":false,"none":null}"#,
        #"{"id":2,"n":3,"i":4.0,"at":"2024-02-29T23:59:59.123456+05:30","u":"text"}"#,
        #"{"id":3,"n":1e400,"i":1}"#,
        #"{"id":4,"i":9223372036854775807,"big":9223372036854775808,"small":-9223372036854775809}"#,
        #"{"id":5,"i":-9223372036854775808,"neg0":-0,"negf":-0.0,"exp":1E2,"tiny":5e-324}"#,
        #"{"id":6,"i":9223372036854775808}"#,
        #"{"id":7,"i":-9223372036854775809}"#,
        #"{"id":8,"i":1.5}"#,
        #"{"id":9,"text":"tab\tquote\" slash\/ backslash\\ nl\n \u00e9\u4e2d\ud83d\ude00 raw é中😀"}"#,
        #"{"id":10,"nul":"a\u0000b"}"#,
        #"{"id":11,"at":"not a date"}"#,
        #"{"id":12,"at":"0000-01-01T00:00:00Z"}"#,
        #"{"id":13,"at":"2024-01-01T00:00:00+01:00","o":{"at":"2023-06-01T12:00:00-07:00","x":1,"deep":{"y":[1,2]}}}"#,
        #"{"id":14,"list":[{"at":"2020-01-01T00:00:00Z","v":1},{"at":"bad"},null,3,"s",[1,[2,[]]],{}],"tags":["a",null,"b"]}"#,
        #"{"id":15,"dup":1,"dup":2}"#,
        #"{"id":16,"dup":1,"dup":null}"#,
        #"{"id":17,"obj":{"x":1},"obj":{"y":2}}"#,
        #"{"id":18,"arr":[1],"arr":[2,3]}"#,
        #"{"id":19,"o":{"x":1,"x":"two"}}"#,
        #"{"id":20,"Na me!":"spaces","ID":20}"#,
        #"{"id":21,"123":"digits only"}"#,
        #"{"id":22,"age__st":"reserved suffix"}"#,
        #"{"id":23,"_sdc_sequence":5}"#,
        #"{"id":24,"a_very_long_field_name_that_goes_on_and_on_and_on_past_the_limit_of_sixty":1}"#,
        #"{"id":25,"a_very_long_array_name_that_makes_the_child_table_name_too_long_x":[1]}"#,
        #"{"name":"no key"}"#,
        #"{"id":"string key"}"#,
        #"{"id":26,"u":5}"#,
        #"{"id":27,"u":null,"mixed":1}"#,
        #"{"id":28,"mixed":"one"}"#,
        #"{"id":29,"mixed":1.25,"flag":"yes"}"#,
        #"{"id":30,"o":{}, "list":[],"e":{"f":{}}}"#,
        #"{"id":31,"big":"\u0041\u00DF\u6771\uD801\uDC00","kéy":"vä","ключ":"значение"}"#,
        #"{"id":1,"name":"again, lower sequence"}"#,
        #"{"id":32,"o":{"x":1,"y":2},"o2":{"x":1}}"#,
        #"{"id":33,"o":{"y":2,"x":1}}"#,
        #"{"id":34,"o":{"x":1,"x":2,"y":3}}"#,
        #"{"id":35,"o":{"x":1,"y":3}}"#,
        #"{"id":36,"o":{"x":1}}"#,
        #"{"id":37,"o":{"x":1,"y":3,"x":4}}"#,
        // Quotes, escapes and non-ASCII past the first eight or sixteen bytes (the tape scans eight at a time).
        #"{"id":38,"s1":"abcdefgh\"ijklmnop","s2":"abcdefghijklmnop\\q\/","s3":"abcdefghijklmnopé","s4":"abcdefg\u00e9hijklmnopqrstuvwxyz"}"#,
        #"{"id":39,"a_long_key_name_0123456789":"abcdefghijklmnopqrstuvwx","k_\u00e9_long_name_abcdefgh":"12345678\u0000"}"#,
    ]

    @Test("Hand-picked records, keyed and keyless, typed and untyped, on both destinations' name rules")
    func edgeCases() throws {
        let messages = Self.edgeRecords.enumerated().map { upsert(100 + $0.offset, $0.element) }
            + [upsert(500, #"{"id":40}"#, extracted: "2024-01-01T00:00:00Z"), upsert(501, #"{"id":41}"#, extracted: "nope"),
               #"{"action":"activate_version","sequence":502}"#]
        for names in Self.allNames {
            for schema in [Self.typedSchema, "{}"] {
                for keys in ["[\"id\"]", nil, "[\"id\",\"name\"]"] as [String?] {
                    try expectSamePlan(body(schema: schema, keys: keys, tableVersion: "3", messages: messages), names: names)
                }
                // One record per batch, so no record leans on another's shape.
                for (offset, record) in Self.edgeRecords.enumerated() {
                    try expectSamePlan(body(schema: schema, messages: [upsert(offset, record)]), names: names)
                }
            }
        }
    }

    @Test("Rejects: the same reasons and record texts, size limit included")
    func rejects() throws {
        var names = ObjectNames(foldsCase: true)
        names.maxRecordBytes = 60
        let messages = Self.edgeRecords.enumerated().map { upsert($0.offset, $0.element) }
        let plan = try expectSamePlan(body(schema: Self.typedSchema, messages: messages), names: names)
        #expect(plan.rejects.contains { $0.reason.hasPrefix("Record is ") })
        #expect(plan.rejects.contains { $0.reason.contains("NUL") })
        #expect(plan.rejects.contains { $0.reason.contains("out of range for bigint") })
        // Against tables that exist, with a column of another type and a key of another type.
        let existing = DestinationState(tables: [TableLayout(name: "things", columns: [
            .init(name: "id", type: .string), .init(name: "name", type: .integer), .init(name: "flag", type: .string),
            .init(name: "_sdc_sequence", type: .integer),
        ], keyColumns: ["id"])])
        for names in Self.allNames {
            try expectSamePlan(body(schema: "{}", messages: messages), state: existing, names: names)
        }
    }

    @Test("Random records: nested objects and arrays, repeated and colliding keys, every scalar spelling")
    func randomRecords() throws {
        var random = SeededRandom(seed: 0x7A9E)
        for round in 0 ..< 60 {
            let count = 1 + Int(random.next() % 40)
            let messages = (0 ..< count).map { _ in
                upsert(Int(random.next() % 50), "{" + (["\"id\":\(random.next() % 30)"] + randomMembers(&random, depth: 0))
                    .joined(separator: ",") + "}")
            }
            for names in Self.allNames {
                try expectSamePlan(body(schema: round % 2 == 0 ? Self.typedSchema : "{}", keys: round % 3 == 0 ? nil : "[\"id\"]",
                                        messages: messages), names: names)
            }
        }
    }

    static let keys = ["a", "b", "A", "o", "list", "at", "n", "i", "u", "x", "a b", "é", "__st", "z__st", "k\\u0041"]
    static let scalars = ["null", "true", "false", "0", "-0", "1", "-17", "12345678901234567890", "-12345678901234567890",
                          "1.0", "2.5", "-3e2", "1E-3", "\"\"", "\"x\"", "\"2024-03-01T10:00:00Z\"", "\"2024-03-01T10:00:00.5-02:00\"",
                          "\"esc\\\"aped\\n\"", "\"\\u00e9t\\u00e9\"", "\"uni é 😀\"", "\"long text that goes well past fifteen bytes\""]

    func randomMembers(_ random: inout SeededRandom, depth: Int) -> [String] {
        let count = Int(random.next() % 5)
        return (0 ..< count).map { _ in
            "\"\(Self.keys[Int(random.next() % UInt64(Self.keys.count))])\":" + randomValue(&random, depth: depth + 1)
        }
    }

    func randomValue(_ random: inout SeededRandom, depth: Int) -> String {
        let choice = depth > 3 ? 0 : random.next() % 8
        switch choice {
        case 6: return "{" + randomMembers(&random, depth: depth).joined(separator: ",") + "}"
        case 7:
            let count = Int(random.next() % 4)
            return "[" + (0 ..< count).map { _ in randomValue(&random, depth: depth + 1) }.joined(separator: ",") + "]"
        default: return Self.scalars[Int(random.next() % UInt64(Self.scalars.count))]
        }
    }

    @Test("A body the tape cannot read is read the old way, with the parser's own error")
    func unreadableBodies() throws {
        for text in ["{\"table_name\":\"t\",", "{\"table_name\":\"t\",\"schema\":{},\"messages\":[{\"action\":\"upsert\"}]}",
                     "{\"table_name\":\"t\",\"schema\":{},\"messages\":[]} x", "{\"table_name\":\"\\ud800\"}",
                     "{\"table_name\":\"abcdefghijkl\tmnop\",\"schema\":{},\"messages\":[]}",
                     "{\"table_name\":\"abcdefghijklmnopqrstuvwxyz"] {
            let bytes = Array(text.utf8)
            var expected = ""
            do {
                let request = try BatchRequest(json: try JSONParser.parse(bytes))
                Issue.record("expected \(text) to be unreadable, got \(request)")
            } catch let error as JSONParser.SyntaxError {
                expected = "the body is not JSON: \(error)"
            } catch {
                expected = "the body is not a batch: \(error)"
            }
            #expect(throws: UnreadableBatch(reason: expected)) {
                try DestinationBatch(number: 1, schemaName: "s", body: bytes, receivedAt: UTCTimestamp(secondsSinceEpoch: 0))
            }
        }
        // Invalid UTF-8 in a string is refused by both.
        let invalid = Array("{\"table_name\":\"t\",\"schema\":{},\"messages\":[{\"action\":\"upsert\",\"sequence\":1,\"data\":{\"a\":\"".utf8)
            + [0xC3, 0x28] + Array("\"}}]}".utf8)
        #expect(BatchTape(parsing: invalid) == nil)
        #expect(throws: (any Error).self) { try JSONParser.parse(invalid) }
    }
}

/// SplitMix64: reproducible records.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
