import ArgumentParser
import StitchAPI
import StitchClient

/// `stitch-wizard status`: `GET /v2/import/status` (spec §3.2), no token needed.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Check the Import API's status (exit 0 when OK, 4 when down or unreachable).")

    @Flag(help: "Print JSON instead of text.") var json = false
    @ParentCommand var wizard: StitchWizardCommand

    func run() async throws {
        let settings = try HeadlessConfiguration.load()
        let url: String
        if let given = wizard.importURL {
            url = given
        } else if let region = ImportRegion(rawValue: wizard.region), region != .northAmerica {
            url = region.baseURL
        } else {
            url = settings.importURL ?? (settings.region ?? .northAmerica).baseURL
        }
        let client: ImportClient
        do {
            // The status call sends no token; the client needs one only for batches.
            client = try ImportClient(baseURL: url, token: "status-check-sends-no-token")
        } catch {
            throw HeadlessError.usage(error.description)
        }
        let status: ImportAPIStatus
        do {
            status = try await callingAPI { try await client.status() }
        } catch {
            // Any refusal of a status check means the API is not usable: exit 4, not 1.
            if case .rejected = error { throw HeadlessError.unavailable(error.description) }
            throw error
        }
        if json {
            try printJSON(status)
        } else {
            Terminal.standardOutput("\(url): \(status.status)" + (status.reason.map { " (\($0))" } ?? ""))
        }
        if status.status != "OK" { throw ExitCode(4) }
    }
}
