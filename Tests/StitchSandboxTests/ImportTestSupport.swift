import Foundation
import StitchAPI
import StitchSandbox
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An Import API source for tests: its id, its token, and the account's client id (for push bodies).
struct ImportSource {
    var id: Int
    var token: String
    var clientID: Int64
}

func makeImportSourceWithClient(_ sandbox: RunningSandbox, displayName: String = "Import API") async throws
    -> ImportSource
{
    let (id, token) = try await makeImportSource(sandbox, displayName: displayName)
    let source = try await request("GET", sandbox.baseURL + "/v4/sources/\(id)", token: sandbox.connectToken)
    guard case .integer(let clientID)? = source.json?["stitch_client_id"] else {
        throw TestFailure("no stitch_client_id in \(source.body)")
    }
    return ImportSource(id: id, token: token, clientID: clientID)
}

/// Posts `body` to an Import API path with the source's token. A nil `contentType` sends no
/// Content-Type header at all (curl would otherwise add its form default).
func post(_ sandbox: RunningSandbox, _ path: String, token: String?, body: String,
          contentType: String? = "application/json") async throws -> CurlReply {
    var arguments = [sandbox.baseURL + path, "-X", "POST", "-H", contentType.map { "Content-Type: \($0)" } ?? "Content-Type:"]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    return try await curl(arguments + ["--data-binary", body])
}

/// Writes `text` to a file in the sandbox's data directory and returns curl's `@file` argument, for
/// bodies too big for an argument list.
func bodyFile(_ sandbox: RunningSandbox, _ text: String) throws -> String {
    let path = sandbox.dataDirectory + "/body-" + UUID().uuidString + ".json"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return "@" + path
}

/// A reply read off a raw socket: the status, the headers (names lowercased), and the body.
struct RawReply {
    var status: Int
    var headers: [String: String]
    var body: String
}

enum RawHTTPError: Error, CustomStringConvertible {
    case socket(String)
    case noReply(received: String)

    var description: String {
        switch self {
        case .socket(let reason): "socket: \(reason)"
        case .noReply(let received): "no complete reply before the timeout; received: \(received.prefix(300))"
        }
    }
}

/// The head of a `POST /v2/import/batch` for `rawExchange` (no final blank line).
func batchRequestHead(port: Int, token: String, length: Int) -> String {
    "POST /v2/import/batch HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(token)\r\n"
        + "Content-Type: application/json\r\nContent-Length: \(length)\r\nConnection: close"
}

/// Sends `head` (request line and headers, CRLF-separated, without the final blank line) plus `body`
/// over a plain TCP connection, and reads one reply. Used where curl cannot show the point: a reply
/// that must arrive before the client has sent its body.
///
/// Blocking socket calls run on their own thread, never on the cooperative pool that the in-process
/// sandbox needs to answer.
func rawExchange(port: Int, head: String, body: [UInt8] = [], timeoutSeconds: Int = 10) async throws -> RawReply {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RawReply, any Error>) in
        let thread = Thread {
            continuation.resume(with: Result { try blockingExchange(port: port, head: head, body: body,
                                                                    timeoutSeconds: timeoutSeconds) })
        }
        thread.start()
    }
}

private func blockingExchange(port: Int, head: String, body: [UInt8], timeoutSeconds: Int) throws -> RawReply {
    let connection = try TCPConnection(port: port, timeoutSeconds: timeoutSeconds)
    try connection.send(Array((head + "\r\n\r\n").utf8) + body)
    return try connection.readReply()
}

/// A complete reply (headers plus Content-Length bytes), or nil while more is needed.
func parseReply(_ bytes: [UInt8]) -> RawReply? {
    let separator = Array("\r\n\r\n".utf8)
    guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
    let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let body = bytes[(end + separator.count)...]
    let length = headers["content-length"].flatMap(Int.init) ?? 0
    guard body.count >= length else { return nil }
    return RawReply(status: status, headers: headers, body: String(decoding: body.prefix(length), as: UTF8.self))
}
