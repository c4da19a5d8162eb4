import Testing
@testable import StitchAPI

/// Schemas and values are written as JSON text so each case reads like a batch request would.
private func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

private func schema(_ text: String) throws -> JSONSchema { try JSONSchema(json(text)) }

/// The report lines for `value` against `schemaText` (empty when it conforms).
private func reportLines(_ schemaText: String, _ valueText: String) throws -> [String] {
    let report = JSONSchema.report(try schema(schemaText).validate(json(valueText)))
    return report.isEmpty ? [] : report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

private func schemaError(_ schemaText: String) throws -> JSONSchemaError? {
    let value = try json(schemaText)
    do {
        _ = try JSONSchema(value)
        return nil
    } catch {
        return error
    }
}

/// Every suite of this file lives here so `swift test --filter JSONSchemaValidatorTests` runs them all.
@Suite struct JSONSchemaValidatorTests {}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: type")
    struct TypeKeyword {
        @Test("a value of the wrong type is named like everit names Java classes", arguments: [
            (#"{"type":"string"}"#, "1", "#: expected type: String, found: Integer"),
            (#"{"type":"string"}"#, "1.5", "#: expected type: String, found: Number"),
            (#"{"type":"string"}"#, "true", "#: expected type: String, found: Boolean"),
            (#"{"type":"string"}"#, "{}", "#: expected type: String, found: JSONObject"),
            (#"{"type":"string"}"#, "[]", "#: expected type: String, found: JSONArray"),
            (#"{"type":"string"}"#, "null", "#: expected type: String, found: Null"),
            (#"{"type":"integer"}"#, "1.5", "#: expected type: Integer, found: Number"),
            (#"{"type":"integer"}"#, #""1""#, "#: expected type: Integer, found: String"),
            (#"{"type":"number"}"#, #""x""#, "#: expected type: Number, found: String"),
            (#"{"type":"boolean"}"#, "0", "#: expected type: Boolean, found: Integer"),
            (#"{"type":"object"}"#, "[]", "#: expected type: JSONObject, found: JSONArray"),
            (#"{"type":"array"}"#, "{}", "#: expected type: JSONArray, found: JSONObject"),
            (#"{"type":"null"}"#, "{}", "#: expected: null, found: JSONObject"),
            (#"{"type":"null"}"#, "0", "#: expected: null, found: Integer"),
        ])
        func mismatch(schemaText: String, value: String, line: String) throws {
            #expect(try reportLines(schemaText, value) == [line])
        }

        @Test("values of the declared type conform", arguments: [
            (#"{"type":"integer"}"#, "1"),
            (#"{"type":"integer"}"#, "1.0"),
            (#"{"type":"integer"}"#, "-9223372036854775808"),
            (#"{"type":"integer"}"#, "1e30"),
            (#"{"type":"number"}"#, "1"),
            (#"{"type":"number"}"#, "1.5"),
            (#"{"type":"string"}"#, #""""#),
            (#"{"type":"boolean"}"#, "false"),
            (#"{"type":"null"}"#, "null"),
            (#"{"type":"object"}"#, "{}"),
            (#"{"type":"array"}"#, "[]"),
            ("{}", "null"),
            ("{}", #"{"a":[1,"b"]}"#),
        ])
        func accepted(schemaText: String, value: String) throws {
            #expect(try schema(schemaText).validate(json(value)).isEmpty)
        }

        @Test("a property of the wrong type gives target-stitch PR #42's line")
        func propertyType() throws {
            let lines = try reportLines(#"{"properties":{"name":{"type":"string"}}}"#, #"{"name":5}"#)
            #expect(lines == ["#/name: expected type: String, found: Integer"])
        }

        @Test("a wrong type hides the value's other problems")
        func typeFailureStopsOtherChecks() throws {
            let violations = try schema(#"{"type":"string","enum":["a"],"minLength":3}"#).validate(json("7"))
            #expect(violations.map(\.description) == ["#: expected type: String, found: Integer"])
            #expect(violations.first?.keyword == "type")
        }

        @Test("keywords of other kinds are ignored when there is no type")
        func untypedKeywords() throws {
            let untyped = try schema(#"{"minLength":3,"minimum":5,"required":["a"],"minItems":1}"#)
            #expect(try untyped.conforms(json("true")))
            #expect(try untyped.validate(json(#""ab""#)).map(\.message) == ["expected minLength: 3, actual: 2"])
            #expect(try untyped.validate(json("4")).map(\.message) == ["4 is not greater or equal to 5"])
            #expect(try untyped.validate(json("{}")).map(\.message) == ["required key [a] not found"])
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: nullable types")
    struct NullableTypes {
        @Test("a type list accepts each of its types", arguments: ["null", #""a""#])
        func typeListAccepts(value: String) throws {
            #expect(try schema(#"{"type":["null","string"]}"#).conforms(json(value)))
        }

        @Test("a type list is an anyOf of one schema per type, like everit builds it")
        func typeListFailure() throws {
            let lines = try reportLines(#"{"properties":{"x":{"type":["null","string"]}}}"#, #"{"x":5}"#)
            #expect(lines == [
                "#/x: #: no subschema matched out of the total 2 subschemas",
                "#/x: expected: null, found: Integer",
                "#/x: expected type: String, found: Integer",
            ])
        }

        @Test("each type in a list carries that type's keywords (tap-xero issue 29's shape)")
        func typeListCarriesKeywords() throws {
            let text = #"{"type":["null","object"],"properties":{"PaymentTerms":{"type":"string"}}}"#
            let lines = try reportLines(text, #"{"PaymentTerms":{"Bills":{}}}"#)
            #expect(lines == [
                "#: #: no subschema matched out of the total 2 subschemas",
                "#: expected: null, found: JSONObject",
                "#/PaymentTerms: expected type: String, found: JSONObject",
            ])
            #expect(try schema(text).conforms(json(#"{"PaymentTerms":"30 days"}"#)))
        }

        @Test("anyOf with a null branch: the spec's tap-xero text")
        func anyOfNullBranch() throws {
            let text = #"""
            {"properties":{"Contact":{"anyOf":[{"type":"null"},
              {"type":"object","properties":{"Name":{"type":"string"}}}]}}}
            """#
            #expect(try schema(text).conforms(json(#"{"Contact":null}"#)))
            #expect(try schema(text).conforms(json(#"{"Contact":{"Name":"Acme"}}"#)))
            let lines = try reportLines(text, #"{"Contact":{"Name":{"First":"A"}}}"#)
            #expect(lines == [
                "#/Contact: #: no subschema matched out of the total 2 subschemas",
                "#/Contact: expected: null, found: JSONObject",
                "#/Contact/Name: expected type: String, found: JSONObject",
            ])
        }

        @Test("nonNullTypes and isNullable describe the column a schema needs", arguments: [
            (#"{"type":["null","string"]}"#, ["string"], true),
            (#"{"type":"integer"}"#, ["integer"], false),
            (#"{"type":["string","integer","null"]}"#, ["string", "integer"], true),
            (#"{"anyOf":[{"type":"null"},{"type":"string","format":"date-time"}]}"#, ["string"], true),
            (#"{"oneOf":[{"type":"integer"},{"type":["null","number"]}]}"#, ["integer", "number"], true),
            (#"{"anyOf":[{"type":"string"},{"type":"boolean"}]}"#, ["string", "boolean"], false),
            ("{}", [], true),
            (#"{"enum":["a","b"]}"#, [], false),
        ])
        func columnShape(schemaText: String, nonNull: [String], nullable: Bool) throws {
            let loaded = try schema(schemaText)
            #expect(loaded.nonNullTypes == nonNull)
            #expect(loaded.isNullable == nullable)
        }

        @Test("format is read through a nullable anyOf")
        func formatThroughAnyOf() throws {
            let loaded = try schema(#"{"anyOf":[{"type":"null"},{"type":"string","format":"date-time"}]}"#)
            #expect(loaded.format == "date-time")
            #expect(loaded.nonNullBranches.count == 1)
            #expect(try schema(#"{"type":["null","string"],"format":"date-time"}"#).format == "date-time")
            #expect(try schema(#"{"type":"string"}"#).format == nil)
        }

        @Test("a date-time format does not stop a nullable column from taking null")
        func nullableDateTime() throws {
            let loaded = try schema(#"{"type":["null","string"],"format":"date-time"}"#)
            #expect(loaded.conforms(.null))
            #expect(try loaded.validate(json(#""soon""#)).first?.leaves.map(\.description) == [
                "#: expected: null, found: String", "#: [soon] is not a valid date-time",
            ])
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: objects")
    struct Objects {
        @Test("a missing required key")
        func requiredKey() throws {
            #expect(try reportLines(#"{"required":["x"]}"#, "{}") == ["#: required key [x] not found"])
        }

        @Test("several violations get everit's count line first (tap-pipedrive issue 19's shape)")
        func severalViolations() throws {
            let lines = try reportLines(#"{"required":["x","y"],"properties":{"y":{"type":"string"}}}"#, "{}")
            #expect(lines == ["#: 2 schema violations found", "#: required key [x] not found", "#: required key [y] not found"])
        }

        @Test("additionalProperties false names each extra key in record order")
        func extraneousKeys() throws {
            let text = #"{"properties":{"id":{"type":"integer"}},"additionalProperties":false}"#
            #expect(try reportLines(text, #"{"id":1,"DueDate":"x"}"#) == ["#: extraneous key [DueDate] is not permitted"])
            #expect(try reportLines(text, #"{"b":1,"id":1,"a":2}"#) == [
                "#: 2 schema violations found",
                "#: extraneous key [b] is not permitted",
                "#: extraneous key [a] is not permitted",
            ])
        }

        @Test("an additionalProperties schema checks each extra value")
        func additionalPropertiesSchema() throws {
            let text = #"{"properties":{"id":{}},"additionalProperties":{"type":"integer"}}"#
            #expect(try reportLines(text, #"{"id":"x","extra":"y","more":3}"#) == ["#/extra: expected type: Integer, found: String"])
        }

        @Test("patternProperties check matching keys and are not extraneous")
        func patternProperties() throws {
            let text = #"{"patternProperties":{"^x_":{"type":"string"}},"additionalProperties":false}"#
            #expect(try reportLines(text, #"{"x_a":"ok","x_b":1,"y":true}"#) == [
                "#: 2 schema violations found",
                "#: extraneous key [y] is not permitted",
                "#/x_b: expected type: String, found: Integer",
            ])
        }

        @Test("findings come in everit's order: properties, required, extraneous")
        func order() throws {
            let text = #"""
            {"properties":{"b":{"type":"string"},"a":{"type":"string"}},"required":["c"],"additionalProperties":false}
            """#
            #expect(try reportLines(text, #"{"z":0,"a":1,"b":2}"#) == [
                "#: 4 schema violations found",
                "#/b: expected type: String, found: Integer",
                "#/a: expected type: String, found: Integer",
                "#: required key [c] not found",
                "#: extraneous key [z] is not permitted",
            ])
        }

        @Test("pointers nest, and a nested object with several problems is one counted group")
        func nesting() throws {
            let text = #"""
            {"properties":{
              "name":{"type":"string"},
              "address":{"type":"object","required":["city"],"properties":{"zip":{"type":"string"}}},
              "items":{"type":"array","items":{"properties":{"name":{"type":"string"}}}}}}
            """#
            let value = #"{"name":1,"address":{"zip":12345},"items":[{"name":"ok"},{"name":false}]}"#
            let violations = try schema(text).validate(json(value))
            #expect(violations.count == 3)
            #expect(violations[1].violationCount == 2)
            #expect(violations.flatMap(\.leaves).map(\.pointer) == ["#/name", "#/address/zip", "#/address", "#/items/1/name"])
            #expect(JSONSchema.report(violations).split(separator: "\n").map(String.init) == [
                "#: 4 schema violations found",
                "#/name: expected type: String, found: Integer",
                "#/address: 2 schema violations found",
                "#/address/zip: expected type: String, found: Integer",
                "#/address: required key [city] not found",
                "#/items/1/name: expected type: String, found: Boolean",
            ])
        }

        @Test("pointer fragments escape ~ and / as RFC 6901 says", arguments: [
            ("a/b", "#/a~1b"), ("m~n", "#/m~0n"), ("~/", "#/~0~1"), ("plain name", "#/plain name"),
        ])
        func pointerEscaping(name: String, pointer: String) throws {
            let loaded = try JSONSchema(.object(JSONObject([("properties", .object(JSONObject([(name, ["type": "integer"])])))])))
            let violations = loaded.validate(.object(JSONObject([(name, "x")])))
            #expect(violations.map(\.pointer) == [pointer])
        }

        @Test("minProperties and maxProperties")
        func propertyCounts() throws {
            #expect(try reportLines(#"{"minProperties":2}"#, #"{"a":1}"#) == ["#: minimum size: [2], found: [1]"])
            #expect(try reportLines(#"{"maxProperties":1}"#, #"{"a":1,"b":2}"#) == ["#: maximum size: [1], found: [2]"])
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: combinators")
    struct Combinators {
        @Test("anyOf lists each failing branch under everit's line")
        func anyOf() throws {
            let text = #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#
            #expect(try reportLines(text, "true") == [
                "#: #: no subschema matched out of the total 2 subschemas",
                "#: expected type: String, found: Boolean",
                "#: expected type: Integer, found: Boolean",
            ])
            #expect(try reportLines(text, "3").isEmpty)
            #expect(try schema(text).validate(json("true")).first?.keyword == "anyOf")
        }

        @Test("oneOf counts matching branches", arguments: [
            ("5", ["#: #: 2 subschemas matched instead of one"]),
            ("5.5", []),
            (#""x""#, [
                "#: #: 0 subschemas matched instead of one",
                "#: expected type: Integer, found: String",
                "#: expected type: Number, found: String",
            ]),
        ])
        func oneOf(value: String, lines: [String]) throws {
            let text = #"{"oneOf":[{"type":"integer"},{"type":"number"}]}"#
            #expect(try reportLines(text, value) == lines)
        }

        @Test("a message matching neither kind reproduces the spec's envelope error shape")
        func envelopeShape() throws {
            let text = #"""
            {"properties":{"messages":{"type":"array","items":{"oneOf":[
              {"type":"object","required":["action","sequence","data"],"additionalProperties":false,
               "properties":{"action":{"enum":["upsert"]},"sequence":{"type":"integer"},"data":{"type":"object"}}},
              {"type":"object","required":["action","sequence"],"additionalProperties":false,
               "properties":{"action":{"enum":["activate_version"]},"sequence":{"type":"integer"}}}]}}}}
            """#
            let lines = try reportLines(text, #"{"messages":[{"action":"upsert","data":{}}]}"#)
            #expect(lines == [
                "#/messages/0: #: 0 subschemas matched instead of one",
                "#/messages/0: required key [sequence] not found",
                "#/messages/0: 3 schema violations found",
                "#/messages/0/action: upsert is not a valid enum value",
                "#/messages/0: required key [sequence] not found",
                "#/messages/0: extraneous key [data] is not permitted",
            ])
        }

        @Test("allOf reports how many branches matched")
        func allOf() throws {
            let text = #"{"allOf":[{"minimum":0},{"maximum":10}]}"#
            #expect(try reportLines(text, "11") == ["#: #: only 1 subschema matches out of 2", "#: 11 is not less or equal to 10"])
            #expect(try reportLines(text, "5").isEmpty)
        }

        @Test("not rejects what its schema accepts")
        func not() throws {
            let text = #"{"not":{"type":"string"}}"#
            #expect(try reportLines(text, #""x""#) == [#"#: subject must not be valid against schema {"type":"string"}"#])
            #expect(try reportLines(text, "1").isEmpty)
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: values")
    struct Values {
        @Test("enum", arguments: [
            (#""red""#, ["#/color: red is not a valid enum value"]),
            (#""blue""#, []),
            ("1.0", []),
            ("null", []),
            (#"{"b":1,"a":[2]}"#, []),
            (#"{"a":[3]}"#, [#"#/color: {"a":[3]} is not a valid enum value"#]),
            ("2", ["#/color: 2 is not a valid enum value"]),
        ])
        func enumValues(value: String, lines: [String]) throws {
            let text = #"{"properties":{"color":{"enum":["blue",1,null,{"a":[2],"b":1}]}}}"#
            #expect(try reportLines(text, #"{"color":\#(value)}"#) == lines)
        }

        @Test("const compares JSON values, numbers by value")
        func constValue() throws {
            #expect(try reportLines(#"{"const":2}"#, "2.0").isEmpty)
            #expect(try reportLines(#"{"const":"a"}"#, #""b""#) == ["#: b is not the const value a"])
        }

        @Test("pattern searches like Java's find(), with ASCII classes", arguments: [
            ("^[0-9]+$", "abc", false),
            ("^[0-9]+$", "123", true),
            ("[0-9]", "a1b", true),
            (#"^\d+$"#, "١٢", false),
            (#"^\w+$"#, "é", false),
            ("^.$", "é", true),
        ])
        func pattern(pattern: String, text: String, matches: Bool) throws {
            let loaded = try JSONSchema(["properties": ["code": ["pattern": .string(pattern)]]])
            let violations = loaded.validate(["code": .string(text)])
            #expect(violations.isEmpty == matches)
            if !matches {
                #expect(violations.map(\.description) == ["#/code: string [\(text)] does not match pattern \(pattern)"])
            }
        }

        @Test("minimum, maximum and their exclusive forms", arguments: [
            (#"{"minimum":0}"#, "-1", "-1 is not greater or equal to 0", "minimum"),
            (#"{"maximum":150}"#, "200", "200 is not less or equal to 150", "maximum"),
            (#"{"minimum":0,"exclusiveMinimum":true}"#, "0", "0 is not greater than 0", "exclusiveMinimum"),
            (#"{"maximum":10,"exclusiveMaximum":true}"#, "10", "10 is not less than 10", "exclusiveMaximum"),
            (#"{"exclusiveMinimum":1.5}"#, "1.5", "1.5 is not greater than 1.5", "exclusiveMinimum"),
            (#"{"exclusiveMaximum":10}"#, "10.0", "10.0 is not less than 10", "exclusiveMaximum"),
            (#"{"maximum":1}"#, "1.5", "1.5 is not less or equal to 1", "maximum"),
            (#"{"maximum":0.5}"#, "200.0", "200.0 is not less or equal to 0.5", "maximum"),
            (#"{"maximum":10}"#, "1e20", "1.0E20 is not less or equal to 10", "maximum"),
            (#"{"minimum":0.001}"#, "0.0001", "1.0E-4 is not greater or equal to 0.001", "minimum"),
            (#"{"maximum":9007199254740992}"#, "9007199254740993", "9007199254740993 is not less or equal to 9007199254740992", "maximum"),
            (#"{"maximum":9007199254740992.0}"#, "9007199254740993", "9007199254740993 is not less or equal to 9.007199254740992E15", "maximum"),
        ])
        func bounds(schemaText: String, value: String, message: String, keyword: String) throws {
            let violations = try schema(schemaText).validate(json(value))
            #expect(violations.map(\.message) == [message])
            #expect(violations.map(\.keyword) == [keyword])
        }

        @Test("values on an inclusive bound conform", arguments: [
            (#"{"minimum":0,"maximum":150}"#, "0"), (#"{"minimum":0,"maximum":150}"#, "150"),
            (#"{"minimum":0,"exclusiveMinimum":false}"#, "0"), (#"{"exclusiveMinimum":0}"#, "0.0001"),
        ])
        func boundsAccepted(schemaText: String, value: String) throws {
            #expect(try schema(schemaText).conforms(json(value)))
        }

        @Test("multipleOf", arguments: [
            (#"{"multipleOf":3}"#, "9", true), (#"{"multipleOf":3}"#, "10", false),
            (#"{"multipleOf":0.1}"#, "0.3", true), (#"{"multipleOf":0.1}"#, "0.35", false),
            (#"{"multipleOf":0.01}"#, "19.99", true),
        ])
        func multipleOf(schemaText: String, value: String, conforms: Bool) throws {
            #expect(try schema(schemaText).conforms(json(value)) == conforms)
        }

        @Test("string lengths count Characters", arguments: [
            (#"{"minLength":2}"#, "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", ["#: expected minLength: 2, actual: 1"]),
            (#"{"maxLength":1}"#, "e\u{301}", []),
            (#"{"maxLength":3}"#, "abcd", ["#: expected maxLength: 3, actual: 4"]),
            (#"{"minLength":1,"maxLength":3}"#, "abc", []),
        ])
        func lengths(schemaText: String, text: String, lines: [String]) throws {
            #expect(JSONSchema.report(try schema(schemaText).validate(.string(text))) == lines.joined(separator: "\n"))
        }

        @Test("array sizes, uniqueness and tuples")
        func arrays() throws {
            #expect(try reportLines(#"{"minItems":2}"#, "[1]") == ["#: expected minimum item count: 2, found: 1"])
            #expect(try reportLines(#"{"maxItems":1}"#, "[1,2]") == ["#: expected maximum item count: 1, found: 2"])
            #expect(try reportLines(#"{"uniqueItems":true}"#, "[1,1.0]") == ["#: array items are not unique"])
            #expect(try reportLines(#"{"uniqueItems":true}"#, #"[{"a":1},{"a":2}]"#).isEmpty)
            let tuple = #"{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}"#
            #expect(try reportLines(tuple, #"["a",2]"#).isEmpty)
            #expect(try reportLines(tuple, #"[1,2,3,4]"#) == [
                "#: 2 schema violations found",
                "#/0: expected type: String, found: Integer",
                "#: expected: [2] array items, found: [4]",
            ])
            let open = #"{"items":[{"type":"string"}],"additionalItems":{"type":"boolean"}}"#
            #expect(try reportLines(open, #"["a",true,3]"#) == ["#/2: expected type: Boolean, found: Integer"])
        }

        @Test("format date-time", arguments: [
            (#""not-a-date""#, ["#/modified_at: [not-a-date] is not a valid date-time"]),
            (#""2020-01-13T21:25:03+0000""#, []),
            (#""2020-02-30T00:00:00Z""#, ["#/modified_at: [2020-02-30T00:00:00Z] is not a valid date-time"]),
            (#""2020-01-13 21:25:03Z""#, ["#/modified_at: [2020-01-13 21:25:03Z] is not a valid date-time"]),
            ("5", ["#/modified_at: expected type: String, found: Integer"]),
        ])
        func dateTimeFormat(value: String, lines: [String]) throws {
            let text = #"{"properties":{"modified_at":{"type":"string","format":"date-time"}}}"#
            #expect(try reportLines(text, #"{"modified_at":\#(value)}"#) == lines)
        }

        @Test("other formats and unknown keywords are ignored")
        func ignoredKeywords() throws {
            let text = #"""
            {"$schema":"http://json-schema.org/draft-04/schema#","title":"t","description":"d",
             "properties":{"email":{"type":"string","format":"email","inclusion":"available","selected":true},
                           "n":{"type":"integer","format":"date-time"}},
             "definitions":{"unused":{"type":"foo"}}}
            """#
            #expect(try reportLines(text, #"{"email":"not an email","n":3}"#).isEmpty)
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: reports and documented schemas")
    struct Reports {
        private static let customers = #"""
        {"properties":{"id":{"type":"integer"},"name":{"type":"string"},"age":{"type":"integer"},
                       "has_magic":{"type":"boolean"}}}
        """#

        @Test("the tutorial's customers record conforms")
        func tutorialRecord() throws {
            #expect(try reportLines(Self.customers, #"{"id":1,"name":"Finn","age":15,"has_magic":false}"#).isEmpty)
        }

        @Test("a bad customers record reports every field")
        func tutorialBadRecord() throws {
            let lines = try reportLines(Self.customers, #"{"id":"1","name":"Finn","age":15.5,"has_magic":"no"}"#)
            #expect(lines == [
                "#: 3 schema violations found",
                "#/id: expected type: Integer, found: String",
                "#/age: expected type: Integer, found: Number",
                "#/has_magic: expected type: Boolean, found: String",
            ])
        }

        @Test("the spec's minimal batch schema accepts its record")
        func minimalBatch() throws {
            let text = #"""
            {"properties":{"id":{"type":"integer"},"name":{"type":"string"},
                           "modified_at":{"type":"string","format":"date-time"}}}
            """#
            let loaded = try schema(text)
            #expect(try loaded.conforms(json(#"{"id":1,"name":"Finn","modified_at":"2020-01-13T21:25:03+0000"}"#)))
            #expect(loaded.properties.map(\.name) == ["id", "name", "modified_at"])
            #expect(loaded.properties.last?.schema.format == "date-time")
            #expect(loaded.properties.first?.schema.nonNullTypes == ["integer"])
        }

        @Test("no violations make an empty report")
        func emptyReport() {
            #expect(JSONSchema.report([]) == "")
        }

        @Test("a violation prints as pointer, colon, message")
        func description() {
            let violation = SchemaViolation(pointer: "#/name", message: "expected type: String, found: Integer", keyword: "type")
            #expect(violation.description == "#/name: expected type: String, found: Integer")
            #expect(violation.violationCount == 1)
            #expect(violation.leaves == [violation])
        }

        @Test("the items keyword is exposed for child tables")
        func itemsAccessor() throws {
            let loaded = try schema(#"{"type":"array","items":{"type":"object","properties":{"sku":{"type":"string"}}}}"#)
            #expect(loaded.items?.properties.map(\.name) == ["sku"])
            #expect(try schema(#"{"items":[{}]}"#).items == nil)
        }

        @Test("one schema validates from many tasks at once")
        func concurrentUse() async throws {
            let loaded = try schema(#"{"properties":{"code":{"type":"string","pattern":"^[A-Z]{3}[0-9]+$"}}}"#)
            let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
                for index in 0..<64 {
                    group.addTask {
                        let code: JSONValue = index.isMultiple(of: 2) ? .string("ABC\(index)") : .string("abc\(index)")
                        return loaded.conforms(["code": code])
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 32)
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("JSON Schema validator: invalid schemas")
    struct InvalidSchemas {
        @Test("a bad schema is refused with a Stitch-style message", arguments: [
            (#"{"type":"foo"}"#, "unknown type: [foo]"),
            (#"{"properties":{"a":{"type":["string","any"]}}}"#, "unknown type: [any]"),
            (#"{"type":5}"#, "key type: expected type is one of JSONArray, String, found: Integer"),
            (#"{"type":["string",1]}"#, "key type: expected type is one of String, found: Integer"),
            (#"{"type":[]}"#, "key type: expected at least one type name, found: []"),
            (#"{"properties":{"x":true}}"#, "key x: expected type is one of JSONObject, found: Boolean"),
            (#"{"properties":[]}"#, "key properties: expected type is one of JSONObject, found: JSONArray"),
            ("[]", "key null: expected type is one of JSONObject, found: JSONArray"),
            (##"{"properties":{"a":{"$ref":"#/definitions/a"}}}"##, "unsupported keyword $ref"),
            (#"{"pattern":"a("}"#, "key pattern: [a(] is not a valid regular expression"),
            (#"{"pattern":5}"#, "key pattern: expected type is one of String, found: Integer"),
            (#"{"required":"id"}"#, "key required: expected type is one of JSONArray, found: String"),
            (#"{"required":[1]}"#, "key required: expected type is one of String, found: Integer"),
            (#"{"minLength":-1}"#, "key minLength: must not be negative, found: -1"),
            (#"{"maxItems":1.5}"#, "key maxItems: expected type is one of Integer, found: Number"),
            (#"{"anyOf":{}}"#, "key anyOf: expected type is one of JSONArray, found: JSONObject"),
            (#"{"oneOf":[]}"#, "key oneOf: expected at least one subschema, found: []"),
            (#"{"allOf":[true]}"#, "key allOf: expected type is one of JSONObject, found: Boolean"),
            (#"{"items":"x"}"#, "key items: expected type is one of JSONObject, JSONArray, found: String"),
            (#"{"items":[1]}"#, "key items: expected type is one of JSONObject, found: Integer"),
            (#"{"additionalProperties":"no"}"#, "key additionalProperties: expected type is one of Boolean, JSONObject, found: String"),
            (#"{"enum":"a"}"#, "key enum: expected type is one of JSONArray, found: String"),
            (#"{"minimum":"0"}"#, "key minimum: expected type is one of Number, found: String"),
            (#"{"exclusiveMaximum":"x"}"#, "key exclusiveMaximum: expected type is one of Boolean, Number, found: String"),
            (#"{"multipleOf":0}"#, "key multipleOf: must be greater than 0, found: 0"),
            (#"{"uniqueItems":1}"#, "key uniqueItems: expected type is one of Boolean, found: Integer"),
            (#"{"not":null}"#, "key not: expected type is one of JSONObject, found: Null"),
            (#"{"format":false}"#, "key format: expected type is one of String, found: Boolean"),
        ])
        func invalid(schemaText: String, message: String) throws {
            let error = try schemaError(schemaText)
            #expect(error?.message == message)
            #expect(error?.description == "Invalid JSON schema: \(message)")
        }

        @Test("a problem deep inside a schema is still found")
        func deepProblem() throws {
            let text = #"{"properties":{"a":{"items":{"anyOf":[{"type":"null"},{"properties":{"b":{"type":"nope"}}}]}}}}"#
            #expect(try schemaError(text)?.message == "unknown type: [nope]")
        }
    }
}

extension JSONSchemaValidatorTests {
    @Suite("DateTimeValue")
    struct DateTimes {
        @Test("valid date-times normalise to UTC microseconds", arguments: [
            ("2020-01-13T21:25:03+0000", "2020-01-13T21:25:03.000000Z"),
            ("2018-04-30T17:00:00Z", "2018-04-30T17:00:00.000000Z"),
            ("2020-01-02T00:00:00.000000Z", "2020-01-02T00:00:00.000000Z"),
            ("2019-08-13T21:25:03-07:00", "2019-08-14T04:25:03.000000Z"),
            ("2019-08-13T21:25:03-0700", "2019-08-14T04:25:03.000000Z"),
            ("2021-06-01t00:00:00+05:30", "2021-05-31T18:30:00.000000Z"),
            ("2020-02-29T23:30:00-01:00", "2020-03-01T00:30:00.000000Z"),
            ("2000-02-29T12:00:00z", "2000-02-29T12:00:00.000000Z"),
            ("2020-01-01T00:00:00.1Z", "2020-01-01T00:00:00.100000Z"),
            ("2020-01-01T00:00:00.123456789123Z", "2020-01-01T00:00:00.123457Z"),
            ("2020-01-01T00:00:00.0000004Z", "2020-01-01T00:00:00.000000Z"),
            ("2020-12-31T23:59:59.9999996Z", "2021-01-01T00:00:00.000000Z"),
            ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000Z"),
            ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z"),
            ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000000Z"),
            ("2016-12-31T23:59:59-00:00", "2016-12-31T23:59:59.000000Z"),
        ])
        func normalised(text: String, utc: String) {
            #expect(DateTimeValue.normalizedUTC(text) == utc)
        }

        @Test("invalid date-times are refused", arguments: [
            "2019-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2020-13-01T00:00:00Z", "2020-00-10T00:00:00Z",
            "2020-04-31T00:00:00Z", "2020-01-00T00:00:00Z", "2020-01-01 00:00:00Z", "2020-01-01T24:00:00Z",
            "2020-01-01T23:60:00Z", "2020-01-01T23:59:60Z", "2020-01-01T00:00:00", "2020-01-01T00:00:00.Z",
            "2020-01-01T00:00:00+5:00", "2020-01-01T00:00:00+24:00", "2020-01-01T00:00:00+00:60",
            "2020-01-01T00:00:00+01", "2020-1-01T00:00:00Z", "20200101T000000Z", "2020-01-01", "",
            "2020-01-01T00:00:00Z ", " 2020-01-01T00:00:00Z", "not-a-date", "２０２０-01-01T00:00:00Z",
            "2020-01-01T00:00:00,5Z",
        ])
        func invalid(text: String) {
            #expect(DateTimeValue(parsing: text) == nil)
            #expect(JSONSchema.parseDateTime(text) == nil)
        }

        @Test("epoch seconds and nanoseconds (checked against Python's datetime)", arguments: [
            ("1970-01-01T00:00:00Z", Int64(0), Int32(0)),
            ("2020-01-13T21:25:03+0000", 1_578_950_703, 0),
            ("2000-03-01T00:00:00Z", 951_868_800, 0),
            ("2019-08-13T21:25:03-07:00", 1_565_756_703, 0),
            ("2021-06-01T00:00:00+05:30", 1_622_485_800, 0),
            ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
            ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999),
            ("1969-12-31T23:59:59.25Z", -1, 250_000_000),
        ])
        func epoch(text: String, seconds: Int64, nanoseconds: Int32) {
            let parsed = JSONSchema.parseDateTime(text)
            #expect(parsed?.epochSeconds == seconds)
            #expect(parsed?.nanoseconds == nanoseconds)
        }

        @Test("the same instant in different offsets compares equal")
        func offsetsCompare() throws {
            let utc = try #require(DateTimeValue(parsing: "2020-01-01T00:00:00Z"))
            #expect(DateTimeValue(parsing: "2020-01-01T01:00:00+01:00") == utc)
            #expect(DateTimeValue(parsing: "2019-12-31T19:00:00-0500") == utc)
            #expect(try #require(DateTimeValue(parsing: "2020-01-01T00:00:00.000000001Z")) > utc)
        }

        @Test("instants that leave years 0–9999 in UTC have no normalised text", arguments: [
            "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
        ])
        func outOfRange(text: String) {
            #expect(DateTimeValue(parsing: text) != nil)
            #expect(DateTimeValue.normalizedUTC(text) == nil)
        }

        @Test("calendar arithmetic round-trips every day from 1600 to 2400")
        func calendarRoundTrip() {
            var expectedDays = CivilCalendar.daysSinceEpoch(year: 1600, month: 1, day: 1)
            for year: Int64 in 1600...2400 {
                for month: Int64 in 1...12 {
                    for day in 1...CivilCalendar.daysIn(month: month, year: year) {
                        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
                        guard days == expectedDays else {
                            Issue.record("\(year)-\(month)-\(day) is day \(days), expected \(expectedDays)")
                            return
                        }
                        let civil = CivilCalendar.civilDate(daysSinceEpoch: days)
                        guard civil == (year, month, day) else {
                            Issue.record("day \(days) reads back as \(civil)")
                            return
                        }
                        expectedDays += 1
                    }
                }
            }
            #expect(CivilCalendar.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        }

        @Test("leap years follow the Gregorian rules", arguments: [
            (2000, true), (1900, false), (2024, true), (2023, false), (2100, false), (2400, true),
        ])
        func leapYears(year: Int64, leap: Bool) {
            #expect(CivilCalendar.isLeapYear(year) == leap)
            #expect((DateTimeValue(parsing: "\(year)-02-29T00:00:00Z") != nil) == leap)
        }
    }
}
