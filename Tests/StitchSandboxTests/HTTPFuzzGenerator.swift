import Foundation
import StitchTestSupport

/// JSON as the fuzzer writes it, including what JSON cannot hold: number literals written verbatim
/// (`1e999`, `9223372036854775808`), and raw bytes (invalid UTF-8, lone surrogate escapes, broken syntax).
indirect enum FuzzJSON: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([FuzzJSON])
    /// Keys are values too, so a key can be raw bytes.
    case object([(key: FuzzJSON, value: FuzzJSON)])
    case raw([UInt8])

    static func integer(_ value: Int) -> FuzzJSON { .number(String(value)) }
    static func members(_ pairs: [(String, FuzzJSON)]) -> FuzzJSON { .object(pairs.map { (.string($0.0), $0.1) }) }

    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output)
        return output
    }

    func write(into output: inout [UInt8]) {
        switch self {
        case .null: output += Array("null".utf8)
        case .bool(let value): output += Array((value ? "true" : "false").utf8)
        case .number(let text): output += Array(text.utf8)
        case .string(let text): Self.writeString(text, into: &output)
        case .raw(let bytes): output += bytes
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                member.key.write(into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += Array(#"\""#.utf8)
            case "\\": output += Array(#"\\"#.utf8)
            case _ where scalar.value < 0x20:
                output += Array(String(format: "\\u%04x", scalar.value).utf8)
            default: output += Array(String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The member named `key` of an object (nil for other values or a missing key).
    subscript(key: String) -> FuzzJSON? {
        get {
            guard case .object(let members) = self else { return nil }
            return members.last { if case .string(key) = $0.key { true } else { false } }?.value
        }
        set {
            guard case .object(var members) = self else { return }
            let index = members.firstIndex { if case .string(key) = $0.key { true } else { false } }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((.string(key), value))
            case (nil, nil): break
            }
            self = .object(members)
        }
    }

    var arrayItems: [FuzzJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// Which documented endpoint a request is for: it decides which statuses are allowed (spec §2.2,
/// §3.3–§3.6). The sets are the documented ones; anything else, any other 5xx above all, is a finding.
enum FuzzEndpoint: String, Sendable {
    case connect
    case importStatus
    case importBatch
    case importValidate
    case unknownPath

    var documentedStatuses: Set<Int> {
        switch self {
        // Connect: 200 for everything that works, creates included; 400/401/404 (spec §2.2). 5xx are
        // documented as "Stitch-side problems", which a local sandbox has no excuse for.
        case .connect: [200, 400, 401, 404]
        // The health check: 200, or 503 when the API has problems (§3.2); other methods 405 (§3.1).
        case .importStatus: [200, 405, 503]
        // §3.3 and §3.6; 503 is the documented "could not store, try later".
        case .importBatch: [201, 202, 400, 401, 405, 413, 415, 503]
        // §3.4/§3.5: push's errors, and never a 503.
        case .importValidate: [200, 400, 401, 403, 405, 413, 415, 422]
        case .unknownPath: [404]
        }
    }

    /// The two documented plain-text replies (§3.3's 415, push's 405); every other reply is JSON.
    func allowsPlainText(status: Int) -> Bool {
        (self == .importBatch && status == 415) || (self == .importValidate && status == 405)
    }
}

/// Whose credentials a request carries; resolved when it is sent, so a seed replays whatever
/// tokens the run made.
enum FuzzCredential: Sendable {
    case connect
    case mainImport
    case victimImport
    case literal(String)
}

/// A header value, possibly a credential resolved at send time.
enum FuzzHeaderValue: Sendable {
    case text(String)
    case bytes([UInt8])
    case bearer(FuzzCredential, prefix: String = "Bearer ")
}

/// How the body is framed on the wire.
enum FuzzFraming: Sendable {
    /// A correct `Content-Length` is added.
    case contentLength
    /// No framing header: the headers given (if any) say what they say.
    case asGiven
    /// A correct chunked encoding of the body in pieces of this size.
    case chunked(Int)
}

/// The batch a 2xx commits the sandbox to load or reject visibly: the markers of its upserts.
struct FuzzTrackedBatch: Sendable {
    var tableName: String?
    var markers: [String]
}

/// One generated request.
struct FuzzRequest: Sendable {
    var index: Int
    var summary: String
    var endpoint: FuzzEndpoint
    /// Broken at the HTTP level: a 400 or 413 is then right whatever the endpoint.
    var isMalformedHTTP = false
    var method: String
    var target: String
    var version = "HTTP/1.1"
    var sendsHost = true
    var headers: [(name: String, value: FuzzHeaderValue)] = []
    var body: [UInt8] = []
    var framing: FuzzFraming = .contentLength
    /// Only this many bytes of the encoded request are sent (the rest is lost on the way).
    var sendOnly: Int?
    /// Half-close after sending: the server reads end-of-file and may answer or just close.
    var halfClose = false
    /// The whole request, verbatim (request-line fuzz); method, target and headers then only describe it.
    var raw: [UInt8]?
    var tracked: FuzzTrackedBatch?
    /// The server must answer something: false for requests cut short, where closing is fine too.
    var requiresReply = true
    /// Sent right after the request, in the same write.
    var trailing: [UInt8] = []
    /// A client that stops sending: only sent when the sandbox has short timeouts to end it.
    var stall: FuzzStall?
    var isHead: Bool { method == "HEAD" && raw == nil }
}

/// How a stalled request stops: the server's timeouts must end each (reply or close), and soon.
enum FuzzStall: Sendable {
    /// Connects and sends nothing.
    case silent
    /// Part of the request head, then nothing.
    case head
    /// The head and part of the body, then nothing.
    case body
    /// The head one byte at a time, slower than the head timeout allows.
    case trickle
}

/// What the generator needs to know of the running sandbox. Random choices never depend on it, so
/// a seed gives the same requests on every run.
struct FuzzContext: Sendable {
    var mainSourceID: Int
    var victimSourceID: Int
    var clientID: Int
}

/// Seeded generator of malformed and odd requests for every endpoint of both APIs.
struct HTTPFuzzGenerator {
    private(set) var random: SplitMix64
    let context: FuzzContext

    init(seed: UInt64, context: FuzzContext) {
        random = SplitMix64(seed: seed)
        self.context = context
    }

    // MARK: Random helpers

    private mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }
    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    private mutating func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    // MARK: Requests

    mutating func request(_ index: Int) -> FuzzRequest {
        var request: FuzzRequest
        switch number(0...99) {
        case 0..<45: request = batchRequest(index)
        case 45..<57: request = validateRequest(index)
        case 57..<80: request = connectRequest(index)
        case 80..<86: request = statusOrUnknownRequest(index)
        case 86..<88: return stalledRequest(index)
        default: request = batchRequest(index)
        }
        // About a third of requests are also broken at the HTTP level.
        if chance(0.33) { breakHTTP(&request) }
        return request
    }

    // MARK: POST /v2/import/batch

    /// Table names: ordinary ones, case variants, SQLite's reserved prefix, Stitch's own, odd Unicode.
    private static let tableNames: [String] = [
        "orders", "Orders", "ORDERS", "order items", "customers", "sqlite_master", "sqlite_sequence", "sqlite_x",
        "SQLITE_Stat1", "_sdc_rejected", "_SDC_REJECTED", "_stitch_sandbox_state", "tablé", "表", "emoji😀",
        "a\u{0}b", "", " ", "123", "a-b.c", String(repeating: "t", count: 70), "\u{202E}rtl", "name\"quote",
        "semi;drop table x", "o'brien", "\u{FEFF}bom", "e\u{301}", "É", "é",
    ]

    /// Field names that may collide, be reserved, or be odd.
    private static let oddFieldNames: [String] = [
        "", "\u{0}", "ID", "Id", "__sdc_primary_key", "_sdc_sequence", "_sdc_batched_at", "_SDC_RECEIVED_AT",
        "address__city", "名前", "emoji😀", String(repeating: "f", count: 70), String(repeating: "g", count: 300),
        "rowid", "oid", "_rowid_", "select", "\"", "a b", "a.b", "\u{7F}", "\u{1}", "Marker",
    ]

    /// Patterns that make a backtracking regex engine take exponential time on a near-miss input.
    private static let catastrophicPatterns: [(pattern: String, input: String)] = [
        ("^(a+)+$", String(repeating: "a", count: 34) + "!"),
        ("^(a|aa)+$", String(repeating: "a", count: 44) + "!"),
        ("^(\\w+\\s?)*$", String(repeating: "word ", count: 8) + String(repeating: "x", count: 20) + "!"),
        ("(x+x+)+y", String(repeating: "x", count: 36)),
        ("^(a|a?)+$", String(repeating: "a", count: 30) + "b"),
        ("^([a-zA-Z0-9]+)*@$", String(repeating: "a1", count: 18) + "!"),
    ]

    private mutating func batchRequest(_ index: Int) -> FuzzRequest {
        var notes: [String] = []
        let versioned = chance(0.05)
        var table = versioned ? "versioned_\(index)" : pick(Self.tableNames)
        if !versioned, chance(0.2) { table += "_\(number(0...3))" }
        let keyChoice = number(0...9)
        let keyNames: FuzzJSON? = keyChoice < 7 ? .array([.string("id")]) : keyChoice < 9 ? nil : .array([])
        var properties: [(String, FuzzJSON)] = [("id", .members([("type", .string("integer"))])),
                                                ("marker", .members([("type", .string("string"))]))]
        let extras = ["name", "amount", "active", "created", "tags", "address", "note"].filter { _ in chance(0.5) }
        for field in extras { properties.append((field, Self.fieldSchema(field))) }
        let recordCount = number(1...4)
        var messages: [FuzzJSON] = []
        let tableVersion = versioned ? number(1...1_000_000) : nil
        for position in 0..<recordCount {
            var data: [(String, FuzzJSON)] = [("id", .integer(index * 100 + position)),
                                              ("marker", .string(Self.marker(index, position)))]
            for field in extras { data.append((field, fieldValue(field))) }
            var message: [(String, FuzzJSON)] = [("action", .string("upsert")),
                                                 ("sequence", .integer(1_700_000_000_000 + index * 100 + position)),
                                                 ("data", .members(data))]
            if chance(0.1) { message.append(("time_extracted", .string("2024-02-29T23:59:59.999999Z"))) }
            messages.append(.members(message))
        }
        var schema = FuzzJSON.members([("properties", .members(properties))])
        if chance(0.5) { schema["type"] = .string("object") }
        var envelope = FuzzJSON.members([("table_name", .string(table)), ("schema", schema),
                                         ("messages", .array(messages))])
        if let keyNames { envelope["key_names"] = keyNames }
        if let tableVersion {
            envelope["table_version"] = .integer(tableVersion)
            envelope["messages"] = .array(messages + [.members([("action", .string("activate_version")),
                                                                ("sequence", .integer(1_800_000_000_000 + index))])])
            notes.append("table_version \(tableVersion) + activate_version")
        }
        // Keys other than the unique `id` may merge records legitimately: then no marker is promised.
        var keysStayID = true
        var syntaxBroken = false
        for _ in 0..<number(0...3) {
            let outcome = mutateBatch(&envelope, index: index)
            notes.append(outcome.note)
            if outcome.changesKeys { keysStayID = false }
        }
        var body = envelope.bytes
        if chance(0.06) {
            body = breakSyntax(body, notes: &notes)
            syntaxBroken = true
        }
        var request = FuzzRequest(index: index, summary: "", endpoint: .importBatch, method: "POST",
                                  target: "/v2/import/batch")
        request.headers = [("Authorization", .bearer(importCredential(&notes))), ("Content-Type", .text(batchContentType(&notes)))]
        request.body = body
        if !syntaxBroken {
            let markers = keysStayID ? Self.upsertMarkers(in: envelope) : []
            request.tracked = FuzzTrackedBatch(tableName: envelope["table_name"]?.stringValue, markers: markers)
        }
        request.summary = "POST /v2/import/batch table \(Self.describe(table)): " + (notes.isEmpty ? "valid" : notes.joined(separator: "; "))
        return request
    }

    static func marker(_ index: Int, _ position: Int) -> String { "fz~\(index)~\(position)~" }

    /// Markers of the messages that are upserts with a marker in their data.
    private static func upsertMarkers(in envelope: FuzzJSON) -> [String] {
        guard let messages = envelope["messages"]?.arrayItems else { return [] }
        return messages.compactMap { message in
            guard message["action"]?.stringValue == "upsert" else { return nil }
            return message["data"]?["marker"]?.stringValue
        }
    }

    private static func fieldSchema(_ field: String) -> FuzzJSON {
        switch field {
        case "name": .members([("type", .string("string"))])
        case "amount": .members([("type", .string("number"))])
        case "active": .members([("type", .string("boolean"))])
        case "created": .members([("type", .string("string")), ("format", .string("date-time"))])
        case "tags": .members([("type", .string("array")), ("items", .members([("type", .string("string"))]))])
        case "address": .members([("type", .string("object")), ("properties", .members([
            ("city", .members([("type", .string("string"))])), ("zip", .members([("type", .string("string"))]))]))])
        default: .members([("type", .array([.string("null"), .string("string")]))])
        }
    }

    private mutating func fieldValue(_ field: String) -> FuzzJSON {
        switch field {
        case "name": .string(pick(["Finn", "Jake", "", "ünïcødé", "a\u{0}b", "\u{10FFFF}", "😀😀", "line\nbreak"]))
        case "amount": .number(pick(["0", "-0", "1.5", "1e3", "123456.789", "-1e-7"]))
        case "active": .bool(chance(0.5))
        case "created": .string(pick(["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456+05:30", "1970-01-01T00:00:00Z"]))
        case "tags": .array((0..<number(0...3)).map { .string("t\($0)") })
        case "address": .members([("city", .string("Ooo")), ("zip", .string("12345"))])
        default: chance(0.5) ? .null : .string("n")
        }
    }

    /// One mutation of a batch envelope, described.
    private mutating func mutateBatch(_ envelope: inout FuzzJSON, index: Int) -> (note: String, changesKeys: Bool) {
        let messageCount = envelope["messages"]?.arrayItems?.count ?? 0
        switch number(0...21) {
        case 0:
            let key = pick(["table_name", "schema", "messages"])
            envelope[key] = nil
            return ("without \(key)", false)
        case 1:
            let key = pick(["extra", "client_id", "Table_Name", "sequence"])
            envelope[key] = .integer(1)
            return ("extraneous \(key)", false)
        case 2:
            let key = pick(["table_name", "schema", "messages", "key_names", "table_version", "bookmark_names"])
            let value: FuzzJSON = pick([.integer(123), .null, .array([]), .members([]), .string("x"), .bool(true),
                                        .array([.integer(1)]), .array([.null]), .number("1.5")])
            envelope[key] = value
            return ("\(key) = \(Self.describe(value))", key == "key_names")
        case 3, 4:
            let literal = pick(["9223372036854775807", "9223372036854775808", "-9223372036854775808",
                                "-9223372036854775809", "1e3", "1.5", "-0", "0", "-1", "1e999",
                                "123456789012345678901234567890", "1E2", "0.0"])
            let value: FuzzJSON = chance(0.85) ? .number(literal) : pick([.string("1"), .null, .bool(false)])
            let position = number(0...max(0, messageCount - 1))
            Self.setMessage(&envelope, position) { $0["sequence"] = value }
            return ("message \(position) sequence \(Self.describe(value))", false)
        case 5:
            let value: FuzzJSON = pick([.array([]), .array([.integer(1)]), .array([.null]), .array([.members([])]),
                                        .array([.string("upsert")])])
            envelope["messages"] = value
            return ("messages = \(Self.describe(value))", false)
        case 6:
            let position = number(0...max(0, messageCount - 1))
            let change = number(0...5)
            let odd: FuzzJSON = pick([.array([]), .string("x"), .null, .integer(1)])
            Self.setMessage(&envelope, position) { message in
                switch change {
                case 0: message["action"] = nil
                case 1: message["action"] = .string("delete")
                case 2: message["action"] = .string("UPSERT")
                case 3: message["action"] = .string("activate_version")
                case 4: message["data"] = nil
                default: message["data"] = odd
                }
            }
            return ("message \(position) action/data change \(change)", false)
        case 7, 8:
            // A data value that does not fit its declared type, or an extreme number.
            let position = number(0...max(0, messageCount - 1))
            let field = pick(["id", "name", "amount", "active", "created", "marker_extra"])
            let value: FuzzJSON = pick([.string("str"), .number("1.5"), .number("1e400"), .number("-1e400"),
                                        .number("99999999999999999999999"), .bool(true), .null,
                                        .string("2024-13-45T99:99:99Z"), .number("1e308"), .number("4.9e-324"),
                                        .number("123456789012345678901234567890.5"), .members([]), .array([])])
            Self.setMessage(&envelope, position) { $0["data"]?[field] = value }
            return ("message \(position) data.\(field) = \(Self.describe(value))", field == "id")
        case 9, 10:
            // An odd field name in the schema and in every record.
            let name = pick(Self.oddFieldNames)
            let value: FuzzJSON = pick([.string("v"), .integer(7), .bool(false), .null])
            if chance(0.7) {
                var schema = envelope["schema"]
                schema?["properties"]?[name] = .members([("type", .array([.string("null"), .string("string"),
                                                                          .string("integer"), .string("boolean")]))])
                envelope["schema"] = schema
            }
            for position in 0..<messageCount { Self.setMessage(&envelope, position) { $0["data"]?[name] = value } }
            return ("field \(Self.describe(name)) = \(Self.describe(value))", false)
        case 11:
            let change = number(0...5)
            switch change {
            case 0: envelope["key_names"] = .array([.string("missing")])
            case 1: envelope["key_names"] = .array([.string("id"), .string("id")])
            case 2: envelope["key_names"] = .array([.string("address")])
            case 3: envelope["key_names"] = .array([.string("ID")])
            case 4:
                envelope["key_names"] = .array([.string("id")])
                Self.setMessage(&envelope, number(0...max(0, messageCount - 1))) { $0["data"]?["id"] = nil }
            default:
                envelope["key_names"] = .array([.string("id")])
                Self.setMessage(&envelope, number(0...max(0, messageCount - 1))) { $0["data"]?["id"] = .null }
            }
            return ("key_names change \(change)", true)
        case 12, 13:
            // Schema oddities, catastrophic patterns among them.
            var schema = envelope["schema"] ?? .members([])
            let change = number(0...8)
            var note = "schema change \(change)"
            switch change {
            case 0: schema["type"] = .string("foo")
            case 1: schema["properties"] = .array([.string("id")])
            case 2: schema["properties"]?["id"] = .members([("type", .string("nope"))])
            case 3: schema["$ref"] = .string("#/definitions/missing")
            case 4: schema["required"] = .array([.string("nope")])
            case 5:
                schema["additionalProperties"] = .bool(false)
                schema["properties"]?["marker"] = nil
            case 6: schema["properties"]?["id"] = .members([("type", .string("integer")), ("minimum", .string("x"))])
            case 7: schema["properties"]?["id"] = .members([("anyOf", .array([.members([("type", .string("integer"))]),
                                                                              .members([("type", .string("string"))])]))])
            default:
                let (pattern, input) = pick(Self.catastrophicPatterns)
                schema["properties"]?["name"] = .members([("type", .string("string")), ("pattern", .string(pattern))])
                for position in 0..<messageCount { Self.setMessage(&envelope, position) { $0["data"]?["name"] = .string(input) } }
                note = "catastrophic pattern \(pattern) on \(input.count)-character input"
            }
            envelope["schema"] = schema
            return (note, false)
        case 14:
            let depth = pick([64, 500, 5_000, 100_000])
            let nested = FuzzJSON.raw(Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8))
            let inData = chance(0.6)
            if inData {
                Self.setMessage(&envelope, 0) { $0["data"]?["deep"] = nested }
            } else {
                envelope["schema"]?["properties"]?["deep"] = .raw(Array(String(repeating: "{\"a\":", count: depth).utf8)
                    + Array("{}".utf8) + Array(String(repeating: "}", count: depth).utf8))
            }
            return ("nesting depth \(depth) in \(inData ? "data" : "schema")", false)
        case 15:
            let value: FuzzJSON = pick([
                .raw(Array(#""\ud800""#.utf8)), .raw(Array(#""\udc00\ud800""#.utf8)), .raw([0x22, 0xC3, 0x28, 0x22]),
                .raw([0x22, 0xF0, 0x9F, 0x98, 0x22]), .raw([0x22, 0xED, 0xA0, 0x80, 0x22]), .raw([0x22, 0xC0, 0xAF, 0x22]),
                .string("\u{FFFF}\u{FFFE}"), .string("\u{0}\u{0}"), .raw(Array(#""\u0000""#.utf8)), .string("\u{10FFFF}"),
            ])
            let position = number(0...max(0, messageCount - 1))
            if chance(0.5) {
                Self.setMessage(&envelope, position) { $0["data"]?["name"] = value }
            } else {
                envelope["table_name"] = value
            }
            return ("odd Unicode \(Self.describe(value))", false)
        case 16:
            // A duplicate key in an object: the second value wins, or the body is refused.
            let position = number(0...max(0, messageCount - 1))
            Self.setMessage(&envelope, position) { message in
                if case .object(var members) = message {
                    members.append((.string("action"), .string("upsert")))
                    message = .object(members)
                }
            }
            return ("message \(position) with action twice", false)
        case 17:
            let count = pick([1_601, 2_001])
            var schema = envelope["schema"] ?? .members([])
            for field in 0..<count { schema["properties"]?["c\(field)"] = .members([("type", .string("integer"))]) }
            envelope["schema"] = schema
            Self.setMessage(&envelope, 0) { message in
                for field in 0..<count { message["data"]?["c\(field)"] = .integer(field) }
            }
            return ("\(count) columns", false)
        case 18:
            let size = pick([70_000, 1_100_000])
            Self.setMessage(&envelope, 0) { $0["data"]?["name"] = .string(String(repeating: "z", count: size)) }
            return ("\(size)-character string", false)
        case 19:
            let value: FuzzJSON = pick([.string("yesterday"), .string(""), .integer(5), .string("2024-02-30T00:00:00Z")])
            Self.setMessage(&envelope, 0) { $0["time_extracted"] = value }
            return ("time_extracted \(Self.describe(value))", false)
        case 20:
            // Duplicate a message: same key, same marker.
            guard var items = envelope["messages"]?.arrayItems, let first = items.first else { return ("no messages to copy", false) }
            items.append(first)
            envelope["messages"] = .array(items)
            return ("first message twice", false)
        default:
            envelope["bookmark_names"] = pick([.array([.string("id")]), .array([]), .array([.string("nope")])])
            return ("bookmark_names", false)
        }
    }

    private static func setMessage(_ envelope: inout FuzzJSON, _ position: Int, _ change: (inout FuzzJSON) -> Void) {
        guard var items = envelope["messages"]?.arrayItems, items.indices.contains(position) else { return }
        change(&items[position])
        envelope["messages"] = .array(items)
    }

    private mutating func breakSyntax(_ body: [UInt8], notes: inout [String]) -> [UInt8] {
        switch number(0...6) {
        case 0:
            let cut = number(0...max(0, body.count - 1))
            notes.append("JSON cut at byte \(cut)")
            return Array(body.prefix(cut))
        case 1:
            notes.append("garbage after the JSON")
            return body + Array(" }]garbage".utf8)
        case 2:
            notes.append("trailing comma")
            return Array(body.dropLast()) + Array(",}".utf8)
        case 3:
            notes.append("NaN")
            return Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"id\":", with: "\"id\":NaN,\"x\":").utf8)
        case 4:
            notes.append("UTF-8 BOM first")
            return [0xEF, 0xBB, 0xBF] + body
        case 5:
            notes.append("a comment")
            return Array("/* c */".utf8) + body
        default:
            notes.append("single quotes")
            return Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"", with: "'").utf8)
        }
    }

    private mutating func importCredential(_ notes: inout [String]) -> FuzzCredential {
        switch number(0...19) {
        case 0: notes.append("no token"); return .literal("")
        case 1: notes.append("wrong token"); return .literal("at_" + String(repeating: "f", count: 40))
        case 2: notes.append("Connect token"); return .connect
        case 3, 4: notes.append("victim's token"); return .victimImport
        case 5: notes.append("odd token"); return .literal(pick(["\u{0}", "a b c", String(repeating: "x", count: 5_000), "é"]))
        default: return .mainImport
        }
    }

    private mutating func batchContentType(_ notes: inout [String]) -> String {
        guard chance(0.12) else { return "application/json" }
        let type = pick(["application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/transit+json",
                         "", "application/json;", "application/jsonx", "multipart/form-data; boundary=x"])
        notes.append("Content-Type \(Self.describe(type))")
        return type
    }

    // MARK: POST /v2/import/validate

    private mutating func validateRequest(_ index: Int) -> FuzzRequest {
        var notes: [String] = []
        var request = FuzzRequest(index: index, summary: "", endpoint: .importValidate, method: "POST",
                                  target: "/v2/import/validate")
        let transit = chance(0.3)
        let client = FuzzJSON.integer(context.clientID)
        if transit {
            let bodies = [
                #"[["^ ","action","upsert","table_name","t","key_names",["id"],"sequence",1,"data",["^ ","id",1,"when","~m1577836800000","amt","~f1.50"],"client_id",CLIENT]]"#,
                #"[["^ ","^0","upsert"]]"#,
                #"[["^ ","action","upsert","table_name","t","key_names",["id"],"sequence",1,"data",["^ ","id","~#weird",[1]],"client_id",CLIENT]]"#,
                #"[["^ ","action","upsert","table_name","t","key_names",["id"],"sequence","~i99999999999999999999999","data",["^ ","id",1],"client_id",CLIENT]]"#,
                #"["~#set",[1,2]]"#, #"["^ "]"#, #"[["^ ","a"]]"#, #"[["^ ","~:kw","~$sym","~uuid","~z","~mNaN","~fnot"]]"#,
                "[" + String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000) + "]",
            ]
            let body = pick(bodies).replacingOccurrences(of: "CLIENT", with: String(context.clientID))
            request.body = Array(body.utf8)
            notes.append("Transit \(Self.describe(String(body.prefix(60))))")
            request.headers = [("Content-Type", .text("application/transit+json"))]
        } else {
            var records: [FuzzJSON] = (0..<number(1...3)).map { position in
                .members([("client_id", client), ("table_name", .string("t")), ("sequence", .integer(position + 1)),
                          ("action", .string("upsert")), ("key_names", .array([.string("id")])),
                          ("data", .members([("id", .integer(position)), ("name", .string("n"))]))])
            }
            switch number(0...12) {
            case 0: notes.append("valid")
            case 1: records[0]["client_id"] = nil; notes.append("no client_id")
            case 2: records[0]["client_id"] = .integer(1); notes.append("another client_id")
            case 3: records[0]["key_names"] = nil; notes.append("no key_names")
            case 4: records[0]["data"] = .string("x"); notes.append("data not an object")
            case 5: records[0]["sequence"] = .string("1"); notes.append("sequence a string")
            case 6: records[0]["data"]?["id"] = .null; notes.append("null key")
            case 7: records[0]["data"]?["id"] = .string(String(repeating: "k", count: 1_025)); notes.append("1025-character key")
            case 8: records[0]["table_name"] = .string(""); notes.append("blank table_name")
            case 9: records[0]["extra"] = .integer(1); notes.append("unknown key")
            case 10: records[0]["sequence"] = .number("9223372036854775808"); notes.append("sequence over int64")
            case 11: records[0]["data"] = .members([("id", .number("-9223372036854775808"))]); notes.append("int64 min key")
            default: records[0]["client_id"] = .number("1e999"); notes.append("client_id 1e999")
            }
            var body = FuzzJSON.array(records)
            if chance(0.15) {
                body = pick([.members([("a", .integer(1))]), .array([]), .array([.integer(1)]), .null, .string("x")])
                notes.append("root \(Self.describe(body))")
            }
            request.body = body.bytes
            if chance(0.08) { request.body = breakSyntax(request.body, notes: &notes) }
            let type = chance(0.1) ? pick(["text/plain", "", "application/xml", "application/json; charset=latin1"]) : "application/json"
            if type != "application/json" { notes.append("Content-Type \(Self.describe(type))") }
            request.headers = [("Content-Type", .text(type))]
        }
        request.headers.insert(("Authorization", .bearer(importCredential(&notes))), at: 0)
        request.summary = "POST /v2/import/validate: " + notes.joined(separator: "; ")
        return request
    }

    // MARK: Connect API v4

    private mutating func sourceIDText(allowMain: Bool) -> String {
        let forms = ["0", "-1", "99999999999999999999", "abc", "1.5", "%20", "9223372036854775807",
                     "-9223372036854775808", "%00", "1e3", String(repeating: "9", count: 300)]
            .filter { Int($0) != context.mainSourceID }
        switch number(0...9) {
        case 0..<5: return String(context.victimSourceID)
        case 5 where allowMain: return String(context.mainSourceID)
        default: return pick(forms)
        }
    }

    private mutating func connectRequest(_ index: Int) -> FuzzRequest {
        var notes: [String] = []
        let method: String
        let target: String
        var body: FuzzJSON?
        switch number(0...13) {
        case 0:
            method = pick(["GET", "GET", "POST", "DELETE"])
            target = "/v4/source-types"
        case 1:
            method = "GET"
            target = "/v4/source-types/" + pick(["import_api", "platform.postgres", "platform.hubspot", "platform.closeio",
                                                  "nope", "%00", "..%2F..%2Fetc", "import_api%20", String(repeating: "p", count: 2_000)])
        case 2:
            method = pick(["GET", "GET", "PATCH", "PUT"])
            target = "/v4/sources"
        case 3, 4:
            method = "POST"
            target = "/v4/sources"
            let type: FuzzJSON = pick([.string("import_api"), .string("platform.postgres"), .string("platform.hubspot"),
                                       .string("nope"), .string(""), .integer(1), .null])
            let name: FuzzJSON = pick([.string("Fuzz \(index)"), .string(""), .string("####"), .string("Fuzz Main"),
                                       .string(String(repeating: "n", count: 1_000)), .string("名前 \(index)"),
                                       .string("a\u{0}b\(index)"), .integer(5), .string("Émoji 😀 \(index)")])
            var members: [(String, FuzzJSON)] = [("type", type), ("display_name", name)]
            if chance(0.3) {
                members.append(("properties", pick([.members([("host", .string("h")), ("port", .string("5432"))]),
                                                    .string("x"), .members([("port", .integer(5432))]),
                                                    .members([("host", .string(""))])])))
            }
            if chance(0.1) { members.append(("extra", .bool(true))) }
            if chance(0.1) { members.append(("name", .string(pick(["ok_name_\(index)", "Bad Name", String(repeating: "n", count: 60)])))) }
            body = .members(members)
        case 5:
            method = pick(["GET", "GET", "POST", "PATCH"])
            target = "/v4/sources/" + sourceIDText(allowMain: true)
        case 6:
            method = "PUT"
            target = "/v4/sources/" + sourceIDText(allowMain: false)
            body = pick([.members([("paused_at", .string("2024-01-01T00:00:00Z"))]), .members([("paused_at", .null)]),
                         .members([("paused_at", .string("not a date"))]), .members([("display_name", .string("Renamed \(index)"))]),
                         .members([("display_name", .string(""))]), .members([("properties", .members([("x", .string("y"))]))]),
                         .members([("type", .string("import_api"))]), .array([]), .members([])])
        case 7:
            method = "DELETE"
            target = "/v4/sources/" + sourceIDText(allowMain: false)
        case 8:
            // Tokens: made for the victim (or odd ids); the main source's are only ever listed.
            let id = sourceIDText(allowMain: false)
            switch number(0...3) {
            case 0: method = "POST"; target = "/v4/sources/\(id)/tokens"
            case 1: method = "GET"; target = "/v4/sources/\(pick([id, String(context.mainSourceID)]))/tokens"
            case 2: method = "DELETE"; target = "/v4/sources/\(id)/tokens/" + pick(["1", "2", "0", "-1", "abc", "99999999999999999999"])
            default: method = "PUT"; target = "/v4/sources/\(id)/tokens"
            }
        case 9:
            let id = sourceIDText(allowMain: false)
            method = pick(["GET", "GET", "DELETE"])
            target = "/v4/sources/\(id)/streams" + pick(["", "/1", "/abc", "/-1", "/99999999999999999999", "/public-orders"])
        case 10:
            method = "PUT"
            target = "/v4/sources/\(sourceIDText(allowMain: false))/streams/metadata"
            body = pick([.members([("streams", .array([]))]), .members([("streams", .string("x"))]), .array([]),
                         .members([("streams", .array([.members([("tap_stream_id", .string("nope")),
                                                                  ("metadata", .array([.members([("breadcrumb", .array([])),
                                                                                                  ("metadata", .members([("selected", .bool(true))]))])]))])]))]),
                         .members([("streams", .array([.members([("tap_stream_id", .integer(1)), ("metadata", .null)])]))])])
        case 11:
            method = "GET"
            let client = pick([String(context.clientID), String(context.clientID), "0", "abc", "-1", "99999999999999999999"])
            target = "/v4/\(client)/loads" + pick(["", "?page=1", "?page=0", "?page=-1", "?page=abc", "?page=99999999999999999999",
                                                   "?page=2&page=3", "?page=%00", "?page="])
        case 12:
            method = pick(["POST", "DELETE", "GET"])
            target = "/v4/sources/\(sourceIDText(allowMain: false))/" + pick(["sync", "last-connection-check", "nope"])
        default:
            method = pick(["GET", "POST"])
            target = pick(["/v4", "/v4/", "/v4/destinations", "/v4/sources/", "/v4//sources", "/v4/sources/%2F", "/v4/sources?x=1"])
        }
        var request = FuzzRequest(index: index, summary: "", endpoint: .connect, method: method, target: target)
        let credential: FuzzCredential
        var prefix = "Bearer "
        switch number(0...19) {
        case 0: credential = .literal(""); notes.append("no token")
        case 1: credential = .literal("ac_" + String(repeating: "0", count: 39) + "9"); notes.append("wrong token")
        case 2: credential = .mainImport; notes.append("an Import token")
        case 3: credential = .connect; prefix = pick(["bearer ", "BEARER  ", "Bearer\t", "Basic ", "Token "]); notes.append("auth scheme \(Self.describe(prefix))")
        default: credential = .connect
        }
        request.headers = [("Authorization", .bearer(credential, prefix: prefix))]
        if let body {
            var bytes = body.bytes
            if chance(0.1) { bytes = breakSyntax(bytes, notes: &notes) }
            request.body = bytes
            request.headers.append(("Content-Type", .text("application/json")))
            notes.append(Self.describe(String(decoding: bytes.prefix(80), as: UTF8.self)))
        } else if chance(0.15) {
            request.body = Array(pick(["{}", "[", "garbage", "{\"a\":1}"]).utf8)
            notes.append("unexpected body")
        }
        // Wrong methods on Connect paths are documented as 404 (spec §2.2); HEAD/OPTIONS are still Connect.
        request.summary = "\(method) \(target): " + (notes.isEmpty ? "plain" : notes.joined(separator: "; "))
        return request
    }

    // MARK: Stalled clients

    private mutating func stalledRequest(_ index: Int) -> FuzzRequest {
        var request = batchRequest(index)
        request.tracked = nil
        request.requiresReply = false
        let stall: FuzzStall = pick([.silent, .head, .body, .trickle])
        request.stall = stall
        request.summary = "stalled (\(stall)) " + request.summary
        return request
    }

    // MARK: Status and unknown paths

    private mutating func statusOrUnknownRequest(_ index: Int) -> FuzzRequest {
        if chance(0.5) {
            let method = pick(["GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
            var request = FuzzRequest(index: index, summary: "\(method) /v2/import/status", endpoint: .importStatus,
                                      method: method, target: pick(["/v2/import/status", "/v2/import/status?x=1"]))
            if method != "GET", chance(0.5) {
                request.body = Array("{\"a\":1}".utf8)
                request.headers = [("Content-Type", .text("application/json"))]
            }
            return request
        }
        let target = pick(["/", "/v2", "/v2/import", "/v2/import/push", "/v2/import/batches", "/v2/import/BATCH",
                           "/v3/accounts", "/v1/import/batch", "/%00", "/..%2F..%2Fetc%2Fpasswd", "/v2/import/status/x",
                           "/" + String(repeating: "a", count: 4_000), "/v2/import/batch/x", "/favicon.ico"])
        let method = pick(["GET", "POST", "PUT", "DELETE"])
        var request = FuzzRequest(index: index, summary: "\(method) \(Self.describe(target)) (unknown)", endpoint: .unknownPath,
                                  method: method, target: target)
        request.headers = [("Authorization", .bearer(.mainImport))]
        return request
    }

    // MARK: Broken HTTP

    private mutating func breakHTTP(_ request: inout FuzzRequest) {
        request.isMalformedHTTP = true
        let note: String
        switch number(0...28) {
        case 0:
            let line = pick(["GET\r\n\r\n", "\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n",
                             "GET /v2/import/status HTTP/1.1 extra\r\nHost: x\r\n\r\n", "get /v2/import/status HTTP/1.1\r\nHost: x\r\n\r\n",
                             "GET http://example.com/v2/import/status HTTP/1.1\r\nHost: x\r\n\r\n",
                             "\r\nGET /v2/import/status HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v2/import/status\r\n\r\n",
                             "GET /v2/import/status HTTP/1.0\r\n\r\n", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                             "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                             "GET /v2/import/st\u{0}atus HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v2/import/status%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                             "GET /v2/ import/status HTTP/1.1\r\nHost: x\r\n\r\n", "GET\t/v2/import/status\tHTTP/1.1\r\nHost: x\r\n\r\n",
                             "GET /v2/import/status HTTP/1.1\nHost: x\n\n", "POST /v2/import/batch HTTP/1.1\r\nHost: x\r\n\r\n"])
            request.raw = Array(line.utf8)
            request.endpoint = Self.endpoint(guessedFrom: line)
            request.tracked = nil
            if line == "\r\n\r\n" {
                // Blank lines before a request line are allowed (RFC 9112 §2.2): the server may well wait
                // for the request, so the client half-closes to say there is none.
                request.halfClose = true
                request.requiresReply = false
            }
            note = "request line \(Self.describe(line))"
        case 1:
            let garbage: [UInt8] = pick([
                [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03] + Array(repeating: 0x41, count: 40) + Array("\r\n\r\n".utf8),
                Array(repeating: 0x00, count: 64) + Array("\r\n\r\n".utf8),
                Array(repeating: 0xFF, count: 64) + Array("\r\n\r\n".utf8),
            ])
            request.raw = garbage
            request.endpoint = .unknownPath
            request.tracked = nil
            note = "binary garbage (\(garbage.count) bytes)"
        case 2:
            request.target += "?" + String(repeating: "q", count: pick([9_000, 70_000]))
            note = "long URI"
        case 3:
            request.headers.append(("X-Big", .text(String(repeating: "h", count: pick([9_000, 70_000, 200_000])))))
            note = "huge header"
        case 4:
            for position in 0..<pick([200, 3_000]) { request.headers.append(("X-H\(position)", .text("v"))) }
            note = "many headers"
        case 5:
            request.headers.append(("Content-Length", .text(pick(["-1", "abc", "99999999999999999999", "1.5", "+5", " 5", "0x10", "5, 5"]))))
            request.framing = .asGiven
            note = "odd Content-Length"
        case 6:
            request.headers.append(("Content-Length", .text(String(request.body.count))))
            request.headers.append(("Content-Length", .text(String(request.body.count + 3))))
            request.framing = .asGiven
            note = "two different Content-Lengths"
        case 7:
            request.headers.append(("Content-Length", .text(String(request.body.count))))
            request.headers.append(("Transfer-Encoding", .text("chunked")))
            request.framing = .asGiven
            note = "Content-Length and chunked"
        case 8:
            // One-byte chunks of a big body once held the event loop for seconds (F9 in findings.md);
            // they must be answered within the bound like anything else.
            let size: Int = pick([1, 7, 4_096])
            request.framing = .chunked(size)
            note = "chunked (valid, \(size)-byte chunks)"
        case 9:
            let bad = pick(["zz\r\nabc\r\n0\r\n\r\n", "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n",
                            "-1\r\n\r\n", "3;ext=\"x\r\nabc\r\n0\r\n\r\n", "3\nabc\n0\n\n", "0\r\nX-Trailer: \u{0}\r\n\r\n"])
            request.headers.append(("Transfer-Encoding", .text("chunked")))
            request.body = Array(bad.utf8)
            request.framing = .asGiven
            request.tracked = nil
            note = "bad chunked encoding \(Self.describe(bad))"
        case 10:
            request.headers.append(("Transfer-Encoding", .text(pick(["gzip", "chunked, chunked", "identity", "x", "chunked\u{0}"]))))
            request.framing = .asGiven
            note = "odd Transfer-Encoding"
        case 11:
            request.headers.append(("Content-Encoding", .text(pick(["gzip", "br", "deflate"]))))
            note = "Content-Encoding on a plain body"
        case 12:
            request.headers.append(("", .text("no name")))
            note = "empty header name"
        case 13:
            request.headers.append(("Bad Header", .text("v")))
            note = "space in a header name"
        case 14:
            request.headers.append(("X-Fold", .text("a\r\n folded")))
            note = "obsolete line folding"
        case 15:
            request.headers.append(("X-Nul", .bytes([0x61, 0x00, 0x62])))
            note = "NUL in a header value"
        case 16:
            request.headers.append(("X-Latin", .bytes([0xE9, 0xFF, 0x80])))
            note = "non-UTF-8 header value"
        case 17:
            request.sendsHost = false
            note = "no Host"
        case 18:
            request.headers.append(("Host", .text("other.example")))
            note = "two Hosts"
        case 19:
            request.headers.append(("Expect", .text(pick(["100-continue", "nonsense"]))))
            note = "Expect"
        case 20:
            request.headers.append(("Connection", .text("Upgrade")))
            request.headers.append(("Upgrade", .text(pick(["websocket", "h2c", "HTTP/2.0"]))))
            note = "Upgrade"
        case 21:
            // The body stops short of its declared length; the client half-closes.
            guard !request.body.isEmpty else {
                request.body = Array("{\"a\":1}".utf8)
                return breakHTTP(&request)
            }
            request.headers.append(("Content-Length", .text(String(request.body.count + number(1...5_000)))))
            request.framing = .asGiven
            request.halfClose = true
            request.requiresReply = false
            request.tracked = nil
            note = "body shorter than Content-Length, then half-close"
        case 22:
            // Half-closed right after the headers of a request with a body.
            request.framing = .asGiven
            request.headers.append(("Content-Length", .text(String(max(1, request.body.count)))))
            request.body = []
            request.halfClose = true
            request.requiresReply = false
            request.tracked = nil
            note = "headers only, then half-close"
        case 23:
            // Declared far over the 20 MB limit; only the start is sent (the 413 must still be readable).
            let declared: Int = pick([20 * 1024 * 1024 + 1, 25_000_000, 1 << 40])
            let padding: Int = pick([0, 65_536, 1_000_000])
            request.headers.append(("Content-Length", .text(String(declared))))
            request.framing = .asGiven
            request.body += [UInt8](repeating: 0x20, count: padding)
            request.tracked = nil
            note = "declared over 20 MB, \(request.body.count) bytes sent"
        case 24:
            request.version = pick(["HTTP/1.0", "HTTP/0.9", "HTTP/2.0", "HTTP/1.2", "http/1.1", "HTTP/1.1 "])
            note = "version \(request.version)"
        case 25:
            request.method = pick(["FOO", "get", "GET ", "", "M-SEARCH", String(repeating: "M", count: 1_000), "TRACE"])
            note = "method \(Self.describe(request.method))"
            request.tracked = nil
        case 26:
            request.target = pick(["*", "v2/import/status", "", "/v2/import/status#frag", "/v2/import/status?%", "/v2/./import/../import/status",
                                   "//127.0.0.1/v2/import/status", "/v2/import/batch%00"])
            note = "target \(Self.describe(request.target))"
            request.endpoint = Self.endpoint(guessedFrom: request.target)
            request.tracked = nil
        case 27:
            request.headers.append(("Content-Type", .text("application/json")))
            note = "Content-Type twice"
        default:
            // Bytes after a complete request, in the same write: the first reply is still due.
            let trailing = pick(["garbage garbage\r\n\r\n", "GET /v2/import/status HTTP/1.1\r\nHost: x\r\n\r\n", "\r\n",
                                 "\u{0}\u{1}\u{2}", "POST /v2/import/batch HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{"])
            request.trailing = Array(trailing.utf8)
            note = "followed by \(Self.describe(trailing))"
        }
        request.summary += " [HTTP: \(note)]"
    }

    /// For a broken request line or target, which route the server might still find.
    static func endpoint(guessedFrom text: String) -> FuzzEndpoint {
        if text.contains("/v2/import/status") { return .importStatus }
        if text.contains("/v2/import/batch") { return .importBatch }
        return .unknownPath
    }

    // MARK: Descriptions

    /// Short, printable, so failure messages show exactly what went out without flooding.
    static func describe(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars.prefix(60) {
            if scalar.value < 0x20 || scalar.value == 0x7F { escaped += String(format: "\\u{%X}", scalar.value) } else { escaped.unicodeScalars.append(scalar) }
        }
        let more = text.unicodeScalars.count > 60 ? "…(\(text.unicodeScalars.count))" : ""
        return "\"" + escaped + more + "\""
    }

    static func describe(_ value: FuzzJSON) -> String { describe(String(decoding: value.bytes.prefix(60), as: UTF8.self)) }
}

/// A request as bytes on the wire, with its credentials filled in.
struct FuzzWire {
    var connectToken: String
    var mainToken: String
    var victimToken: String
    var port: Int

    func bytes(of request: FuzzRequest) -> [UInt8] {
        let whole = completeBytes(of: request)
        switch request.stall {
        case nil: return whole + request.trailing
        case .silent: return []
        case .head, .trickle:
            // Stops inside the head: before its blank line.
            let headEnd = Self.headLength(whole)
            return Array(whole.prefix(request.stall == .head ? max(1, headEnd / 2) : max(1, headEnd - 2)))
        case .body:
            let headEnd = Self.headLength(whole)
            return Array(whole.prefix(headEnd + max(0, (whole.count - headEnd) / 2)))
        }
    }

    /// Bytes up to and including the head's blank line.
    private static func headLength(_ bytes: [UInt8]) -> Int {
        let separator = Array("\r\n\r\n".utf8)
        var index = 0
        while index + separator.count <= bytes.count {
            if bytes[index..<(index + separator.count)].elementsEqual(separator) { return index + separator.count }
            index += 1
        }
        return bytes.count
    }

    private func completeBytes(of request: FuzzRequest) -> [UInt8] {
        if let raw = request.raw { return raw }
        var head = Array("\(request.method) \(request.target) \(request.version)\r\n".utf8)
        if request.sendsHost { head += Array("Host: 127.0.0.1:\(port)\r\n".utf8) }
        for header in request.headers {
            head += Array("\(header.name): ".utf8)
            switch header.value {
            case .text(let text): head += Array(text.utf8)
            case .bytes(let bytes): head += bytes
            case .bearer(let credential, let prefix): head += Array((prefix + value(of: credential)).utf8)
            }
            head += Array("\r\n".utf8)
        }
        var body = request.body
        switch request.framing {
        case .contentLength:
            if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
                head += Array("Content-Length: \(request.body.count)\r\n".utf8)
            }
        case .asGiven: break
        case .chunked(let size):
            head += Array("Transfer-Encoding: chunked\r\n".utf8)
            var chunked: [UInt8] = []
            var start = 0
            while start < body.count {
                let end = min(body.count, start + size)
                chunked += Array(String(end - start, radix: 16).utf8) + Array("\r\n".utf8) + body[start..<end] + Array("\r\n".utf8)
                start = end
            }
            body = chunked + Array("0\r\n\r\n".utf8)
        }
        head += Array("Connection: close\r\n\r\n".utf8)
        return head + body
    }

    private func value(of credential: FuzzCredential) -> String {
        switch credential {
        case .connect: connectToken
        case .mainImport: mainToken
        case .victimImport: victimToken
        case .literal(let text): text
        }
    }
}
