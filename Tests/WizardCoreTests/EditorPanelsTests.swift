import RecordBatch
import StitchAPI
import TerminalUI
import Testing
@testable import WizardCore

/// The record editor's problem list, raw JSON view and re-checking (issue 8 items 1 and 2)
/// through the reducer.
struct EditorPanelsTests {
    /// People with a string where row `bad` needs an integer age.
    static func withBadAge(rows: Int, bad: [Int]) throws -> RecordBatch {
        var batch = EditorGridTests.people(rows)
        try batch.apply(.retypeColumn(2, to: .any))
        for row in bad { try batch.apply(.setValue(row: row, column: 2, .string("old"))) }
        try batch.apply(.retypeColumn(2, to: .integer))
        return batch
    }

    // MARK: Problems

    @Test func sendingWithProblemsSendsNothingAndFocusesTheList() throws {
        var state = try EditorGridTests.editor(with: try Self.withBadAge(rows: 30, bad: [4, 25]))
        #expect(state.send(.key(.control("s"))).isEmpty)
        let editor = try Editing.editor(state)
        #expect(editor.focus == .problems)
        #expect(editor.notice == "Not sent: fix the 2 problems first (enter on one goes to its cell).")
        #expect(!editor.history.isSending)
        let prompt = editor.linePrompt(in: state.session)
        #expect(prompt.lines.contains { $0.hasPrefix("Problem: row 5, age:") }, "the line mode lists them too")
    }

    @Test func enterOnAProblemJumpsToItsCell() throws {
        var state = try EditorGridTests.editor(with: try Self.withBadAge(rows: 30, bad: [4, 25]))
        state.send(.key(.control("s")))
        #expect(try Editing.editor(state).focus == .problems)
        state.send(.key(.down), .key(.enter))
        let editor = try Editing.editor(state)
        #expect(editor.focus == .grid)
        #expect(editor.grid.cursorRow == 25 && editor.grid.cursorColumn == 2)
        #expect(editor.grid.firstRow <= 25 && 25 < editor.grid.firstRow + EditorLayout(size: state.size).gridPage)
        state.send(.key(.backTab))
        #expect(try Editing.editor(state).focus == .problems, "shift-tab goes back (the list is last in the cycle)")
        state.send(.key(.end), .key(.down))
        #expect(try Editing.editor(state).problemList.selection == 1, "the selection stays on the list")
    }

    @Test func tabGoesThroughThePanelsAndTheListOnlyWhenThereAreProblems() throws {
        let clean = try Reach.editor()
        #expect(try !Editing.editor(clean).panelCycle.contains(.problems))
        var bad = try EditorGridTests.editor(with: try Self.withBadAge(rows: 3, bad: [1]))
        let cycle = try Editing.editor(bad).panelCycle
        #expect(cycle.first == .grid && cycle.contains(.problems))
        var seen: [EditorFocus] = []
        for _ in cycle {
            seen.append(try Editing.editor(bad).focus)
            bad.send(.key(.tab))
        }
        #expect(seen == cycle)
        #expect(try Editing.editor(bad).focus == .grid, "and round to the grid")
    }

    @Test func loadProblemsAreListedAfterTheBatchsAndDoNotJump() throws {
        var state = try EditorGridTests.editor(with: try Self.withBadAge(rows: 3, bad: [1]))
        var screen = try Editing.editor(state)
        screen.document.loadProblems = [LoadProblem(line: 7, column: 3, "not JSON")]
        state.screen = screen
        state.send(.key(.control("s")), .key(.down))
        let document = try Editing.editor(state).document
        #expect(ProblemsPanel.entry(1, of: document).text(in: document.batch) == "file line 7, column 3: not JSON")
        #expect(try !Editing.editor(state).keyHelp(in: state.session).contains { $0.key == "enter" })
        #expect(state.send(.key(.enter)).isEmpty)
        #expect(try Editing.editor(state).focus == .problems)
    }

    // MARK: Raw JSON view

    static func rawText(_ batch: RecordBatch) -> String { batch.rawText(sequencesFrom: 1_700_000_000_000) }

    @Test func ctrlROpensTheRawViewFromAnEffectAndBackUnchanged() throws {
        var state = try Reach.editor()
        let before = try EditorGridTests.batch(state)
        #expect(state.send(.key(.control("r"))) == [.renderRawText(before)])
        #expect(try Editing.editor(state).focus == .raw)
        #expect(try Editing.editor(state).raw.isLoading)
        state.send(.reply(.rawText(Self.rawText(before))))
        #expect(try Editing.editor(state).raw.text?.text == Self.rawText(before))
        #expect(state.send(.key(.control("r"))).isEmpty)
        #expect(try Editing.editor(state).focus == .grid)
        #expect(try EditorGridTests.batch(state) == before, "unchanged text: the batch is as it was (sequences unset stay unset)")
    }

    @Test func anEditedRawTextReplacesTheBatch() throws {
        var state = try Reach.editor()
        state.send(.key(.control("r")), .reply(.rawText(Self.rawText(try EditorGridTests.batch(state)))))
        let text = try #require(try Editing.editor(state).raw.text)
        let row = try #require(text.lines.firstIndex { $0.contains("\"Finn\"") })
        let column = try #require(text.lines[row].range(of: "Finn")).upperBound
        let offset = text.lines[row].distance(from: text.lines[row].startIndex, to: column)
        var screen = try Editing.editor(state)
        screen.raw.text?.moveCursor(row: row, column: offset)
        state.screen = screen
        state.send(.key(.backspace), .key(.backspace), .key(.backspace))
        state.type("ern")
        state.send(.key(.control("r")))
        let editor = try Editing.editor(state)
        #expect(editor.focus == .grid)
        #expect(editor.document.batch[0, 1] == .string("Fern"))
        #expect(editor.document.isModified)
        #expect(editor.document.problems.isEmpty)
    }

    @Test func rawTextThatDoesNotReadStaysOpenWithTheCursorOnTheError() throws {
        var state = try Reach.editor()
        let before = try EditorGridTests.batch(state)
        state.send(.key(.control("r")), .reply(.rawText(Self.rawText(before))))
        state.send(.key(.down), .key(.down), .key(.end), .key(.backspace), .key(.control("r")))  // "schema": {  loses its {
        let editor = try Editing.editor(state)
        #expect(editor.focus == .raw)
        let error = try #require(editor.raw.error)
        #expect(error.line == 4 && error.column == 11)
        #expect(error.description.hasPrefix("line 4, column 11: the batch is not valid JSON"))
        #expect(editor.raw.text?.cursor == Position(row: 3, column: 10))
        #expect(editor.document.batch == before)
        state.send(.key(.escape))
        #expect(try Editing.editor(state).focus == .grid)
        #expect(try EditorGridTests.batch(state) == before, "Esc leaves the grid as it was")
    }

    @Test func aBatchTooLargeForTheRawViewSaysSo() throws {
        var state = try EditorGridTests.editor(with: EditorGridTests.people(RawPanel.rowLimit + 1))
        #expect(state.send(.key(.control("r"))).isEmpty)
        #expect(try Editing.editor(state).focus == .grid)
        #expect(try Editing.editor(state).notice?.hasPrefix("The raw view holds up to 10,000 rows") == true)
    }

    // MARK: Re-checking the whole batch

    @Test func aSmallBatchIsReCheckedInTheReducer() throws {
        var state = try Reach.editor()
        let bad = try Self.withBadAge(rows: 5, bad: [2])
        state.send(.key(.control("r")), .reply(.rawText(Self.rawText(try EditorGridTests.batch(state)))))
        var screen = try Editing.editor(state)
        screen.raw.text = TextArea(text: Self.rawText(bad))
        state.screen = screen
        #expect(state.send(.key(.control("r"))).isEmpty, "no effect: checked at once")
        #expect(try Editing.editor(state).document.problems.map(\.row) == [2])
    }

    @Test func aLargeBatchIsCheckedByAnEffectAndStaleAnswersAreIgnored() throws {
        let rows = EditorDocument.inlineCheckRows + 1
        var state = try EditorGridTests.editor(with: EditorGridTests.people(rows))
        let bad = try Self.withBadAge(rows: rows, bad: [rows - 1])
        func readBack(_ batch: RecordBatch) throws -> [WizardEffect] {
            state.send(.key(.control("r")), .reply(.rawText(Self.rawText(try EditorGridTests.batch(state)))))
            var screen = try Editing.editor(state)
            screen.raw.text = TextArea(text: Self.rawText(batch))
            state.screen = screen
            return state.send(.key(.control("r")))
        }
        let effects = try readBack(bad)
        guard case .checkBatch(let checked, let generation)? = effects.first, effects.count == 1 else {
            Issue.record("expected one .checkBatch, got \(effects)"); return
        }
        let read = try RecordBatch(rawText: Self.rawText(bad))
        #expect(Bool(checked == read), "the batch read back is checked")
        #expect(try Editing.editor(state).isChecking)
        #expect(state.send(.key(.control("s"))).isEmpty, "nothing is sent before the check answers")
        #expect(try Editing.editor(state).notice == "Not sent: the batch is still being checked.")
        let found = BatchChecks.problems(in: checked)
        state.send(.reply(.batchChecked(generation: generation - 1, [], complete: true)))
        #expect(try Editing.editor(state).isChecking, "an older check's answer is ignored")
        state.send(.reply(.batchChecked(generation: generation, found, complete: true)))
        #expect(try !Editing.editor(state).isChecking)
        #expect(try Editing.editor(state).document.problems == found)
        #expect(found.map(\.row) == [rows - 1])

        // A change while a check runs: its answer is stale, and another check follows it.
        let again = try readBack(EditorGridTests.people(rows))
        guard case .checkBatch(_, let second)? = again.first else { Issue.record("no check: \(again)"); return }
        #expect(try readBack(bad).isEmpty, "one check at a time")
        let followUp = state.send(.reply(.batchChecked(generation: second, [], complete: true)))
        guard case .checkBatch(let latest, let third)? = followUp.first else { Issue.record("no follow-up: \(followUp)"); return }
        #expect(Bool(latest == read) && third > second, "the newest batch is checked")
        #expect(try Editing.editor(state).isChecking)
    }

    // MARK: Line mode

    @Test func theLineModeShowsTheRowsAndSendsOnYes() throws {
        var state = try Reach.editor()
        let prompt = try Editing.editor(state).linePrompt(in: state.session)
        #expect(prompt.question == "Send the example batch? [y/n]: ")
        #expect(prompt.lines.first == "The example batch (table customers, one record):")
        #expect(prompt.lines.contains(#"  {"id":1,"name":"Finn","age":15,"has_magic":false}"#))
        let sent = state.send(.line("y"))
        #expect(Editing.sendPart(in: sent) != nil)
        let effects = state.send(try Editing.reply(to: sent, status: 201))
        #expect(effects.last == .quit, "the run ends with the batch's status")
        #expect(try Editing.editor(state).linePrompt(in: state.session).lines.first == "Batch 1: HTTP 201, customers, 1 record")
    }
}
