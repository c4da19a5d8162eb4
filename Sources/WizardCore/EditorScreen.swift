import RecordBatch
import StitchAPI
import TerminalUI

/// The record editor (issue 8): a batch as a typed grid, its problems, a raw JSON view, the
/// history of what was sent and, with the in-process sandbox, the destination. It is the parent
/// of its panels (`EditorPanel`) and only dispatches: the global keys are its own
/// (`EditorAction`), every other key goes to the focused panel, and each panel works on the
/// shared `document` through an `EditorContext` and asks for the rest with `EditorCommand`s.
///
/// A new panel: a stored property, a case of `Action` and of `EditorFocus`, one line in
/// `perform`, `panelBindings`, `input` and `receive`, and its global key (if any) in
/// `globalBindings`.
public struct EditorScreen: ScreenModel, Equatable {
    public var document = EditorDocument.tutorial
    public var focus: EditorFocus = .grid
    public var grid = GridPanel()
    public var problemList = ProblemsPanel()
    public var raw = RawPanel()
    /// The requests sent and what became of them; owns the sender (split sending, progress, stop).
    public var history = HistoryPanel()
    /// The columns, key names and table name.
    public var schema = SchemaPanel()
    /// Open, save, sample rows, $EDITOR: global keys, and prompts that take every key while open.
    public var files = FilesPanel()
    public var destination = DestinationPanel()
    /// Set when the line mode sends the batch: its run ends with the batch's status (issue 7: it
    /// ends at the record editor), unless the reply asks for something more (a 401's new token).
    public var endsAfterReply = false
    /// What a global key did or why it did nothing ("Not sent: …"), for the status line.
    public var notice: String?
    /// Where the editor is laid out; kept so the cursor stays in view.
    var size: Size
    /// The history's length when a new token replaced the one a 401 refused: that refusal is answered.
    var tokenRenewedAt: Int?
    /// The whole-batch check of large batches (`.checkBatch`): the generation of the last one
    /// asked for, whether one is running, and whether the batch changed again meanwhile.
    public private(set) var checkGeneration = 0
    public private(set) var isChecking = false
    var checkIsStale = false

    public init(session: WizardSession) {
        size = session.size
        document.checkAll()
    }

    public var stage: WizardStage { .records }

    /// Shown: `--records FILE` is loaded the first time.
    public mutating func start(in session: WizardSession) -> [WizardCommand] {
        var context = takeContext(session)
        let commands = files.start(session)
        return apply(commands, &context)
    }

    public enum Action: Sendable, Equatable {
        case editor(EditorAction)
        case grid(GridPanel.Action)
        case problems(ProblemsPanel.Action)
        case raw(RawPanel.Action)
        case history(HistoryPanel.Action)
        case schema(SchemaPanel.Action)
        case files(FilesPanel.Action)
        case destination(DestinationPanel.Action)
    }

    /// The editor's own keys, whatever panel has focus.
    public enum EditorAction: Sendable, Equatable {
        case send, nextPanel, previousPanel, toggleRaw, newToken, showDestination
    }

    // MARK: Keys

    /// The Import API refused the token of the last batch (401: revoked, mistyped, or for another
    /// source): a new one is offered, through the token screen, which lists and may revoke first.
    public var offersNewToken: Bool {
        history.lastWasUnauthorized && tokenRenewedAt != history.entries.count
    }

    /// Back from the token screen with a new token: the batch and the replies so far stay.
    mutating func tokenRenewed() { tokenRenewedAt = history.entries.count }

    /// The panels Tab goes through, in order: the grid, then those with something to show.
    public var panelCycle: [EditorFocus] { panelCycle(for: document) }

    /// The cycle for `document` (while a panel works, the document is in its context, not here).
    func panelCycle(for document: EditorDocument) -> [EditorFocus] {
        var panels: [EditorFocus] = [.grid, .schema]
        if ProblemsPanel.count(document) > 0 { panels.append(.problems) }
        if !history.entries.isEmpty { panels.append(.history) }
        return panels
    }

    /// The editor's keys first (send), then the focused panel's, then the editor's other keys:
    /// a narrow help bar drops entries from its end, and what a panel does matters more there
    /// than how to reach another panel.
    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        let (first, last) = globalBindings(in: session)
        // A file prompt takes every key: the focused panel's letters (the grid's a, d, x, n…)
        // would otherwise act on the grid while a path is typed.
        if files.isModal { return first + last }
        return first + panelBindings(in: session) + last
    }

    /// One list for the keys and the help bar, in two parts (before and after the panel's):
    /// other panels add their global keys here.
    func globalBindings(in session: WizardSession) -> (first: [KeyBinding<Action>], last: [KeyBinding<Action>]) {
        // Typing into a cell: only its own keys (Enter, Esc) act.
        if focus == .grid && grid.isEditing { return ([], []) }
        // A file prompt takes every key; a schema prompt all but its own.
        if files.isModal {
            return (files.keyBindings(EditorContext(document: document, session: session, size: size)).map { $0.map { Action.files($0) } }, [])
        }
        if focus == .schema && schema.prompt != nil { return ([], []) }
        var first = history.sendingBindings.map { $0.map { Action.history($0) } }
        switch focus {
        case .raw:
            return (first + [KeyBinding([.control("r")], "ctrl-r", "back to the grid", .editor(.toggleRaw))], [])
        case .destination:
            return (first, [])
        default:
            break
        }
        first.append(KeyBinding([.control("s")], "ctrl-s", history.isSending ? "sending…" : "send batch", .editor(.send)))
        // Right after sending, so a narrow help bar still shows it.
        if offersNewToken { first.append(KeyBinding([.control("t")], "ctrl-t", "new token", .editor(.newToken))) }
        var last: [KeyBinding<Action>] = []
        if panelCycle.count > 1 {
            last.append(KeyBinding([.tab], "tab", Self.panelName(nextPanel(after: focus, by: 1, in: document)), .editor(.nextPanel)))
            last.append(KeyBinding([.backTab], "shift-tab", "", .editor(.previousPanel), listed: false))
        }
        last.append(KeyBinding([.control("r")], "ctrl-r", "raw JSON", .editor(.toggleRaw)))
        if session.target.isSandbox {
            last.append(KeyBinding([.control("d"), .function(2)], "ctrl-d", "destination", .editor(.showDestination)))
        }
        last += files.keyBindings(EditorContext(document: document, session: session, size: size)).map { $0.map { Action.files($0) } }
        return (first, last)
    }

    func panelBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        let context = EditorContext(document: document, session: session, size: size)
        switch focus {
        case .grid: return grid.keyBindings(context).map { $0.map { Action.grid($0) } }
        case .problems: return problemList.keyBindings(context).map { $0.map { Action.problems($0) } }
        case .raw: return raw.keyBindings(context).map { $0.map { Action.raw($0) } }
        case .history: return history.keyBindings(context).map { $0.map { Action.history($0) } }
        case .destination: return destination.keyBindings(context).map { $0.map { Action.destination($0) } }
        case .schema: return schema.keyBindings(context).map { $0.map { Action.schema($0) } }
        }
    }

    public func inputHelp(in session: WizardSession) -> [KeyHelp] {
        let context = EditorContext(document: document, session: session, size: size)
        if files.isModal { return files.inputHelp(context) }
        return switch focus {
        case .grid: grid.inputHelp(context)
        case .raw: raw.inputHelp(context)
        case .schema: schema.inputHelp(context)
        default: []
        }
    }

    static func panelName(_ focus: EditorFocus) -> String {
        switch focus {
        case .grid: "grid"
        case .schema: "schema"
        case .problems: "problems"
        case .raw: "raw JSON"
        case .history: "history"
        case .destination: "destination"
        }
    }

    func nextPanel(after current: EditorFocus, by step: Int, in document: EditorDocument) -> EditorFocus {
        let cycle = panelCycle(for: document)
        guard let index = cycle.firstIndex(of: current) else { return cycle[0] }
        return cycle[(index + step + cycle.count) % cycle.count]
    }

    // MARK: Dispatch

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        notice = nil
        var context = takeContext(session)
        let commands: [EditorCommand]
        switch action {
        case .editor(let global):
            commands = perform(global, &context)
        case .grid(let action):
            commands = grid.perform(action, &context)
        case .problems(let action):
            commands = problemList.perform(action, &context)
        case .raw(let action):
            commands = raw.perform(action, &context)
        case .history(let action):
            commands = history.perform(action, &context)
        case .schema(let action):
            commands = schema.perform(action, &context)
        case .files(let action):
            commands = files.perform(action, &context)
        case .destination(let action):
            commands = destination.perform(action, &context)
        }
        return apply(commands, &context)
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        var context = takeContext(session)
        let commands: [EditorCommand]
        if files.isModal {
            commands = files.input(key, &context)
        } else {
            commands = switch focus {
            case .grid: grid.input(key, &context)
            case .raw: raw.input(key, &context)
            case .schema: schema.input(key, &context)
            default: []
            }
        }
        return apply(commands, &context)
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        var context = takeContext(session)
        var commands: [EditorCommand] = []
        switch reply {
        case .batchChecked(let generation, let problems, let complete):
            if generation == checkGeneration {
                isChecking = false
                if checkIsStale {
                    commands.append(.batchChanged)
                } else {
                    context.document.problems = problems
                    context.document.problemsAreComplete = complete
                }
            }
        default:
            commands += raw.receive(reply, &context)
            commands += history.receive(reply, &context)
            commands += destination.receive(reply, &context)
            commands += grid.receive(reply, &context)
            commands += files.receive(reply, &context)
            // $EDITOR's text that does not read opens in the raw view, the cursor on the problem.
            if let handBack = files.takeHandBack() {
                var area = TextArea(text: handBack.text, showsLineNumbers: true)
                if handBack.problem.line > 0 {
                    area.moveCursor(row: handBack.problem.line - 1, column: max(0, (handBack.problem.column ?? 1) - 1))
                }
                area.scrollToCursor(viewport: area.textViewport(in: EditorLayout(size: size).mainContent).size)
                raw = RawPanel()
                raw.text = area
                raw.error = handBack.problem
            }
        }
        var result = apply(commands, &context)
        if case .partSent = reply, endsAfterReply, !history.isSending, !offersNewToken { result.append(.quit) }
        return result
    }

    /// The document moved (not copied) into a context for a panel: the batch keeps a single
    /// reference while the panel edits it, so an edit changes one cell and copies no column.
    mutating func takeContext(_ session: WizardSession) -> EditorContext {
        var context = EditorContext(document: Self.placeholder, session: session, size: size)
        swap(&context.document, &document)
        return context
    }

    private static let placeholder = EditorDocument(batch: RecordBatch(tableName: ""))

    /// Puts the document back and carries out what the panels asked, in order.
    mutating func apply(_ commands: [EditorCommand], _ context: inout EditorContext) -> [WizardCommand] {
        var result: [WizardCommand] = []
        var pending = commands[...]
        while let command = pending.popFirst() {
            switch command {
            case .wizard(let wizardCommand):
                result.append(wizardCommand)
            case .focus(let panel):
                pending.append(contentsOf: show(panel, &context))
            case .jump(let row, let column):
                focus = .grid
                grid.jump(row: row, column: column, context)
            case .batchChanged:
                result += recheck(&context)
                grid.clampAndScroll(context)
            case .send:
                pending.append(contentsOf: send(&context))
            }
        }
        swap(&document, &context.document)
        return result
    }

    /// Focus `panel`; panels that read something when shown are told.
    mutating func show(_ panel: EditorFocus, _ context: inout EditorContext) -> [EditorCommand] {
        focus = panel
        switch panel {
        case .grid: grid.clampAndScroll(context)
        case .problems: problemList.clamp(context)
        case .destination: return destination.show(&context)
        default: break
        }
        return []
    }

    mutating func perform(_ action: EditorAction, _ context: inout EditorContext) -> [EditorCommand] {
        switch action {
        case .send:
            return [.send]
        case .nextPanel:
            return [.focus(nextPanel(after: focus, by: 1, in: context.document))]
        case .previousPanel:
            return [.focus(nextPanel(after: focus, by: -1, in: context.document))]
        case .toggleRaw:
            if focus == .raw { return raw.close(&context) }
            switch RawPanel.open(context.document.batch) {
            case .run(let effect):
                raw = RawPanel()
                return [.focus(.raw), .wizard(.run(effect))]
            case .refused(let reason):
                notice = reason
                return []
            }
        case .newToken:
            guard offersNewToken, let source = context.session.source else { return [] }
            // The token screen keeps this editor (with its document) and brings it back.
            var returning = self
            swap(&returning.document, &context.document)
            let screen = TokenScreen(sourceID: source.id, returningTo: returning)
            swap(&returning.document, &context.document)
            return [.wizard(.open(screen))]
        case .showDestination:
            guard context.session.target.isSandbox else { return [] }
            return [.focus(.destination)]
        }
    }

    /// Ctrl-S: every row, split as the limits need (`HistoryPanel`'s sender), unless a check is
    /// still running or problems remain: then nothing is sent and the problem list says why.
    mutating func send(_ context: inout EditorContext) -> [EditorCommand] {
        if isChecking {
            notice = "Not sent: the batch is still being checked."
            return []
        }
        let problems = context.document.problems.count
        if problems > 0 {
            notice = "Not sent: fix the \(problems)\(context.document.problemsAreComplete ? "" : "+") problem"
                + "\(problems == 1 ? "" : "s") first (enter on one goes to its cell)."
            problemList.selection = 0
            return [.focus(.problems)]
        }
        return history.send(&context)
    }

    /// The batch changed as a whole (its table or schema, or the raw view's text): its problems
    /// are found again, in the reducer for a small batch, by an effect off the main loop for a
    /// large one (a newer change makes the running check's answer stale).
    mutating func recheck(_ context: inout EditorContext) -> [WizardCommand] {
        if context.document.batch.rowCount <= EditorDocument.inlineCheckRows {
            context.document.checkAll()
            checkGeneration += 1
            isChecking = false
            checkIsStale = false
            return []
        }
        if isChecking {
            checkIsStale = true
            return []
        }
        checkGeneration += 1
        isChecking = true
        checkIsStale = false
        return [.run(.checkBatch(context.document.batch, generation: checkGeneration))]
    }

    public mutating func resized(to size: Size) {
        self.size = size
        let context = EditorContext(document: document, session: WizardSession(target: Self.noTarget, size: size), size: size)
        grid.clampAndScroll(context)
        problemList.clamp(context)
    }

    /// `resized` has no session; the panels' scrolling reads only the size and the document.
    private static let noTarget = WizardTarget(connectBaseURL: "", connectToken: "", importBaseURL: "", isSandbox: false)

    // MARK: Line mode

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        if history.isSending { return LinePrompt(lines: [history.statusText ?? "Sending the batch…"]) }
        var lines: [String] = []
        let batch = document.batch
        if let last = history.entries.last {
            let part = last.part
            lines.append("Batch \(last.number): " + (part.statusCode.map { "HTTP \($0)" } ?? "no reply")
                         + ", \(part.tableName), \(part.recordCount) record\(part.recordCount == 1 ? "" : "s")")
            lines.append(part.failure ?? part.body)
        } else {
            let rows = batch.rowCount
            lines.append("The example batch (table \(batch.tableName), \(rows == 1 ? "one record" : "\(Count.grouped(rows)) records")):")
            for row in 0..<min(rows, 10) { lines.append("  " + JSONValue.object(batch.record(row)).jsonText) }
            if rows > 10 { lines.append("  … and \(Count.grouped(rows - 10)) more") }
        }
        if let notice { lines.append("Error: " + notice) }
        for problem in document.problems.prefix(10) { lines.append("Problem: " + ProblemsPanel.Entry.batch(problem).text(in: batch)) }
        if offersNewToken {
            lines.append("The Import API refused the token (401): it may have been revoked, or belong to another source.")
            return LinePrompt(lines: lines, question: "Generate a new token? [y/n]: ")
        }
        let question = history.entries.isEmpty ? "Send the example batch? [y/n]: " : "Send it again? [y/n]: "
        return LinePrompt(lines: lines, question: question)
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        guard line.trimmed.lowercased().hasPrefix("y") else { return [.quit] }
        if offersNewToken { return perform(.editor(.newToken), in: session) }
        endsAfterReply = true
        return perform(.editor(.send), in: session)
    }
}
