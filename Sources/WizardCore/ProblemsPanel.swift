import RecordBatch
import TerminalUI

/// The record editor's problem list (issue 8 item 2): what the local checks found in the batch
/// (`document.problems`, the Import API's own texts, each at its row and column), then what
/// loading the file left out (`document.loadProblems`, at their line and column). Enter on a
/// batch problem jumps to its cell in the grid. Nothing is sent while any batch problem remains.
public struct ProblemsPanel: EditorPanel {
    /// The selected entry: an index into `entries` (batch problems, then load problems).
    public var selection = 0
    /// The first entry shown.
    public var firstShown = 0

    public init() {}

    public enum Action: Sendable, Equatable {
        case up, down, pageUp, pageDown, home, end, jump
    }

    /// One line of the list.
    public enum Entry: Sendable, Equatable {
        case batch(BatchProblem)
        case load(LoadProblem)

        /// "row 3, age: #/age: expected type: …" / "line 7, column 3: …".
        public func text(in batch: RecordBatch) -> String {
            switch self {
            case .batch(let problem):
                var place: [String] = []
                if let row = problem.row { place.append("row \(row + 1)") }
                if let column = problem.column, column < batch.columns.count { place.append(batch.columns[column].name) }
                let head = place.isEmpty ? "table" : place.joined(separator: ", ")
                return head + ": " + problem.message.replacingOccurrences(of: "\n", with: " ")
            case .load(let problem):
                return (problem.line > 0 ? "file " : "file: ") + problem.description
            }
        }
    }

    public static func count(_ document: EditorDocument) -> Int {
        document.problems.count + document.loadProblems.count
    }

    public static func entry(_ index: Int, of document: EditorDocument) -> Entry {
        index < document.problems.count ? .batch(document.problems[index])
            : .load(document.loadProblems[index - document.problems.count])
    }

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        guard Self.count(context.document) > 0 else { return [] }
        var keys = [
            KeyBinding([.up], "↑↓", "select", Action.up),
            KeyBinding([.down], "↓", "", .down, listed: false),
            KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
            KeyBinding([.pageDown], "pgdn", "", .pageDown, listed: false),
            KeyBinding([.home], "home", "", .home, listed: false),
            KeyBinding([.end], "end", "", .end, listed: false),
        ]
        if case .batch(let problem) = Self.entry(min(selection, Self.count(context.document) - 1), of: context.document),
           problem.row != nil || problem.column != nil {
            keys.insert(KeyBinding([.enter], "enter", "go to cell", .jump), at: 0)
        }
        return keys
    }

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        let count = Self.count(context.document)
        let page = Self.page(context.size)
        switch action {
        case .up: selection -= 1
        case .down: selection += 1
        case .pageUp: selection -= page
        case .pageDown: selection += page
        case .home: selection = 0
        case .end: selection = count - 1
        case .jump:
            clamp(context)
            guard count > 0, case .batch(let problem) = Self.entry(selection, of: context.document) else { return [] }
            let rows = context.document.batch.rowCount
            guard let row = problem.row ?? (rows > 0 && problem.column != nil ? 0 : nil) else { return [] }
            return [.jump(row: row, column: problem.column)]
        }
        clamp(context)
        return []
    }

    /// Keeps the selection on an entry and in view (the list is drawn in the layout's strip,
    /// under one title line).
    public mutating func clamp(_ context: EditorContext) {
        let count = Self.count(context.document)
        selection = min(max(0, selection), max(0, count - 1))
        let page = Self.page(context.size)
        firstShown = min(max(0, firstShown), max(0, count - page))
        if selection < firstShown { firstShown = selection }
        if selection >= firstShown + page { firstShown = selection - page + 1 }
    }

    /// Entries shown at once.
    public static func page(_ size: Size) -> Int { max(1, EditorLayout(size: size).strip.height - 1) }
}
