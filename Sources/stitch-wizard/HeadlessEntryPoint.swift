import ArgumentParser
import Foundation

extension StitchWizardCommand {
    /// The headless commands promise exit status 2 for usage errors (argument-parser's default is
    /// 64); the wizard itself keeps argument-parser's statuses.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let headless = ["push", "sources", "tokens", "status"]
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as HeadlessError {
            Terminal.standardError("stitch-wizard: \(error)")
            Foundation.exit(error.exitStatus)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure, let first = arguments.first, headless.contains(first) {
                Terminal.standardError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
