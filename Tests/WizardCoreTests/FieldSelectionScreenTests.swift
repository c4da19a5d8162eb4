import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// The `field_selection` step (issue 7, item 2): streams and per-stream fields, a filter,
/// counts, `PUT .../streams/metadata`, then the source's next step. Both modes, every error.
struct FieldSelectionScreenTests {
    typealias F = StepFixtures
    static let id = F.postgresID
    static func schemaFetch(_ streamID: Int) -> WizardEffect {
        .fetchStreamSchema(sourceID: id, streamID: streamID, via: F.target)
    }

    /// The screen with the three postgres streams listed.
    static func listed() throws -> WizardState {
        var (state, effects) = F.reach(F.postgres(atStep: 3))
        #expect(effects == [.fetchStreams(sourceID: id, via: F.target)])
        #expect(state.send(.reply(.streams(sourceID: id, try F.streams()))).isEmpty, "nothing was selected before")
        return state
    }

    static func screen(_ state: WizardState) throws -> FieldSelectionScreen { try #require(state.on(FieldSelectionScreen.self)) }

    @Test func theStreamsAreListedWithCountsAndTheKeysTheHelpBarShows() throws {
        let state = try Self.listed()
        let screen = try Self.screen(state)
        #expect(screen.phase == .choosing)
        #expect(screen.streams.map(\.name) == ["customers", "orders", "customer_view"])
        #expect(screen.selectedIndices.isEmpty)
        #expect(screen.keyHelp(in: state.session).map(\.key) == ["space", "→", "a", "enter", "/", "esc"])
        #expect(screen.keyHelp(in: state.session).map(\.action) == ["pick", "fields", "all", "save", "filter", "back"])
        var moved = state
        moved.send(.key(.down), .key(.down), .key(.down))
        #expect(try Self.screen(moved).cursor == 2, "↑↓ act though the bar leaves them out at this width")
        moved.send(.key(.up))
        #expect(try Self.screen(moved).cursor == 1)
        moved.send(.key(.pageDown))
        #expect(try Self.screen(moved).cursor == 2, "PgDn stops at the last row")
        moved.send(.key(.pageUp))
        #expect(try Self.screen(moved).cursor == 0)
    }

    @Test func selectingAStreamFetchesItsFieldsAndSelectsThemAllTheFirstTime() throws {
        var state = try Self.listed()
        #expect(state.send(.key(.character(" "))) == [Self.schemaFetch(1)])
        #expect(try Self.screen(state).streams[0].isLoading)
        state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))))
        let customers = try Self.screen(state).streams[0]
        #expect(customers.fields?.map(\.name) == ["id", "name", "email"])
        #expect(customers.replicatedFieldCount == 3, "a stream selected for the first time gets every field")
        #expect(!customers.isLoading)
        #expect(state.send(.key(.character(" "))).isEmpty, "deselecting fetches nothing")
        #expect(try Self.screen(state).selectedIndices.isEmpty)
    }

    @Test func aStreamsFieldsAreChosenOneByOneOrAllAndAutomaticOnesStay() throws {
        var state = try Self.listed()
        #expect(state.send(.key(.right)) == [Self.schemaFetch(1)], "opening a stream fetches its fields")
        state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))))
        #expect(try Self.screen(state).keyHelp(in: state.session).map(\.key) == ["space", "a", "enter", "/"])
        state.send(.key(.character(" ")))
        #expect(try Self.screen(state).message?.contains("always replicated") == true, "the key is not the user's to drop")
        state.send(.key(.down), .key(.character(" ")))
        #expect(try Self.screen(state).streams[0].fields?.map(\.isReplicated) == [true, false, true])
        state.send(.key(.character("a")))
        #expect(try Self.screen(state).streams[0].fields?.map(\.isReplicated) == [true, true, true], "a: all of them")
        state.send(.key(.character("a")))
        #expect(try Self.screen(state).streams[0].fields?.map(\.isReplicated) == [true, false, false], "a again: none")
        state.send(.key(.escape))
        #expect(try Self.screen(state).openStream == nil)
    }

    @Test func savingSendsTheSelectionNotesItAndRoutesOnTheFetchedSource() throws {
        var state = try Self.listed()
        state.send(.key(.character(" ")), .reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))))
        state.send(.key(.right), .key(.down), .key(.down), .key(.character(" ")), .key(.enter))  // drop email
        let effects = state.send(.key(.enter))
        let expected = StreamMetadataUpdate(streams: [
            StreamMetadataUpdate.select("shop-public-customers", fields: ["name": true, "email": false],
                                        replicationMethod: "FULL_TABLE"),
        ])
        #expect(effects == [.updateStreamMetadata(sourceID: Self.id, expected, via: F.target)])
        #expect(try Self.screen(state).phase == .saving)
        #expect(try Self.screen(state).keyHelp(in: state.session).isEmpty, "nothing changes while it saves")
        #expect(state.send(.reply(.streamMetadataUpdated(sourceID: Self.id))) == [.fetchSource(id: Self.id, via: F.target)])
        #expect(state.session.summary.entries == [.streamsSelected(sourceID: Self.id, count: 1)])
        state.send(.reply(.source(F.postgres(atStep: 4))))
        #expect(state.on(SourceSummaryScreen.self) != nil, "fully_configured: the summary")
        #expect(state.session.source?.reportCard.currentStep == 4)
    }

    @Test func nothingSelectedIsRefusedWithoutARequest() throws {
        var state = try Self.listed()
        #expect(state.send(.key(.enter)).isEmpty)
        #expect(try Self.screen(state).message == "Select at least one stream to replicate (space, or a for all).")
    }

    @Test func savingWhileFieldsLoadWaitsForThem() throws {
        var state = try Self.listed()
        #expect(state.send(.key(.character("a"))) == [Self.schemaFetch(1), Self.schemaFetch(2), Self.schemaFetch(3)])
        #expect(state.send(.key(.enter)).isEmpty)
        #expect(try Self.screen(state).savesWhenLoaded)
        state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))))
        state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 2, try F.schema(F.ordersSchemaJSON))))
        let effects = state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 3, try F.schema(F.ordersSchemaJSON))))
        guard case .updateStreamMetadata(_, let update, _)? = effects.first else {
            Issue.record("no save after the last schema: \(effects)")
            return
        }
        #expect(update.streams.map(\.tapStreamID) == ["shop-public-customers", "shop-public-orders", "shop-public-customer_view"])
    }

    @Test func theFilterNarrowsTheListAndKeysTypeIntoIt() throws {
        var state = try Self.listed()
        state.send(.key(.character("/")))
        #expect(try Self.screen(state).keyHelp(in: state.session).map(\.key) == ["↑↓", "enter", "esc", "type"])
        state.type("ORD a")  // letters, even a and space, are the filter's while it is edited
        #expect(try Self.screen(state).filter.text == "ORD a")
        state.send(.key(.backspace), .key(.backspace))
        #expect(try Self.screen(state).visible == [1])
        state.send(.key(.enter))
        #expect(state.send(.key(.character(" "))) == [Self.schemaFetch(2)], "space selects the row the filter left")
        #expect(try Self.screen(state).selectedIndices == [1])
        #expect(try Self.screen(state).keyHelp(in: state.session).last == KeyHelp(key: "esc", action: "clear filter"))
        state.send(.key(.escape))
        #expect(try Self.screen(state).visible == [0, 1, 2])
        #expect(state.on(FieldSelectionScreen.self) != nil, "the first Esc clears the filter, it does not leave")
        state.send(.key(.escape))
        #expect(state.on(StartScreen.self) != nil)
    }

    @Test func aStreamStitchAlreadyReplicatesKeepsItsFieldsAndCanBeDeselected() throws {
        var (state, _) = F.reach(F.postgres(atStep: 4 - 1))
        let selected = F.streamsJSON.replacingOccurrences(of: #"{"selected":null,"stream_id":1"#, with: #"{"selected":true,"stream_id":1"#)
        #expect(state.send(.reply(.streams(sourceID: Self.id, try F.streams(selected)))) == [Self.schemaFetch(1)])
        let chosen = F.customersSchemaJSON.replacingOccurrences(
            of: #""inclusion":"available","selected":false,"sql-datatype":"text"}},"#,
            with: #""inclusion":"available","selected":true,"sql-datatype":"text"}},"#)
        state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(chosen))))
        #expect(try Self.screen(state).streams[0].fields?.map(\.isReplicated) == [true, true, false], "as Stitch has it")
        state.send(.key(.character(" ")), .key(.down), .key(.character(" ")))
        let effects = state.send(.key(.enter), .reply(.streamSchema(sourceID: Self.id, streamID: 2, try F.schema(F.ordersSchemaJSON))))
        #expect(effects == [.updateStreamMetadata(sourceID: Self.id, StreamMetadataUpdate(streams: [
            StreamMetadataUpdate.select("shop-public-customers", selected: false),
            StreamMetadataUpdate.select("shop-public-orders", fields: ["total": true], replicationMethod: "FULL_TABLE"),
        ]), via: F.target)])
    }

    @Test func saasStreamsKeepTheirForcedReplicationMethod() throws {
        let saas = try F.streams(#"[{"selected":null,"stream_id":9,"tap_stream_id":"leads","stream_name":"leads","metadata":{"forced-replication-method":"INCREMENTAL","table-key-properties":["id"]}}]"#)
        #expect(FieldSelectionScreen.replicationMethod(for: saas[0]) == nil)
        #expect(FieldSelectionScreen.replicationMethod(for: try F.streams()[0]) == "FULL_TABLE")
    }

    // MARK: Errors on each request

    @Test(arguments: StepFixtures.documentedErrors)
    func eachConnectErrorListingTheStreamsIsShownWithRetry(failure: WizardFailure) throws {
        var (state, _) = F.reach(F.postgres(atStep: 3))
        #expect(state.send(.reply(.failed(.fetchStreams, failure))).isEmpty)
        #expect(try Self.screen(state).failure?.message == failure.message)
        #expect(try Self.screen(state).keyHelp(in: state.session).map(\.key) == ["r", "esc"])
        #expect(try Self.screen(state).linePrompt(in: state.session).question == "Retry? [y/n]: ")
        #expect(state.send(.key(.character("r"))) == [.fetchStreams(sourceID: Self.id, via: F.target)])
        #expect(try Self.screen(state).failure == nil)
    }

    @Test(arguments: StepFixtures.documentedErrors)
    func eachConnectErrorFetchingAStreamsFieldsIsShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.listed()
        state.send(.key(.character(" ")))
        #expect(state.send(.reply(.failed(.fetchStreamSchema, failure))).isEmpty)
        let screen = try Self.screen(state)
        #expect(screen.failure?.message == failure.message && !screen.streams[0].isLoading)
        #expect(!screen.keyHelp(in: state.session).map(\.key).contains("r"), "enter retries here; r is an unlisted alias")
        var saving = state
        #expect(saving.send(.key(.enter)) == [Self.schemaFetch(1)], "saving fetches the missing fields first")
        #expect(try Self.screen(saving).savesWhenLoaded)
        #expect(state.send(.key(.character("r"))) == [Self.schemaFetch(1)], "retry fetches what is missing")
        state.send(.key(.right))
        #expect(try Self.screen(state).keyHelp(in: state.session).contains(KeyHelp(key: "r", action: "retry")) == false,
                "r retried already, so no failure is on show")
    }

    @Test(arguments: StepFixtures.documentedErrors)
    func eachConnectErrorSavingKeepsTheSelectionAndRetries(failure: WizardFailure) throws {
        var state = try Self.listed()
        state.send(.key(.character(" ")), .reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))))
        let save = state.send(.key(.enter))
        #expect(state.send(.reply(.failed(.updateStreamMetadata, failure))).isEmpty)
        let screen = try Self.screen(state)
        #expect(screen.phase == .choosing && screen.selectedIndices == [0], "the choices survive the refusal")
        #expect(screen.failure?.message == failure.message, "a 400 shows its invalid_fields text")
        #expect(state.send(.key(.character("r"))) == save)
        #expect(try Self.screen(state).phase == .saving)
    }

    @Test(arguments: StepFixtures.documentedErrors)
    func eachConnectErrorFetchingTheSourceAfterSavingIsShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.listed()
        state.send(.key(.character(" ")), .reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))),
                   .key(.enter), .reply(.streamMetadataUpdated(sourceID: Self.id)))
        #expect(state.send(.reply(.failed(.fetchSource, failure))).isEmpty)
        #expect(try Self.screen(state).failure?.message == failure.message)
        #expect(try Self.screen(state).keyHelp(in: state.session).map(\.key) == ["r", "esc"])
        #expect(state.send(.key(.character("r"))) == [.fetchSource(id: Self.id, via: F.target)])
        state.send(.reply(.source(F.postgres(atStep: 4))))
        #expect(state.on(SourceSummaryScreen.self) != nil)
    }

    @Test func noStreamsYetCanBeReloaded() throws {
        var (state, _) = F.reach(F.postgres(atStep: 3))
        state.send(.reply(.streams(sourceID: Self.id, [])))
        #expect(try Self.screen(state).keyHelp(in: state.session).contains(KeyHelp(key: "r", action: "reload")))
        #expect(try Self.screen(state).linePrompt(in: state.session).question == "Reload? [y/n]: ")
        #expect(state.send(.key(.character("r"))) == [.fetchStreams(sourceID: Self.id, via: F.target)])
    }

    // MARK: Line mode

    @Test func lineModeAsksForStreamsThenEachStreamsFieldsThenSaves() throws {
        var state = try Self.listed()
        let streams = try Self.screen(state).linePrompt(in: state.session)
        #expect(streams.options == ["customers", "orders", "customer_view"])
        #expect(streams.question == "Streams (numbers or names, comma-separated, or all): ")

        #expect(state.send(.line("7")).isEmpty)
        #expect(try Self.screen(state).linePrompt(in: state.session).lines.contains {
            $0 == "Error: 7 is not in the list: answer with numbers from 1 to 3, names, or all." })
        #expect(state.send(.line("1, ORDERS")) == [Self.schemaFetch(1), Self.schemaFetch(2)])
        #expect(try Self.screen(state).linePrompt(in: state.session).question == nil, "waiting for the fields")
        state.send(.reply(.streamSchema(sourceID: Self.id, streamID: 1, try F.schema(F.customersSchemaJSON))),
                   .reply(.streamSchema(sourceID: Self.id, streamID: 2, try F.schema(F.ordersSchemaJSON))))

        let fields = try Self.screen(state).linePrompt(in: state.session)
        #expect(fields.options == ["id (always replicated)", "name", "email"])
        #expect(fields.question == "Fields of customers (numbers or names, comma-separated, or all) [all]: ")
        #expect(state.send(.line("name")).isEmpty)
        #expect(try Self.screen(state).linePrompt(in: state.session).question
            == "Fields of orders (numbers or names, comma-separated, or all) [all]: ")
        let effects = state.send(.line(""))
        #expect(effects == [.updateStreamMetadata(sourceID: Self.id, StreamMetadataUpdate(streams: [
            StreamMetadataUpdate.select("shop-public-customers", fields: ["name": true, "email": false], replicationMethod: "FULL_TABLE"),
            StreamMetadataUpdate.select("shop-public-orders", fields: ["total": true], replicationMethod: "FULL_TABLE"),
        ]), via: F.target)])
        #expect(try Self.screen(state).linePrompt(in: state.session).lines == ["Saving the selection of “Shop DB”…"])
    }

    @Test func lineModeAcceptsAllAndRefusesNothing() throws {
        var state = try Self.listed()
        #expect(state.send(.line("")).isEmpty)
        #expect(try Self.screen(state).linePrompt(in: state.session).lines.contains("Error: Select at least one stream to replicate."))
        #expect(state.send(.line("all")).count == 3)
    }

    @Test func multiSelectAnswersReadNumbersNamesRangesAllAndNone() throws {
        let options = ["customers", "orders", "customer_view"]
        #expect(try MultiSelectAnswer.parse("1,3", options: options).get() == [0, 2])
        #expect(try MultiSelectAnswer.parse(" 2-3 ", options: options).get() == [1, 2])
        #expect(try MultiSelectAnswer.parse("Orders, customer_view", options: options).get() == [1, 2])
        #expect(try MultiSelectAnswer.parse("ALL", options: options).get() == [0, 1, 2])
        #expect(try MultiSelectAnswer.parse("none", options: options).get() == [])
        #expect(throws: MultiSelectProblem.unknown("carts", count: 3)) { try MultiSelectAnswer.parse("1, carts", options: options).get() }
        #expect(throws: MultiSelectProblem.outOfRange("0", count: 3)) { try MultiSelectAnswer.parse("0", options: options).get() }
        #expect(MultiSelectAnswer.describe([0, 2], count: 3) == "1,3")
        #expect(MultiSelectAnswer.describe([0, 1, 2], count: 3) == "all")
    }
}
