import ArgumentParser
import Foundation
import StitchAPI
import StitchClient

/// What the Connect API commands (`sources`, `tokens`) share: where the token comes from, which
/// URL and source to use, and how failures map to exit statuses.
struct ConnectOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A file holding the Connect API token (else STITCH_CONNECT_TOKEN).", valueName: "path"))
    var connectTokenFile: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// The Connect client: URL from --connect-url (the wizard's option), else the config file's
    /// connect_url, else Stitch's.
    func client(connectURL: String) throws(HeadlessError) -> ConnectClient {
        let settings = try HeadlessConfiguration.load()
        let token: String
        if let connectTokenFile {
            token = try SecretSource.token(fromFile: connectTokenFile)
        } else if let value = SecretSource.environment("STITCH_CONNECT_TOKEN") {
            token = value
        } else {
            throw .usage("no Connect API token: give --connect-token-file PATH (mode 0600) or set STITCH_CONNECT_TOKEN")
        }
        // The root's --connect-url defaults to Stitch's URL, so only another value can be told from "not given".
        let url = connectURL != ConnectEndpoint.defaultBaseURL ? connectURL : (settings.connectURL ?? connectURL)
        do {
            return try ConnectClient(baseURL: url, token: token)
        } catch {
            throw .usage(error.description)
        }
    }

    /// `--source`, else the config file's default source. Callers pass their own `--source` or the
    /// root's: argument-parser hands the value to the root command, whose `--source` has the same name.
    func sourceID(_ given: Int?) throws(HeadlessError) -> Int {
        if let given { return given }
        if let id = try HeadlessConfiguration.load().sourceID { return id }
        throw .usage("no source: give --source ID or set source_id in \(HeadlessConfiguration.defaultPath)")
    }
}

/// Runs one API call, mapping its failure to the headless exit statuses.
func callingAPI<Value>(_ call: () async throws -> Value) async throws(HeadlessError) -> Value {
    do {
        return try await call()
    } catch let error as StitchAPIError {
        let text = "HTTP \(error.statusCode): \(error.rawBody ?? error.message)"
        if error.statusCode == 401 || error.statusCode == 403 { throw .authentication(text) }
        if error.statusCode >= 500 { throw .unavailable(text) }
        throw .rejected(text)
    } catch let error as StitchClientError {
        switch error {
        case .invalidURL, .insecureURL, .invalidToken: throw .usage(error.description)
        default: throw .unavailable(error.description)
        }
    } catch {
        throw .unavailable(String(describing: error))
    }
}

/// JSON for `--json` output: Codable values as the API sends them.
func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    Terminal.standardOutput(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Left-aligned columns for text output.
func printTable(_ header: [String], _ rows: [[String]]) {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    for row in [header] + rows {
        Terminal.standardOutput(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
    }
}
