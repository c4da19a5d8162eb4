@testable import RecordBatch
import StitchAPI
import RecordInput
import Testing

/// The loader reads most records straight into the columns (`FlatRecordReader`) and types the
/// columns from facts noted while appending (`SchemaInference.apply`). These tests hold it to the
/// way it read them before: every line parsed to a `JSONValue` tree by `JSONParser`, appended by
/// `RecordBatch.appendRecord`, then a second pass over the cells (`SchemaInference.infer`).
struct FlatRecordReaderTests {
    /// The batch the tree-based loader made of these lines, and the lines it refused.
    static func treeLoad(_ lines: [[UInt8]], tableName: String) -> (batch: RecordBatch, badLines: [Int]) {
        var batch = RecordBatch(tableName: tableName)
        var index: [String: Int] = [:]
        var badLines: [Int] = []
        for (number, var line) in lines.enumerated() {
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if case .object(let data)? = try? JSONParser.parse(line) {
                batch.appendRecord(data, columnIndex: &index)
            } else {
                badLines.append(number + 1)
            }
        }
        SchemaInference.infer(&batch, fromText: false)
        if batch.columnIndex(named: "id") != nil { try? batch.apply(.setKeyNames(["id"])) }
        return (batch, badLines)
    }

    static func expectSameAsTree(_ lines: [[UInt8]], seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = Array(lines.joined(separator: [0x0A]))
        let loaded = RecordFileLoader.load(bytes: file, name: "random.jsonl")
        let tree = treeLoad(lines, tableName: "random")
        #expect(loaded.problems.map(\.line) == tree.badLines, "seed \(seed)", sourceLocation: sourceLocation)
        #expect(loaded.batch.columns.map(\.name) == tree.batch.columns.map(\.name), "seed \(seed)", sourceLocation: sourceLocation)
        #expect(loaded.batch.columns.map(\.type) == tree.batch.columns.map(\.type), "seed \(seed)", sourceLocation: sourceLocation)
        #expect(loaded.batch.rowCount == tree.batch.rowCount, "seed \(seed)", sourceLocation: sourceLocation)
        guard loaded.batch == tree.batch else {
            // Name the first cell that differs (the batches compare their cells' representation).
            for column in loaded.batch.columns.indices where column < tree.batch.columns.count {
                for row in 0..<min(loaded.batch.rowCount, tree.batch.rowCount)
                where loaded.batch[row, column] != tree.batch[row, column] {
                    Issue.record("seed \(seed): row \(row), column \(loaded.batch.columns[column].name): \(loaded.batch[row, column]) read straight, \(tree.batch[row, column]) by the tree",
                                 sourceLocation: sourceLocation)
                    return
                }
            }
            Issue.record("seed \(seed): the batches differ (in how their cells are held)", sourceLocation: sourceLocation)
            return
        }
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func randomLinesLoadAsTheTreeLoadedThem(seed: UInt64) {
        var generator = RecordLineGenerator(seed: seed)
        let lines = (0..<150).map { _ in generator.line() }
        Self.expectSameAsTree(lines, seed: seed)
    }

    /// The comparisons above mean something only if most lines are read straight: which ones are.
    @Test func theReaderTakesFlatAndNestedRecordsAndLeavesTheRestToTheTree() {
        var reader = FlatRecordReader()
        var batch = RecordBatch(tableName: "t")
        var index: [String: Int] = [:]
        var facts: [SchemaInference.ColumnFacts] = []
        func reads(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { reader.append($0, to: &batch, columnIndex: &index, facts: &facts) }
        }
        #expect(reads(#"{"id":1,"name":"Finn 123","score":1.5,"ok":true,"at":"2026-11-05T12:10:00Z","n":null}"#))
        #expect(reads(#" { "id" : 2 , "name":"\u00e9\n", "o":{"a":[1]}, "a":[] } "#))
        #expect(reads("{}"))
        #expect(reads(#"{"id":9223372036854775808,"score":-0.0,"big":1e999}"#))
        #expect(!reads(#"{"id":1,"id":2}"#), "a repeated key")
        #expect(!reads(#"{"id":1,"\u0069d":2}"#), "a repeated key, spelled with an escape")
        #expect(!reads(#"{"id":1,"#), "cut off")
        #expect(!reads(#"[1]"#), "not an object")
        #expect(!reads(#"{"id":01}"#), "a leading zero")
        #expect(!reads(#"{"new":1,"other":}"#), "a bad line after a new key")
        #expect(batch.rowCount == 4)
        #expect(batch.columns.map(\.name) == ["id", "name", "score", "ok", "at", "n", "o", "a", "big"],
                "the new key of the bad line made no column")
        #expect(batch[1, 1] == .string("é\n"))
        #expect(batch[2, 0] == .absent)
        #expect(batch[3, 0] == .number(9223372036854775808))
    }

    @Test func numbersReadAsDoubleReadsTheirText() {
        var random = SplitMix64(seed: 77)
        var lines: [[UInt8]] = []
        for id in 0..<4000 {
            let literal = RecordLineGenerator.randomNumber(&random)
            lines.append(Array("{\"id\":\(id),\"x\":\(literal)}".utf8))
        }
        Self.expectSameAsTree(lines, seed: 77)
    }

    @Test func stringsAndKeysWithEscapesUnicodeAndBadBytes() {
        let texts: [String] = [
            #"{"id":1,"s":"plain","t":"tab\there \"quoted\" back\\slash \/ \b\f\n\r","u":"\u00e9\u4e2d\ud83d\ude00\u0000"}"#,
            #"{"id":2,"s":"café","t":"日本語のテキスト","u":"😀 emoji and more than eight bytes"}"#,
            #"{"\u0069d":3,"s":"12345678","t":"123456789","u":""}"#,
            "{\"id\":4,\"\u{E9}\":\"precomposed\",\"e\u{301}\":\"decomposed: the same key to a String\"}",
            #"{"id":5,"e\u0301":"an escaped decomposed é"}"#,
            #"{"id":6,"s":"\ud800 lone high surrogate"}"#,
            #"{"id":7,"s":"\udc00 lone low surrogate"}"#,
            #"{"id":8,"s":"\x"}"#,
            #"{"id":9,"s":"\u12"}"#,
            "{\"id\":10,\"s\":\"raw\ttab\"}",
            #"{"id":11,"s":"a","s":"a repeated key"}"#,
            #"{"id":12,"id":13}"#,
            #"{"id":14,"a\"b":1,"a\\b":2,"a/b":3,"a\/b":4}"#,
            #"{"id":15,"s":"unterminated}"#,
            #"{"id":16,"s":"\""#,
            #"{"id":17,"s":"\ud83d\u0041"}"#,
        ]
        var lines = texts.map { Array($0.utf8) }
        // Bytes that are not UTF-8, in a value and in a key, and well-formed ones at the edges.
        let badSequences: [[UInt8]] = [
            [0xFF], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80],
            [0xF0, 0x80, 0x80, 0x80], [0x80], [0xC3, 0x28], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
            [0xED, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xF0, 0x90, 0x80, 0x80], [0xC2, 0x80], [0xDF, 0xBF],
        ]
        for (offset, bytes) in badSequences.enumerated() {
            lines.append(Array("{\"id\":\(100 + offset),\"s\":\"ab".utf8) + bytes + Array("cd\"}".utf8))
            lines.append(Array("{\"id\":\(200 + offset),\"k".utf8) + bytes + Array("\":1}".utf8))
            lines.append(Array("{\"id\":\(300 + offset),\"s\":\"\\n".utf8) + bytes + Array("\"}".utf8))
        }
        Self.expectSameAsTree(lines, seed: 0)
    }

    @Test func nestedValuesAndDeepNesting() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let tooDeep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let texts: [String] = [
            #"{"id":1,"o":{"a":[1,{"b":null}],"s":"x}]\"{["},"a":[1,"x",2.5,true]}"#,
            #"{"id":2,"o":{},"a":[]}"#,
            #"{"id":3,"o":{"a":1,"a":2},"a":[[[]]]}"#,
            #"{"id":4,"o":{"a":1,},"a":[1]}"#,
            #"{"id":5,"o":{"a":1}} "#,
            #"{"id":6,"o":{"a":[1}]}"#,
            "{\"id\":7,\"a\":\(deep)}",
            "{\"id\":8,\"a\":\(tooDeep)}",
            #"{"id":9,"o":"now a string","a":null}"#,
            #"{"id":10,"o":{"x":"\ud800"}}"#,
        ]
        Self.expectSameAsTree(texts.map { Array($0.utf8) }, seed: 0)
    }

    @Test func columnsTypedWhileLoadingMatchTheSecondPass() {
        let texts: [String] = [
            #"{"id":1,"when":"2026-01-31T12:00:00Z","mixed":1,"n":null,"big":1e999,"f":1.5,"i":1,"d2":"2026-01-31T12:00:00Z"}"#,
            #"{"id":2,"when":"2026-02-01t00:00:00.5+01:00","mixed":"2026-01-01T00:00:00Z","n":null,"big":2,"f":2,"i":null}"#,
            #"{"id":3,"when":null,"mixed":2.5,"big":null,"d2":"2026-02-30T12:00:00Z","late":"2026-01-31T12:00:00Z"}"#,
            #"{"id":4,"when":"2026-03-01T00:00:00-0500","big":-1e999,"late":true}"#,
        ]
        Self.expectSameAsTree(texts.map { Array($0.utf8) }, seed: 0)
        let loaded = RecordFileLoader.load(bytes: Array(texts.joined(separator: "\n").utf8), name: "t.jsonl")
        let batch = loaded.batch
        #expect(batch.columns[Fixtures.column(batch, "when")].type == ColumnType([.string], isNullable: true, format: "date-time"))
        #expect(batch[0, Fixtures.column(batch, "when")] == .dateTime("2026-01-31T12:00:00Z"))
        #expect(batch.columns[Fixtures.column(batch, "d2")].type == ColumnType([.string], isNullable: false))
        #expect(batch[0, Fixtures.column(batch, "big")] == .null, "retypeColumn's conversion of an infinite number, as before")
    }

    @Test func aJSONArrayOfRecordsLoadsAsTheTreeLoadedIt() {
        var generator = RecordLineGenerator(seed: 99)
        let lines = (0..<200).map { _ in generator.line() }.filter {
            if case .object? = try? JSONParser.parse($0) { return true }
            return false
        }
        let array = Array("[\n".utf8) + Array(lines.joined(separator: Array(",\n".utf8))) + Array("\n]".utf8)
        let loaded = RecordFileLoader.load(bytes: array, name: "random.json")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.batch == Self.treeLoad(lines, tableName: "random").batch)
    }

    @Test func theUTF8CheckAgreesWithStringValidation() {
        for first in 0...255 {
            for second in 0...255 {
                let bytes: [UInt8] = [UInt8(first), UInt8(second)]
                let valid = bytes.withUnsafeBufferPointer { JSONLexing.isValidUTF8($0) }
                #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            }
        }
        var random = SplitMix64(seed: 5)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                                    0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<50_000 {
            let bytes = (0..<(1 + random.below(5))).map { _ in interesting[random.below(interesting.count)] }
            let valid = bytes.withUnsafeBufferPointer { JSONLexing.isValidUTF8($0) }
            #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }
}

/// Random JSONL lines: mostly records whose columns keep a type (so that inference has something
/// to find), with every kind of value JSON has, odd spacing, and now and then a broken line.
struct RecordLineGenerator {
    var random: SplitMix64
    /// Per key, which values it takes in this file.
    private var profiles: [Int]

    static let keys: [String] = [
        #"id"#, #"name"#, #"when"#, #"score"#, #"ok"#, #"meta"#, #"tags"#, #"note"#, #"caf\u00e9"#, #"café"#,
        #"a\"quoted\" key"#, #"n"#, #"big"#, #"\u0069d"#, #"a key longer than sixteen bytes"#,
    ]

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        var profiles: [Int] = []
        for _ in Self.keys { profiles.append(0) }
        self.profiles = profiles
        for index in profiles.indices { self.profiles[index] = random.below(9) }
    }

    mutating func line() -> [UInt8] {
        switch random.below(40) {
        case 0: return brokenLine()
        case 1: return Array(["[1,2]", "3", "\"s\"", "null", "   ", "", "{}", " {\t} ", "{\"id\":1}\r"][random.below(9)].utf8)
        default: break
        }
        var members: [String] = []
        for (index, key) in Self.keys.enumerated() where random.below(4) != 0 {
            members.append(space() + "\"" + key + "\"" + space() + ":" + space() + value(profile: profiles[index]) + space())
        }
        if random.below(25) == 0, !members.isEmpty { members.append(members[random.below(members.count)]) }
        if random.below(8) == 0 {
            for index in members.indices.reversed() { members.swapAt(index, random.below(index + 1)) }
        }
        return Array((space() + "{" + members.joined(separator: ",") + "}" + space()).utf8)
    }

    private mutating func brokenLine() -> [UInt8] {
        var bytes = Array("{\"id\":\(random.below(100)),\"name\":\"x\(random.below(100))\",\"score\":1.5}".utf8)
        switch random.below(3) {
        case 0: bytes.removeLast(1 + random.below(bytes.count - 1))
        case 1: bytes.insert([0xFF, 0xC3, 0x80, 0x2C, 0x5D][random.below(5)], at: random.below(bytes.count))
        default: bytes.insert(UInt8(ascii: "\\"), at: 1 + random.below(bytes.count - 1))
        }
        return bytes
    }

    private mutating func space() -> String {
        switch random.below(12) {
        case 0: " "
        case 1: "\t"
        case 2: " \r "
        default: ""
        }
    }

    private mutating func value(profile: Int) -> String {
        if random.below(15) == 0 { return "null" }
        switch profile {
        case 0: return dates[random.below(dates.count - 1)]  // valid date-times only
        case 1: return String(Int64(bitPattern: random.next()) >> random.below(64))
        case 2: return random.below(2) == 0 ? String(random.below(1000)) : Self.randomNumber(&random)
        case 3: return strings[random.below(strings.count)]
        case 4: return random.below(2) == 0 ? "true" : "false"
        case 5: return nested[random.below(nested.count)]
        case 6: return dates[random.below(dates.count)]  // now and then one that is not
        case 7: return integers[random.below(integers.count)]
        default: return anyValue()
        }
    }

    private mutating func anyValue() -> String {
        let pools = [dates, strings, nested, integers, ["true", "false", "null"]]
        let pool = pools[random.below(pools.count)]
        return random.below(6) == 0 ? Self.randomNumber(&random) : pool[random.below(pool.count)]
    }

    private let dates = [
        #""2026-01-31T12:00:00Z""#, #""2026-02-01t00:00:00.123456789+01:00""#, #""2026-11-05T12:34:56-0800""#,
        #""2024-02-29T23:59:59.5z""#, #""2026-02-30T12:00:00Z""#,
    ]
    private let strings = [
        #""""#, #""a""#, #""12345678""#, #""123456789""#, #""Marceline 123456""#, #""café""#, #""日本""#,
        #""\u00e9\ud83d\ude00""#, #""tab\tnew\nline \\ \" \/ \b\f\r""#, #""\u0000""#, #""😀😀""#, #""{\"not\":\"nested\"}""#,
        #""true""#, #""2026""#,
    ]
    private let nested = [
        "{}", "[]", #"{"a":[1,{"b":null}],"s":"}]"}"#, #"[1,"x",2.5,true,null]"#, "[[[]]]", #"{ "k" : 1 , "k" : 2 }"#,
        #"{"e":"\u00e9"}"#, "[1e999]",
    ]
    private let integers = [
        "0", "-0", "42", "-17", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890", "1000000000000000000",
    ]

    /// A JSON number literal: integers, decimals and exponents of any size, fixed edge cases.
    static func randomNumber(_ random: inout SplitMix64) -> String {
        let fixed = [
            "1.5", "-0.0", "0.1", "0.30000000000000004", "1e5", "1E-7", "2.5e+3", "1e999", "-1e999", "5e-324",
            "1e-400", "17976931348623157e292", "0.000001", "123456789012345.6", "9007199254740993.0",
            "0.0000000000000000000000001", "1e22", "1e23", "1e-22", "1e-23", "4.35", "0e0", "-0e-0", "1e0000000000000000005",
        ]
        if random.below(4) == 0 { return fixed[random.below(fixed.count)] }
        var text = random.below(3) == 0 ? "-" : ""
        let integerDigits = 1 + random.below(20)
        text += String(1 + random.below(9))
        for _ in 1..<integerDigits { text += String(random.below(10)) }
        if random.below(5) == 0 { text = text.hasPrefix("-") ? "-0" : "0" }
        if random.below(3) != 0 {
            text += "."
            for _ in 0..<(1 + random.below(18)) { text += String(random.below(10)) }
        }
        if random.below(3) == 0 {
            text += ["e", "E"][random.below(2)] + ["", "+", "-"][random.below(3)] + String(random.below(40))
        }
        return text
    }
}
