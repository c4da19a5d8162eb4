import Foundation
import StitchAPI
import StitchSandbox
import Testing
import WizardCore
@testable import WizardRuntime

#if canImport(Glibc)
import Glibc
#endif

/// Standard input, output and error as a script: each answer is given only when the question
/// then open contains the text it expects, so a test fails where the flow went elsewhere.
@MainActor
final class ScriptedConsole: LineConsole {
    typealias Answer = (question: String, line: String?)
    var answers: [Answer]
    var output = ""
    var errors: [String] = []
    /// Each question read, as written, with whether it was read as a secret.
    var questions: [(text: String, isSecret: Bool)] = []
    /// The question open when the script stopped matching, if it did.
    var unexpected: String?

    init(_ answers: [Answer]) { self.answers = answers }

    func write(_ text: String) { output += text }
    func writeError(_ line: String) { errors.append(line) }

    func ask(_ question: String, isSecret: Bool) async -> String? {
        output += question
        questions.append((question, isSecret))
        guard let next = answers.first, question.contains(next.question) else {
            // End of input: the run must stop, and the test reports where.
            if unexpected == nil && !answers.isEmpty { unexpected = question }
            return nil
        }
        answers.removeFirst()
        // A terminal would have echoed the answer and its Enter (a secret's Enter alone).
        output += (isSecret ? "" : next.line ?? "") + "\n"
        return next.line
    }
}

/// The in-process sandbox on a free loopback port, for one test.
struct LineModeSandbox {
    let directory: String
    let running: RunningSandbox

    static func start() async throws -> LineModeSandbox {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)").path
        return LineModeSandbox(directory: directory,
                               running: try await startSandbox(SandboxConfiguration(dataDirectory: directory)))
    }

    var target: WizardTarget {
        WizardTarget(connectBaseURL: running.baseURL, connectToken: running.connectToken, importBaseURL: running.baseURL,
                     isSandbox: true)
    }

    func stop() async {
        await running.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@MainActor
struct LineModeAppTests {
    @Test func walksTheImportAPIFlowAgainstTheSandbox() async throws {
        let sandbox = try await LineModeSandbox.start()
        let tokenPath = sandbox.directory + "/saved-token.txt"
        let console = ScriptedConsole([
            (question: "Choice (number or name) [", line: ""),
            (question: "Display name [Import API]: ", line: ""),
            (question: "Save the token to a new file? [y/n]: ", line: "y"),
            (question: "Save to file [", line: tokenPath),
            (question: "Continue to the test batch? [y/n]: ", line: "y"),
            (question: "Send the example batch? [y/n]: ", line: "y"),
        ])
        let app = LineModeApp(state: WizardState(target: sandbox.target), runner: EffectRunner(), console: console)
        let outcome = await app.run()
        let savedToken = try? String(contentsOfFile: tokenPath, encoding: .utf8)
        let mode = try? FileManager.default.attributesOfItem(atPath: tokenPath)[.posixPermissions] as? Int
        await sandbox.stop()

        #expect(console.unexpected == nil, "the flow asked something else: \(console.output)")
        #expect(console.answers.isEmpty)
        #expect(outcome == .finished)
        #expect(console.errors.isEmpty)
        let output = console.output
        #expect(!output.unicodeScalars.contains("\u{1B}"), "no escape sequence in the line mode")
        // Choices are numbered, and the preselected one is the Enter default.
        #expect(output.contains("1. New import_api source"))
        // Every question is a field or yes/no prompt that ends in ": ".
        #expect(console.questions.allSatisfy { $0.text.hasSuffix(": ") && !$0.isSecret })
        #expect(console.questions.filter { $0.text.hasSuffix("? [y/n]: ") }.count == 3)
        // The token is written once, though three questions follow it on the same screen.
        let token = try #require(savedToken?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(output.components(separatedBy: token).count == 2)
        #expect(mode == 0o600)
        // The batch status, then the exit summary, and nothing asked after it.
        #expect(output.contains("Batch 1: HTTP 201"))
        let summary = try #require(output.range(of: "Created source "))
        #expect(output[summary.lowerBound...].contains("Saved token "))
        #expect(output.hasSuffix("Sent 1 test batch, 1 accepted\n"))
        #expect(app.state.session.source?.type == "import_api")
    }

    @Test func endOfInputCancelsWithAMessageAndStillTellsWhatWasMade() async throws {
        let sandbox = try await LineModeSandbox.start()
        // Input ends at the token's first question: the source and its token exist by then.
        let console = ScriptedConsole([
            (question: "Choice", line: "1"),
            (question: "Display name", line: "Line mode test"),
            (question: "Save the token to a new file?", line: nil),
        ])
        let outcome = await LineModeApp(state: WizardState(target: sandbox.target), runner: EffectRunner(),
                                        console: console).run()
        await sandbox.stop()

        guard case .cancelled(let reason) = outcome else {
            Issue.record("the run was not cancelled: \(outcome)")
            return
        }
        #expect(console.errors == [reason])
        #expect(reason.contains("Input ended"))
        #expect(console.answers.isEmpty)
        #expect(console.output.contains("Created source "))
        #expect(console.output.contains("schema line_mode_test"))
        #expect(!console.output.contains("Sent "))
    }

    @Test func aRefusedAnswerIsAskedAgainWithItsReasonAndChoicesTakeNames() async throws {
        let sandbox = try await LineModeSandbox.start()
        let console = ScriptedConsole([
            (question: "Choice", line: "99"),
            (question: "Choice", line: "nothing like it"),
            (question: "Choice", line: "IMPORT_API"),
            (question: "Display name", line: nil),
        ])
        let outcome = await LineModeApp(state: WizardState(target: sandbox.target), runner: EffectRunner(),
                                        console: console).run()
        await sandbox.stop()

        #expect(console.answers.isEmpty, "the type's name chose it: \(console.output)")
        #expect(outcome != .finished)
        // Each refusal says why, the second too although the screen did not change in between.
        #expect(console.output.components(separatedBy: "Error: Answer with a number from 1 to").count == 3)
        // The options come again with each question.
        #expect(console.output.components(separatedBy: "1. New import_api source").count == 4)
    }

    @Test func theConnectTokenIsReadAsASecretAndNeverWritten() async throws {
        let sandbox = try await LineModeSandbox.start()
        // Against a "real" Stitch: the connect screen comes first, its token masked.
        var target = sandbox.target
        target.isSandbox = false
        target.connectToken = ""
        let console = ScriptedConsole([
            (question: "Connect API token: ", line: sandbox.running.connectToken),
            (question: "Connect API URL [", line: sandbox.running.baseURL),
            (question: "Import API URL", line: sandbox.running.baseURL),
            (question: "Choice", line: nil),
        ])
        let app = LineModeApp(state: WizardState(target: target), runner: EffectRunner(), console: console)
        _ = await app.run()
        await sandbox.stop()

        #expect(console.answers.isEmpty, "the check passed and the start screen asked: \(console.output)")
        #expect(console.questions.first.map { $0.isSecret } == true)
        #expect(console.questions.dropFirst().allSatisfy { !$0.isSecret })
        #expect(!console.output.contains(sandbox.running.connectToken))
        #expect(console.output.contains("Checking the token and both URLs…"))
        #expect(app.state.session.target.connectToken == sandbox.running.connectToken)
    }

    @Test func aConnectTokenAlreadyGivenIsKeptByAnEmptyAnswerAndNotShown() async throws {
        let sandbox = try await LineModeSandbox.start()
        var target = sandbox.target
        target.isSandbox = false  // the token as if from STITCH_CONNECT_TOKEN
        let console = ScriptedConsole([
            (question: "Connect API token (empty keeps the one given): ", line: ""),
            (question: "Connect API URL [", line: ""),
            (question: "Import API URL", line: ""),
            (question: "Choice", line: nil),
        ])
        _ = await LineModeApp(state: WizardState(target: target), runner: EffectRunner(), console: console).run()
        await sandbox.stop()

        #expect(console.answers.isEmpty, "the token given was checked and kept: \(console.output)")
        #expect(console.questions.first?.isSecret == true)
        #expect(!console.output.contains(sandbox.running.connectToken))
    }

    @Test func aScreenWithNothingToAskAndNothingToWaitForEndsTheRun() async {
        var state = WizardState(target: WizardTarget(connectBaseURL: "http://127.0.0.1:9", connectToken: "",
                                                     importBaseURL: "http://127.0.0.1:9", isSandbox: true))
        // No retry and no way back: the screen asks nothing, and no request is out.
        state.screen = FailureScreen(title: "Stuck", failure: WizardFailure(message: "Nothing to do."), stage: .start,
                                     retry: [], back: nil)
        let console = ScriptedConsole([])
        let outcome = await LineModeApp(state: state, runner: EffectRunner(), console: console).run()

        #expect(outcome == .cancelled("The wizard stopped where there is nothing to answer; cancelled."))
        #expect(console.questions.isEmpty)
        #expect(console.output.contains("Error: Stuck\nNothing to do.\n"))
    }

    @Test func nothingWrittenHoldsAControlCharacter() {
        let text = LineModeApp.plain("status \u{1B}[31mred\u{1B}[0m\r\n\tbody\u{07}\u{9B}2J")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(!text.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) })
        #expect(text.contains("red") && text.contains("\n\tbody"))
        #expect(LineModeApp.answerText("yes\u{1B}[A\tplease") == "yes[A please")
    }
}
