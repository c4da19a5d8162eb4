import StitchAPI

/// Loads what the start needs, then gives way: the home screen's lists, the card of the type
/// to create (`--source-type`), or the source to continue (`--source`).
public struct StartScreen: ScreenModel, Equatable {
    public var start: WizardStart
    /// Replies gathered for the home screen (both lists are fetched at once).
    var sourceTypes: [ReportCard]?
    var sources: [Source]?
    /// The in-process sandbox is still starting, so nothing can be fetched yet: the terminal shows
    /// this at once and the runtime calls `start(in:)` once the sandbox listens (the target known).
    public var isAwaitingSandbox: Bool

    public init(start: WizardStart, isAwaitingSandbox: Bool = false) {
        self.start = start
        self.isAwaitingSandbox = isAwaitingSandbox
    }

    public var stage: WizardStage { .start }

    public var activity: String {
        if isAwaitingSandbox { return "Starting the local sandbox…" }
        return switch start {
        case .home: "Fetching source types and sources…"
        case .newSource(let type): "Fetching the \(type) report card…"
        case .existingSource(let id): "Fetching source \(id)…"
        }
    }

    public enum Action: Sendable, Equatable {}

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] { [] }
    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] { [] }

    public mutating func start(in session: WizardSession) -> [WizardCommand] {
        isAwaitingSandbox = false
        let target = session.target
        switch start {
        case .home: return [.run(.fetchSourceTypes(via: target)), .run(.fetchSources(via: target))]
        case .newSource(let type): return [.run(.fetchSourceType(type, via: target))]
        case .existingSource(let id): return [.run(.fetchSource(id: id, via: target))]
        }
    }

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch (start, reply) {
        case (.home, .sourceTypes(let types)):
            sourceTypes = types
        case (.home, .sources(let list)):
            sources = list
        case (.newSource, .sourceType(let card)):
            return [.route(card)]
        case (.existingSource, .source(let source)):
            return [.adoptSource(source), .route(source.reportCard)]
        case (_, .failed(let request, let failure)):
            return [.open(FailureScreen(title: title(of: request), failure: failure, stage: .start,
                                        retry: [.open(StartScreen(start: start))],
                                        back: session.target.isSandbox ? nil : [.open(ConnectScreen(target: session.target))]))]
        default:
            return []
        }
        if let sourceTypes, let sources {
            return [.open(HomeScreen(sourceTypes: sourceTypes, sources: sources, preferredType: session.sourceType))]
        }
        return []
    }

    func title(of request: WizardRequest) -> String {
        switch request {
        case .fetchSourceTypes: "Could not list the source types"
        case .fetchSources: "Could not list the sources"
        case .fetchSource: "Could not fetch the source"
        default: "Could not fetch the report card"
        }
    }

    public func linePrompt(in session: WizardSession) -> LinePrompt { LinePrompt(lines: [activity]) }
}
