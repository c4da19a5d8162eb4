import TerminalUI

/// The sandbox-only view of rows loaded into the destination, as a panel of the record editor
/// (Ctrl-D). The destination panel of issue 8 item 6 replaces it.
public struct DestinationView: EditorPanel {
    public var snapshot: DestinationSnapshot?
    public var error: String?
    public var isLoading = false
    /// First row shown, for scrolling.
    public var firstRow = 0
    /// First column shown: tables are often wider than the terminal.
    public var firstColumn = 0

    public init() {}

    public enum Action: Sendable, Equatable {
        case back, refresh, up, down, left, right
    }

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        [
            KeyBinding([.escape, .control("d"), .function(2)], "esc", "editor", .back),
            KeyBinding([.character("r")], "r", "refresh", .refresh),
            KeyBinding([.up], "↑↓←→", "scroll", .up),
            KeyBinding([.down], "↓", "", .down, listed: false),
            KeyBinding([.left], "←", "", .left, listed: false),
            KeyBinding([.right], "→", "", .right, listed: false),
        ]
    }

    /// The editor gives the panel focus: the batch's table is read (again).
    public mutating func show(_ context: inout EditorContext) -> [EditorCommand] {
        guard context.session.target.isSandbox, let schema = context.session.source?.name else { return [] }
        isLoading = true
        return [.wizard(.run(.loadDestination(schema: schema, table: context.document.batch.tableName, delay: .zero)))]
    }

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        switch action {
        case .back:
            return [.focus(.grid)]
        case .refresh:
            guard let schema = context.session.source?.name else { return [] }
            isLoading = true
            let table = snapshot?.table ?? context.document.batch.tableName
            return [.wizard(.run(.loadDestination(schema: schema, table: table, delay: .zero)))]
        case .down:
            firstRow = min(firstRow + 1, max(0, (snapshot?.rows.count ?? 0) - 1))
        case .up:
            firstRow = max(0, firstRow - 1)
        case .right:
            firstColumn = min(firstColumn + 1, max(0, (snapshot?.columns.count ?? 0) - 1))
        case .left:
            firstColumn = max(0, firstColumn - 1)
        }
        return []
    }

    public mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand] {
        switch reply {
        case .destination(let loaded):
            snapshot = loaded
            error = nil
            isLoading = false
            firstRow = min(firstRow, max(0, loaded.rows.count - 1))
        case .failed(.loadDestination, let failure):
            isLoading = false
            error = failure.message
        default:
            break
        }
        return []
    }
}
