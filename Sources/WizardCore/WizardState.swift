import StitchAPI
import TerminalUI

/// The whole wizard as a value: the session every screen reads and the screen on show.
/// Only `WizardReducer` changes it.
public struct WizardState: Sendable, Equatable {
    public var session: WizardSession
    public var screen: any ScreenModel
    /// Set when Ctrl-C needs a confirmation (the token has not been acknowledged yet).
    public var isConfirmingQuit = false
    public var isFinished = false
    /// Set when the run ended without finishing (the line mode's input closed).
    public var cancellation: String?

    /// The smallest terminal the screens are laid out for. Below it only "terminal too small" is
    /// drawn and no key but Ctrl-C acts, since the user cannot see what a key would do.
    public static let minimumSize = Size(columns: 60, rows: 20)

    public init(session: WizardSession) {
        self.session = session
        screen = session.target.isSandbox ? StartScreen(start: session.start) : ConnectScreen(target: session.target)
    }

    public init(target: WizardTarget, sourceType: String = "import_api", start: WizardStart = .home,
                token: ImportAccessToken? = nil, size: Size = Size(columns: 80, rows: 24)) {
        self.init(session: WizardSession(target: target, sourceType: sourceType, start: start, token: token, size: size))
    }

    public var size: Size { session.size }
    public var target: WizardTarget { session.target }

    /// Whether the terminal is below `minimumSize`, so the screen is hidden.
    public var isTooSmall: Bool { !session.size.fits(Self.minimumSize) }

    /// The screen on show as `T`, if it is one (tests and views).
    public func screen<T: ScreenModel>(as type: T.Type) -> T? { screen as? T }

    /// The first effects to run: the screen's own start.
    public mutating func start() -> [WizardEffect] {
        WizardReducer.apply(screen.start(in: session), to: &self)
    }

    public static func == (lhs: WizardState, rhs: WizardState) -> Bool {
        lhs.session == rhs.session && lhs.screen.isEqual(to: rhs.screen) && lhs.isConfirmingQuit == rhs.isConfirmingQuit
            && lhs.isFinished == rhs.isFinished && lhs.cancellation == rhs.cancellation
    }
}
