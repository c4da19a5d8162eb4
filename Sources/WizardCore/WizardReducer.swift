import StitchAPI
import TerminalUI

/// The wizard's only state transition: `(state, event) -> (state, [effect])`. Pure.
public enum WizardReducer {
    public static func reduce(_ state: inout WizardState, _ event: WizardEvent) -> [WizardEffect] {
        switch event {
        case .resized(let size):
            state.size = size
            // A hidden editor is not scrolled: passing through a too-small size must leave the
            // screen as it was once the window is large again.
            if !state.isTooSmall { state.editor.scrollToCursor(in: size) }
            return []
        case .key(let key):
            // One gate for every screen: a key must not act on a screen the user cannot see.
            if state.isTooSmall { return tooSmallKey(key, in: &state) }
            return handleKey(key, in: &state)
        case .connected(let target, let card):
            guard isAwaitingConnect(target, in: state) else { return [] }
            state.connectForm.pending = nil
            state.connectForm.error = nil
            state.target = target
            return reportCardLoaded(card, in: &state)
        case .connectFailed(let target, let field, let failure):
            guard isAwaitingConnect(target, in: state) else { return [] }
            state.connectForm.pending = nil
            if target.isSandbox {
                state.screen = .failure(FailureScreen(
                    title: "Cannot reach the sandbox", failure: failure,
                    retry: [.connect(target, sourceType: state.sourceType)],
                    retryActivity: .fetchingSourceType(state.sourceType), back: nil))
            } else {
                state.connectForm.focus = field
                state.connectForm.error = Self.sentence(failure)
            }
            return []
        case .sourceTypeLoaded(let card):
            return reportCardLoaded(card, in: &state)
        case .sourceCreated(let source):
            state.source = source
            state.reportCard = source.reportCard
            return route(source.reportCard, in: &state)
        case .tokenCreated(let token):
            state.token = token
            state.tokenPanel = TokenPanel()
            state.screen = .token
            return []
        case .tokenSaved(let path):
            state.tokenPanel.isSaving = false
            state.tokenPanel.savedPath = path
            state.tokenPanel.isError = false
            state.tokenPanel.message = "Saved to \(path) (readable only by you)."
            return []
        case .batchReplied(let outcome):
            state.editor.inFlight = nil
            state.editor.history.append(outcome)
            if outcome.isAccepted, state.target.isSandbox, let schema = state.source?.name {
                state.destination.isLoading = true
                return [.loadDestination(schema: schema, table: outcome.tableName, delay: .milliseconds(400))]
            }
            return []
        case .destinationLoaded(let snapshot):
            state.destination.snapshot = snapshot
            state.destination.error = nil
            state.destination.isLoading = false
            state.destination.firstRow = min(state.destination.firstRow, max(0, snapshot.rows.count - 1))
            return []
        case .failed(let request, let failure):
            return handleFailure(failure, of: request, in: &state)
        }
    }

    /// Whether a connect result answers the check the screen is waiting for; a result for a
    /// check the user cancelled or replaced by a newer one is dropped.
    static func isAwaitingConnect(_ target: WizardTarget, in state: WizardState) -> Bool {
        if target.isSandbox { return state.screen == .working(.fetchingSourceType(state.sourceType)) }
        return state.screen == .connect && state.connectForm.pending == target
    }

    /// A failure as one paragraph: status, message and what to do.
    static func sentence(_ failure: WizardFailure) -> String {
        var text = failure.statusCode.map { "HTTP \($0): " } ?? ""
        text += failure.message
        if let hint = failure.hint { text += (text.hasSuffix(".") ? " " : ". ") + hint }
        return text
    }

    // MARK: - Report card routing

    static func reportCardLoaded(_ card: ReportCard, in state: inout WizardState) -> [WizardEffect] {
        state.reportCard = card
        if card.details?.access == false {
            state.screen = .failure(FailureScreen(
                title: "No access to \(card.type)",
                failure: WizardFailure(message: "This Stitch account's plan does not include the \(card.type) source type.",
                                       hint: "Ask your Stitch admin to enable it, or use another account's token."),
                retry: [.fetchSourceType(state.sourceType, via: state.target)], retryActivity: .fetchingSourceType(state.sourceType),
                back: state.target.isSandbox ? nil : .connect))
            return []
        }
        return route(card, in: &state)
    }

    /// Shows the screen for the report card's current step.
    static func route(_ card: ReportCard, in state: inout WizardState) -> [WizardEffect] {
        guard let stepType = card.effectiveStepType else {
            state.screen = .failure(FailureScreen(
                title: "Unreadable report card",
                failure: WizardFailure(message: "current_step \(card.currentStep) does not point at any of the \(card.steps.count) steps."),
                retry: [.fetchSourceType(state.sourceType, via: state.target)], retryActivity: .fetchingSourceType(state.sourceType),
                back: state.target.isSandbox ? nil : .connect))
            return []
        }
        switch (stepType, state.source) {
        case (.form, nil) where !(card.current?.properties.contains { $0.isRequired == true } ?? false),
             // The 2022 variant of the source-type card starts at fully_configured; a source is still needed.
             (.fullyConfigured, nil):
            state.screen = .displayName
            return []
        case (.fullyConfigured, let source?):
            state.screen = .working(.generatingToken(sourceID: source.id))
            return [.createToken(sourceID: source.id, via: state.target)]
        default:
            state.screen = .unsupportedStep(stepType)
            return []
        }
    }

    // MARK: - Keys

    static func handleKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        if state.isConfirmingQuit {
            switch key {
            case .character("y"), .character("Y"), .control("c"):
                state.isFinished = true
                return [.quit]
            default:
                state.isConfirmingQuit = false
                return []
            }
        }
        if key == .control("c") {
            // Quitting on the token screen before acknowledging would lose a token shown once.
            if state.hasUnacknowledgedToken {
                state.isConfirmingQuit = true
                return []
            }
            state.isFinished = true
            return [.quit]
        }
        switch state.screen {
        case .connect: return connectKey(key, in: &state)
        case .working: return []
        case .displayName: return displayNameKey(key, in: &state)
        case .token: return tokenKey(key, in: &state)
        case .editor: return editorKey(key, in: &state)
        case .destination: return destinationKey(key, in: &state)
        case .unsupportedStep:
            if key == .escape, !state.target.isSandbox, state.source == nil { state.screen = .connect }
            return []
        case .failure(let failure): return failureKey(key, failure, in: &state)
        }
    }

    /// While the terminal is too small only Ctrl-C acts. It still asks before losing an
    /// unacknowledged token, but the y/N question cannot be seen there, so the too-small screen
    /// says "press Ctrl-C again" and only a second Ctrl-C quits; no other key answers.
    static func tooSmallKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        guard key == .control("c") else { return [] }
        if state.hasUnacknowledgedToken, !state.isConfirmingQuit {
            state.isConfirmingQuit = true
            return []
        }
        state.isFinished = true
        return [.quit]
    }

    static func connectKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        if state.connectForm.isChecking {
            // The form is what is being checked: it cannot change until the answer, only be abandoned.
            if key == .escape {
                state.connectForm.pending = nil
                state.connectForm.error = "Check cancelled; nothing was created. Press Enter to check again."
            }
            return []
        }
        switch key {
        case .tab, .down:
            state.connectForm.moveFocus(by: 1)
        case .backTab, .up:
            state.connectForm.moveFocus(by: -1)
        case .control("r"):
            state.connectForm.cycleRegion()
            state.connectForm.error = nil
        case .enter:
            switch state.connectForm.validatedTarget(isSandbox: state.target.isSandbox) {
            case .failure(let problem):
                state.connectForm.focus = problem.field
                state.connectForm.error = problem.message
            case .success(let target):
                // The target is adopted only once the check passes (`.connected`), so the header and
                // every request keep naming the same endpoints until then.
                state.connectForm.error = nil
                state.connectForm.pending = target
                return [.connect(target, sourceType: state.sourceType)]
            }
        default:
            if state.connectForm.handle(key) { state.connectForm.error = nil }
        }
        return []
    }

    static func displayNameKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .enter:
            if let problem = state.displayNameForm.problem {
                state.displayNameForm.error = problem
                return []
            }
            let name = state.displayNameForm.field.text.trimmed
            state.displayNameForm.error = nil
            state.screen = .working(.creatingSource(displayName: name))
            return [.createSource(CreateSourceRequest(type: state.sourceType, displayName: name), via: state.target)]
        case .escape:
            if !state.target.isSandbox { state.screen = .connect }
        default:
            if state.displayNameForm.field.handle(key) { state.displayNameForm.error = nil }
        }
        return []
    }

    static func tokenKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        guard let token = state.token else { return [] }
        if state.tokenPanel.isSaving {
            switch key {
            case .enter:
                let path = state.tokenPanel.path.text.trimmed
                guard !path.isEmpty else {
                    state.tokenPanel.message = "Enter a file path."
                    state.tokenPanel.isError = true
                    return []
                }
                return [.saveToken(token, path: path)]
            case .escape:
                state.tokenPanel.isSaving = false
                state.tokenPanel.message = nil
            default:
                _ = state.tokenPanel.path.handle(key)
            }
            return []
        }
        switch key {
        case .character("s"), .character("S"):
            state.tokenPanel.isSaving = true
            state.tokenPanel.isError = false
            state.tokenPanel.message = nil
            if state.tokenPanel.path.text.isEmpty {
                state.tokenPanel.path = TextField(text: "stitch-import-token-\(state.source?.id ?? token.id).txt")
            }
        case .character("y"), .character("Y"):
            state.screen = .editor
        case .enter, .escape:
            state.tokenPanel.isError = true
            state.tokenPanel.message = "Press y once you have stored the token: it cannot be displayed again."
        default:
            break
        }
        return []
    }

    static func editorKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .control("s"):
            guard !state.editor.isSending, let token = state.token else { return [] }
            switch state.editor.parsedBatch() {
            case .failure(let problem):
                state.editor.problem = problem.message
                return []
            case .success(let batch):
                state.editor.problem = nil
                state.editor.inFlight = BatchInFlight(tableName: batch.tableName, recordCount: batch.messages.count)
                return [.sendBatch(body: state.editor.text.text, token: token, importBaseURL: state.target.importBaseURL)]
            }
        case .control("d"), .function(2):
            guard state.target.isSandbox, let schema = state.source?.name else { return [] }
            state.screen = .destination
            state.destination.isLoading = true
            let table = (try? state.editor.parsedBatch().get().tableName)
                ?? state.editor.history.last?.tableName ?? "customers"
            return [.loadDestination(schema: schema, table: table, delay: .zero)]
        default:
            if state.editor.text.handle(key) { state.editor.problem = nil }
            state.editor.scrollToCursor(in: state.size)
            return []
        }
    }

    static func destinationKey(_ key: Key, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .escape, .control("d"), .function(2):
            state.screen = .editor
        case .character("r"), .character("R"):
            guard let schema = state.source?.name, let table = state.destination.snapshot?.table ?? state.editor.history.last?.tableName
            else { return [] }
            state.destination.isLoading = true
            return [.loadDestination(schema: schema, table: table, delay: .zero)]
        case .down:
            let count = state.destination.snapshot?.rows.count ?? 0
            state.destination.firstRow = min(state.destination.firstRow + 1, max(0, count - 1))
        case .up:
            state.destination.firstRow = max(0, state.destination.firstRow - 1)
        case .right:
            let count = state.destination.snapshot?.columns.count ?? 0
            state.destination.firstColumn = min(state.destination.firstColumn + 1, max(0, count - 1))
        case .left:
            state.destination.firstColumn = max(0, state.destination.firstColumn - 1)
        default:
            break
        }
        return []
    }

    static func failureKey(_ key: Key, _ failure: FailureScreen, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .character("r"), .character("R"):
            guard !failure.retry.isEmpty else { return [] }
            if let activity = failure.retryActivity { state.screen = .working(activity) }
            return failure.retry
        case .escape:
            if let back = failure.back { state.screen = back }
        default:
            break
        }
        return []
    }

    // MARK: - Failures

    static func handleFailure(_ failure: WizardFailure, of request: WizardRequest, in state: inout WizardState) -> [WizardEffect] {
        let backToConnect: WizardScreen? = state.target.isSandbox ? nil : .connect
        switch request {
        case .fetchSourceType:
            state.screen = .failure(FailureScreen(
                title: "Could not fetch the \(state.sourceType) report card", failure: failure,
                retry: [.fetchSourceType(state.sourceType, via: state.target)], retryActivity: .fetchingSourceType(state.sourceType),
                back: backToConnect))
        case .createSource:
            // The API refuses names with 400s the form can show next to the field.
            if ["InvalidName", "InvalidDisplayName", "InvalidBody"].contains(failure.code ?? "") {
                state.displayNameForm.error = failure.message
                state.screen = .displayName
            } else {
                let name = state.displayNameForm.field.text.trimmed
                state.screen = .failure(FailureScreen(
                    title: "Could not create the source", failure: failure,
                    retry: [.createSource(CreateSourceRequest(type: state.sourceType, displayName: name), via: state.target)],
                    retryActivity: .creatingSource(displayName: name), back: .displayName))
            }
        case .createToken:
            let sourceID = state.source?.id ?? 0
            state.screen = .failure(FailureScreen(
                title: "Could not generate an access token", failure: failure,
                retry: [.createToken(sourceID: sourceID, via: state.target)], retryActivity: .generatingToken(sourceID: sourceID),
                back: nil))
        case .saveToken:
            state.tokenPanel.isError = true
            state.tokenPanel.message = failure.message
        case .sendBatch:
            // The batch that failed is the one that left, not whatever the editor holds now.
            let sent = state.editor.inFlight
                ?? (try? state.editor.parsedBatch().get()).map { BatchInFlight(tableName: $0.tableName,
                                                                                recordCount: $0.messages.count) }
            state.editor.inFlight = nil
            state.editor.history.append(BatchOutcome(statusCode: nil, body: Self.sentence(failure), latency: .zero,
                                                     tableName: sent?.tableName ?? "", recordCount: sent?.recordCount ?? 0))
        case .loadDestination:
            state.destination.isLoading = false
            state.destination.error = failure.message
        }
        return []
    }
}
