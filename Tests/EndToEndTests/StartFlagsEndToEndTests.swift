import Foundation
import StitchTestSupport
import Testing

/// The wizard's start flags, read by `QuickStartArguments` without argument-parser when they are
/// plain. The debug binary asserts, on every run, that each quick parse sets every flag and agrees
/// with argument-parser's; these runs cover each flag and option, both `--name value` and
/// `--name=value`, and the uses that must still go to argument-parser. Standard input is
/// /dev/null and no Connect token is set, so each run stops at the token question: nothing is sent.
@Suite(.timeLimit(.minutes(2)))
struct StartFlagsEndToEndTests {
    /// A Connect API address where nothing listens, in case a run got further than the token.
    private static let nowhere = "http://127.0.0.1:9"

    private func runWizard(_ arguments: [String]) throws -> CommandOutcome {
        var environment = ProcessInfo.processInfo.environment
        environment["STITCH_CONNECT_TOKEN"] = nil
        environment["STITCH_IMPORT_TOKEN"] = nil
        return try ChildProcess.run(Products.path("stitch-wizard"), arguments, environment: environment,
                                    timeout: .seconds(60))
    }

    @Test func quickParsesAgreeWithArgumentParser() throws {
        let directory = try temporaryDirectory("start-flags")
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = directory.appendingPathComponent("records.jsonl").path
        let token = directory.appendingPathComponent("token.txt").path
        try "{\"id\": 1}\n".write(toFile: records, atomically: true, encoding: .utf8)
        try "a-fake-token\n".write(toFile: token, atomically: true, encoding: .utf8)
        chmod(token, 0o600)
        let runs: [[String]] = [
            ["--connect-url", Self.nowhere],
            ["--connect-url=\(Self.nowhere)", "--region", "eu", "--accessible"],
            ["--accessible", "--region=na", "--connect-url", Self.nowhere, "--import-url", Self.nowhere],
            ["--connect-url", Self.nowhere, "--source", "7", "--token-file", token],
            ["--connect-url", Self.nowhere, "--source-type=platform.postgres", "--records", records],
        ]
        for arguments in runs {
            let run = try runWizard(arguments)
            #expect(run.exitedNormally && run.exitCode == 1, "\(arguments): \(run.endDescription)\n\(run.standardError)")
            #expect(!run.standardError.contains("Assertion failed"), "\(arguments): \(run.standardError)")
            #expect(run.standardError.contains("Input ended before the wizard finished"), "\(arguments): \(run.standardError)")
        }
    }

    @Test func usageErrorsReadTheSameEitherWay() throws {
        // Read quickly, then refused by the run's own checks.
        let bothStarts = try runWizard(["--connect-url", Self.nowhere, "--source", "7", "--source-type", "import_api"])
        #expect(bothStarts.exitCode == 64, "\(bothStarts.endDescription)")
        #expect(bothStarts.standardError.contains("give only one"), "\(bothStarts.standardError)")
        // Refused by validate(): argument-parser reads them and says why.
        let region = try runWizard(["--region", "xx"])
        #expect(region.exitCode == 64 && region.standardError.contains("--region must be na"), "\(region.standardError)")
        let data = try runWizard(["--data", "/nonexistent"])
        #expect(data.exitCode == 64 && data.standardError.contains("--data only applies with --sandbox"), "\(data.standardError)")
        // Repeated and unknown flags go to argument-parser as before.
        let repeated = try runWizard(["--connect-url", Self.nowhere, "--source-type=import_api", "--source-type=x"])
        #expect(repeated.exitCode == 1 && !repeated.standardError.contains("Assertion failed"), "\(repeated.standardError)")
        let unknown = try runWizard(["--sandbox", "--no-such-flag"])
        #expect(unknown.exitCode == 64 && unknown.standardError.contains("Unknown option '--no-such-flag'"),
                "\(unknown.standardError)")
    }
}
