import TerminalUI

/// The token screen's save-to-file prompt and its outcome.
public struct TokenPanel: Sendable, Equatable {
    public var isSaving = false
    public var path = TextField(text: "")
    public var savedPath: String?
    public var message: String?
    public var isError = false

    public init() {}
}
