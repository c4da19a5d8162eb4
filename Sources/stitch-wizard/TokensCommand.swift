import ArgumentParser
import Foundation
import StitchAPI
import StitchClient

/// `stitch-wizard tokens list|create|revoke`: Import API tokens of a source (spec §2.5.8).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "List, create or revoke a source's Import API tokens.",
        subcommands: [List.self, Create.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the source's active tokens (ids, never values).")
        @Option(help: ArgumentHelp("The source (default: source_id of the config file).", valueName: "id")) var source: Int?
        @OptionGroup var options: ConnectOptions
        @ParentCommand var wizard: StitchWizardCommand

        func run() async throws {
            let client = try options.client(connectURL: wizard.connectURL)
            let id = try options.sourceID(source ?? wizard.sourceID)
            let list = try await callingAPI { try await client.tokens(sourceID: id) }
            if options.json { return try printJSON(list) }
            printTable(["TOKEN ID", "CREATED AT"], list.tokens.map { [String($0.tokenID), $0.createdAt ?? ""] })
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token. Its value is shown once: printed, or written to a new 0600 file with --save.")
        @Option(help: ArgumentHelp("The source (default: source_id of the config file).", valueName: "id")) var source: Int?
        @Option(help: ArgumentHelp("Write the token to this new file (mode 0600, never overwritten) instead of printing it.",
                                   valueName: "path"))
        var save: String?
        @OptionGroup var options: ConnectOptions
        @ParentCommand var wizard: StitchWizardCommand

        func validate() throws {
            if let save, FileManager.default.fileExists(atPath: save) {
                throw ValidationError("\(save) already exists; a token file is never overwritten")
            }
        }

        func run() async throws {
            let client = try options.client(connectURL: wizard.connectURL)
            let id = try options.sourceID(source ?? wizard.sourceID)
            let token = try await callingAPI { try await client.createToken(sourceID: id) }
            if let save {
                try Self.writeNewPrivateFile(token.accessToken + "\n", to: save)
                if options.json {
                    try printJSON(["id": token.id, "source_id": id])
                } else {
                    Terminal.standardOutput("Token \(token.id) of source \(id) saved to \(save) (mode 0600).")
                }
            } else if options.json {
                try printJSON(token)
            } else {
                Terminal.standardOutput(token.accessToken)
                Terminal.standardError("Token \(token.id) of source \(id): shown once; store it now (or use --save PATH next time).")
            }
        }

        /// O_EXCL and mode 0600 from the start: no moment where another user could read it, and an
        /// older token someone still needs is never overwritten.
        static func writeNewPrivateFile(_ text: String, to path: String) throws(HeadlessError) {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw .usage("could not create \(path): \(String(cString: strerror(errno))) (the token was created; "
                    + "revoke it with `tokens revoke` if it is lost)")
            }
            defer { close(descriptor) }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(descriptor) == 0 else {
                unlink(path)
                throw .usage("could not write \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @Argument(help: "The token's id (see tokens list).") var tokenID: Int
        @Option(help: ArgumentHelp("The source (default: source_id of the config file).", valueName: "id")) var source: Int?
        @OptionGroup var options: ConnectOptions
        @ParentCommand var wizard: StitchWizardCommand

        func run() async throws {
            let client = try options.client(connectURL: wizard.connectURL)
            let id = try options.sourceID(source ?? wizard.sourceID)
            let tokenID = self.tokenID
            let updated = try await callingAPI { try await client.revokeToken(sourceID: id, tokenID: tokenID) }
            if options.json { return try printJSON(["revoked": tokenID, "source_id": updated.id]) }
            Terminal.standardOutput("Token \(tokenID) of source \(id) revoked.")
        }
    }
}
