import Foundation
import StitchAPI
import StitchDestination
import StitchSandbox
import Testing
import StitchTestSupport

/// A fresh data directory, unique per test, so tests run in parallel.
func makeDataDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "stitch-sandbox-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `body` against a sandbox on a free loopback port, then stops it.
func withSandbox<T>(dataDirectory: String? = nil, discoveryDelay: Duration = .seconds(2),
                    _ body: (RunningSandbox) async throws -> T) async throws -> T {
    let directory = try dataDirectory ?? makeDataDirectory()
    let sandbox = try await startSandbox(SandboxConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory,
                                                              discoveryDelay: discoveryDelay))
    // A directory made here is removed afterwards (some tests write 20 MiB files into it).
    func finish() async {
        await sandbox.stop()
        if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) }
    }
    do {
        let result = try await body(sandbox)
        await finish()
        return result
    } catch {
        await finish()
        throw error
    }
}

/// One HTTP exchange made with /usr/bin/curl.
struct CurlReply {
    var status: Int
    var contentType: String
    var body: String

    var json: JSONValue? { try? JSONParser.parse(body) }
}

let curlPath = "/usr/bin/curl"

/// Runs curl with `arguments` (URL, method, headers, data as curl takes them) and captures the reply.
///
/// Asynchronous on purpose: blocking a cooperative thread while curl waits would starve the
/// in-process sandbox that has to answer it (the pool has as many threads as cores).
func curl(_ arguments: [String]) async throws -> CurlReply {
    let base = NSTemporaryDirectory() + "curl-" + UUID().uuidString
    let output = base + ".body"
    let written = base + ".meta"
    defer {
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.removeItem(atPath: written)
    }
    // A ChildProcess, not Foundation's Process, whose run() crashes now and then on Linux (see ChildProcess).
    let child = try ChildProcess.spawn(curlPath, arguments + ["--silent", "--show-error", "--output", output,
                                                              "--write-out", "%{http_code}\n%{content_type}"],
                                       standardOutput: written, standardError: nil)
    _ = await child.wait()
    let meta = FileManager.default.contents(atPath: written).map { String(decoding: $0, as: UTF8.self) } ?? ""
    let lines = meta.components(separatedBy: "\n")
    let body = FileManager.default.contents(atPath: output).map { String(decoding: $0, as: UTF8.self) } ?? ""
    return CurlReply(status: Int(lines.first ?? "") ?? 0, contentType: lines.count > 1 ? lines[1] : "", body: body)
}

/// curl for a typical JSON call.
func request(_ method: String, _ url: String, token: String? = nil, contentType: String? = "application/json",
             body: String? = nil) async throws -> CurlReply {
    var arguments = [url, "-X", method]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    if let contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
    if let body { arguments += ["--data-binary", body] }
    return try await curl(arguments)
}

/// Creates an Import API source and a token for it through the Connect API.
func makeImportSource(_ sandbox: RunningSandbox, displayName: String = "Import API") async throws
    -> (id: Int, token: String)
{
    try await makeImportSource(base: sandbox.baseURL, connectToken: sandbox.connectToken, displayName: displayName)
}

/// The same, against any sandbox: a `stitch-sandbox` process is known by its base URL.
func makeImportSource(base: String, connectToken: String, displayName: String = "Import API") async throws
    -> (id: Int, token: String)
{
    let created = try await request("POST", base + "/v4/sources", token: connectToken,
                              body: #"{"type":"import_api","display_name":"\#(displayName)"}"#)
    guard created.status == 200, case .integer(let id)? = created.json?["id"] else {
        throw TestFailure("source creation failed: \(created.status) \(created.body)")
    }
    let token = try await request("POST", base + "/v4/sources/\(id)/tokens", token: connectToken)
    guard let value = token.json?["access_token"]?.stringValue else {
        throw TestFailure("token creation failed: \(token.status) \(token.body)")
    }
    return (Int(id), value)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let customersBatch = """
    {"table_name":"customers","schema":{"properties":{"id":{"type":"integer"},"name":{"type":"string"},\
    "age":{"type":"integer"},"has_magic":{"type":"boolean"}}},"messages":[{"action":"upsert","sequence":1565880017,\
    "data":{"id":1,"name":"Finn","age":15,"has_magic":false}}],"key_names":["id"]}
    """

/// The row (id, name, age, has_magic) of import_api.customers with the given id, or nil.
func customerRow(id: String, dataDirectory: String) -> [String]? {
    guard let table = try? DestinationReader.rows(schema: "import_api", table: "customers",
                                                  dataDirectory: dataDirectory) else { return nil }
    let wanted = ["id", "name", "age", "has_magic"].compactMap { table.columns.firstIndex(of: $0) }
    guard wanted.count == 4 else { return nil }
    return table.rows.first { $0[wanted[0]] == id }.map { row in wanted.map { row[$0] } }
}
