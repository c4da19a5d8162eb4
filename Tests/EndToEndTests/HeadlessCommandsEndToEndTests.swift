import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `status`, `sources` and `tokens` of the real `stitch-wizard` against the real sandbox, with
/// URLs and the default source from the config file and secrets only in files or the environment.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HeadlessCommandsEndToEndTests {
    @Test func statusSourcesAndTokensWithTheConfigFile() throws {
        let work = try temporaryDirectory("headless")
        defer { try? FileManager.default.removeItem(at: work) }
        let sandbox = try SandboxProcess(dataDirectory: work.appendingPathComponent("data"), connectToken: "ac_e2e_fake_connect_token")
        defer { sandbox.stop() }
        let source = try ImportSource.create(in: sandbox, work: work, displayName: "Headless E2E")

        let configDirectory = work.appendingPathComponent("config/stitch-wizard")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        let configFile = configDirectory.appendingPathComponent("config.json")
        try Data(JSONValue.object(JSONObject([
            ("import_url", .string(sandbox.baseURL)), ("connect_url", .string(sandbox.baseURL)), ("source_id", .integer(source.id)),
        ])).jsonText.utf8).write(to: configFile)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = work.appendingPathComponent("config").path
        environment["STITCH_IMPORT_TOKEN"] = nil
        environment["STITCH_CONNECT_TOKEN"] = sandbox.connectToken
        func wizard(_ arguments: [String], input: String = "/dev/null") throws -> CommandOutcome {
            try execute(Products.path("stitch-wizard"), arguments, environment: environment, standardInput: input,
                        timeout: .seconds(60))
        }

        let status = try wizard(["status", "--json"])
        #expect(status.succeeded, "\(status.standardError)")
        #expect(try JSONParser.parse(status.standardOutput)["status"] == "OK")

        let sources = try wizard(["sources", "list", "--json"])
        #expect(try JSONParser.parse(sources.standardOutput).arrayValue?.compactMap { $0["name"]?.stringValue } == [source.schema])
        let shown = try wizard(["sources", "show", "\(source.id)"])
        #expect(shown.standardOutput.contains(source.schema))
        #expect(try wizard(["sources", "show", "999999"]).exitCode == 1, "a missing source is an API refusal")

        // The new token goes to a new 0600 file and is never printed.
        let tokenFile = work.appendingPathComponent("new-token")
        let created = try wizard(["tokens", "create", "--save", tokenFile.path])
        #expect(created.succeeded, "\(created.standardError)")
        #expect(try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as? Int == 0o600)
        let newToken = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newToken.count > 10 && !created.standardOutput.contains(newToken) && !created.standardError.contains(newToken))
        #expect(try wizard(["tokens", "create", "--save", tokenFile.path]).exitCode == 2, "an existing file is never overwritten")

        // The saved token pushes.
        let records = work.appendingPathComponent("r.jsonl")
        try Data("{\"id\":1}\n{\"id\":2}\n".utf8).write(to: records)
        let pushed = try wizard(["push", records.path, "--table", "t", "--key", "id", "--token-file", tokenFile.path])
        #expect(pushed.succeeded, "\(pushed.standardError)")

        let listed = try JSONParser.parse(try wizard(["tokens", "list", "--json"]).standardOutput)
        let ids = listed.arrayValue?.compactMap { value -> Int64? in if case .integer(let id)? = value["token_id"] { id } else { nil } } ?? []
        #expect(ids.count == 2)
        let newest = try #require(ids.max())
        #expect(try wizard(["tokens", "revoke", "\(newest)"]).succeeded)
        let refused = try wizard(["push", records.path, "--table", "t", "--key", "id", "--token-file", tokenFile.path])
        #expect(refused.exitCode == 3, "a revoked token is an authentication failure: \(refused.standardError)")

        // Wrong Connect token: 3; no Connect token: usage, 2; a token in the config file: refused, 2.
        environment["STITCH_CONNECT_TOKEN"] = "ac_wrong"
        #expect(try wizard(["sources", "list"]).exitCode == 3)
        environment["STITCH_CONNECT_TOKEN"] = nil
        #expect(try wizard(["sources", "list"]).exitCode == 2)
        try Data(#"{"token": "at_should_not_be_here"}"#.utf8).write(to: configFile)
        let refusedConfig = try wizard(["status"])
        #expect(refusedConfig.exitCode == 2 && refusedConfig.standardError.contains("tokens never go in the config file"))
    }

    @Test func usageErrorsExitWith2AndNetworkFailuresWith4() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-e2e-no-config").path
        environment["STITCH_IMPORT_TOKEN"] = "fake-import-token"
        let wizard = Products.path("stitch-wizard")
        #expect(try execute(wizard, ["push", "--bogus"], environment: environment).exitCode == 2)
        #expect(try execute(wizard, ["push", "x.jsonl"], environment: environment).exitCode == 2, "--table is missing")
        let port = try freeLoopbackPort()
        let unreachable = try execute(wizard, ["push", "--table", "t", "--import-url", "http://127.0.0.1:\(port)", "--max-retries", "1"],
                                      environment: environment, standardInput: "/dev/null", timeout: .seconds(30))
        #expect(unreachable.exitCode == 0, "empty input sends nothing: \(unreachable.standardError)")
        let records = FileManager.default.temporaryDirectory.appendingPathComponent("stitch-e2e-\(UUID().uuidString).jsonl")
        try Data("{\"id\":1}\n".utf8).write(to: records)
        defer { try? FileManager.default.removeItem(at: records) }
        let refused = try execute(wizard, ["push", records.path, "--table", "t", "--import-url", "http://127.0.0.1:\(port)", "--max-retries", "1"],
                                  environment: environment, timeout: .seconds(30))
        #expect(refused.exitCode == 4, "\(refused.standardError)")
        #expect(try execute(wizard, ["status", "--import-url", "http://127.0.0.1:\(port)"], environment: environment,
                            timeout: .seconds(30)).exitCode == 4)
    }
}
