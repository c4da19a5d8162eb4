import StitchAPI
import Testing

@Suite struct JSONParserTests {
    @Test func objectKeysKeepDocumentOrder() throws {
        let value = try JSONParser.parse(#"{"zeta":1,"alpha":2,"mid":{"y":true,"x":false}}"#)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        #expect(value["mid"]?.objectValue?.keys == ["y", "x"])
    }

    @Test func duplicateKeysKeepFirstPositionLastValue() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == .integer(3))
    }

    // Objects above JSONObject's index threshold (16 members) take a different path (a hashed index);
    // both must treat a repeated key the same way. Two repeats are added to `memberCount` members.
    @Test(arguments: [3, 14, 15, 16, 40])
    func duplicateKeysInObjectsOfAnySize(memberCount: Int) throws {
        let names = (0..<memberCount).map { "k\($0)" }
        let members = names.enumerated().map { #""\#($1)":\#($0)"# }
        let text = "{" + (members + [#""k1":"last""#, #""k0":null"#]).joined(separator: ",") + "}"
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(object.keys == names)
        #expect(object.count == memberCount)
        #expect(object["k0"] == .null)
        #expect(object["k1"] == "last")
        #expect(object["k\(memberCount - 1)"] == .integer(Int64(memberCount - 1)))
        #expect(object["missing"] == nil)
        let expected = "{" + names.enumerated().map { index, name in
            let value = index == 0 ? "null" : index == 1 ? #""last""# : "\(index)"
            return #""\#(name)":\#(value)"#
        }.joined(separator: ",") + "}"
        #expect(JSONValue.object(object).jsonText == expected)
    }

    @Test(arguments: [2, 20])
    func objectEqualityAndHashIgnoreMemberOrder(memberCount: Int) throws {
        let names = (0..<memberCount).map { "k\($0)" }
        let forward = try JSONParser.parse("{" + names.map { #""\#($0)":"\#($0)""# }.joined(separator: ",") + "}")
        let backward = try JSONParser.parse("{" + names.reversed().map { #""\#($0)":"\#($0)""# }.joined(separator: ",") + "}")
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(Set([forward, backward]).count == 1)
        var changed = try #require(backward.objectValue)
        changed["k0"] = "other"
        #expect(JSONValue.object(changed) != forward)
    }

    @Test(arguments: [3, 16, 20])
    func objectMutationKeepsOrderAndLookups(memberCount: Int) throws {
        var object = try #require(try JSONParser.parse(
            "{" + (0..<memberCount).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}").objectValue)
        object["k1"] = nil
        object["new"] = true
        object["k0"] = "replaced"
        var expectedKeys = (0..<memberCount).map { "k\($0)" }
        expectedKeys.remove(at: 1)
        expectedKeys.append("new")
        #expect(object.keys == expectedKeys)
        #expect(object["k1"] == nil)
        #expect(object["k2"] == .integer(2))
        #expect(object["new"] == true)
        #expect(object["k0"] == "replaced")
        #expect(object.members.map(\.key) == expectedKeys)
        // Growing past the index threshold keeps every earlier member reachable.
        for extra in 0..<20 { object["extra\(extra)"] = .integer(Int64(extra)) }
        #expect(object.keys == expectedKeys + (0..<20).map { "extra\($0)" })
        #expect(object["k0"] == "replaced")
        #expect(object["new"] == true)
        #expect(object["extra19"] == .integer(19))
        #expect(object["k1"] == nil)
    }

    @Test func nestedContainersKeepTheirOwnMembers() throws {
        let value = try JSONParser.parse(#"{"a":[1,{"b":[2,3],"c":{}},[]],"d":{"e":[{"f":4}]},"g":5}"#)
        #expect(value.jsonText == #"{"a":[1,{"b":[2,3],"c":{}},[]],"d":{"e":[{"f":4}]},"g":5}"#)
        #expect(value["a"]?[1]?["b"] == [2, 3])
        #expect(value["d"]?["e"]?[0]?["f"] == .integer(4))
    }

    @Test func literalErrorsPointAtTheLiteral() {
        for text in ["[tru]", "[nul", "[falsy]", "[t"] {
            let error = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
            #expect(error?.message == "Invalid literal", "\(text)")
            #expect(error?.offset == 1, "\(text)")
        }
    }

    @Test func integersAreExactInt64() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try JSONParser.parse("1795783913486229100") == .integer(1_795_783_913_486_229_100))
        #expect(try JSONParser.parse("0") == .integer(0))
        #expect(try JSONParser.parse("-0") == .integer(0))
        #expect(try JSONParser.parse("-9223372036854775807") == .integer(-Int64.max))
        #expect(try JSONParser.parse("[-1,10,922337203685477580]") == [-1, 10, .integer(922_337_203_685_477_580)])
    }

    @Test func integerOverflowBecomesNumber() throws {
        #expect(try JSONParser.parse("9223372036854775808") == .number(9_223_372_036_854_775_808.0))
        #expect(try JSONParser.parse("9223372036854775810") == .number(9_223_372_036_854_775_810.0))
        #expect(try JSONParser.parse("-92233720368547758080") == .number(-92_233_720_368_547_758_080.0))
        #expect(try JSONParser.parse("-9223372036854775809") == .number(-9_223_372_036_854_775_809.0))
        #expect(try JSONParser.parse("123456789012345678901234567890") == .number(1.2345678901234568e29))
    }

    @Test func fractionsAndExponentsAreNumbers() throws {
        #expect(try JSONParser.parse("1.5") == .number(1.5))
        #expect(try JSONParser.parse("1.0") == .number(1.0))
        #expect(try JSONParser.parse("1e2") == .number(100))
        #expect(try JSONParser.parse("-2.5E-3") == .number(-0.0025))
        #expect(try JSONParser.parse("1E+2") == .number(100))
    }

    @Test func literalsAndWhitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n[true , false,null ] \n") == [true, false, nil])
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse(#""""#) == "")
    }

    @Test func escapes() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try JSONParser.parse(#""caf\u00e9 \u00E9""#) == "café é")
        #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try JSONParser.parse("\"héllo ✓\"") == "héllo ✓")
    }

    @Test func surrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try JSONParser.parse(#""x\uD834\uDD1Ey""#) == "x𝄞y")
        #expect(try JSONParser.parse("\"😀\"") == "😀")
    }

    @Test(arguments: [
        (#""\ud83d""#, "lone high surrogate"),
        (#""\ud83dx""#, "high surrogate followed by text"),
        (#""\ud83d\u0041""#, "high surrogate followed by a non-low escape"),
        (#""\ude00""#, "lone low surrogate"),
        (#""\u12""#, "short unicode escape"),
        (#""\x""#, "unknown escape"),
    ])
    func badEscapesAreErrors(text: String, why: String) {
        #expect(throws: JSONParser.SyntaxError.self, "\(why)") { try JSONParser.parse(text) }
    }

    /// Pinned when the escape rules moved to `JSONLexing`: each fault keeps its message and offset.
    @Test(arguments: [
        (#""\ud83d""#, "Unpaired surrogate", 7),
        (#""\ud83dx""#, "Unpaired surrogate", 7),
        (#""\ud83d\u0041""#, "Invalid surrogate pair", 13),
        (#""\ud83d\u12G4""#, "Invalid unicode escape", 9),
        (#""\ude00""#, "Invalid unicode escape", 7),
        (#""\u12""#, "Invalid unicode escape", 3),
        (#""\u12G4""#, "Invalid unicode escape", 3),
        (#""\x""#, "Invalid escape", 3),
    ])
    func badEscapesKeepTheirMessageAndOffset(text: String, message: String, offset: Int) {
        let error = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
        #expect(error?.message == message, "\(text)")
        #expect(error?.offset == offset, "\(text)")
    }

    @Test(arguments: [
        ("[1,2,]", "trailing comma in array"),
        (#"{"a":1,}"#, "trailing comma in object"),
        ("01", "leading zero"),
        ("-01", "leading zero after minus"),
        ("[00]", "double zero"),
        ("\"a\u{01}b\"", "raw control character"),
        ("\"line\nbreak\"", "raw newline in string"),
        ("\"tab\there\"", "raw tab in string"),
        ("", "empty input"),
        ("   ", "only whitespace"),
        ("{} x", "text after the value"),
        ("[1 2]", "missing comma"),
        (#"{"a" 1}"#, "missing colon"),
        ("{a:1}", "unquoted key"),
        ("'x'", "single quotes"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("+1", "leading plus"),
        (".5", "leading dot"),
        ("1.", "trailing dot"),
        ("1e", "bare exponent"),
        ("-", "bare minus"),
        ("tru", "truncated literal"),
        ("nul", "truncated null"),
        ("\"open", "unterminated string"),
        ("[1,", "unterminated array"),
        (#"{"a":1"#, "unterminated object"),
    ])
    func malformedDocumentsAreErrors(text: String, why: String) {
        #expect(throws: JSONParser.SyntaxError.self, "\(why)") { try JSONParser.parse(text) }
    }

    @Test func errorsCarryTheOffset() {
        do {
            _ = try JSONParser.parse("01")
            Issue.record("a leading zero was accepted")
        } catch {
            #expect(error.message == "Leading zeros are not allowed")
            #expect(error.offset == 1)
        }
        do {
            _ = try JSONParser.parse("[1,2,]")
            Issue.record("a trailing comma was accepted")
        } catch {
            #expect(error.offset == 5)
            #expect(error.description.hasSuffix("at byte 5"))
        }
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func nestingIsBounded() throws {
        let deepButFine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONParser.parse(deepButFine) }
        let tooDeep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(tooDeep) }
    }
}

@Suite struct JSONTextTests {
    @Test(arguments: [
        #"{"b":1,"a":[true,false,null,"x"],"c":{}}"#,
        #"[]"#,
        #"{"sequence":9223372036854775807,"min":-9223372036854775808}"#,
        #"{"s":"quote \" backslash \\ newline \n tab \t cr \r"}"#,
        #"["caf\u00e9","😀"]"#,
        #"{"n":1.5,"m":-0.25,"big":1e300}"#,
        #"{"nested":{"z":[{"y":1},{"x":[[]]}]}}"#,
    ])
    func parseWriteParseIsStable(text: String) throws {
        let value = try JSONParser.parse(text)
        let written = value.jsonText
        #expect(try JSONParser.parse(written) == value)
        #expect(try JSONParser.parse(written).jsonText == written)
        #expect(try JSONParser.parse(value.prettyJSONText) == value)
    }

    @Test func compactTextKeepsOrderExactly() throws {
        let text = #"{"table_name":"customers","key_names":["id"],"messages":[{"action":"upsert","sequence":1}]}"#
        #expect(try JSONParser.parse(text).jsonText == text)
    }

    @Test func stringEscaping() {
        #expect(JSONValue.string("a\"b\\c\nd\te\r").jsonText == #""a\"b\\c\nd\te\r""#)
        #expect(JSONValue.string("\u{01}\u{1F}").jsonText == #""\u0001\u001f""#)
        #expect(JSONValue.string("é/😀").jsonText == "\"é/😀\"")
    }

    @Test func numbers() {
        #expect(JSONValue.integer(Int64.max).jsonText == "9223372036854775807")
        #expect(JSONValue.number(1.5).jsonText == "1.5")
        #expect(JSONValue.number(.nan).jsonText == "null")
        #expect(JSONValue.number(.infinity).jsonText == "null")
    }

    /// Whole-number doubles are written without a fraction; they keep their JSON Schema type
    /// ("integer", the draft-6+ reading that `schemaTypeName` also uses) but not their case.
    @Test func wholeNumberDoublesAreWrittenAsIntegers() throws {
        let value = JSONValue.number(60)
        #expect(value.jsonText == "60")
        #expect(try JSONParser.parse(value.jsonText).schemaTypeName == value.schemaTypeName)
    }

    @Test func prettyText() {
        let value: JSONValue = ["a": [1, 2], "b": [:] as JSONValue, "c": "x"]
        #expect(value.prettyJSONText == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": \"x\"\n}")
    }
}
