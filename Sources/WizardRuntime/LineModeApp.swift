import WizardCore

/// Drives the wizard as plain lines, the accessible line mode (issue 7): the same reducer,
/// screens and effects as `WizardApp`, but each screen is shown through its `linePrompt` and
/// answered with a line through its `answer`, so both modes apply the same rules. No escape
/// sequence is ever written: screen readers, pipes and `TERM=dumb` get text alone.
///
/// After each transition it writes the prompt's context lines that changed since it last wrote
/// them, then, when the screen asks something, the numbered options and the question (no line
/// break after it), and reads one line. While the screen has nothing to ask, or a request its
/// last answer started is still out, it waits for the replies, writing progress lines as they change.
@MainActor
public final class LineModeApp {
    /// How a run ended.
    public enum Outcome: Sendable, Equatable {
        /// The user got to the end, or quit with an answer.
        case finished
        /// The run stopped before the end (input ended); the reason went to standard error.
        case cancelled(String)
    }

    /// Internal for tests: what the answers and replies have made of the state so far.
    private(set) var state: WizardState
    private let runner: EffectRunner
    private let console: any LineConsole

    /// What effect tasks have delivered and the loop has not handled yet, in arrival order.
    private var arrivals: [Arrival] = []
    private var wakeUp: CheckedContinuation<Void, Never>?
    /// Effect batches still running. The next question waits for the awaited ones (the reply to
    /// the last answer decides what is asked next); polling (`after`) runs in the background.
    private var awaitedBatches = 0
    private var backgroundBatches = 0

    /// The context lines as last written, so only what changed is written again.
    private var shownLines: [String] = []
    /// The question asked last, and whether anything was written since: the same question again
    /// with nothing new means the answer was refused, and its error is said again.
    private var lastQuestion: String?
    private var wroteSinceQuestion = false

    private enum Arrival {
        case event(WizardEvent)
        case batchEnded(awaited: Bool)
    }

    public init(state: WizardState, runner: EffectRunner, console: any LineConsole) {
        self.state = state
        self.runner = runner
        self.console = console
    }

    /// Runs until the user finishes, quits or the input ends. A cancellation's reason goes to
    /// standard error; what was created or changed (the exit summary) goes to standard output
    /// either way, so the ids are at hand.
    public func run() async -> Outcome {
        perform(state.start())
        var outcome = Outcome.finished
        while true {
            handleArrivals()
            let prompt = state.screen.linePrompt(in: state.session)
            show(prompt.lines)
            if state.isFinished {
                if let reason = state.cancellation { outcome = .cancelled(reason) }
                break
            }
            guard let question = prompt.question, awaitedBatches == 0 else {
                if awaitedBatches + backgroundBatches == 0 && arrivals.isEmpty {
                    // A screen that asks nothing and waits for nothing would wait for ever.
                    outcome = .cancelled("The wizard stopped where there is nothing to answer; cancelled.")
                    break
                }
                await nextArrival()
                continue
            }
            guard let line = await ask(question, options: prompt.options, isSecret: prompt.isSecret) else {
                // Ends the question's line, so the shell prompt does not follow it.
                console.write("\n")
                dispatch(.endOfInput)
                continue
            }
            dispatch(.line(Self.answerText(line)))
        }
        if case .cancelled(let reason) = outcome { console.writeError(reason) }
        writeSummary()
        return outcome
    }

    /// Ctrl-C (SIGINT, delivered to the main queue by the caller): says so and prints what was
    /// created or changed so far, so an interrupted run still tells which source and token it made.
    /// The caller then exits with status 130, as a shell expects of an interrupted command.
    public func interrupt() {
        console.write("\n")
        console.writeError("Interrupted (Ctrl-C).")
        writeSummary()
    }

    private func writeSummary() {
        let summary = state.session.summary.lines
        // A blank line sets the summary apart from the last screen's lines.
        if !summary.isEmpty { console.write("\n") }
        for line in summary { console.write(Self.plain(line) + "\n") }
    }

    // MARK: Output

    /// Writes the lines after the part that is unchanged since last time.
    private func show(_ lines: [String]) {
        let unchanged = zip(shownLines, lines).prefix { $0 == $1 }.count
        for line in lines[unchanged...] { write(line) }
        shownLines = lines
    }

    private func ask(_ question: String, options: [String], isSecret: Bool) async -> String? {
        if question == lastQuestion && !wroteSinceQuestion {
            // Refused: nothing changed on screen, so say why again before asking again.
            for line in shownLines where line.hasPrefix("Error: ") { write(line) }
        }
        for (index, option) in options.enumerated() { write("\(index + 1). \(option)") }
        lastQuestion = question
        wroteSinceQuestion = false
        return await console.ask(Self.plain(question), isSecret: isSecret)
    }

    private func write(_ line: String) {
        // A line may hold several (a reply body): each is written on its own.
        for part in Self.plain(line).split(separator: "\n", omittingEmptySubsequences: false) {
            console.write(String(part) + "\n")
        }
        wroteSinceQuestion = true
    }

    /// Text safe for any output: no escape sequence or other control character (a reply body
    /// could carry one) reaches the terminal, a screen reader or a log; line breaks and tabs stay.
    static func plain(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: result.append(scalar)
            case 0x0D: break  // a CRLF body keeps its LF
            case 0x00...0x1F, 0x7F...0x9F: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// An answer as the screens expect it: one line, without control characters (arrow keys
    /// typed at a cooked terminal arrive as escape sequences inside the line); a tab is a space.
    static func answerText(_ line: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            switch scalar.value {
            case 0x09: result.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: break
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    // MARK: Events and effects

    private func dispatch(_ event: WizardEvent) {
        perform(WizardReducer.reduce(&state, event))
    }

    /// Hands what has arrived to the reducer, in order.
    private func handleArrivals() {
        while !arrivals.isEmpty && !state.isFinished {
            switch arrivals.removeFirst() {
            case .event(let event):
                dispatch(event)
            case .batchEnded(let awaited):
                if awaited { awaitedBatches -= 1 } else { backgroundBatches -= 1 }
            }
        }
    }

    private func nextArrival() async {
        guard arrivals.isEmpty else { return }
        await withCheckedContinuation { wakeUp = $0 }
    }

    private func arrive(_ arrival: Arrival) {
        arrivals.append(arrival)
        wakeUp?.resume()
        wakeUp = nil
    }

    /// Effects of one transition run in order, like `WizardApp`'s; their results come back as events.
    private func perform(_ effects: [WizardEffect]) {
        guard !effects.isEmpty else { return }
        let awaited = !effects.contains { if case .after = $0 { true } else { false } }
        if awaited { awaitedBatches += 1 } else { backgroundBatches += 1 }
        let runner = runner
        Task {
            for effect in effects {
                if let event = await runner.run(effect) { self.arrive(.event(event)) }
            }
            self.arrive(.batchEnded(awaited: awaited))
        }
    }
}
