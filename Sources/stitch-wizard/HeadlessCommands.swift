import ArgumentParser

/// The commands without screens (`push`, …). The bare command stays the wizard: with no
/// subcommand named, argument-parser runs `StitchWizardCommand` itself.
enum HeadlessCommands {
    static let all: [any ParsableCommand.Type] = [PushCommand.self, SourcesCommand.self, TokensCommand.self, StatusCommand.self]
}
