import RecordBatch
import Testing
@testable import WizardCore

/// Ctrl-O's prompt through the whole editor (FilesPanelTests drives the panel alone): while it is
/// open every key is the prompt's, so a path's letters do not reach the grid behind it.
struct EditorFilePromptTests {
    @Test func aPathTypedIntoTheOpenPromptIsLoadedAndLeavesTheGridAlone() throws {
        var state = try Reach.editor()
        let before = try Editing.editor(state).document.batch
        state.send(.key(.control("o")))
        #expect(try Editing.editor(state).files.isModal)
        // a (add row), d (duplicate), x (delete row), n (null), u (undo) are the grid's keys.
        let path = "/tmp/add-dup-x-null-undo.jsonl"
        for character in path { state.send(.key(.character(character))) }
        let effects = state.send(.key(.enter))
        let editor = try Editing.editor(state)
        #expect(editor.document.batch == before, "no key reached the grid")
        #expect(effects.contains(.loadRecords(path: path, format: nil)), "\(effects)")
    }
}
