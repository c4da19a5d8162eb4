import StitchAPI
import TerminalUI

/// `fully_configured` for an Import API source: generate its access token and show it once,
/// with a way to save it to a new 0600 file, before the record editor.
public struct TokenScreen: ScreenModel, Equatable {
    public enum Phase: Sendable, Equatable {
        case generating
        case shown(ImportAccessToken)
    }

    public var sourceID: Int
    public var phase: Phase = .generating
    public var panel = TokenPanel()

    public init(sourceID: Int) { self.sourceID = sourceID }

    public var stage: WizardStage { .token }

    public var token: ImportAccessToken? {
        if case .shown(let token) = phase { return token }
        return nil
    }

    /// The token is on screen and the user has not confirmed storing it.
    public var holdsUnstoredSecret: Bool { token != nil }

    public enum Action: Sendable, Equatable { case startSaving, save, cancelSaving, acknowledge, remind }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        guard token != nil else { return [] }
        if panel.isSaving {
            return [KeyBinding([.enter], "enter", "save", .save), KeyBinding([.escape], "esc", "cancel", .cancelSaving)]
        }
        return [
            KeyBinding([.character("s")], "s", "save to file", .startSaving),
            KeyBinding([.character("y")], "y", "I stored it, continue", .acknowledge),
            KeyBinding([.enter, .escape], "enter", "", .remind, listed: false),
        ]
    }

    public mutating func start(in session: WizardSession) -> [WizardCommand] {
        [.run(.createToken(sourceID: sourceID, via: session.target))]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        guard let token else { return [] }
        switch action {
        case .startSaving:
            panel.isSaving = true
            panel.isError = false
            panel.message = nil
            if panel.path.text.isEmpty { panel.path = TextField(text: "stitch-import-token-\(sourceID).txt") }
        case .save:
            let path = panel.path.text.trimmed
            guard !path.isEmpty else {
                panel.message = "Enter a file path."
                panel.isError = true
                return []
            }
            return [.run(.saveToken(token, path: path))]
        case .cancelSaving:
            panel.isSaving = false
            panel.message = nil
        case .acknowledge:
            return [.adoptToken(token), .open(EditorScreen(session: session))]
        case .remind:
            panel.isError = true
            panel.message = "Press y once you have stored the token: it cannot be displayed again."
        }
        return []
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        if panel.isSaving { _ = panel.path.handle(key) }
        return []
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch (phase, reply) {
        case (.generating, .token(let token)):
            phase = .shown(token)
            return [.note(.tokenCreated(sourceID: sourceID, tokenID: token.id))]
        case (.generating, .failed(.createToken, let failure)):
            return [.open(FailureScreen(title: "Could not generate an access token", failure: failure, stage: .token,
                                        retry: [.open(TokenScreen(sourceID: sourceID))], back: [.home]))]
        case (.shown(let token), .tokenSaved(let path)):
            panel.isSaving = false
            panel.savedPath = path
            panel.isError = false
            panel.message = "Saved to \(path) (readable only by you)."
            return [.note(.tokenSaved(tokenID: token.id, path: path))]
        case (.shown, .failed(.saveToken, let failure)):
            panel.isError = true
            panel.message = failure.message
        default:
            break
        }
        return []
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        guard let token else { return LinePrompt(lines: ["Generating an Import API access token for source \(sourceID)…"]) }
        var lines = [
            "Import API access token (token id \(token.id)); it cannot be displayed again:",
            token.accessToken,
            "Requests to the Import API need it as: Authorization: Bearer <token>.",
        ]
        if let message = panel.message { lines.append((panel.isError ? "Error: " : "") + message) }
        if panel.isSaving {
            return LinePrompt(lines: lines, question: "Save to file [\(panel.path.text)]: ")
        }
        if panel.savedPath != nil {
            return LinePrompt(lines: lines, question: "Continue to the test batch? [y/n]: ")
        }
        return LinePrompt(lines: lines, question: "Save the token to a new file? [y/n]: ")
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard let token else { return [] }
        let answer = line.trimmed.lowercased()
        if panel.isSaving {
            if !answer.isEmpty { panel.path.text = line.trimmed }
            return perform(.save, in: session)
        }
        switch answer {
        case "y", "yes" where panel.savedPath != nil:
            return [.adoptToken(token), .open(EditorScreen(session: session))]
        case "n", "no" where panel.savedPath != nil:
            return [.quit]
        case "y", "yes":
            return perform(.startSaving, in: session)
        case "n", "no":
            return [.adoptToken(token), .open(EditorScreen(session: session))]
        default:
            panel.isError = true
            panel.message = "Answer y or n."
            return []
        }
    }
}
