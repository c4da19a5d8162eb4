import StitchAPI
import TerminalUI

/// `fully_configured` for an Import API source: list the source's active tokens, offer to
/// revoke one when the source already has the most it may have, then generate a token and show
/// it once, with a way to save it to a new 0600 file, before the record editor.
public struct TokenScreen: ScreenModel, Equatable {
    public enum Phase: Sendable, Equatable {
        /// `GET …/tokens`, before generating: at the limit a new token would be refused.
        case listing
        /// At the limit: the user picks the token to revoke (`tokens`, `selected`).
        case choosing
        /// The pick, waiting for a yes: whatever pushes with that token stops working.
        case confirming(tokenID: Int)
        case revoking(tokenID: Int)
        case generating
        case shown(ImportAccessToken)
    }

    public var sourceID: Int
    public var phase: Phase = .listing
    /// The source's active tokens as last listed (ids and creation times, never values).
    public var tokens: [TokenSummary] = []
    public var selected = 0
    /// What led here or just happened, shown above the list or the token ("Revoked token 12.").
    public var notice: String?
    /// A generation refused with a 400 other than an unknown source: the limit's error is not
    /// documented [?], so the list is fetched again to tell a limit reached meanwhile (another
    /// client made a token) from any other refusal, which is then shown as it came.
    var refusal: WizardFailure?
    public var panel = TokenPanel()
    /// The editor whose batch a 401 refused: it comes back with its text and replies.
    public var returnEditor: EditorScreen?

    public init(sourceID: Int, returningTo editor: EditorScreen? = nil) {
        self.sourceID = sourceID
        returnEditor = editor
    }

    /// The editor after the token is stored: the one that asked for it, or a new one.
    func editor(in session: WizardSession) -> EditorScreen {
        guard var editor = returnEditor else { return EditorScreen(session: session) }
        editor.tokenRenewed()
        return editor
    }

    public var stage: WizardStage { .token }

    public var token: ImportAccessToken? {
        if case .shown(let token) = phase { return token }
        return nil
    }

    /// The token is on screen and the user has not confirmed storing it.
    public var holdsUnstoredSecret: Bool { token != nil }

    /// The token the list preselects for revoking: the oldest (ids only ever increase), the one
    /// least likely to be what the user set up last.
    static func oldest(in tokens: [TokenSummary]) -> Int {
        tokens.indices.min { tokens[$0].tokenID < tokens[$1].tokenID } ?? 0
    }

    public static func label(of token: TokenSummary) -> String {
        // The older documented shape is a bare array of ids, without creation times.
        "token \(token.tokenID)" + (token.createdAt.map { " · created \($0)" } ?? "")
    }

    /// Why the list is shown, in one sentence.
    public var limitExplanation: String {
        "Source \(sourceID) already has \(tokens.count) active access tokens, the most a source can have. "
            + "Revoke one to generate a new one: whatever pushes with it will be refused (401)."
    }

    public enum Action: Sendable, Equatable {
        case startSaving, save, cancelSaving, acknowledge, remind
        case up, down, pick, confirm, keep, back
    }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        switch phase {
        case .listing, .revoking, .generating:
            return []
        case .choosing:
            return [
                KeyBinding([.enter], "enter", "revoke", .pick),
                KeyBinding([.down, .tab], "↑↓", "move", .down),
                KeyBinding([.up, .backTab], "↑", "up", .up, listed: false),
                KeyBinding([.escape], "esc", returnEditor == nil ? "home" : "editor", .back),
            ]
        case .confirming:
            return [
                KeyBinding([.character("y")], "y", "revoke it", .confirm),
                KeyBinding([.character("n"), .escape], "n", "keep it", .keep),
            ]
        case .shown:
            break
        }
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
        phase = .listing
        return [.run(.listTokens(sourceID: sourceID, via: session.target))]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch (phase, action) {
        case (.choosing, .up):
            selected = max(0, selected - 1)
        case (.choosing, .down):
            selected = min(tokens.count - 1, selected + 1)
        case (.choosing, .pick):
            guard tokens.indices.contains(selected) else { return [] }
            phase = .confirming(tokenID: tokens[selected].tokenID)
        case (.choosing, .back):
            return returnEditor.map { [.open($0)] } ?? [.home]
        case (.confirming(let tokenID), .confirm):
            phase = .revoking(tokenID: tokenID)
            return [.run(.revokeToken(sourceID: sourceID, tokenID: tokenID, via: session.target))]
        case (.confirming, .keep):
            phase = .choosing
        case (.shown(let token), _):
            return performOnToken(action, token: token, in: session)
        default:
            break
        }
        return []
    }

    mutating func performOnToken(_ action: Action, token: ImportAccessToken, in session: WizardSession) -> [WizardCommand] {
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
            return [.adoptToken(token), .open(editor(in: session))]
        case .remind:
            panel.isError = true
            panel.message = "Press y once you have stored the token: it cannot be displayed again."
        default:
            break
        }
        return []
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        if token != nil, panel.isSaving { _ = panel.path.handle(key) }
        return []
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch (phase, reply) {
        case (.listing, .tokens(let id, let list)) where id == sourceID:
            tokens = list.tokens
            if list.isAtLimit {
                selected = Self.oldest(in: tokens)
                phase = .choosing
                return []
            }
            if let refusal {
                // Not the limit after all: the refusal is shown as it came.
                return [failureScreen("Could not generate an access token", refusal)]
            }
            return generate(in: session)
        case (.listing, .failed(.listTokens, let failure)):
            return [failureScreen("Could not list the source's access tokens", failure)]
        case (.revoking(let pending), .tokenRevoked(let id, let tokenID)) where id == sourceID && tokenID == pending:
            tokens.removeAll { $0.tokenID == tokenID }
            notice = "Revoked token \(tokenID)."
            return [.note(.tokenRevoked(sourceID: sourceID, tokenID: tokenID))] + generate(in: session)
        case (.revoking(let tokenID), .failed(.revokeToken, let failure)):
            // Retrying lists the tokens again: the failed one may be gone already.
            return [failureScreen("Could not revoke token \(tokenID)", failure)]
        case (.generating, .token(let token)):
            phase = .shown(token)
            return [.note(.tokenCreated(sourceID: sourceID, tokenID: token.id))]
        case (.generating, .failed(.createToken, let failure)):
            if failure.statusCode == 400, failure.code != "InvalidId", refusal == nil {
                refusal = failure
                notice = WizardReducer.sentence(failure)
                phase = .listing
                return [.run(.listTokens(sourceID: sourceID, via: session.target))]
            }
            return [failureScreen("Could not generate an access token", failure)]
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

    mutating func generate(in session: WizardSession) -> [WizardCommand] {
        phase = .generating
        return [.run(.createToken(sourceID: sourceID, via: session.target))]
    }

    /// Retry starts over from the list (it may have changed); back goes home.
    func failureScreen(_ title: String, _ failure: WizardFailure) -> WizardCommand {
        .open(FailureScreen(title: title, failure: failure, stage: .token, retry: [.open(TokenScreen(sourceID: sourceID, returningTo: returnEditor))],
                            back: [.home]))
    }

    public var activity: String? {
        switch phase {
        case .listing: "Listing the access tokens of source \(sourceID)…"
        case .revoking(let tokenID): "Revoking token \(tokenID) of source \(sourceID)…"
        case .generating: "Generating an Import API access token for source \(sourceID)…"
        case .choosing, .confirming, .shown: nil
        }
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        if let activity { return LinePrompt(lines: (notice.map { [$0] } ?? []) + [activity]) }
        switch phase {
        case .choosing:
            return LinePrompt(lines: (notice.map { [$0] } ?? []) + [limitExplanation],
                              options: tokens.map(Self.label(of:)),
                              question: "Token to revoke (number or token id) [\(selected + 1)]: ")
        case .confirming(let tokenID):
            return LinePrompt(lines: (notice.map { [$0] } ?? []),
                              question: "Revoke token \(tokenID) of source \(sourceID)? [y/n]: ")
        default:
            break
        }
        guard let token else { return LinePrompt() }
        var lines = notice.map { [$0] } ?? []
        lines += [
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
        let answer = line.trimmed.lowercased()
        switch phase {
        case .choosing:
            return answerChoice(answer, in: session)
        case .confirming:
            switch answer {
            case "y", "yes": return perform(.confirm, in: session)
            case "n", "no": return perform(.keep, in: session)
            default:
                notice = "Answer y or n."
                return []
            }
        default:
            break
        }
        guard let token else { return [] }
        if panel.isSaving {
            if !answer.isEmpty { panel.path.text = line.trimmed }
            return perform(.save, in: session)
        }
        // (A `where` after `case "y", "yes"` would guard "yes" alone, so the two questions are told apart first.)
        switch (panel.savedPath != nil, answer) {
        case (true, "y"), (true, "yes"):
            return [.adoptToken(token), .open(editor(in: session))]
        case (true, "n"), (true, "no"):
            return [.quit]
        case (false, "y"), (false, "yes"):
            return perform(.startSaving, in: session)
        case (false, "n"), (false, "no"):
            return [.adoptToken(token), .open(editor(in: session))]
        default:
            panel.isError = true
            panel.message = "Answer y or n."
            return []
        }
    }

    /// A number from the list, or a listed token id; empty takes the preselected one.
    mutating func answerChoice(_ answer: String, in session: WizardSession) -> [WizardCommand] {
        if !answer.isEmpty {
            if let number = Int(answer), tokens.indices.contains(number - 1) {
                selected = number - 1
            } else if let id = Int(answer), let index = tokens.firstIndex(where: { $0.tokenID == id }) {
                selected = index
            } else {
                notice = "Answer with a number from 1 to \(tokens.count), or a token id from the list."
                return []
            }
        }
        notice = nil
        return perform(.pick, in: session)
    }
}
