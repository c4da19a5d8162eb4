import StitchAPI
import Testing
@testable import StitchSandbox

@Suite("Transit decoding")
struct TransitDecoderTests {
    private func decode(_ text: String) throws -> JSONValue {
        try TransitDecoder.decode(try JSONParser.parse(text))
    }

    @Test("stitchclient's wire example (spec §5.2): maps, cached keys, timestamps, decimals")
    func stitchclientExample() throws {
        let decoded = try decode(#"""
            [["^ ","action","upsert","table_name","customers","key_names",["id"],"sequence",1,"data",["^ ","id",1,"name","Finn","when","~m1577836800000","amt","~f1.50","nested",["^ ","a",1],"arr",[1,2]],"client_id",7723],["^ ","^0","upsert","^1","orders","^2",["id"],"^3",2,"^4",["^ ","id",9],"^8",7723]]
            """#)
        let expected: JSONValue = [
            ["action": "upsert", "table_name": "customers", "key_names": ["id"], "sequence": 1,
             "data": ["id": 1, "name": "Finn", "when": "2020-01-01T00:00:00.000000Z", "amt": 1.5, "nested": ["a": 1],
                      "arr": [1, 2]],
             "client_id": 7723],
            ["action": "upsert", "table_name": "orders", "key_names": ["id"], "sequence": 2, "data": ["id": 9],
             "client_id": 7723],
        ]
        #expect(decoded.jsonText == expected.jsonText)
    }

    @Test("Scalars and escapes", arguments: [
        (#""~~tilde""#, JSONValue.string("~tilde")), (#""~^caret""#, "^caret"), (#""~`grave""#, "`grave"),
        (#""~_""#, nil), (#""~?t""#, true), (#""~?f""#, false), (#""~i9007199254740993""#, 9_007_199_254_740_993),
        (#""~n12""#, 12), (#""~d2.5""#, 2.5), (#""~:keyword""#, "keyword"), (#""~$symbol""#, "symbol"),
        (#""~u531a379e-31bb-4ce1-8690-158dceb64be6""#, "531a379e-31bb-4ce1-8690-158dceb64be6"),
        (#""~m-1""#, "1969-12-31T23:59:59.999000Z"), (#""plain""#, "plain"), (#"["~#'","quoted"]"#, "quoted"),
    ])
    func scalars(text: String, expected: JSONValue) throws {
        #expect(try decode(text) == expected)
    }

    @Test("Tagged collections and verbose maps")
    func collections() throws {
        #expect(try decode(#"["~#set",[1,2]]"#) == [1, 2])
        #expect(try decode(#"["~#list",["~:a"]]"#) == ["a"])
        #expect(try decode(#"["~#cmap",[["~#list",[1]],"x","~:k",2]]"#) == ["[1]": "x", "k": 2])
        #expect(try decode(#"{"~:a":1,"b":{"~#set":[3]}}"#) == ["a": 1, "b": [3]])
    }

    @Test("Tags and keywords are cached even outside map keys")
    func cachedTags() throws {
        #expect(try decode(#"[["~#set",[1]],["^0",[2]],"~:long-keyword","^1"]"#) == [[1], [2], "long-keyword", "long-keyword"])
    }

    @Test("Two-character cache codes, after 44 entries")
    func twoCharacterCodes() throws {
        // 45 distinct map keys fill codes ^0 … ^[ (one character) and ^10 (two characters).
        let keys = (0..<45).map { "key\($0)" }
        let first = "[\"^ \"," + keys.map { "\"\($0)\",0" }.joined(separator: ",") + "]"
        let decoded = try decode("[\(first),[\"^ \",\"^10\",1,\"^0\",2]]")
        #expect(decoded.arrayValue?.last == ["key44": 1, "key0": 2])
    }

    @Test("Bad input is refused with a reason", arguments: [
        (#"["^ ","^0",1]"#, "The transit cache reference ^0 comes before its value"),
        (#"["^ ","a"]"#, "A transit map has a key without a value"),
        (#"["~#nope",1]"#, "Unknown transit tag ~#nope"),
        (#""~xvalue""#, "Unknown transit value ~xvalue"),
        (#""~?maybe""#, "Bad transit value ~?maybe"),
    ])
    func refused(text: String, reason: String) throws {
        #expect(throws: TransitDecoder.Failure(message: reason)) { try decode(text) }
    }
}
