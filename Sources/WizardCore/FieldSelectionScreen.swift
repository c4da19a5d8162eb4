import StitchAPI
import TerminalUI

/// `field_selection`: the streams discovery found (`GET /v4/sources/{id}/streams`), each
/// selected or not, and per stream its fields (`GET .../streams/{stream_id}`); `/` filters the
/// list on show. Saving sends `PUT .../streams/metadata`, notes the selection for the exit
/// summary, fetches the source and routes on its new report card.
public struct FieldSelectionScreen: ScreenModel, Equatable {
    /// One field of a stream, as the user is choosing it.
    public struct FieldChoice: Sendable, Equatable {
        public var name: String
        public var inclusion: FieldInclusion?
        public var isSelected: Bool

        /// `automatic` fields are always replicated and `unsupported` ones never: not the user's choice.
        public var isSelectable: Bool { inclusion?.isSelectable ?? true }
        public var isReplicated: Bool { inclusion == .automatic || (isSelectable && isSelected) }
    }

    /// One stream, as the user is choosing it.
    public struct StreamChoice: Sendable, Equatable {
        public var stream: SourceStream
        public var isSelected: Bool
        /// Nil until the stream's schema has been fetched (on selecting or opening it).
        public var fields: [FieldChoice]?
        public var isLoading = false

        public var name: String { stream.streamName }
        public var replicatedFieldCount: Int { fields?.filter(\.isReplicated).count ?? 0 }
    }

    public enum Phase: Sendable, Equatable {
        case loading
        case choosing
        case saving
        /// Saved; fetching the source for its new report card.
        case finishing
    }

    public var source: Source
    public var phase: Phase = .loading
    public var streams: [StreamChoice] = []
    /// The stream whose fields are on show, by index into `streams`.
    public var openStream: Int?
    /// Position in the visible (filtered) list on show.
    public var cursor = 0
    /// The streams list's cursor while a stream's fields are on show.
    public var streamCursor = 0
    public var filter = TextField(placeholder: "type to filter")
    public var isFiltering = false
    /// The request that failed, with what to tell; `r` sends it again.
    public var failedRequest: WizardRequest?
    public var failure: WizardFailure?
    /// A refusal that needs no request (nothing selected), or a line-mode answer's problem.
    public var message: String?
    /// Enter was pressed while selected streams' fields were still loading: save once they are.
    public var savesWhenLoaded = false
    /// The line mode asks for the fields of each selected stream in turn: the position in
    /// `selectedIndices`, once the streams have been answered.
    public var lineFieldsPosition: Int?

    public init(source: Source) { self.source = source }

    /// Rows PgUp/PgDn move: a screenful at the minimum size.
    static let page = 10

    /// The screen for the session's source at `card`; a card without a source (a source type
    /// whose steps start here, which none does, or a source of another type left in the session)
    /// cannot be continued here.
    public static func screen(card: ReportCard, session: WizardSession) -> any ScreenModel {
        guard var source = session.source, source.type == card.type else {
            return UnsupportedStepScreen(step: card.effectiveStepType ?? .other("?"), card: card)
        }
        source.reportCard = card
        return FieldSelectionScreen(source: source)
    }

    public var stage: WizardStage { .step(.fieldSelection) }

    public var sourceName: String { "“\(source.displayName ?? source.name)”" }
    public var selectedIndices: [Int] { streams.indices.filter { streams[$0].isSelected } }

    // MARK: The list on show

    /// Indices (into `streams`, or into the open stream's fields) that match the filter.
    public var visible: [Int] {
        let needle = filter.text.trimmed.lowercased()
        let names: [String] = openStream.map { streams[$0].fields?.map(\.name) ?? [] } ?? streams.map(\.name)
        return names.indices.filter { needle.isEmpty || names[$0].lowercased().contains(needle) }
    }

    var cursorTarget: Int? {
        let shown = visible
        return shown.indices.contains(cursor) ? shown[cursor] : nil
    }

    // MARK: Keys

    public enum Action: Sendable, Equatable {
        case up, down, pageUp, pageDown, toggle, all, openFields, closeFields, save, startFilter, endFilter, clearFilter, retry, home
    }

    public func keyBindings(in session: WizardSession) -> [KeyBinding<Action>] {
        switch phase {
        case .saving, .finishing:
            return failure == nil ? [] : [KeyBinding([.character("r")], "r", "retry", .retry),
                                          KeyBinding([.escape], "esc", "back", .home)]
        case .loading:
            var keys: [KeyBinding<Action>] = []
            if failure != nil { keys.append(KeyBinding([.character("r")], "r", "retry", .retry)) }
            return keys + [KeyBinding([.escape], "esc", "back", .home)]
        case .choosing:
            break
        }
        // The list's cursor marks the row, so ↑↓ are listed only while filtering, where the bar
        // has room; elsewhere every other key must fit in 80 columns.
        let moves: [KeyBinding<Action>] = [
            KeyBinding([.down], "↑↓", "move", .down, listed: isFiltering),
            KeyBinding([.up], "↑", "up", .up, listed: false),
            KeyBinding([.pageDown], "pgdn", "page down", .pageDown, listed: false),
            KeyBinding([.pageUp], "pgup", "page up", .pageUp, listed: false),
        ]
        if isFiltering {
            return moves + [KeyBinding([.enter], "enter", "done", .endFilter),
                            KeyBinding([.escape], "esc", "clear filter", .clearFilter)]
        }
        var keys = [KeyBinding([.character(" ")], "space", "pick", Action.toggle)] + moves
        if openStream != nil {
            keys += [
                KeyBinding([.character("a")], "a", "all", .all),
                KeyBinding([.enter, .left], "enter", "back", .closeFields),
            ]
        } else {
            keys += [
                KeyBinding([.right], "→", "fields", .openFields),
                KeyBinding([.character("a")], "a", "all", .all),
                KeyBinding([.enter], "enter", "save", .save),
            ]
        }
        keys.append(KeyBinding([.character("/")], "/", "filter", .startFilter))
        if streams.isEmpty && openStream == nil {
            keys.append(KeyBinding([.character("r")], "r", failure == nil ? "reload" : "retry", .retry))
        } else if failure != nil {
            // In the streams list Enter saves, which also fetches what is missing, so it retries
            // either request; the message under the list says so and r stays as an alias.
            keys.append(KeyBinding([.character("r")], "r", "retry", .retry, listed: openStream != nil))
        }
        if !filter.isEmpty {
            keys.append(KeyBinding([.escape], "esc", "clear filter", .clearFilter))
        } else if openStream != nil {
            keys.append(KeyBinding([.escape], "esc", "back", .closeFields, listed: false))
        } else {
            keys.append(KeyBinding([.escape], "esc", "back", .home))
        }
        return keys
    }

    public func inputHelp(in session: WizardSession) -> [KeyHelp] {
        isFiltering ? [KeyHelp(key: "type", action: "to filter")] : []
    }

    public mutating func input(_ key: Key, in session: WizardSession) -> [WizardCommand] {
        guard isFiltering, filter.handle(key) else { return [] }
        cursor = 0
        return []
    }

    public mutating func perform(_ action: Action, in session: WizardSession) -> [WizardCommand] {
        message = nil
        switch action {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, visible.count - 1), cursor + 1)
        case .pageUp: cursor = max(0, cursor - Self.page)
        case .pageDown: cursor = min(max(0, visible.count - 1), cursor + Self.page)
        case .toggle: return toggle(in: session)
        case .all: return toggleAll(in: session)
        case .openFields: return openFields(in: session)
        case .closeFields:
            openStream = nil
            filter.text = ""
            cursor = streamCursor
        case .save: return save(in: session)
        case .startFilter: isFiltering = true
        case .endFilter: isFiltering = false
        case .clearFilter:
            isFiltering = false
            filter.text = ""
            cursor = 0
        case .retry: return retry(in: session)
        case .home: return [.home]
        }
        return []
    }

    mutating func toggle(in session: WizardSession) -> [WizardCommand] {
        guard let target = cursorTarget else { return [] }
        if let open = openStream {
            guard streams[open].fields?[target].isSelectable == true else {
                message = "\(streams[open].fields?[target].name ?? "This field") is not yours to choose: "
                    + (streams[open].fields?[target].inclusion == .automatic ? "it is always replicated." : "it cannot be replicated.")
                return []
            }
            streams[open].fields?[target].isSelected.toggle()
            return []
        }
        streams[target].isSelected.toggle()
        return streams[target].isSelected ? loadFields(of: [target], in: session) : []
    }

    /// Selects every shown item, or, when all are selected already, deselects them.
    mutating func toggleAll(in session: WizardSession) -> [WizardCommand] {
        let shown = visible
        if let open = openStream {
            guard var fields = streams[open].fields else { return [] }
            let choosable = shown.filter { fields[$0].isSelectable }
            let select = !choosable.allSatisfy { fields[$0].isSelected }
            for index in choosable { fields[index].isSelected = select }
            streams[open].fields = fields
            return []
        }
        let select = !shown.allSatisfy { streams[$0].isSelected }
        for index in shown { streams[index].isSelected = select }
        return select ? loadFields(of: shown, in: session) : []
    }

    mutating func openFields(in session: WizardSession) -> [WizardCommand] {
        guard openStream == nil, let target = cursorTarget else { return [] }
        streamCursor = cursor
        openStream = target
        filter.text = ""
        isFiltering = false
        cursor = 0
        return loadFields(of: [target], in: session)
    }

    /// Fetches the schemas of `indices` not fetched or in flight yet.
    mutating func loadFields(of indices: [Int], in session: WizardSession) -> [WizardCommand] {
        var commands: [WizardCommand] = []
        for index in indices where streams[index].fields == nil && !streams[index].isLoading {
            streams[index].isLoading = true
            commands.append(.run(.fetchStreamSchema(sourceID: source.id, streamID: streams[index].stream.streamID,
                                                    via: session.target)))
        }
        return commands
    }

    public mutating func start(in session: WizardSession) -> [WizardCommand] {
        phase = .loading
        return [.run(.fetchStreams(sourceID: source.id, via: session.target))]
    }

    mutating func retry(in session: WizardSession) -> [WizardCommand] {
        let request = failedRequest
        failure = nil
        failedRequest = nil
        switch (phase, request) {
        case (.loading, _), (.choosing, nil):
            streams = []
            openStream = nil
            cursor = 0
            return start(in: session)
        case (.choosing, .fetchStreamSchema?):
            let wanted = selectedIndices + (openStream.map { [$0] } ?? [])
            return loadFields(of: wanted.filter { streams[$0].fields == nil }, in: session)
        case (.finishing, _):
            return [.run(.fetchSource(id: source.id, via: session.target))]
        default:
            return save(in: session)
        }
    }

    // MARK: Saving

    /// The selection as the metadata update: every selected stream with its fields (when they
    /// were fetched), and every stream deselected that Stitch had selected.
    public var update: StreamMetadataUpdate {
        var changes: [StreamMetadataUpdate.Change] = []
        for choice in streams {
            if choice.isSelected {
                var fields: [String: Bool] = [:]
                for field in choice.fields ?? [] where field.isSelectable { fields[field.name] = field.isSelected }
                changes.append(StreamMetadataUpdate.select(choice.stream.tapStreamID, fields: fields,
                                                           replicationMethod: Self.replicationMethod(for: choice.stream)))
            } else if choice.stream.selected == true {
                changes.append(StreamMetadataUpdate.select(choice.stream.tapStreamID, selected: false))
            }
        }
        return StreamMetadataUpdate(streams: changes)
    }

    /// Database streams need a replication method before Stitch can replicate them; SaaS taps
    /// force theirs (`forced-replication-method`). A stream with neither gets `FULL_TABLE`, the
    /// one method that needs no replication key [?] (Stitch's app asks; the API docs do not say
    /// what happens without one).
    static func replicationMethod(for stream: SourceStream) -> String? {
        guard stream.metadata["forced-replication-method"] == nil, stream.metadata["replication-method"] == nil
        else { return nil }
        return "FULL_TABLE"
    }

    mutating func save(in session: WizardSession) -> [WizardCommand] {
        guard phase == .choosing || phase == .saving else { return [] }
        guard !selectedIndices.isEmpty else {
            message = "Select at least one stream to replicate (space, or a for all)."
            return []
        }
        // A selected stream is saved with its fields, so they are fetched first (again, after a
        // failed fetch).
        let missing = selectedIndices.filter { streams[$0].fields == nil }
        if !missing.isEmpty {
            savesWhenLoaded = true
            failure = nil
            failedRequest = nil
            message = "Loading the fields of the selected streams; saving once they are here…"
            return loadFields(of: missing, in: session)
        }
        savesWhenLoaded = false
        phase = .saving
        failure = nil
        failedRequest = nil
        return [.run(.updateStreamMetadata(sourceID: source.id, update, via: session.target))]
    }

    // MARK: Replies

    public mutating func receive(_ reply: WizardReply, in session: WizardSession) -> [WizardCommand] {
        switch reply {
        case .streams(let id, let list) where id == source.id && phase == .loading:
            phase = .choosing
            streams = list.map { StreamChoice(stream: $0, isSelected: $0.isSelected) }
            // Streams Stitch already replicates need their fields known before saving.
            return loadFields(of: selectedIndices, in: session)
        case .streamSchema(let id, let streamID, let schema) where id == source.id:
            guard let index = streams.firstIndex(where: { $0.stream.streamID == streamID }) else { return [] }
            streams[index].isLoading = false
            streams[index].fields = Self.fields(of: schema, stream: streams[index].stream)
            if savesWhenLoaded, !selectedIndices.contains(where: { streams[$0].isLoading }) {
                message = nil
                return save(in: session)
            }
        case .streamMetadataUpdated(let id) where id == source.id && phase == .saving:
            phase = .finishing
            return [.note(.streamsSelected(sourceID: source.id, count: selectedIndices.count)),
                    .run(.fetchSource(id: source.id, via: session.target))]
        case .source(let fetched) where fetched.id == source.id && phase == .finishing:
            return [.adoptSource(fetched), .route(fetched.reportCard)]
        case .failed(let request, let refused):
            return refuse(request, refused)
        default:
            break
        }
        return []
    }

    mutating func refuse(_ request: WizardRequest, _ refused: WizardFailure) -> [WizardCommand] {
        switch (request, phase) {
        case (.fetchStreams, .loading), (.fetchSource, .finishing):
            break
        case (.fetchStreamSchema, _):
            for index in streams.indices { streams[index].isLoading = false }
            savesWhenLoaded = false
            if phase == .saving { phase = .choosing }
        case (.updateStreamMetadata, .saving):
            phase = .choosing
        default:
            return []
        }
        failedRequest = request
        failure = refused.hinted(forSource: source.id)
        return []
    }

    /// A stream's fields from its schema. A stream selected for the first time gets all its
    /// fields [?] (what Stitch's app does; the sandbox reports `selected: false` for fields never
    /// chosen); one Stitch already replicates keeps what it replicates.
    static func fields(of schema: StreamSchema, stream: SourceStream) -> [FieldChoice] {
        schema.fields.map { field in
            FieldChoice(name: field.name, inclusion: field.entry.inclusion,
                        isSelected: stream.isSelected ? field.entry.isReplicated : true)
        }
    }

    // MARK: Line mode

    public func linePrompt(in session: WizardSession) -> LinePrompt {
        var lines: [String] = []
        if let failure { lines.append("Error: " + WizardReducer.sentence(failure)) }
        if let message { lines.append((phase == .choosing ? "Error: " : "") + message) }
        switch phase {
        case .loading where failure == nil:
            return LinePrompt(lines: ["Loading the streams of \(sourceName)…"])
        case .saving where failure == nil, .finishing where failure == nil:
            return LinePrompt(lines: ["Saving the selection of \(sourceName)…"])
        case .loading, .saving, .finishing:
            return LinePrompt(lines: lines, question: "Retry? [y/n]: ")
        case .choosing:
            break
        }
        if failure != nil { return LinePrompt(lines: lines, question: "Retry? [y/n]: ") }
        if streams.isEmpty {
            return LinePrompt(lines: ["No streams found in \(sourceName) yet."] + lines, question: "Reload? [y/n]: ")
        }
        guard let position = lineFieldsPosition else {
            let chosen = Set(selectedIndices)
            let shown = chosen.isEmpty ? "" : " [\(MultiSelectAnswer.describe(chosen, count: streams.count))]"
            return LinePrompt(lines: ["Select the streams of \(sourceName) to replicate"] + lines,
                              options: streams.map(\.name),
                              question: "Streams (numbers or names, comma-separated, or all)\(shown): ")
        }
        let index = selectedIndices[position]
        guard let fields = streams[index].fields else {
            return LinePrompt(lines: ["Loading the fields of \(streams[index].name)…"])
        }
        let chosen = Set(fields.indices.filter { fields[$0].isReplicated })
        return LinePrompt(lines: ["Fields of \(streams[index].name) (stream \(position + 1) of \(selectedIndices.count))"] + lines,
                          options: fields.map(Self.lineLabel),
                          question: "Fields of \(streams[index].name) (numbers or names, comma-separated, or all) "
                              + "[\(MultiSelectAnswer.describe(chosen, count: fields.count))]: ")
    }

    static func lineLabel(_ field: FieldChoice) -> String {
        switch field.inclusion {
        case .automatic?: "\(field.name) (always replicated)"
        case .unsupported?: "\(field.name) (cannot be replicated)"
        default: field.name
        }
    }

    public mutating func answer(_ line: String, in session: WizardSession) -> [WizardCommand] {
        let yes = line.trimmed.lowercased().hasPrefix("y")
        if failure != nil || phase != .choosing {
            guard failure != nil else { return [] }
            return yes ? retry(in: session) : [.home]
        }
        if streams.isEmpty { return yes ? retry(in: session) : [.home] }
        message = nil
        guard let position = lineFieldsPosition else { return answerStreams(line, in: session) }
        let index = selectedIndices[position]
        guard var fields = streams[index].fields else { return [] }
        if !line.trimmed.isEmpty {
            switch MultiSelectAnswer.parse(line, options: fields.map(\.name)) {
            case .failure(let problem):
                message = problem.description
                return []
            case .success(let chosen):
                for field in fields.indices where fields[field].isSelectable { fields[field].isSelected = chosen.contains(field) }
                streams[index].fields = fields
            }
        }
        if position + 1 < selectedIndices.count {
            lineFieldsPosition = position + 1
            return []
        }
        lineFieldsPosition = nil
        return save(in: session)
    }

    mutating func answerStreams(_ line: String, in session: WizardSession) -> [WizardCommand] {
        if !line.trimmed.isEmpty {
            switch MultiSelectAnswer.parse(line, options: streams.map(\.name)) {
            case .failure(let problem):
                message = problem.description
                return []
            case .success(let chosen):
                for index in streams.indices { streams[index].isSelected = chosen.contains(index) }
            }
        }
        guard !selectedIndices.isEmpty else {
            message = "Select at least one stream to replicate."
            return []
        }
        lineFieldsPosition = 0
        return loadFields(of: selectedIndices, in: session)
    }
}
