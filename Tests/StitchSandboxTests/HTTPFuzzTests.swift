import Foundation
import StitchAPI
import Testing
import StitchTestSupport

#if canImport(Glibc)
import Glibc
#endif

private let fuzzConnectToken = "ac_" + String(repeating: "0", count: 39) + "7"

/// Seeded HTTP fuzzing of the real `stitch-sandbox` binary over raw TCP (issue 10's standing check).
///
/// Every request is generated from `STITCH_FUZZ_SEED` (random when unset, printed either way), so
/// `STITCH_FUZZ_SEED=<seed> swift test --filter HTTPFuzz` replays a run; `STITCH_FUZZ_ONLY=3,17`
/// sends only those requests (the others are still generated, so the numbering stays), and
/// `STITCH_FUZZ_VERBOSE=1` prints every exchange.
///
/// Oracles, for every request: a reply within `replyBound` that parses as HTTP; a status the spec
/// documents for that endpoint (§2.2, §3.3–§3.6), and no 5xx but a documented 503; a JSON body with
/// `Content-Type: application/json`, HTTP-level errors included, except the two documented
/// plain-text replies. After every round a normal one-record batch gets its 201 within seconds. At
/// the end every batch answered 2xx is in the destination or in `_sdc_rejected` (read with the
/// sqlite3 CLI), nothing is in `failed/`, and the sandbox stops cleanly on SIGTERM.
@Suite("stitch-sandbox under HTTP fuzz", .enabled(if: SandboxBinary.isAvailable), .serialized)
struct HTTPFuzzTests {
    static let requestCount = ProcessInfo.processInfo.environment["STITCH_FUZZ_REQUESTS"].flatMap(Int.init) ?? 300
    static let roundLength = 25
    /// The fuzzing stops sending after this long (debug build); the checks after it take a few seconds more.
    static let wallClock: Duration = .seconds(40)
    /// No request may take longer to answer: a catastrophic regex or a stuck handler shows here.
    static let replyBound: Duration = .seconds(10)
    static let canaryBound: Duration = .seconds(5)
    /// With a sandbox that has them, short timeouts let stalled clients be part of the fuzzing.
    static let stallTimeoutSeconds = 1.0
    static let stallBound: Duration = .seconds(5)
    /// A small connection limit, so one burst per round meets it.
    static let connectionLimit = 16

    /// The options of the binary under test: `--help` lists them.
    static let sandboxOptions: String = {
        guard let path = SandboxBinary.path else { return "" }
        return (try? ChildProcess.run(path, ["--help"], timeout: .seconds(60)))?.standardOutput ?? ""
    }()
    static var hasTimeouts: Bool { sandboxOptions.contains("--header-timeout") && sandboxOptions.contains("--body-timeout") }
    static var hasConnectionLimit: Bool { sandboxOptions.contains("--max-connections") }

    @Test("Malformed requests, bodies and names on every endpoint: documented statuses, JSON bodies, no hang, every 2xx batch accounted for",
          .timeLimit(.minutes(3)))
    func fuzz() async throws {
        let seed = SplitMix64.seed(fromEnvironment: "STITCH_FUZZ_SEED")
        let replay = "replay: STITCH_FUZZ_SEED=\(seed) swift test --filter HTTPFuzz"
        print("HTTP fuzz of stitch-sandbox: seed \(seed) (\(replay))")
        let environment = ProcessInfo.processInfo.environment
        let only = environment["STITCH_FUZZ_ONLY"].map { Set($0.split(separator: ",").compactMap { Int($0) }) }
        let verbose = environment["STITCH_FUZZ_VERBOSE"] == "1"

        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var arguments = ["--port", "0", "--data", directory]
        if Self.hasTimeouts {
            let seconds = String(Self.stallTimeoutSeconds)
            arguments += ["--header-timeout", seconds, "--body-timeout", seconds, "--idle-timeout", seconds]
        }
        if Self.hasConnectionLimit { arguments += ["--max-connections", String(Self.connectionLimit)] }
        print("HTTP fuzz: stitch-sandbox \(arguments.dropFirst(4).joined(separator: " "))"
              + (Self.hasTimeouts ? "" : " (no timeout options: stalled clients are not sent)"))
        let sandbox = try SandboxProcess(arguments: arguments, connectToken: fuzzConnectToken)
        defer { if sandbox.isRunning { sandbox.signal(SIGKILL) } }
        let base = try await sandbox.waitUntilListening()
        let port = try #require(Int(base.split(separator: ":").last ?? ""))
        let main = try await makeImportSource(base: base, connectToken: fuzzConnectToken, displayName: "Fuzz Main")
        let victim = try await makeImportSource(base: base, connectToken: fuzzConnectToken, displayName: "Fuzz Victim")
        let described = try await request("GET", base + "/v4/sources/\(main.id)", token: fuzzConnectToken)
        guard case .integer(let clientID)? = described.json?["stitch_client_id"] else {
            throw TestFailure("no stitch_client_id in \(described.body)")
        }

        var generator = HTTPFuzzGenerator(seed: seed, context: FuzzContext(
            mainSourceID: main.id, victimSourceID: victim.id, clientID: Int(clientID)))
        let wire = FuzzWire(connectToken: fuzzConnectToken, mainToken: main.token, victimToken: victim.token, port: port)
        var findings: [String] = []
        var accepted: [(index: Int, summary: String, batch: FuzzTrackedBatch)] = []
        var statuses: [Int: Int] = [:]
        var recent: [String] = []
        let clock = ContinuousClock()
        let start = clock.now
        var sent = 0

        func canary(_ round: Int) async -> Bool {
            let marker = "fz~canary~\(round)~"
            let body = #"{"table_name":"fuzz_canary","schema":{"properties":{"id":{"type":"integer"},"marker":{"type":"string"}}},"#
                + #""messages":[{"action":"upsert","sequence":\#(round + 1),"data":{"id":\#(round),"marker":"\#(marker)"}}],"key_names":["id"]}"#
            let bytes = Array((batchRequestHead(port: port, token: main.token, length: body.utf8.count) + "\r\n\r\n" + body).utf8)
            var outcome = await FuzzExchange.perform(port: port, bytes: bytes, halfClose: false, isHead: false, bound: Self.canaryBound)
            if case .reply(let reply) = outcome.result, reply.status == 503, reply.header("retry-after") != nil {
                // Over the connection limit while the burst's connections close: retry, as told.
                outcome = await Self.canaryRetried(port: port, bytes: bytes) ?? outcome
            }
            guard case .reply(let reply) = outcome.result, reply.status == 201 else {
                findings.append("after round \(round) (request \(sent)), a normal one-record batch got \(outcome.result) "
                    + "in \(outcome.elapsed), not a 201 within \(Self.canaryBound). Last requests:\n  " + recent.joined(separator: "\n  ")
                    + (sandbox.isRunning ? "" : "\nThe sandbox has exited; its standard error ends:\n\(sandbox.standardError.suffix(2_000))"))
                return false
            }
            accepted.append((-1, "canary \(round)", FuzzTrackedBatch(tableName: "fuzz_canary", markers: [marker])))
            return true
        }

        for index in 0..<Self.requestCount {
            // Always generated, so that STITCH_FUZZ_ONLY keeps each request's number and bytes.
            let fuzzRequest = generator.request(index)
            if let only, !only.contains(index) { continue }
            if fuzzRequest.stall != nil, !Self.hasTimeouts { continue }
            guard clock.now - start < Self.wallClock else {
                print("HTTP fuzz: wall-clock cap reached after \(sent) requests")
                break
            }
            let bytes = wire.bytes(of: fuzzRequest)
            let outcome = await FuzzExchange.perform(port: port, bytes: bytes, halfClose: fuzzRequest.halfClose,
                                                     isHead: fuzzRequest.isHead,
                                                     bound: fuzzRequest.stall == nil ? Self.replyBound : Self.stallBound,
                                                     trickle: fuzzRequest.stall == .trickle)
            sent += 1
            let problems = FuzzOracle.problems(request: fuzzRequest, outcome: outcome)
            let line = "#\(index) \(fuzzRequest.summary) -> \(outcome.result) in \(outcome.elapsed)"
            recent = Array((recent + [line]).suffix(5))
            if verbose { print("HTTP fuzz " + line) }
            if case .reply(let reply) = outcome.result {
                statuses[reply.status, default: 0] += 1
                if (200..<300).contains(reply.status), fuzzRequest.endpoint == .importBatch, let tracked = fuzzRequest.tracked {
                    accepted.append((index, fuzzRequest.summary, tracked))
                }
            } else {
                statuses[0, default: 0] += 1
            }
            for problem in problems {
                findings.append("request #\(index): \(problem)\n  request: \(fuzzRequest.summary)\n  bytes: \(FuzzExchange.printable(bytes))")
            }
            guard sandbox.isRunning else {
                findings.append("the sandbox exited after request #\(index) (\(fuzzRequest.summary)); its standard error ends:\n"
                    + String(sandbox.standardError.suffix(2_000)))
                break
            }
            if (index + 1) % Self.roundLength == 0 {
                if Self.hasConnectionLimit, let problem = await Self.connectionBurst(port: port) {
                    findings.append("after request #\(index): \(problem)")
                }
                guard await canary(index / Self.roundLength) else { break }
            }
        }
        let fuzzTime = clock.now - start
        if sandbox.isRunning { _ = await canary(Self.requestCount) }

        // Every 2xx batch is loaded or visibly rejected; nothing is set aside in failed/.
        if sandbox.isRunning {
            let drained = clock.now + .seconds(60)
            while Self.inboxCount(directory) > 0, clock.now < drained { try await Task.sleep(for: .milliseconds(100)) }
            if Self.inboxCount(directory) > 0 {
                findings.append("\(Self.inboxCount(directory)) accepted batches were still in the inbox 60 s after the last request")
            }
        }
        let failed = Self.failedBatches(directory)
        for entry in failed { findings.append("a batch was set aside in failed/ instead of loaded or rejected into _sdc_rejected: \(entry)") }
        let dump = try Self.destinationDump(directory)
        for batch in accepted {
            let missing = batch.batch.markers.filter { !dump.contains($0) }
            guard !missing.isEmpty else { continue }
            findings.append("request #\(batch.index) was answered 2xx, but \(missing.count) of its \(batch.batch.markers.count) records "
                + "are neither in a table nor in _sdc_rejected: \(missing.prefix(4))\n  request: \(batch.summary)")
        }

        if sandbox.isRunning {
            sandbox.signal(SIGTERM)
            let status = try? await sandbox.waitForExit(timeout: .seconds(30))
            if status?.succeeded != true { findings.append("SIGTERM after the fuzzing: \(status.map(\.description) ?? "no exit within 30 s"), not exit code 0") }
        }
        print("HTTP fuzz (seed \(seed)): \(sent) requests in \(fuzzTime), statuses \(statuses.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "none" : String($0.key)):\($0.value)" }.joined(separator: " ")), "
              + "\(accepted.count) batches answered 2xx, \(findings.count) findings")
        for finding in findings.prefix(40) {
            Issue.record("seed \(seed): \(finding)\n\(replay)")
        }
        if findings.count > 40 { Issue.record("seed \(seed): \(findings.count - 40) more findings not shown\n\(replay)") }
    }

    /// A canary answered 503 (over the connection limit while earlier connections close) is retried
    /// until `canaryBound` has passed.
    private static func canaryRetried(port: Int, bytes: [UInt8]) async -> FuzzExchange? {
        let deadline = ContinuousClock.now + canaryBound
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
            let outcome = await FuzzExchange.perform(port: port, bytes: bytes, halfClose: false, isHead: false, bound: canaryBound)
            if case .reply(let reply) = outcome.result, reply.status == 503 { continue }
            return outcome
        }
        return nil
    }

    /// Opens more idle connections than the limit: the ones over it must be told 503 (JSON) at
    /// once, not left hanging. All are closed afterwards.
    private static func connectionBurst(port: Int) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            Thread {
                var held: [TCPConnection] = []
                for _ in 0..<(connectionLimit + 2) {
                    guard let connection = try? TCPConnection(port: port, timeoutSeconds: 1) else { break }
                    held.append(connection)
                }
                var problem: String?
                let clock = ContinuousClock()
                for connection in held.suffix(2) {
                    let start = clock.now
                    var received: [UInt8] = []
                    reading: while clock.now - start < stallBound {
                        if case .reply = FuzzReplyParser.parse(received, isHead: false, closed: false) { break }
                        do {
                            guard let more = try connection.receiveSome() else { continue }
                            if more.isEmpty { break reading }
                            received += more
                        } catch {
                            break reading
                        }
                    }
                    switch FuzzReplyParser.parse(received, isHead: false, closed: true) {
                    case .reply(let reply):
                        let type = reply.header("content-type") ?? ""
                        if reply.status != 503 || !type.hasPrefix("application/json") || (try? JSONParser.parse(reply.body)) == nil {
                            problem = "a connection over the limit of \(connectionLimit) got \(reply), not a 503 with a JSON body"
                        }
                    default:
                        problem = "a connection over the limit of \(connectionLimit) got no 503 within \(stallBound)"
                            + (received.isEmpty ? "" : " (got \(FuzzExchange.printable(Array(received.prefix(200)))))")
                    }
                }
                held.removeAll()
                continuation.resume(returning: problem)
            }.start()
        }
    }

    private static func inboxCount(_ directory: String) -> Int {
        inboxWaitingFiles(directory).count
    }

    /// `failed/` entries with the request they came from (found by marker) and the reason beside them.
    private static func failedBatches(_ directory: String) -> [String] {
        let folder = directory + "/failed"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasSuffix(".error") }.sorted()
        return names.map { name in
            let body = FileManager.default.contents(atPath: folder + "/" + name).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let source = body.range(of: #"fz~[0-9a-z]+~"#, options: .regularExpression).map { "request " + body[$0] } ?? "no marker"
            let reason = FileManager.default.contents(atPath: folder + "/" + name + ".error")
                .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "no reason file"
            return "\(name) (\(source)): \(reason.prefix(300))"
        }
    }

    /// Every SQLite destination file, dumped with the sqlite3 CLI as a person checking would.
    private static func destinationDump(_ directory: String) throws -> String {
        let folder = directory + "/destination"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".sqlite") }.sorted()
        var dump = ""
        for file in files {
            dump += try ChildProcess.run("/usr/bin/sqlite3", [folder + "/" + file, ".dump"], timeout: .seconds(60)).standardOutput
        }
        return dump
    }
}

/// A reply read off the socket.
struct FuzzReply: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    var description: String {
        "\(status) \(header("content-type") ?? "no Content-Type") \(FuzzExchange.printable(Array(body.prefix(160))))"
    }
}

/// One request sent on its own connection and what came back.
struct FuzzExchange: Sendable {
    enum Result: Sendable, CustomStringConvertible {
        case reply(FuzzReply)
        case closedWithoutReply(received: [UInt8])
        case notHTTP(received: [UInt8])
        case timedOut(received: [UInt8])
        case cannotConnect(String)

        var description: String {
            switch self {
            case .reply(let reply): reply.description
            case .closedWithoutReply(let bytes): "connection closed without a complete reply" + (bytes.isEmpty ? "" : " (got \(FuzzExchange.printable(Array(bytes.prefix(200)))))")
            case .notHTTP(let bytes): "a reply that is not HTTP: \(FuzzExchange.printable(Array(bytes.prefix(200))))"
            case .timedOut(let bytes): "no complete reply" + (bytes.isEmpty ? "" : " (got \(FuzzExchange.printable(Array(bytes.prefix(200)))))")
            case .cannotConnect(let reason): "cannot connect: \(reason)"
            }
        }
    }

    var result: Result
    var elapsed: Duration
    var sendError: String?

    /// Blocking socket calls run on a thread of their own, never on the cooperative pool.
    /// With `trickle`, the bytes go one at a time, a quarter second apart, until the server ends it.
    static func perform(port: Int, bytes: [UInt8], halfClose: Bool, isHead: Bool, bound: Duration,
                        trickle: Bool = false) async -> FuzzExchange {
        await withCheckedContinuation { (continuation: CheckedContinuation<FuzzExchange, Never>) in
            let thread = Thread {
                continuation.resume(returning: blocking(port: port, bytes: bytes, halfClose: halfClose, isHead: isHead,
                                                        bound: bound, trickle: trickle))
            }
            thread.start()
        }
    }

    private static func blocking(port: Int, bytes: [UInt8], halfClose: Bool, isHead: Bool, bound: Duration,
                                 trickle: Bool) -> FuzzExchange {
        let clock = ContinuousClock()
        let start = clock.now
        let connection: TCPConnection
        do {
            // One-second socket timeouts: a send the server does not read gives up, and reads poll the bound.
            connection = try TCPConnection(port: port, timeoutSeconds: 1)
        } catch {
            return FuzzExchange(result: .cannotConnect("\(error)"), elapsed: clock.now - start)
        }
        var sendError: String?
        if trickle {
            for byte in bytes where clock.now - start < bound {
                do { try connection.send([byte]) } catch {
                    sendError = "\(error)"
                    break
                }
                Thread.sleep(forTimeInterval: 0.25)
            }
        } else {
            do { try connection.send(bytes) } catch { sendError = "\(error)" }
        }
        if halfClose { connection.shutdownWrite() }
        var received: [UInt8] = []
        func finish(_ result: Result) -> FuzzExchange { FuzzExchange(result: result, elapsed: clock.now - start, sendError: sendError) }
        while clock.now - start < bound {
            switch FuzzReplyParser.parse(received, isHead: isHead, closed: false) {
            case .reply(let reply): return finish(.reply(reply))
            case .notHTTP: return finish(.notHTTP(received: received))
            case .incomplete: break
            }
            do {
                guard let more = try connection.receiveSome() else { continue }
                if more.isEmpty {
                    if case .reply(let reply) = FuzzReplyParser.parse(received, isHead: isHead, closed: true) { return finish(.reply(reply)) }
                    return finish(.closedWithoutReply(received: received))
                }
                received += more
            } catch {
                if case .reply(let reply) = FuzzReplyParser.parse(received, isHead: isHead, closed: true) { return finish(.reply(reply)) }
                return finish(.closedWithoutReply(received: received))
            }
        }
        return finish(.timedOut(received: received))
    }

    /// Bytes as readable text: printable ASCII as is, the rest escaped; long runs shortened.
    static func printable(_ bytes: [UInt8]) -> String {
        var text = ""
        var index = 0
        while index < bytes.count, text.count < 700 {
            let byte = bytes[index]
            var run = 1
            while index + run < bytes.count, bytes[index + run] == byte, run < 1 << 30 { run += 1 }
            let piece: String = switch byte {
            case 0x0D: "\\r"
            case 0x0A: "\\n"
            case 0x20..<0x7F: String(UnicodeScalar(byte))
            default: String(format: "\\x%02X", byte)
            }
            if run > 12 {
                text += piece + "×\(run)"
                index += run
            } else {
                text += piece
                index += 1
            }
        }
        return index < bytes.count ? text + "…(\(bytes.count) bytes)" : text
    }
}

/// Parses an HTTP/1.x reply as it arrives: Content-Length, chunked, or until close.
enum FuzzReplyParser {
    enum Parse {
        case incomplete
        case reply(FuzzReply)
        case notHTTP
    }

    static func parse(_ bytes: [UInt8], isHead: Bool, closed: Bool) -> Parse {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = firstIndex(of: separator, in: bytes[...]) else {
            if bytes.count >= 5, !bytes.starts(with: Array("HTTP/".utf8)) { return .notHTTP }
            return .incomplete
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0]
        guard statusLine.hasPrefix("HTTP/1."), statusLine.count >= 12 else { return .notHTTP }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[1].count == 3, let status = Int(parts[1]) else { return .notHTTP }
        let rest = Array(bytes[(end + separator.count)...])
        if (100..<200).contains(status), status != 101 {
            return parse(rest, isHead: isHead, closed: closed)  // an interim reply, e.g. 100 Continue
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .notHTTP }
            headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let reply = { (body: [UInt8]) in Parse.reply(FuzzReply(status: status, headers: headers, body: body)) }
        if isHead || status == 204 || status == 304 { return reply([]) }
        if let encoding = headers.first(where: { $0.name == "transfer-encoding" })?.value, encoding.lowercased().contains("chunked") {
            guard let body = dechunk(rest) else { return .incomplete }
            return reply(body)
        }
        if let lengthText = headers.first(where: { $0.name == "content-length" })?.value {
            guard let length = Int(lengthText), length >= 0 else { return .notHTTP }
            guard rest.count >= length else { return .incomplete }
            return reply(Array(rest.prefix(length)))
        }
        return closed ? reply(rest) : .incomplete
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var body: [UInt8] = []
        var position = bytes.startIndex
        let newline = Array("\r\n".utf8)
        while true {
            guard let lineEnd = firstIndex(of: newline, in: bytes[position...]) else { return nil }
            let sizeText = String(decoding: bytes[position..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            let dataStart = lineEnd + 2
            if size == 0 { return body }
            guard bytes.count >= dataStart + size + 2 else { return nil }
            body += bytes[dataStart..<(dataStart + size)]
            position = dataStart + size + 2
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

/// What must hold for every exchange.
enum FuzzOracle {
    static func problems(request: FuzzRequest, outcome: FuzzExchange) -> [String] {
        let reply: FuzzReply
        switch outcome.result {
        case .reply(let received): reply = received
        case .timedOut(let received) where request.stall != nil:
            return ["a client that stopped sending (\(request.stall.map { "\($0)" } ?? "")) was neither answered nor disconnected within "
                + "\(HTTPFuzzTests.stallBound), with timeouts of \(HTTPFuzzTests.stallTimeoutSeconds) s"
                + (received.isEmpty ? "" : " (got \(FuzzExchange.printable(Array(received.prefix(200)))))")]
        case .timedOut(let received):
            return ["no complete reply within \(HTTPFuzzTests.replyBound)" + (received.isEmpty ? "" : " (got \(FuzzExchange.printable(Array(received.prefix(200)))))")]
        case .closedWithoutReply, .cannotConnect:
            return request.requiresReply ? ["\(outcome.result), where a documented status with a JSON body was due"
                                            + (outcome.sendError.map { " (sending: \($0))" } ?? "")] : []
        case .notHTTP:
            return ["\(outcome.result)"]
        }
        var problems: [String] = []
        let endpoint = request.endpoint
        var allowed = endpoint.documentedStatuses
        if request.isMalformedHTTP {
            // What the gate answers to malformed HTTP is undocumented [?]: 400 for what cannot be read,
            // 413 for a body over the limit, 431 (RFC 6585) for a request line and headers over the
            // limit, and the route's own statuses where the server could still find one.
            allowed.formUnion([400, 404, 405, 413, 431])
            // A body that stops arriving may be answered 408 (RFC 9110) before the connection closes.
            if !request.requiresReply { allowed.insert(408) }
        }
        if request.stall != nil { allowed.formUnion([400, 408]) }
        if reply.status >= 500, !(reply.status == 503 && endpoint.documentedStatuses.contains(503)) {
            problems.append("a \(reply.status): \(reply)")
        } else if !allowed.contains(reply.status) {
            problems.append("status \(reply.status) is not documented for \(endpoint.rawValue) (allowed \(allowed.sorted())): \(reply)")
        }
        guard !request.isHead else { return problems }
        let contentType = reply.header("content-type")?.lowercased() ?? ""
        if endpoint.allowsPlainText(status: reply.status), contentType.hasPrefix("text/plain") { return problems }
        if !contentType.hasPrefix("application/json") {
            problems.append("Content-Type \(contentType.isEmpty ? "missing" : contentType), not application/json: \(reply)")
        } else if (try? JSONParser.parse(reply.body)) == nil {
            problems.append("the body is not JSON: \(reply)")
        }
        return problems
    }
}
