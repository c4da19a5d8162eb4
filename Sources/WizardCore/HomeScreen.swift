import StitchAPI
import TerminalUI

/// The start: create a source (the preferred type preselected, so Enter takes the tutorial's
/// path) or continue one the account already has.
public struct HomeScreen: ScreenModel, Equatable {
    public enum Entry: Sendable, Equatable {
        case newSource(ReportCard)
        case existingSource(Source)

        /// Types the account's plan does not include are listed, not selectable.
        public var isSelectable: Bool {
            if case .newSource(let card) = self { return card.details?.access != false }
            return true
        }
    }

    public var entries: [Entry]
    public var selected: Int
    /// The line mode's refusal of an answer.
    public var problem: String?

    public init(sourceTypes: [ReportCard], sources: [Source], preferredType: String) {
        // Deleted sources cannot be continued.
        let live = sources.filter { $0.deletedAt == nil }.sorted { $0.id > $1.id }
        entries = sourceTypes.map(Entry.newSource) + live.map(Entry.existingSource)
        selected = entries.firstIndex {
            if case .newSource(let card) = $0 { return card.type == preferredType && $0.isSelectable }
            return false
        } ?? entries.firstIndex(where: \.isSelectable) ?? 0
    }

    public var stage: WizardStage { .start }

    public enum Action: Sendable, Equatable { case choose, up, down, back }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        var keys = [
            KeyBinding([.enter], "enter", "choose", Action.choose),
            KeyBinding([.down, .tab], "↑↓", "move", .down),
            KeyBinding([.up, .backTab], "↑", "up", .up, listed: false),
        ]
        if !session.target.isSandbox { keys.append(KeyBinding([.escape], "esc", "connect screen", .back)) }
        return keys
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        switch action {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .back: return [.open(ConnectScreen(target: session.target, sourceType: session.sourceType))]
        case .choose: return choose()
        }
        return []
    }

    mutating func move(by offset: Int) {
        guard !entries.isEmpty else { return }
        selected = min(max(0, selected + offset), entries.count - 1)
    }

    func choose() -> [WizardCommand] {
        guard entries.indices.contains(selected), entries[selected].isSelectable else { return [] }
        switch entries[selected] {
        case .newSource(let card): return [.open(StartScreen(start: .newSource(type: card.type)))]
        case .existingSource(let source): return [.open(StartScreen(start: .existingSource(id: source.id)))]
        }
    }

    public static func label(of entry: Entry) -> String {
        switch entry {
        case .newSource(let card):
            let tier = card.details?.pricingTier.map { " · \($0)" } ?? ""
            let access = entry.isSelectable ? "" : " · not in this plan"
            return "New \(card.type) source\(tier)\(access)"
        case .existingSource(let source):
            let paused = source.isActive ? "" : " · paused"
            let step = source.reportCard.effectiveStepType?.rawValue ?? "?"
            return "\(source.displayName ?? source.name) · \(source.type) · id \(source.id) · \(step)\(paused)"
        }
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        let options = entries.map { Self.label(of: $0) }
        return LinePrompt(lines: ["Create a source, or continue one"] + (problem.map { ["Error: " + $0] } ?? []),
                          options: options,
                          question: "Choice (number or name) [\(selected + 1)]: ")
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        let answer = line.trimmed
        if !answer.isEmpty {
            guard let index = index(answering: answer) else {
                problem = "Answer with a number from 1 to \(entries.count), a source type or a source's name."
                return []
            }
            guard entries[index].isSelectable else {
                problem = "That source type is not in this account's plan; choose another."
                return []
            }
            selected = index
        }
        problem = nil
        return choose()
    }

    /// The entry an answer names: its number, a source type (a new source of it), or an existing
    /// source's display name or schema name, compared without case.
    func index(answering answer: String) -> Int? {
        if let number = Int(answer) { return entries.indices.contains(number - 1) ? number - 1 : nil }
        let name = answer.lowercased()
        return entries.firstIndex {
            switch $0 {
            case .newSource(let card): card.type.lowercased() == name
            case .existingSource(let source): [source.displayName, source.name].contains { $0?.lowercased() == name }
            }
        }
    }
}
