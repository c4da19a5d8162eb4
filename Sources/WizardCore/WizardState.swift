import StitchAPI
import TerminalUI

/// The whole wizard as a value. Screens read it; only `WizardReducer` changes it.
public struct WizardState: Sendable, Equatable {
    public var screen: WizardScreen
    public var target: WizardTarget
    public var sourceType: String
    public var size: Size

    public var connectForm: ConnectForm
    public var displayNameForm: DisplayNameForm
    public var reportCard: ReportCard?
    public var source: Source?
    /// Held in memory only, so the editor can push; shown on the token screen alone.
    public var token: ImportAccessToken?
    public var tokenPanel: TokenPanel
    public var editor: RecordEditor
    public var destination: DestinationView
    /// Set when Ctrl-C needs a confirmation (the token has not been acknowledged yet).
    public var isConfirmingQuit = false
    public var isFinished = false

    /// The smallest terminal the screens are laid out for. Below it only "terminal too small" is
    /// drawn and no key but Ctrl-C acts, since the user cannot see what a key would do.
    public static let minimumSize = Size(columns: 60, rows: 20)

    /// Whether the terminal is below `minimumSize`, so the screen is hidden.
    public var isTooSmall: Bool { !size.fits(Self.minimumSize) }

    /// The access token is on screen and the user has not confirmed storing it: quitting now
    /// would lose it, so Ctrl-C asks first.
    public var hasUnacknowledgedToken: Bool { screen == .token && token != nil }

    public init(target: WizardTarget, sourceType: String = "import_api", size: Size = Size(columns: 80, rows: 24)) {
        self.target = target
        self.sourceType = sourceType
        self.size = size
        connectForm = ConnectForm(target: target)
        displayNameForm = DisplayNameForm()
        tokenPanel = TokenPanel()
        editor = RecordEditor()
        destination = DestinationView()
        screen = target.isSandbox ? .working(.fetchingSourceType(sourceType)) : .connect
    }

    /// The first effects to run: a sandbox target skips the connect screen.
    public var initialEffects: [WizardEffect] {
        target.isSandbox ? [.connect(target, sourceType: sourceType)] : []
    }
}

/// What the wizard shows. Form contents live in `WizardState`, so going back keeps them.
public indirect enum WizardScreen: Sendable, Equatable {
    case connect
    case working(Activity)
    case displayName
    case token
    case editor
    case destination
    /// The report card is at a step this wizard cannot complete in a terminal.
    case unsupportedStep(StepType)
    case failure(FailureScreen)
}

/// A request in flight, named for the progress screen.
public enum Activity: Sendable, Equatable {
    case fetchingSourceType(String)
    case creatingSource(displayName: String)
    case generatingToken(sourceID: Int)

    public var description: String {
        switch self {
        case .fetchingSourceType(let type): "Fetching the \(type) report card…"
        case .creatingSource(let name): "Creating the Import API source “\(name)”…"
        case .generatingToken(let id): "Generating an Import API access token for source \(id)…"
        }
    }
}

/// A failure that stops the flow, with the ways out.
public struct FailureScreen: Sendable, Equatable {
    public var title: String
    public var failure: WizardFailure
    /// Run again on `r`.
    public var retry: [WizardEffect]
    public var retryActivity: Activity?
    /// Where Esc leads; nil when there is no way back (then only retry or quit).
    public var back: WizardScreen?

    public init(title: String, failure: WizardFailure, retry: [WizardEffect], retryActivity: Activity?,
                back: WizardScreen?) {
        self.title = title
        self.failure = failure
        self.retry = retry
        self.retryActivity = retryActivity
        self.back = back
    }
}
