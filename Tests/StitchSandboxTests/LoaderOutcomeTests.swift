import Foundation
import Logging
import StitchAPI
import StitchTestSupport
import Synchronization
import Testing
@testable import StitchDestination
@testable import StitchSandbox

/// Nothing answered 2xx vanishes (issue 10, items 4–6), over the real API: every accepted batch
/// loads, or its records reach `_sdc_rejected` with a reason and its stream shows an `error_state`
/// in `GET /v4/{client_id}/loads`; the rare batch that cannot reach even that is set aside in
/// `failed/`, and still shows in `/loads` and the log. On SQLite, and on PostgreSQL when
/// `STITCH_TEST_POSTGRES_URL` is set.
@Suite("Loader outcomes over the API", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct LoaderOutcomeTests {
    enum Kind: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgres

        static var available: [Kind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
        static var postgresURL: String? {
            ProcessInfo.processInfo.environment["STITCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        }

        var testDescription: String { rawValue }

        var destination: DestinationKind {
            get throws {
                switch self {
                case .sqlite: return .sqlite
                case .postgres:
                    guard let url = Self.postgresURL else { throw TestFailure("STITCH_TEST_POSTGRES_URL is not set") }
                    return .postgres(try PostgresURL(parsing: url))
                }
            }
        }
    }

    /// A running sandbox with one Import API source, its schema and the account's client id.
    struct Setup {
        var sandbox: RunningSandbox
        var token: String
        var schema: String
        var clientID: Int
        var log: LogRecorder

        func post(_ body: String) async throws -> CurlReply {
            try await StitchSandboxTests.post(sandbox, "/v2/import/batch", token: token, body: body)
        }

        func rows(_ table: String) async throws -> [[String: String]] {
            let result = try await sandbox.destination.rows(schema: schema, table: table, limit: 1000)
            return result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
        }

        /// `/loads` entries of this source (or `source`) by stream name.
        func loads(source: String? = nil) async throws -> [String: JSONValue] {
            let reply = try await request("GET", sandbox.baseURL + "/v4/\(clientID)/loads", token: sandbox.connectToken)
            let data = try #require(reply.json?["data"]?.arrayValue, "\(reply.body)")
            var byStream: [String: JSONValue] = [:]
            for load in data where load["source_name"]?.stringValue == source ?? schema {
                byStream[load["stream_name"]?.stringValue ?? ""] = load
            }
            return byStream
        }

        func errorMessage(_ stream: String, source: String? = nil) async throws -> String? {
            try await loads(source: source)[stream]?["error_state"]?["notification_data"]?["message"]?.stringValue
        }

        var failedFiles: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: sandbox.dataDirectory + "/failed")) ?? []).sorted()
        }
    }

    /// Starts a sandbox on `kind` with a source named `displayName` (its schema must be unused in a
    /// shared PostgreSQL, so it is made unique), runs `body`, then stops it and drops the schema.
    func withSetup(_ kind: Kind, displayName: String = "Outcome", dataDirectory: String? = nil,
                   _ body: (Setup) async throws -> Void) async throws {
        let directory = try dataDirectory ?? makeDataDirectory()
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let log = LogRecorder()
        let sandbox = try await startSandbox(SandboxConfiguration(
            dataDirectory: directory, logger: Logger(label: "test") { _ in log }, discoveryDelay: .milliseconds(10),
            destination: try kind.destination))
        let unique = displayName + " " + UUID().uuidString.prefix(8).lowercased()
        var schema: String?
        func finish() async {
            await sandbox.stop()
            if kind == .postgres, let schema { await Self.dropSchema(schema) }
        }
        do {
            let (id, token) = try await makeImportSource(sandbox, displayName: unique)
            let source = try await request("GET", sandbox.baseURL + "/v4/sources/\(id)", token: sandbox.connectToken)
            let name = try #require(source.json?["name"]?.stringValue)
            schema = name
            let clientID = try #require(source.json?["stitch_client_id"]?.intValue)
            try await body(Setup(sandbox: sandbox, token: token, schema: name, clientID: clientID, log: log))
        } catch {
            await finish()
            throw error
        }
        await finish()
    }

    static func dropSchema(_ schema: String) async {
        guard let url = Kind.postgresURL.flatMap({ try? PostgresURL(parsing: $0) }) else { return }
        let destination = PostgresDestination(url: url)
        _ = try? await destination.query("DROP SCHEMA IF EXISTS \(schema.quotedIdentifier) CASCADE", types: [])
        for table in ["loads", "table_versions"] {
            _ = try? await destination.query("DELETE FROM \(SQLDialect.bookkeepingSchema).\(table) WHERE schema_name = $1::text",
                                             [.text(schema)], types: [])
        }
        await destination.close()
    }

    static func batch(_ table: String, _ records: [String], keys: String = #"["id"]"#,
                      schema: String = #"{"properties":{"id":{"type":"integer"},"name":{"type":"string"}}}"#) -> String {
        let messages = records.map { #"{"action":"upsert","sequence":1,"data":\#($0)}"# }.joined(separator: ",")
        return #"{"table_name":"\#(table)","schema":\#(schema),"messages":[\#(messages)],"key_names":\#(keys)}"#
    }

    // MARK: Item 4: sqlite_ names

    @Test("sqlite_x and SQLITE_Master: 201, then on SQLite their records are in _sdc_rejected with the rule and /loads shows the error",
          arguments: Kind.available)
    func sqliteReservedTableNames(kind: Kind) async throws {
        try await withSetup(kind) { setup in
            for table in ["sqlite_x", "SQLITE_Master"] {
                let reply = try await setup.post(Self.batch(table, [#"{"id":1,"name":"Finn"}"#, #"{"id":2,"name":"Jake"}"#]))
                #expect(reply.status == 201, "\(table): \(reply.body)")
            }
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(setup.failedFiles.isEmpty)
            let rejected = try await setup.rows("_sdc_rejected")
            let loads = try await setup.loads()
            for table in ["sqlite_x", "SQLITE_Master"] {
                let reason = "Table name \(table) is reserved: SQLite keeps names starting with sqlite_ (in any case) for itself"
                switch kind {
                case .sqlite:
                    #expect(rejected.filter { $0["table_name"] == table }.map { $0["record"] }
                                == [#"{"id":1,"name":"Finn"}"#, #"{"id":2,"name":"Jake"}"#])
                    #expect(rejected.filter { $0["table_name"] == table }.allSatisfy { $0["reason"] == reason })
                    #expect(loads[table]?["last_batch_loaded_at"] == .null)
                    let message = try await setup.errorMessage(table)
                    #expect(message?.hasSuffix("rejected into _sdc_rejected: " + reason) == true, "\(message ?? "no error")")
                case .postgres:
                    #expect(rejected.isEmpty)
                    #expect(try await setup.rows(table).map { $0["name"] } == ["Finn", "Jake"])
                    #expect(loads[table]?["error_state"] == .null)
                }
            }
        }
    }

    // MARK: Item 6: int64 bounds, numbers' text

    @Test("An integer below Int64.min gets 201 and is rejected at load like one above Int64.max; the record keeps numbers as sent",
          arguments: Kind.available)
    func integerBounds(kind: Kind) async throws {
        try await withSetup(kind) { setup in
            let schema = #"{"properties":{"id":{"type":"integer"},"n":{"type":"integer"},"x":{"type":"number"}}}"#
            let body = Self.batch("numbers", [
                #"{"id":1,"n":-9223372036854775809,"x":1.0}"#,
                #"{"id":2,"n":9223372036854775808,"x":1e3}"#,
                #"{"id":3,"n":-9223372036854775808,"x":12345678901234567890.5}"#,
            ], schema: schema)
            #expect(try await setup.post(body).status == 201)
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(try await setup.rows("numbers").map { [$0["id"], $0["n"]] } == [["3", "-9223372036854775808"]])
            let rejected = try await setup.rows("_sdc_rejected")
            #expect(Dictionary(uniqueKeysWithValues: rejected.map { ($0["record"] ?? "", $0["reason"] ?? "") }) == [
                #"{"id":1,"n":-9223372036854775809,"x":1.0}"#: "Value -9.223372036854776e+18 of field n is out of range for bigint",
                #"{"id":2,"n":9223372036854775808,"x":1e3}"#: "Value 9.223372036854776e+18 of field n is out of range for bigint",
            ])
            // Some records loaded: the stream is not in an error state; the log names the rejects.
            #expect(try await setup.loads()["numbers"]?["error_state"] == .null)
            #expect(setup.log.messages.contains { $0.hasPrefix("Records rejected into _sdc_rejected") && $0.contains("rejected=2") })
        }
    }

    // MARK: Every other way a batch could end in failed/

    @Test("A batch the destination refuses as a whole (a trigger or constraint added by hand): its records go to _sdc_rejected",
          arguments: Kind.available)
    func refusedBatch(kind: Kind) async throws {
        try await withSetup(kind) { setup in
            #expect(try await setup.post(Self.batch("customers", [#"{"id":1,"name":"Finn"}"#])).status == 201)
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            switch kind {
            case .sqlite:
                try await runTool("/usr/bin/sqlite3", [setup.sandbox.dataDirectory + "/destination/\(setup.schema).sqlite", """
                    CREATE TRIGGER no_jakes BEFORE INSERT ON customers WHEN NEW.name = 'Jake'
                    BEGIN SELECT RAISE(ABORT, 'no Jakes here'); END;
                    """])
            case .postgres:
                let destination = try #require(setup.sandbox.destination as? PostgresDestination)
                _ = try await destination.query(
                    "ALTER TABLE \(setup.schema.quotedIdentifier).customers ADD CONSTRAINT no_jakes CHECK (name <> 'Jake')", types: [])
            }
            let refused = Self.batch("customers", [#"{"id":2,"name":"Jake"}"#, #"{"id":3, "name":"Bmo"}"#])
            #expect(try await setup.post(refused).status == 201)
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(setup.failedFiles.isEmpty)
            #expect(try await setup.rows("customers").map { $0["name"] } == ["Finn"])
            let rejected = try await setup.rows("_sdc_rejected")
            #expect(rejected.map { $0["record"] } == [#"{"id":2,"name":"Jake"}"#, #"{"id":3,"name":"Bmo"}"#])
            let reason = try #require(rejected.first?["reason"])
            #expect(reason.hasPrefix("The destination refused the batch: "))
            #expect(reason.contains(kind == .sqlite ? "no Jakes here" : "no_jakes"))
            #expect(rejected.allSatisfy { $0["reason"] == reason && $0["table_name"] == "customers" })
            let message = try #require(try await setup.errorMessage("customers"))
            #expect(message.hasPrefix("2 records of batch ") && message.hasSuffix(" rejected into _sdc_rejected: " + reason))
            #expect(setup.log.messages.contains { $0.hasPrefix("Batch rejected into _sdc_rejected") })

            // The next batch that loads clears the error state.
            #expect(try await setup.post(Self.batch("customers", [#"{"id":4,"name":"Pb"}"#])).status == 201)
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            let load = try #require(try await setup.loads()["customers"])
            #expect(load["error_state"] == .null)
            #expect(load["last_batch_loaded_at"]?.stringValue != nil)
        }
    }

    @Test("Damaged inbox batches: an unparsable body goes to _sdc_rejected as text, a damaged header or a record failing its checksum to failed/; all in /loads and the log")
    func damagedInboxFiles() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var schema = ""
        try await withSetup(.sqlite, dataDirectory: directory) { setup in schema = setup.schema }
        // Written while no sandbox runs, as a disk fault or a person would leave them.
        let inbox = try Inbox(dataDirectory: directory)
        let checksumNumber = try await inbox.accept(sourceID: 1, schemaName: schema, receivedAt: .now(),
                                                    body: Array(Self.batch("invoices", [#"{"id":1}"#]).utf8))
        let damagedBody = #"{"table_name":"customers","schema":{},"messages":[{"action":"upsert","sequence":1,"data":{"id":1"#
        let bodyNumber = try await inbox.accept(sourceID: 1, schemaName: schema, receivedAt: .now(), body: Array(damagedBody.utf8))
        // A byte of the first record's body changed on disk: it fails its checksum (the record
        // after it shows it is not a torn write at the log's end).
        let segmentPath = inbox.directory + "/" + (try #require(inboxWaitingFiles(directory).first))
        var segment = try #require(FileManager.default.contents(atPath: segmentPath))
        let invoices = try #require(segment.range(of: Data(#""messages""#.utf8)))
        segment[invoices.lowerBound + 3] ^= 0x01
        try segment.write(to: URL(fileURLWithPath: segmentPath))
        // A batch file of the format before the log (still loaded) whose header line is damaged.
        let headerNumber = bodyNumber + 1
        let headerPath = inbox.directory + "/" + Inbox.fileName(of: headerNumber)
        try Data(("#garbage#!" + #""schema":"\#(schema)"}"# + "\n" + Self.batch("orders", [#"{"id":1}"#])).utf8)
            .write(to: URL(fileURLWithPath: headerPath))

        try await withSetup(.sqlite, dataDirectory: directory) { setup in
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(inboxWaitingFiles(directory).isEmpty)

            let rejected = try DestinationReader.rows(schema: schema, table: "_sdc_rejected", dataDirectory: directory)
            let record = try #require(rejected.columns.firstIndex(of: "record"))
            let reason = try #require(rejected.columns.firstIndex(of: "reason"))
            let table = try #require(rejected.columns.firstIndex(of: "table_name"))
            #expect(rejected.rows.map { $0[record] } == [damagedBody])
            #expect(rejected.rows.map { $0[table] } == ["customers"])
            #expect(rejected.rows.first?[reason].hasPrefix("Stored batch \(bodyNumber) cannot be read back: the body is not JSON") == true)

            let request = try await request("GET", setup.sandbox.baseURL + "/v4/\(setup.clientID)/loads",
                                            token: setup.sandbox.connectToken)
            let loads = try #require(request.json?["data"]?.arrayValue)
            func message(_ stream: String) -> String? {
                loads.first { $0["stream_name"]?.stringValue == stream && $0["source_name"]?.stringValue == schema }?[
                    "error_state"]?["notification_data"]?["message"]?.stringValue
            }
            #expect(message("customers")?.contains("cannot be read back") == true)
            // The damaged header still names its schema and the body its table: the entry says where the file went.
            let setAside = try #require(message("orders"))
            #expect(setAside.contains("set aside as \(directory)/failed/"))
            #expect(setAside.contains("inbox batch \(headerNumber) is unreadable: the header line is damaged"))
            let checksum = try #require(message("invoices"))
            #expect(checksum.contains("inbox batch \(checksumNumber) is unreadable: its checksum does not match"))
            #expect(setup.failedFiles == [Inbox.fileName(of: checksumNumber), Inbox.fileName(of: checksumNumber) + ".error",
                                          Inbox.fileName(of: headerNumber), Inbox.fileName(of: headerNumber) + ".error"])
            for number in [checksumNumber, headerNumber] {
                #expect(setup.log.messages.contains { $0.hasPrefix("Batch set aside in failed/") && $0.contains("batch=\(number)") })
            }
        }
    }

    @Test("A replay of a wholly rejected batch (a crash before it left the inbox) keeps the stream's error state")
    func replayKeepsErrorState() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var schema = ""
        try await withSetup(.sqlite, dataDirectory: directory) { setup in schema = setup.schema }
        let inbox = try Inbox(dataDirectory: directory)
        _ = try await inbox.accept(sourceID: 1, schemaName: schema, receivedAt: .now(),
                                   body: Array(Self.batch("sqlite_x", [#"{"id":1}"#]).utf8))
        // The inbox log's segment holding the batch.
        let path = inbox.directory + "/" + (try #require(inboxWaitingFiles(directory).first))
        let stored = try #require(FileManager.default.contents(atPath: path))
        var firstMessage: String?
        try await withSetup(.sqlite, dataDirectory: directory) { setup in
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            firstMessage = try await setup.errorMessage("sqlite_x", source: schema)
        }
        #expect(firstMessage?.contains("rejected into _sdc_rejected") == true)
        // As if the sandbox died after the rejection committed, before the segment was deleted and
        // the inbox noted the batch as loaded.
        #expect(inboxWaitingFiles(directory).isEmpty)
        try stored.write(to: URL(fileURLWithPath: path))
        try FileManager.default.removeItem(atPath: directory + "/" + Inbox.loadedMarkerName)
        try await withSetup(.sqlite, dataDirectory: directory) { setup in
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(inboxWaitingFiles(directory).isEmpty)
            #expect(try await setup.errorMessage("sqlite_x", source: schema) == firstMessage)
            let rejected = try DestinationReader.rows(schema: schema, table: "_sdc_rejected", dataDirectory: directory)
            #expect(rejected.rows.count == 1)
        }
    }

    @Test("A schema PostgreSQL refuses (pg_…): nothing can store the records, so the batch is set aside, never silently",
          .enabled(if: Kind.postgresURL != nil))
    func postgresReservedSchema() async throws {
        try await withSetup(.postgres, displayName: "pg demo") { setup in
            #expect(setup.schema.hasPrefix("pg_demo_"))
            #expect(try await setup.post(Self.batch("customers", [#"{"id":1,"name":"Finn"}"#])).status == 201)
            #expect(await setup.sandbox.waitUntilLoaded(timeout: .seconds(30)))
            #expect(setup.failedFiles.count == 2)
            let message = try #require(try await setup.errorMessage("customers"))
            #expect(message.contains("unacceptable schema name") && message.contains("failed/"))
        }
    }
}

/// Runs a command line tool and fails the test if it fails.
func runTool(_ path: String, _ arguments: [String]) async throws {
    let outcome = try await ChildProcess.run(path, arguments, timeout: .seconds(120))
    guard outcome.succeeded else {
        throw TestFailure("\(path) \(arguments) ended with \(outcome.endDescription): \(outcome.standardError)")
    }
}

/// Keeps everything the sandbox logs, as `message key=value …` lines. One recorder is shared by
/// every copy of the handler, so it ignores level and metadata changes.
final class LogRecorder: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let details = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let line = ([event.message.description] + details).joined(separator: " ")
        lines.withLock { $0.append(line) }
    }

    var messages: [String] { lines.withLock { $0 } }
}
