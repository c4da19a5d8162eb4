import NcursesBackend
import WizardCore
import WizardRuntime

/// Full-screen (ncurses) or the accessible line mode, chosen before anything starts.
///
/// The line mode is taken with `--accessible`, and whenever the full-screen UI cannot work:
/// stdin or stdout is not a terminal (a pipe, a file: scripts, CI) or TERM cannot drive a
/// screen (`dumb`, unset, or not in the terminfo database). An unknown TERM gets the line mode
/// too, with a notice on stderr, rather than a refusal: the user still gets the wizard, and is
/// told how to get the screens (a TERM the terminfo database has).
enum WizardMode: Equatable {
    case fullScreen
    /// `notice`: why the line mode was chosen, for stderr; nil when asked for or when nobody is
    /// at a terminal to be told (pipes).
    case lines(notice: String?)

    @MainActor
    static func choose(accessible: Bool) -> WizardMode {
        if accessible { return .lines(notice: nil) }
        do {
            try NcursesTerminal.checkUsable()
            return .fullScreen
        } catch {
            switch error {
            case .notATerminal, .alreadyStarted:
                return .lines(notice: nil)
            case .unsupportedTerminal(nil):
                return .lines(notice: "TERM is not set, so the wizard asks its questions line by line. "
                    + "Set TERM to your terminal's type (e.g. TERM=xterm-256color) for the full-screen wizard.")
            case .unsupportedTerminal(let term?):
                return .lines(notice: "TERM=\(term) is not in the terminfo database, so the wizard asks its questions "
                    + "line by line. Set TERM to a known type such as xterm-256color for the full-screen wizard.")
            case .cannotMoveCursor(let term):
                return .lines(notice: "TERM=\(term) cannot move the cursor, so the wizard asks its questions line by line. "
                    + "In a terminal that can (e.g. TERM=xterm-256color) it shows its screens.")
            }
        }
    }

    /// Runs the wizard from `state` in this mode; false when the line mode's input ended before
    /// the end (the reason is on stderr). The exit summary is on stdout either way.
    ///
    /// With a `pendingTarget` (the in-process sandbox still starting), the screens draw at once and
    /// the start's requests wait for it; the line mode waits for it before its first line.
    @MainActor
    func run(_ state: WizardState, runner: EffectRunner, pendingTarget: Task<WizardTarget, any Error>? = nil) async throws -> Bool {
        switch self {
        case .fullScreen:
            let app = WizardApp(state: state, runner: runner, terminal: NcursesTerminal(), pendingTarget: pendingTarget)
            StitchWizardCommand.printSummary(of: try await app.run())
            return true
        case .lines(let notice):
            var state = state
            if let pendingTarget { state.session.target = try await pendingTarget.value }
            let console = StandardLineConsole()
            if let notice { console.writeError(notice) }
            let app = LineModeApp(state: state, runner: runner, console: console)
            let interrupt = InterruptSignal { app.interrupt() }
            defer { interrupt.cancel() }
            return await app.run() == .finished
        }
    }
}
