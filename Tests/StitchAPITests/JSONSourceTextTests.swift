import StitchAPI
import Testing

@Suite("JSON source text")
struct JSONSourceTextTests {
    func texts(_ document: String) -> [String?]? {
        let bytes = Array(document.utf8)
        return JSONSourceText.elementMemberRanges(in: bytes, array: "messages", member: "data")?
            .map { $0.map { JSONSourceText.compact(bytes, $0) } }
    }

    @Test("Each message's data as written: numbers keep their text, whitespace between tokens goes")
    func messageData() {
        let document = #"""
            { "table_name" : "t", "schema": {"messages": [1]},
              "messages" : [
                {"action": "upsert", "data": { "a" : 1.0, "b": [1e3, -0.0, 12345678901234567890.5] , "c": "x y \" \\ \u00e9"}},
                {"action": "activate_version"},
                7,
                {"data": {"nested": {"data": 1}}, "d\u0061ta": {"last": true}},
                {"data": {}}
              ]
            }
            """#
        #expect(texts(document) == [
            #"{"a":1.0,"b":[1e3,-0.0,12345678901234567890.5],"c":"x y \" \\ \u00e9"}"#,
            nil,
            nil,
            // A repeated key counts by its last occurrence, escaped or not, as in the parsed value.
            #"{"last":true}"#,
            "{}",
        ])
    }

    @Test("A repeated top-level array counts by its last occurrence; no array or no object gives nil")
    func missing() {
        #expect(texts(#"{"messages":[{"data":1}],"messages":[{"data":2}]}"#) == ["2"])
        #expect(texts(#"{"messages":[]}"#) == [])
        #expect(texts(#"{"other":[]}"#) == nil)
        #expect(texts(#"{"messages":{}}"#) == nil)
        #expect(texts("[]") == nil)
    }

    @Test("Damaged text gives nil or what it can, never a crash", arguments: [
        #"{"messages":[{"data":{"a":1}"#, #"{"messages":[{"data":"#, #"{"messages":[{"data":"abc\"#, "{", "", "\"", #"{"messages"#,
        #"{"messages":[{"data":{"a":1}},"#, #"{"messages":[{"data":{"a":1}}}"#,
    ])
    func damaged(document: String) {
        _ = texts(document)
        let bytes = Array(document.utf8)
        _ = JSONSourceText.compact(bytes, 0..<bytes.count)
        #expect(JSONSourceText.compact(bytes, 0..<(bytes.count + 5)) == "")
    }
}
