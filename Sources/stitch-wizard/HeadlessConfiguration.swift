import Foundation
import StitchAPI

/// `$XDG_CONFIG_HOME/stitch-wizard/config.json` (or `~/.config/…`): base URLs, region and a
/// default source for the headless commands. Never tokens: a file that holds one is refused, so
/// a token cannot sit in a config file that gets copied around or committed.
///
/// ```json
/// {"import_url": "http://127.0.0.1:8787", "connect_url": "http://127.0.0.1:8787", "region": "eu", "source_id": 42}
/// ```
struct HeadlessConfiguration: Sendable {
    var importURL: String?
    var connectURL: String?
    var region: ImportRegion?
    var sourceID: Int?

    static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config").path
        return base + "/stitch-wizard/config.json"
    }

    /// The configuration at `path`; an empty one when there is no file.
    static func load(from path: String = defaultPath) throws(HeadlessError) -> HeadlessConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { return HeadlessConfiguration() }
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(data))
        } catch {
            throw .usage("\(path) is not valid JSON: \(error)")
        }
        guard let object = json.objectValue else { throw .usage("\(path) must hold a JSON object") }
        let known = ["import_url", "connect_url", "region", "source_id"]
        for key in object.keys where !known.contains(key) {
            if key.lowercased().contains("token") {
                throw .usage("\(path) holds “\(key)”: tokens never go in the config file. Use --token-file PATH "
                    + "(mode 0600) or the STITCH_IMPORT_TOKEN / STITCH_CONNECT_TOKEN environment variables.")
            }
            throw .usage("\(path) has an unknown key “\(key)” (known: \(known.joined(separator: ", ")))")
        }
        var configuration = HeadlessConfiguration()
        configuration.importURL = object["import_url"]?.stringValue
        configuration.connectURL = object["connect_url"]?.stringValue
        if let region = object["region"]?.stringValue {
            guard let value = ImportRegion(rawValue: region) else { throw .usage("\(path): region must be na or eu, not \(region)") }
            configuration.region = value
        }
        if let source = object["source_id"] {
            guard case .integer(let id) = source else { throw .usage("\(path): source_id must be an integer") }
            configuration.sourceID = Int(id)
        }
        return configuration
    }
}

/// A headless command's failure, with the exit status it maps to.
enum HeadlessError: Error, CustomStringConvertible {
    /// Bad arguments, configuration or token file: exit 2.
    case usage(String)
    /// 401/403: exit 3.
    case authentication(String)
    /// Nothing or an error from the server: exit 4.
    case unavailable(String)
    /// Any other refusal by the API: exit 1.
    case rejected(String)

    var description: String {
        switch self {
        case .usage(let text), .authentication(let text), .unavailable(let text), .rejected(let text): text
        }
    }

    var exitStatus: Int32 {
        switch self {
        case .usage: 2
        case .authentication: 3
        case .unavailable: 4
        case .rejected: 1
        }
    }
}

/// Secrets come from a file or the environment, never from argv (where `ps` shows them).
enum SecretSource {
    /// The token in `path` (surrounding whitespace trimmed); warns when others may read the file.
    static func token(fromFile path: String) throws(HeadlessError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("cannot read the token file \(path)")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            Terminal.standardError("Warning: \(path) can be read by other users (mode \(String(mode, radix: 8))); chmod 600 it.")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .usage("the token file \(path) is empty") }
        return token
    }

    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Writing to the standard streams from any thread.
enum Terminal {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func standardOutput(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}
