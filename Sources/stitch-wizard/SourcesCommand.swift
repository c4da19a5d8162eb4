import ArgumentParser
import StitchAPI
import StitchClient

/// `stitch-wizard sources list|show ID`.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "List the account's sources, or show one.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every source (deleted ones marked).")
        @OptionGroup var options: ConnectOptions
        @ParentCommand var wizard: StitchWizardCommand

        func run() async throws {
            let client = try options.client(connectURL: wizard.connectURL)
            let sources = try await callingAPI { try await client.sources() }
            if options.json { return try printJSON(sources) }
            printTable(["ID", "NAME", "DISPLAY NAME", "TYPE", "STATE"], sources.map { source in
                [String(source.id), source.name, source.displayName ?? "", source.type, Self.state(of: source)]
            })
        }

        static func state(of source: Source) -> String {
            if source.deletedAt != nil { return "deleted" }
            if source.pausedAt != nil || source.systemPausedAt != nil { return "paused" }
            return "active"
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one source.")
        @Argument(help: "The source's id.") var id: Int
        @OptionGroup var options: ConnectOptions
        @ParentCommand var wizard: StitchWizardCommand

        func run() async throws {
            let client = try options.client(connectURL: wizard.connectURL)
            let id = self.id
            let source = try await callingAPI { try await client.source(id: id) }
            if options.json { return try printJSON(source) }
            printTable(["FIELD", "VALUE"], [
                ["id", String(source.id)], ["name", source.name], ["display_name", source.displayName ?? ""],
                ["type", source.type], ["state", List.state(of: source)], ["client_id", String(source.stitchClientID)],
                ["created_at", source.createdAt], ["updated_at", source.updatedAt],
                ["paused_at", source.pausedAt ?? ""], ["deleted_at", source.deletedAt ?? ""],
            ])
        }
    }
}
