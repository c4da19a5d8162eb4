import StitchAPI
import TerminalUI

/// What every screen may read: where requests go, what has been chosen and made so far. Only
/// the parent changes it, on a screen's commands.
public struct WizardSession: Sendable, Equatable {
    public var target: WizardTarget
    /// The source type a new source gets unless the user picks another (`--source-type`).
    public var sourceType: String
    /// How this run starts after the connect check.
    public var start: WizardStart
    public var source: Source?
    /// Held in memory only, so the editor can push; shown on the token screen alone.
    public var token: ImportAccessToken?
    public var summary: ExitSummary
    public var size: Size
    /// `--records FILE`: the record editor opens with this file loaded.
    public var recordsPath: String?

    public init(target: WizardTarget, sourceType: String = "import_api", start: WizardStart = .home,
                token: ImportAccessToken? = nil, size: Size = Size(columns: 80, rows: 24)) {
        self.target = target
        self.sourceType = sourceType
        self.start = start
        self.token = token
        self.size = size
        summary = ExitSummary()
    }
}

/// Where the wizard goes after the connect check (or at once with `--sandbox`).
public enum WizardStart: Sendable, Equatable {
    /// The start screen: create a source (default type preselected) or continue one.
    case home
    /// `--source-type TYPE`: straight to creating a source of that type.
    case newSource(type: String)
    /// `--source ID`: continue that source at its current step (the record editor at once when
    /// a saved token was given).
    case existingSource(id: Int)
}
