import ArgumentParser
import Foundation
import WizardRuntime

extension StitchWizardCommand {
    /// The headless commands promise exit status 2 for usage errors (argument-parser's default is
    /// 64); the wizard itself keeps argument-parser's statuses.
    ///
    /// On the main actor, where the wizard's start runs (`start()`): no hop before the first frame.
    @MainActor
    static func main() async {
        StartupTrace.mark("main")
        let arguments = Array(CommandLine.arguments.dropFirst())
        let headless = ["push", "sources", "tokens", "status"]
        do {
            if let quick = QuickStartArguments.command(from: arguments) {
                assert(QuickStartArguments.allStartFlagsSet(in: quick), "QuickStartArguments left a start flag unset")
                assert(isSameParse(quick, arguments), "QuickStartArguments differs from argument-parser for \(arguments)")
                StartupTrace.mark("parsed")
                try await quick.start()
                return
            }
            var command = try parseAsRoot(arguments)
            StartupTrace.mark("parsed")
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

    /// For the debug builds' check of `QuickStartArguments`: argument-parser reads `arguments` as
    /// the same start flags.
    private static func isSameParse(_ quick: StitchWizardCommand, _ arguments: [String]) -> Bool {
        guard let full = try? parseAsRoot(arguments) as? StitchWizardCommand else { return false }
        return quick.hasSameStartFlags(as: full)
    }
}
