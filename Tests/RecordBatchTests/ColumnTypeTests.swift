@testable import RecordBatch
import StitchAPI
import Testing

struct ColumnTypeTests {
    @Test(arguments: [
        (ColumnType.integer, "42", CellValue.integer(42)),
        (.integer, " -7 ", .integer(-7)),
        (.integer, "", .null),
        (.number, "2.5", .number(2.5)),
        (.number, "3", .integer(3)),
        (.boolean, "true", .boolean(true)),
        (.boolean, "FALSE", .boolean(false)),
        (.string, "", .string("")),
        (.string, "null", .string("null")),
        (.string, " padded ", .string(" padded ")),
        (.dateTime, "2026-01-31T12:00:00Z", .dateTime("2026-01-31T12:00:00Z")),
        (.object, #"{"a":[1]}"#, .json(["a": [1]])),
        (.array, "[1,2]", .json([1, 2])),
        (ColumnType([.integer, .string]), "12", .integer(12)),
        (ColumnType([.integer, .string]), "twelve", .string("twelve")),
        (.any, "[true]", .json([true])),
        (.any, "7", .integer(7)),
        (.any, "words", .string("words")),
    ])
    func textBecomesTheCellItsColumnTakes(type: ColumnType, text: String, expected: CellValue) throws {
        #expect(try type.cell(from: text) == expected)
    }

    @Test func textAColumnCannotTakeSaysWhy() {
        #expect(throws: CellInputError(text: "abc", type: .integer)) { try ColumnType.integer.cell(from: "abc") }
        #expect(throws: CellInputError(text: "1.5", type: .integer)) { try ColumnType.integer.cell(from: "1.5") }
        let big = "9223372036854775808"
        #expect(throws: CellInputError(text: big, type: .integer,
                                       reason: "it is outside the int64 range (-9223372036854775808 to 9223372036854775807)")) {
            try ColumnType.integer.cell(from: big)
        }
        #expect(throws: CellInputError(text: "", type: ColumnType([.integer], isNullable: false),
                                       reason: "a value is needed: the column does not take null")) {
            try ColumnType([.integer], isNullable: false).cell(from: "")
        }
        #expect(throws: CellInputError(text: "yesterday", type: .dateTime,
                                       reason: "it is not an RFC 3339 date-time such as 2026-01-31T12:00:00Z")) {
            try ColumnType.dateTime.cell(from: "yesterday")
        }
        #expect(throws: CellInputError(text: "[1]", type: .object)) { try ColumnType.object.cell(from: "[1]") }
        #expect(CellInputError(text: "abc", type: .integer).description == "\"abc\" is not integer or null")
    }

    @Test func typesNameThemselvesAndWriteTheirSchema() {
        #expect(ColumnType([.string, .integer], isNullable: true).description == "string, integer or null")
        #expect(ColumnType([.integer], isNullable: false).description == "integer")
        #expect(ColumnType.dateTime.description == "date-time or null")
        #expect(JSONValue.object(JSONObject(ColumnType.dateTime.schemaMembers)) == ["type": ["null", "string"], "format": "date-time"])
        #expect(JSONValue.object(JSONObject(ColumnType([.boolean], isNullable: false).schemaMembers)) == ["type": "boolean"])
    }

    @Test func theAnyOfIdiomReadsAsNullableTypes() {
        let type = ColumnType(property: ["anyOf": [["type": "null"], ["type": "string", "format": "date-time"]]])
        #expect(type == ColumnType([.string], isNullable: true, format: "date-time"))
    }
}
