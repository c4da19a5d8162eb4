@testable import RecordBatch
import StitchAPI
import Testing

struct BatchChecksTests {
    private func batch(schema: JSONValue, keys: [String]? = ["id"], records: [JSONValue]) throws -> RecordBatch {
        try RecordBatch(batchJSON: ["table_name": "t", "schema": schema, "key_names": keys.map { .array($0.map(JSONValue.string)) } ?? nil,
                                    "messages": .array(records.enumerated().map { ["action": "upsert", "sequence": .integer(Int64($0.offset)), "data": $0.element] })])
    }

    private let schema: JSONValue = ["type": "object", "required": ["id"],
                                     "properties": ["id": ["type": "integer"], "name": ["type": ["null", "string"], "maxLength": 5]]]

    @Test func aBatchTheGateTakesHasNoProblems() throws {
        #expect(BatchChecks.problems(in: try Fixtures.batch()).isEmpty)
        #expect(BatchChecks.problems(in: try batch(schema: schema, records: [["id": 1, "name": "Ada"]])).isEmpty)
    }

    @Test func schemaViolationsCarryTheGatesTextAtTheirRowAndColumn() throws {
        let checked = try batch(schema: schema, records: [["id": 1], ["id": "two", "name": "Bartholomew"], ["name": "x"]])
        #expect(BatchChecks.problems(in: checked) == [
            BatchProblem(row: 1, column: 0, "#/id: expected type: Integer, found: String"),
            // A nullable type is everit's two branches: the gate's lines for the property, together.
            BatchProblem(row: 1, column: 1, """
                #/name: #: no subschema matched out of the total 2 subschemas
                #/name: expected: null, found: String
                #/name: expected maxLength: 5, actual: 11
                """),
            BatchProblem(row: 2, column: 0, "#: required key [id] not found"),
            BatchProblem(row: 2, column: 0, "Record is missing key property id"),
        ])
        #expect(BatchChecks.problems(in: checked, row: 1).count == 2)
        #expect(BatchChecks.problems(in: checked, limit: 1).count == 1)
        #expect(BatchProblem(row: 1, column: 0, "#/id: x").description == "row 2: #/id: x")
    }

    @Test func keysMustBeColumnsOfTheSchemaAndFilled() throws {
        let unknownKey = try batch(schema: schema, keys: ["id", "sku"], records: [["id": 1]])
        #expect(BatchChecks.problems(in: unknownKey).first
                == BatchProblem(row: nil, column: nil, "Request failed validation:#/key_names: key [sku] is not a top-level property of the schema"))
        let nullKey = try batch(schema: ["properties": ["id": ["type": ["null", "integer"]]]], records: [["id": nil]])
        #expect(BatchChecks.problems(in: nullKey) == [BatchProblem(row: 0, column: 0, "Record is missing key property id")])
        let longKey = try batch(schema: ["properties": ["id": ["type": "string"]]], records: [["id": .string(String(repeating: "k", count: 256))]])
        #expect(BatchChecks.problems(in: longKey) == [BatchProblem(row: 0, column: 0,
            "Record 0 key property id is 256 characters long; string key values must be shorter than 256 characters")])
    }

    @Test func limitsAreCheckedLocally() throws {
        let wide = try batch(schema: ["properties": ["id": ["type": "integer"], "list": ["type": "array"]]],
                             records: [["id": 1, "list": .array((0..<10_000).map { JSONValue.integer(Int64($0)) })]])
        #expect(BatchChecks.problems(in: wide) == [BatchProblem(row: 0, column: nil, "Record 0 has more than 10000 data points, the most a record may have")])
        let outOfRange = try batch(schema: ["properties": ["id": ["type": "integer"]]], records: [["id": 1e19]])
        #expect(BatchChecks.problems(in: outOfRange) == [BatchProblem(row: 0, column: 0, "#/id: 1e+19 is outside the int64 range a destination column holds")])
        let big = try batch(schema: ["properties": ["id": ["type": "integer"], "s": ["type": "string"]]],
                            records: [["id": 1, "s": .string(String(repeating: "x", count: ImportLimits.maximumBodyBytes))]])
        let problems = BatchChecks.problems(in: big)
        #expect(problems.count == 1)
        #expect(problems.first?.row == 0)
        #expect(problems.first?.message.hasSuffix("over the Import API's limit of \(ImportLimits.maximumBodyBytes) bytes per request") == true)
    }

    @Test func aBadSchemaOrAnEmptyTableNameIsTheTablesProblem() throws {
        var checked = try batch(schema: ["properties": ["id": ["type": "integer"]]], records: [["id": 1]])
        checked.tableName = ""
        #expect(BatchChecks.problems(in: checked) == [BatchProblem(row: nil, column: nil, "table_name must be a non-empty string")])
        checked.tableName = "t"
        checked.schemaKeywords["minProperties"] = "many"
        let problems = BatchChecks.problems(in: checked)
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix("Invalid JSON schema: ") == true)
    }
}
