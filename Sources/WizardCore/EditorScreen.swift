import StitchAPI
import TerminalUI

/// The record editor (a test batch as JSON, sent with Ctrl-S, each reply shown) and, with the
/// in-process sandbox, the destination rows it loaded.
public struct EditorScreen: ScreenModel, Equatable {
    public var editor = RecordEditor()
    public var destination = DestinationView()
    public var isShowingDestination = false
    /// Set when the line mode sends the batch: its run ends with the batch's status (issue 7: it
    /// ends at the record editor), unless the reply asks for something more (a 401's new token).
    public var endsAfterReply = false
    /// Where the editor is laid out; kept so the cursor stays in view.
    var size: Size
    /// The history's length when a new token replaced the one a 401 refused: that refusal is answered.
    var tokenRenewedAt: Int?

    public init(session: WizardSession) { size = session.size }

    public var stage: WizardStage { .records }

    public enum Action: Sendable, Equatable {
        case send, showDestination, closeDestination, refresh, up, down, left, right, newToken
    }

    /// The Import API refused the token of the last batch (401: revoked, mistyped, or for another
    /// source): a new one is offered, through the token screen, which lists and may revoke first.
    public var offersNewToken: Bool { editor.history.last?.statusCode == 401 && tokenRenewedAt != editor.history.count }

    /// Back from the token screen with a new token: the batch text and the replies so far stay.
    mutating func tokenRenewed() { tokenRenewedAt = editor.history.count }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        if isShowingDestination {
            return [
                KeyBinding([.escape, .control("d"), .function(2)], "esc", "editor", .closeDestination),
                KeyBinding([.character("r")], "r", "refresh", .refresh),
                KeyBinding([.up], "↑↓←→", "scroll", .up),
                KeyBinding([.down], "↓", "", .down, listed: false),
                KeyBinding([.left], "←", "", .left, listed: false),
                KeyBinding([.right], "→", "", .right, listed: false),
            ]
        }
        var keys = [KeyBinding([.control("s")], "ctrl-s", editor.isSending ? "sending…" : "send batch", Action.send)]
        // Right after sending, so a narrow help bar still shows it.
        if offersNewToken { keys.append(KeyBinding([.control("t")], "ctrl-t", "new token", .newToken)) }
        if session.target.isSandbox {
            keys.append(KeyBinding([.control("d"), .function(2)], "ctrl-d", "destination", .showDestination))
        }
        return keys
    }

    public func inputHelp(in session: WizardSession) -> [KeyHelp] {
        isShowingDestination ? [] : [KeyHelp(key: "arrows", action: "move")]
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .send:
            return send(in: session)
        case .showDestination:
            guard session.target.isSandbox, let schema = session.source?.name else { return [] }
            isShowingDestination = true
            destination.isLoading = true
            let table = (try? editor.parsedBatch().get().tableName) ?? editor.history.last?.tableName ?? "customers"
            return [.run(.loadDestination(schema: schema, table: table, delay: .zero))]
        case .closeDestination:
            isShowingDestination = false
        case .refresh:
            guard let schema = session.source?.name,
                  let table = destination.snapshot?.table ?? editor.history.last?.tableName else { return [] }
            destination.isLoading = true
            return [.run(.loadDestination(schema: schema, table: table, delay: .zero))]
        case .down:
            let count = destination.snapshot?.rows.count ?? 0
            destination.firstRow = min(destination.firstRow + 1, max(0, count - 1))
        case .up:
            destination.firstRow = max(0, destination.firstRow - 1)
        case .right:
            let count = destination.snapshot?.columns.count ?? 0
            destination.firstColumn = min(destination.firstColumn + 1, max(0, count - 1))
        case .left:
            destination.firstColumn = max(0, destination.firstColumn - 1)
        case .newToken:
            return newToken(in: session)
        }
        return []
    }

    func newToken(in session: WizardSession) -> [WizardCommand] {
        guard offersNewToken, let source = session.source else { return [] }
        return [.open(TokenScreen(sourceID: source.id, returningTo: self))]
    }

    mutating func send(in session: WizardSession) -> [WizardCommand] {
        guard !editor.isSending, let token = session.token else { return [] }
        switch editor.parsedBatch() {
        case .failure(let problem):
            editor.problem = problem.message
            return []
        case .success(let batch):
            editor.problem = nil
            editor.inFlight = BatchInFlight(tableName: batch.tableName, recordCount: batch.messages.count)
            // The text is sent as typed, so the user's key order is what Stitch sees.
            return [.run(.sendBatch(body: editor.text.text, token: token, importBaseURL: session.target.importBaseURL))]
        }
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        guard !isShowingDestination else { return [] }
        if editor.text.handle(key) { editor.problem = nil }
        editor.scrollToCursor(in: size)
        return []
    }

    public mutating func resized(to size: Size) {
        self.size = size
        editor.scrollToCursor(in: size)
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch reply {
        case .batch(let outcome):
            editor.inFlight = nil
            editor.history.append(outcome)
            var commands: [WizardCommand] = [.note(.batchesSent(accepted: editor.history.filter(\.isAccepted).count,
                                                                total: editor.history.count))]
            if endsAfterReply && !offersNewToken { return commands + [.quit] }
            if outcome.isAccepted, session.target.isSandbox, let schema = session.source?.name {
                destination.isLoading = true
                commands.append(.run(.loadDestination(schema: schema, table: outcome.tableName, delay: .milliseconds(400))))
            }
            return commands
        case .failed(.sendBatch, let failure):
            // The batch that failed is the one that left, not whatever the editor holds now.
            let sent = editor.inFlight
                ?? (try? editor.parsedBatch().get()).map { BatchInFlight(tableName: $0.tableName, recordCount: $0.messages.count) }
            editor.inFlight = nil
            editor.history.append(BatchOutcome(statusCode: nil, body: WizardReducer.sentence(failure), latency: .zero,
                                               tableName: sent?.tableName ?? "", recordCount: sent?.recordCount ?? 0))
            return [.note(.batchesSent(accepted: editor.history.filter(\.isAccepted).count, total: editor.history.count))]
        case .destination(let snapshot):
            destination.snapshot = snapshot
            destination.error = nil
            destination.isLoading = false
            destination.firstRow = min(destination.firstRow, max(0, snapshot.rows.count - 1))
        case .failed(.loadDestination, let failure):
            destination.isLoading = false
            destination.error = failure.message
        default:
            break
        }
        return []
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        if editor.isSending { return LinePrompt(lines: ["Sending the batch…"]) }
        var lines: [String] = []
        if let last = editor.history.last {
            lines.append("Batch \(editor.history.count): " + (last.statusCode.map { "HTTP \($0)" } ?? "no reply")
                         + ", \(last.tableName), \(last.recordCount) record\(last.recordCount == 1 ? "" : "s")")
            lines.append(last.body)
        } else {
            lines.append("The example batch (table customers, one record):")
            lines += editor.text.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if let problem = editor.problem { lines.append("Error: " + problem) }
        if offersNewToken {
            lines.append("The Import API refused the token (401): it may have been revoked, or belong to another source.")
            return LinePrompt(lines: lines, question: "Generate a new token? [y/n]: ")
        }
        let question = editor.history.isEmpty ? "Send the example batch? [y/n]: " : "Send it again? [y/n]: "
        return LinePrompt(lines: lines, question: question)
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard line.trimmed.lowercased().hasPrefix("y") else { return [.quit] }
        if offersNewToken { return newToken(in: session) }
        endsAfterReply = true
        return send(in: session)
    }
}
