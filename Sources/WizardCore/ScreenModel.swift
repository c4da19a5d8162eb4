import TerminalUI

/// One screen of the wizard, as a model that owns its behaviour (bubbletea's `Model`): it
/// handles its keys, the replies to its requests and the answers of the line mode, and asks
/// the parent for everything else through `WizardCommand`s. The parent only dispatches.
///
/// A new screen is this conformance in WizardCore, a `ScreenView` conformance in WizardViews,
/// and, for a report-card step, one line in `StepScreens.table`.
public protocol ScreenModel: Sendable {
    associatedtype Action: Sendable & Equatable

    /// Where the trail under the title marks this screen.
    var stage: WizardStage { get }

    /// The keys that act now, in help-bar order. Keys no binding claims go to `input`.
    func keyBindings(in session: WizardSession) -> [KeyBinding<Action>]

    /// Runs a bound key's action.
    mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand]

    /// A key no binding claims: typing into the focused field. Ignored by default.
    mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand]

    /// What `input` does with keys, for the help bar (arrows move, ←→ choose); none by default.
    func inputHelp(in session: WizardSession) -> [KeyHelp]

    /// The reply to a request. Screens ignore replies they are not waiting for (the user may
    /// have left and come back while one was in flight).
    mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand]

    /// Called when the screen is shown (bubbletea's `Init`): its first requests.
    mutating func start(in session: WizardSession) -> [WizardCommand]

    /// The line mode's rendition of the screen now.
    func linePrompt(in session: WizardSession) -> LinePrompt

    /// The line mode's answer to `linePrompt().question`.
    mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand]

    /// True while quitting would lose something shown once (an access token on screen):
    /// Ctrl-C then asks first.
    var holdsUnstoredSecret: Bool { get }

    /// The terminal changed size (a screen that scrolls keeps its cursor in view).
    mutating func resized(to size: Size)

    func isEqual(to other: any ScreenModel) -> Bool
}

extension ScreenModel {
    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] { [] }
    public func inputHelp(in session: WizardSession) -> [KeyHelp] { [] }
    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] { [] }
    public mutating func start(in session: WizardSession) -> [WizardCommand] { [] }
    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] { [] }
    public var holdsUnstoredSecret: Bool { false }
    public mutating func resized(to size: Size) {}

    /// The help bar's entries for this screen now, from the same bindings `handle` uses.
    public func keyHelp(in session: WizardSession) -> [KeyHelp] {
        // Closures, not key paths: a key path literal is built by the runtime on first use (~0.4 ms
        // on the first frame).
        keyBindings(in: session).filter { $0.isListed }.map { $0.help } + inputHelp(in: session)
    }

    /// A key: the binding that claims it, else the focused field's input.
    public mutating func handle(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        if let binding = keyBindings(in: session).first(where: { $0.matches(key) }) {
            return perform(binding.action, in: session)
        }
        return input(key, in: session)
    }
}

extension ScreenModel where Self: Equatable {
    public func isEqual(to other: any ScreenModel) -> Bool {
        (other as? Self) == self
    }
}

/// A screen as an `Equatable` value, so commands and state compare in tests.
public struct ScreenBox: Sendable, Equatable {
    public var model: any ScreenModel

    public init(_ model: any ScreenModel) { self.model = model }

    public static func == (lhs: ScreenBox, rhs: ScreenBox) -> Bool { lhs.model.isEqual(to: rhs.model) }
}
