import StitchAPI
import StitchTestSupport
import Testing

/// The scanner must accept exactly what `JSONParser` accepts and count data points as
/// `DataPoints` does, since `push` trusts it instead of parsing.
struct JSONTextScannerTests {
    @Test func agreesWithTheParserOnFixedCases() {
        let cases = [
            #"{}"#, #"[]"#, #"{"a":1}"#, #" {"a" : [1, 2.5e-3, -0, true, false, null, "x"]} "#, #"{"a":{"b":{"c":[]}}}"#,
            #"{"a":"\u00e9\n\"\\\/"}"#, #"{"a":"\ud83d\ude00"}"#, #"{"a":"\ud83d"}"#, #"{"a":"\ude00"}"#, #"{"a":01}"#,
            #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":1E+2}"#, #"{"a":tru}"#, #"{"a":nul}"#,
            #"{"a":1,}"#, #"{"a" 1}"#, #"{a:1}"#, #"[1,]"#, #"[1 2]"#, #"{"a":1}x"#, #""abc"#, "{\"a\":\"tab\there\"}",
            #"{"a":"\x"}"#, #"{"a":"\u12"}"#, "{\"é\":\"ü\"}", #"{"a":[[[[]]]]}"#, "", " ", #"{"a":1}{"#, "123", "-12.5E7",
        ]
        for text in cases {
            check(Array(text.utf8))
        }
    }

    @Test func agreesWithTheParserOnInvalidUTF8() {
        for bytes: [UInt8] in [[0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC2, 0xA9],
                               [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xFF], [0xC0, 0xAF]] {
            check(Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8))
        }
    }

    @Test func agreesWithTheParserOnRandomDocumentsAndTheirMutations() {
        var random = SplitMix64(seed: 0x5eed_2026)
        for _ in 0..<3_000 {
            let text = Array(randomValue(&random, depth: 0).utf8)
            check(text)
            // Break it: drop, duplicate or change one byte.
            var broken = text
            let index = Int(random.next() % UInt64(broken.count))
            switch random.next() % 3 {
            case 0: broken.remove(at: index)
            case 1: broken.insert(broken[index], at: index)
            default:
                let replacements = Array(#"{}[],:"\-.e0 a"#.utf8)
                broken[index] = replacements[Int(random.next() % UInt64(replacements.count))]
            }
            check(broken)
        }
    }

    @Test func aRepeatedKeyCountsEveryValueNeverFewerThanTheParserKeeps() throws {
        let text = Array(#"{"a":[1,2,3],"a":4}"#.utf8)
        #expect(try JSONTextScanner.scan(text).dataPoints == 4)
        #expect(DataPoints.count(in: try JSONParser.parse(text)) == 1)
    }

    @Test func findsTopLevelMembersWithEscapedKeysAndLastOneWins() throws {
        let text = Array(#"{"id":1,"n\u0061me":"x","nested":{"id":2},"id":3,"nothing":null}"#.utf8)
        let scan = try JSONTextScanner.scan(text, members: [Array("id".utf8), Array("name".utf8), Array("nothing".utf8), Array("absent".utf8)])
        #expect(scan.members.count == 4)
        #expect(scan.members[0].map { String(decoding: text[$0.valueRange], as: UTF8.self) } == "3")
        #expect(scan.members[1].map { String(decoding: text[$0.valueRange], as: UTF8.self) } == #""x""#)
        #expect(scan.members[2]?.kind == .null)
        #expect(scan.members[3] == nil)
    }

    @Test func sliceOffsetsAreIndicesOfTheSlice() throws {
        let text = Array(#"xxxx{"id":12}yy"#.utf8)
        let slice = text[4..<13]
        let scan = try JSONTextScanner.scan(slice, members: [Array("id".utf8)])
        let member = try #require(scan.members[0])
        #expect(String(decoding: slice[member.valueRange], as: UTF8.self) == "12")
        #expect(scan.valueRange == 4..<13)
    }

    private func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let parsed = try? JSONParser.parse(bytes)
        let scanned = try? JSONTextScanner.scan(bytes)
        let shown = String(decoding: bytes, as: UTF8.self)
        #expect((parsed != nil) == (scanned != nil), "parser \(parsed != nil), scanner \(scanned != nil): \(shown)",
                sourceLocation: sourceLocation)
        if let parsed, let scanned {
            #expect(scanned.dataPoints == DataPoints.count(in: parsed, limit: .max), "data points of \(shown)",
                    sourceLocation: sourceLocation)
        }
    }

    private func randomValue(_ random: inout SplitMix64, depth: Int) -> String {
        let choice = random.next() % (depth > 3 ? 6 : 8)
        switch choice {
        case 0: return "null"
        case 1: return random.next() % 2 == 0 ? "true" : "false"
        case 2: return String(Int64(bitPattern: random.next()) % 100_000)
        case 3: return ["0.5", "-1.25e3", "3E-2", "0", "-0.0", "12345678901234567890"][Int(random.next() % 6)]
        case 4, 5: return randomString(&random)
        case 6:
            let count = Int(random.next() % 4)
            return "[" + (0..<count).map { _ in randomValue(&random, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            // Distinct keys: with a repeated key the parser keeps only the last value (see below).
            let count = Int(random.next() % 4)
            return "{" + (0..<count).map { index in "\"k\(index)" + randomString(&random).dropFirst() + ":" + randomValue(&random, depth: depth + 1) }
                .joined(separator: ",") + "}"
        }
    }

    private func randomString(_ random: inout SplitMix64) -> String {
        let pieces = ["a", "Z", " ", "é", "😀", "\\n", "\\\"", "\\u00e9", "\\\\", "\\/", "\\ud83d\\ude00"]
        let count = Int(random.next() % 5)
        return "\"" + (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined() + "\""
    }
}
