@testable import RecordBatch
import StitchAPI
import Testing

struct SampleDataTests {
    /// Every kind of column, nullable and not, with keywords the generator must stay within.
    private static let wideSchema: JSONValue = [
        "type": "object",
        "required": ["id", "email"],
        "properties": [
            "id": ["type": "integer"],
            "email": ["type": "string", "maxLength": 12],
            "full_name": ["type": ["null", "string"], "minLength": 3],
            "age": ["type": ["null", "integer"], "minimum": 18, "maximum": 99],
            "score": ["type": "number", "minimum": -5, "maximum": 5],
            "active": ["type": "boolean"],
            "plan": ["type": "string", "enum": ["free", "pro", "team"]],
            "created_at": ["type": ["null", "string"], "format": "date-time"],
            "address": ["type": "object", "required": ["city"], "additionalProperties": false,
                        "properties": ["city": ["type": "string"], "zip": ["type": ["null", "integer"]],
                                       "tags": ["type": "array", "items": ["type": "string"], "maxItems": 2]]],
            "ratings": ["type": ["null", "array"], "items": ["type": "number"], "minItems": 1],
            "anything": [:],
        ],
    ]

    private func batch(_ schema: JSONValue = wideSchema, keys: [String] = ["id"]) throws -> RecordBatch {
        try RecordBatch(batchJSON: ["table_name": "people", "schema": schema,
                                    "key_names": .array(keys.map(JSONValue.string)), "messages": []])
    }

    @Test func theSameSeedGivesTheSameRowsAndAnotherSeedOthers() throws {
        let empty = try batch()
        let first = empty.appendingSampleRows(count: 50, seed: 42)
        let again = empty.appendingSampleRows(count: 50, seed: 42)
        let other = empty.appendingSampleRows(count: 50, seed: 43)
        #expect(first.rowCount == 50)
        #expect(first == again)
        #expect(first != other)
    }

    @Test(arguments: [UInt64(1), 7, 2026, 9_999_999])
    func generatedRowsPassTheImportAPIsChecks(seed: UInt64) throws {
        let sampled = try batch().appendingSampleRows(count: 300, seed: seed)
        #expect(BatchChecks.problems(in: sampled).isEmpty)
        // Every column is filled (a member per row, null at most), and typed as declared.
        for column in sampled.columns.indices {
            for row in 0..<sampled.rowCount {
                #expect(sampled[row, column] != .absent)
                #expect(sampled.columns[column].type.accepts(sampled[row, column]))
            }
        }
        let created = try #require(sampled.columnIndex(named: "created_at"))
        #expect((0..<sampled.rowCount).contains { if case .dateTime = sampled[$0, created] { true } else { false } })
        let plan = try #require(sampled.columnIndex(named: "plan"))
        #expect(Set((0..<sampled.rowCount).map { sampled[$0, plan].text }).isSubset(of: ["free", "pro", "team"]))
    }

    @Test func keyColumnsAreUniqueAlsoAgainstTheRowsAlreadyThere() throws {
        let schema: JSONValue = ["type": "object", "properties": [
            "id": ["type": "integer"], "code": ["type": "string"], "at": ["type": "string", "format": "date-time"]]]
        var keyed = try batch(schema, keys: ["id", "code", "at"])
        try keyed.apply(.addRow(at: nil))
        try keyed.apply(.setValue(row: 0, column: 0, .integer(500)))
        try keyed.apply(.setValue(row: 0, column: 1, .string("key-2")))
        try keyed.apply(.setValue(row: 0, column: 2, .dateTime(SampleData.dateTime(offsetSeconds: 120))))
        let sampled = keyed.appendingSampleRows(count: 1_000, seed: 5)
        for column in sampled.columns.indices {
            let values = (0..<sampled.rowCount).map { sampled[$0, column].text }
            #expect(Set(values).count == values.count, "column \(sampled.columns[column].name) repeats a value")
        }
        #expect(sampled[1, 0] == .integer(501))
        #expect(BatchChecks.problems(in: sampled).isEmpty)
    }

    @Test func theTutorialsTableGetsRowsOfItsTypes() throws {
        let tutorial: JSONValue = ["type": "object", "properties": [
            "id": ["type": "integer"], "name": ["type": "string"], "age": ["type": "integer"], "has_magic": ["type": "boolean"]]]
        let sampled = try batch(tutorial).appendingSampleRows(count: 20, seed: 0)
        #expect(BatchChecks.problems(in: sampled).isEmpty)
        #expect((0..<20).allSatisfy { if case .boolean = sampled[$0, 3] { true } else { false } })
        // A column called like a name holds two words.
        #expect((0..<20).allSatisfy { sampled[$0, 1].text.split(separator: " ").count == 2 })
        #expect(sampled.appendingSampleRows(count: 0, seed: 1) == sampled)
    }

    @Test func dateTimesAreRFC3339InUTC() {
        #expect(SampleData.dateTime(offsetSeconds: 0) == "2026-01-01T00:00:00Z")
        #expect(SampleData.dateTime(offsetSeconds: 59 * 86_400 + 3_661) == "2026-03-01T01:01:01Z")
        #expect(SampleData.dateTime(offsetSeconds: 365 * 86_400 - 1) == "2026-12-31T23:59:59Z")
    }
}
