import TerminalUI

/// One part of the record editor (the grid, the schema panel, the problem list, the history, the
/// destination view…): a model that owns its keys, its replies and its line of the help bar, and
/// works on the editor's shared `EditorDocument` (bubbletea's nested models). `EditorScreen` shows
/// the focused panel, lists its bindings after its own global ones and dispatches to it; a panel
/// asks the editor for everything else through `EditorCommand`s.
///
/// A new panel is one conformance here, a view in WizardViews, a case of `EditorFocus` and one line
/// in `EditorScreen`'s dispatch.
public protocol EditorPanel: Sendable, Equatable {
    associatedtype Action: Sendable & Equatable

    /// The keys that act while the panel has focus, in help-bar order.
    func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>]

    mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand]

    /// A key no binding claims (typing into a cell or a prompt). Ignored by default.
    mutating func input(_ key: Key, _ context: inout EditorContext) -> [EditorCommand]

    /// What `input` does with keys, for the help bar; none by default.
    func inputHelp(_ context: EditorContext) -> [KeyHelp]

    /// A reply to a request (every panel sees every reply; each ignores what it did not ask for).
    mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand]
}

extension EditorPanel {
    public mutating func input(_ key: Key, _ context: inout EditorContext) -> [EditorCommand] { [] }
    public func inputHelp(_ context: EditorContext) -> [KeyHelp] { [] }
    public mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand] { [] }

    /// A key: the binding that claims it, else `input`.
    public mutating func handle(_ key: Key, _ context: inout EditorContext) -> [EditorCommand] {
        if let binding = keyBindings(context).first(where: { $0.matches(key) }) {
            return perform(binding.action, &context)
        }
        return input(key, &context)
    }
}

/// What a panel works on: the document (which it may edit), the session (read only) and the
/// terminal's size (for scrolling with the same geometry the view draws).
public struct EditorContext: Sendable {
    public var document: EditorDocument
    public let session: WizardSession
    public let size: Size

    public init(document: EditorDocument, session: WizardSession, size: Size) {
        self.document = document
        self.session = session
        self.size = size
    }
}

/// Which panel has the keys.
public enum EditorFocus: Sendable, Equatable, CaseIterable {
    case grid, schema, problems, raw, history, destination
}

/// What a panel asks of the editor.
public enum EditorCommand: Sendable, Equatable {
    /// Passed to the wizard as it is (effects, notes, another screen).
    case wizard(WizardCommand)
    case focus(EditorFocus)
    /// Focus the grid at this cell (a problem's or a rejected record's place).
    case jump(row: Int, column: Int?)
    /// The document's batch changed: its problems are checked again.
    case batchChanged
    /// Send the document's batch (all its rows, split as the limits need).
    case send
}
