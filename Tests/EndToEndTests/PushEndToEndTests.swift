import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `stitch-wizard push`, the real binary, into the real `stitch-sandbox` over loopback.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PushEndToEndTests {
    /// The target-stitch test's Singer stream, pushed with `push --format singer -c config.json`
    /// (target-stitch's own config file): the same tables and rows, and the final STATE on stdout.
    @Test func singerStreamLoadsLikeTargetStitch() throws {
        let work = try temporaryDirectory("push-singer")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Singer Push E2E")
        let config = work.appendingPathComponent("config.json")
        try writeTargetStitchConfig(for: source, batchURL: sandbox.baseURL + "/v2/import/batch", to: config)

        let sync = SingerSync()
        let input = work.appendingPathComponent("singer.jsonl")
        try writeSingerStream(sync, to: input)
        let push = try execute(Products.path("stitch-wizard"), ["push", "--format", "singer", "-c", config.path],
                               environment: Self.environment(), standardInput: input.path, timeout: .seconds(120))
        try #require(push.succeeded, "push ended with \(push.endDescription): \(push.standardError)")

        let emitted = try push.standardOutput.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(emitted.last == sync.states.last, "stdout does not end with the final STATE:\n\(push.standardOutput)")
        #expect(isSubsequence(emitted, of: sync.states), "stdout holds states not sent, or out of order: \(push.standardOutput)")

        let database = data.appendingPathComponent("destination/\(source.schema).sqlite")
        try waitForLoads(dataDirectory: data, database: database)
        try expectDestination(database, holds: sync)
    }

    /// JSONL records of several batches, sent several at a time, land exactly: every row once,
    /// every value as written.
    @Test func jsonLinesLandExactly() throws {
        let work = try temporaryDirectory("push-jsonl")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let sandbox = try SandboxProcess(dataDirectory: data, connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "JSONL Push E2E")
        let tokenFile = work.appendingPathComponent("token")
        try writePrivately(source.token + "\n", to: tokenFile)

        let count = 12_000
        let input = work.appendingPathComponent("orders.jsonl")
        try Data(Self.orders(count).map { $0.jsonText + "\n" }.joined().utf8).write(to: input)
        // Typed, so whole amounts (1.0 is written 1) stay in the decimal column rather than splitting it.
        let schema = work.appendingPathComponent("orders.schema.json")
        try Data(Self.ordersSchema.jsonText.utf8).write(to: schema)
        let push = try execute(Products.path("stitch-wizard"),
                               ["push", input.path, "--table", "orders", "--key", "id", "--schema", schema.path, "--token-file", tokenFile.path,
                                "--import-url", sandbox.baseURL, "--batch-records", "1000", "--concurrency", "4", "--json"],
                               environment: Self.environment(), timeout: .seconds(120))
        try #require(push.succeeded, "push ended with \(push.endDescription): \(push.standardError)")
        let summary = try JSONParser.parse(push.standardOutput)
        #expect(summary["records_accepted"] == .integer(Int64(count)))
        #expect(summary["batches"] == 12)
        #expect(summary["exit_status"] == 0)

        let database = data.appendingPathComponent("destination/\(source.schema).sqlite")
        try waitForLoads(dataDirectory: data, database: database)
        try eventually(timeout: .seconds(60), "all \(count) rows loaded") {
            (try? query(database, "SELECT count(*) FROM orders")) == "\(count)"
        }
        let loaded = try rows(database, "SELECT id, name, amount, paid, note, address__city, address__zip FROM orders ORDER BY id")
        let expected = Self.orders(count).map { order -> JSONValue in
            .object(JSONObject([
                ("id", order["id"] ?? .null), ("name", order["name"] ?? .null), ("amount", order["amount"] ?? .null),
                ("paid", order["paid"] == true ? 1 : 0), ("note", order["note"] ?? .null),
                ("address__city", order["address"]?["city"] ?? .null), ("address__zip", order["address"]?["zip"] ?? .null),
            ]))
        }
        #expect(loaded.count == expected.count)
        let mismatch = zip(loaded, expected).first { $0 != $1 }
        #expect(mismatch == nil, "first differing row: \(mismatch.map { "\($0.0.jsonText) != \($0.1.jsonText)" } ?? "")")
    }

    /// The sandbox is killed with -9 mid-push and started again on the same port and data: the
    /// push retries through the outage and ends with exit 0 and every record loaded.
    @Test func pushSurvivesTheSandboxBeingKilledAndRestarted() throws {
        let work = try temporaryDirectory("push-kill")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let port = try freeLoopbackPort()
        var sandbox = try FixedPortSandbox(port: port, dataDirectory: data)
        defer { sandbox.kill() }
        let source = try ImportSource.create(in: sandbox.process, work: work, displayName: "Kill Push E2E")
        let tokenFile = work.appendingPathComponent("token")
        try writePrivately(source.token + "\n", to: tokenFile)

        let count = 60_000
        let input = work.appendingPathComponent("orders.jsonl")
        try Data(Self.orders(count).map { $0.jsonText + "\n" }.joined().utf8).write(to: input)
        let output = work.appendingPathComponent("push.out")
        let errors = work.appendingPathComponent("push.err")
        // Small batches, one at a time: the push is still going when the sandbox dies.
        let push = try ChildProcess.spawn(
            Products.path("stitch-wizard"),
            ["push", input.path, "--table", "orders", "--key", "id", "--token-file", tokenFile.path,
             "--import-url", sandbox.process.baseURL, "--batch-records", "500", "--concurrency", "2",
             "--max-retries", "30", "--json"],
            environment: Self.environment(), standardOutput: output.path, standardError: errors.path)
        var pushEnded: ChildExitStatus?
        func pushStatus() -> ChildExitStatus? {
            if pushEnded == nil, let status = push.poll() { pushEnded = ChildExitStatus(raw: status) }
            return pushEnded
        }
        defer {
            if pushStatus() == nil {
                push.signal(SIGTERM)
                _ = push.waitBlocking()
            }
        }

        // Some batches in, then the crash.
        let database = data.appendingPathComponent("destination/\(source.schema).sqlite")
        try eventually(timeout: .seconds(60), "some rows loaded before the kill") {
            guard FileManager.default.fileExists(atPath: database.path),
                  let loaded = Int((try? query(database, "SELECT count(*) FROM orders")) ?? "") else { return false }
            return loaded >= 2_000
        }
        try #require(pushStatus() == nil, "the push ended before the sandbox could be killed")
        sandbox.kill()
        Thread.sleep(forTimeInterval: 1.5)
        sandbox = try FixedPortSandbox(port: port, dataDirectory: data)

        try eventually(timeout: .seconds(180), "the push to finish") { pushStatus() != nil }
        let printed = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(pushStatus()?.succeeded == true, "push ended with \(pushStatus().map(\.description) ?? "?"): \(printed)")
        #expect(printed.contains("Retrying"), "the push never had to retry: the kill came too late\n\(printed)")
        let summary = try JSONParser.parse(String(decoding: FileManager.default.contents(atPath: output.path) ?? Data(), as: UTF8.self))
        #expect(summary["records_accepted"] == .integer(Int64(count)))

        try waitForLoads(dataDirectory: data, database: database, timeout: .seconds(120))
        try eventually(timeout: .seconds(120), "all \(count) rows loaded") {
            (try? query(database, "SELECT count(*) FROM orders")) == "\(count)"
        }
        #expect(try query(database, "SELECT count(DISTINCT id), min(id), max(id) FROM orders") == "\(count)|1|\(count)")
    }

    static func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_IMPORT_TOKEN"] = nil
        // No user config file may change where the push goes.
        environment["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-e2e-no-config").path
        return environment
    }

    static let ordersSchema: JSONValue = [
        "type": "object",
        "properties": [
            "id": ["type": "integer"], "name": ["type": "string"], "amount": ["type": "number"], "paid": ["type": "boolean"],
            "note": ["type": ["null", "string"]],
            "address": ["type": "object", "properties": ["city": ["type": "string"], "zip": ["type": "string"]]],
        ],
    ]

    /// Records with nested objects, nulls, decimals, booleans and non-ASCII text.
    static func orders(_ count: Int) -> [JSONValue] {
        (1...count).map(order)
    }

    private static func order(_ id: Int) -> JSONValue {
        let name: String = id % 7 == 0 ? "Zoë “\(id)” \\ tab\t" : "order \(id)"
        let note: JSONValue = id % 5 == 0 ? .null : .string("n\(id % 13)")
        let cities = ["Oslo", "Berlin", "Lyon"]
        let address = JSONObject([("city", JSONValue.string(cities[id % 3])), ("zip", JSONValue.string(String(10_000 + id)))])
        var members: [(String, JSONValue)] = []
        members.append(("id", .integer(Int64(id))))
        members.append(("name", .string(name)))
        members.append(("amount", .number(Double(id) * 0.25)))
        members.append(("paid", .bool(id % 2 == 0)))
        members.append(("note", note))
        members.append(("address", .object(address)))
        return .object(JSONObject(members))
    }
}

/// A `stitch-sandbox` on a fixed loopback port, so it can be killed and started again where its
/// clients expect it.
struct FixedPortSandbox {
    let process: SandboxProcess

    init(port: Int, dataDirectory: URL) throws {
        process = try SandboxProcess(dataDirectory: dataDirectory, connectToken: "ac_e2e_fake_connect_token",
                                     arguments: ["--port", "\(port)"])
    }

    /// SIGKILL: no shutdown, no flush.
    func kill() {
        process.signal(SIGKILL)
        process.waitForExitBlocking()
    }
}

/// A port nothing listens on now (the kernel's pick for a socket bound to port 0, then closed).
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw CommandFailure(description: "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else { throw CommandFailure(description: "could not bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
