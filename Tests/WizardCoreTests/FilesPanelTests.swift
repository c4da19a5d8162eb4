import RecordBatch
import RecordInput
import StitchAPI
import TerminalUI
import Testing
import WizardCore

/// The editor's files and sample rows: open (Ctrl-O), save (Ctrl-W, replace only when asked),
/// sample rows (Ctrl-G), the `$EDITOR` hand-off (Ctrl-E), and `--records` at the start.
struct FilesPanelTests {
    private func context(_ document: EditorDocument = .tutorial, recordsPath: String? = nil) -> EditorContext {
        var session = WizardSession(target: Fixtures.sandboxTarget)
        session.recordsPath = recordsPath
        return EditorContext(document: document, session: session, size: Size(columns: 100, rows: 30))
    }

    @discardableResult
    private func press(_ keys: [Key], _ panel: inout FilesPanel, _ context: inout EditorContext) -> [EditorCommand] {
        keys.flatMap { panel.handle($0, &context) }
    }

    private func type(_ text: String) -> [Key] { text.map { Key.character($0) } }

    private func loaded(_ text: String, name: String) -> LoadedRecords {
        RecordFileLoader.load(bytes: Array(text.utf8), name: name)
    }

    @Test func ctrlOAsksAPathAndLoadsItInAnEffect() {
        var panel = FilesPanel()
        var context = context()
        let commands = press([.control("o")] + type("data/orders.jsonl") + [.enter], &panel, &context)
        #expect(commands == [.wizard(.run(.loadRecords(path: "data/orders.jsonl", format: nil)))])
        #expect(panel.prompt == nil)
        #expect(panel.pending == .loading(path: "data/orders.jsonl"))
        // While it loads, open, save and $EDITOR are not offered.
        #expect(!panel.keyBindings(context).contains { $0.action == .open })

        let file = loaded("{\"id\":1,\"total\":9.5}\n{\"id\":2,\"total\":\"x\"\nnot json\n", name: "orders.jsonl")
        let replied = panel.receive(.recordsLoaded(path: "data/orders.jsonl", file), &context)
        #expect(replied == [.batchChanged, .focus(.schema)])
        #expect(context.document.batch.tableName == "orders")
        #expect(context.document.filePath == "data/orders.jsonl")
        #expect(context.document.schemaWasInferred)
        #expect(context.document.loadProblems == file.problems)
        #expect(!context.document.isModified)
        #expect(panel.pending == nil)
        #expect(panel.message == FilesPanel.Message("Loaded 1 row from data/orders.jsonl as jsonl; 2 lines left out.", isError: true))
    }

    @Test func aReplyForAnotherFileIsIgnoredAndAFailureIsShown() {
        var panel = FilesPanel()
        var context = context()
        press([.control("o")] + type("a.csv") + [.enter], &panel, &context)
        #expect(panel.receive(.recordsLoaded(path: "b.csv", loaded("id\n1\n", name: "b.csv")), &context).isEmpty)
        #expect(context.document == .tutorial)
        _ = panel.receive(.failed(.loadRecords, WizardFailure(message: "cannot open /x/a.csv: No such file or directory.")), &context)
        #expect(panel.message == FilesPanel.Message("cannot open /x/a.csv: No such file or directory.", isError: true))
        #expect(context.document == .tutorial)
        #expect(panel.pending == nil)
    }

    @Test func escLeavesAPromptAndAnEmptyPathIsRefused() {
        var panel = FilesPanel()
        var context = context()
        press([.control("o"), .escape], &panel, &context)
        #expect(panel.prompt == nil)
        #expect(press([.control("o"), .enter], &panel, &context).isEmpty)
        #expect(panel.message?.isError == true)
        #expect(panel.isModal)
    }

    @Test func ctrlWSavesBesideTheLoadedFileAndAsksBeforeReplacing() {
        var panel = FilesPanel()
        var document = EditorDocument.tutorial
        document.filePath = "/data/customers.csv"
        document.isModified = true
        var context = context(document)
        press([.control("w")], &panel, &context)
        guard case .save(let field)? = panel.prompt else { Issue.record("no save prompt"); return }
        // CSV is read, not written: the rows go to a new JSONL beside it.
        #expect(field.text == "/data/customers.edited.jsonl")
        let commands = press([.enter], &panel, &context)
        #expect(commands == [.wizard(.run(.saveRecords(context.document.batch, path: "/data/customers.edited.jsonl",
                                                       format: .jsonl, overwrite: false)))])
        _ = panel.receive(.failed(.saveRecords, WizardFailure(code: WizardFailure.fileExists, message: "exists")), &context)
        #expect(panel.prompt == .overwrite(path: "/data/customers.edited.jsonl"))
        // n: back to the name, to choose another.
        press([.character("n")], &panel, &context)
        guard case .save(let again)? = panel.prompt else { Issue.record("no save prompt"); return }
        #expect(again.text == "/data/customers.edited.jsonl")
        press([.enter], &panel, &context)
        _ = panel.receive(.failed(.saveRecords, WizardFailure(code: WizardFailure.fileExists, message: "exists")), &context)
        let replace = press([.character("y")], &panel, &context)
        #expect(replace == [.wizard(.run(.saveRecords(context.document.batch, path: "/data/customers.edited.jsonl",
                                                      format: .jsonl, overwrite: true)))])
        _ = panel.receive(.recordsSaved(path: "/data/customers.edited.jsonl", rows: 1), &context)
        #expect(!context.document.isModified)
        #expect(context.document.filePath == "/data/customers.edited.jsonl")
        #expect(panel.message == FilesPanel.Message("Saved 1 row to /data/customers.edited.jsonl."))
    }

    @Test func aSaveThatFailsSaysWhy() {
        var panel = FilesPanel()
        var context = context()
        press([.control("w")] + [.enter], &panel, &context)
        #expect(panel.pending == .saving(path: "customers.json"))
        _ = panel.receive(.failed(.saveRecords, WizardFailure(message: "Not saved: cannot create /ro/x.json: Permission denied.")),
                          &context)
        #expect(panel.message?.isError == true)
        #expect(panel.prompt == nil)
    }

    @Test func defaultSavePaths() {
        func path(_ file: String?) -> String {
            var document = EditorDocument.tutorial
            document.filePath = file
            return FilesPanel.defaultSavePath(for: document)
        }
        #expect(path(nil) == "customers.json")
        #expect(path("orders.json") == "orders.edited.json")
        #expect(path("/d/orders.2026.jsonl") == "/d/orders.2026.edited.jsonl")
        #expect(path("/d/orders.edited.jsonl") == "/d/orders.edited.jsonl")
        #expect(path("/d/README") == "/d/README.edited.jsonl")
    }

    @Test func ctrlGAppendsSampleRowsFromTheSchema() {
        var panel = FilesPanel()
        var context = context()
        press([.control("g")], &panel, &context)
        guard case .sample(let field)? = panel.prompt else { Issue.record("no sample prompt"); return }
        #expect(field.text == "100")
        // Only digits are typed.
        let commands = press([.control("u")] + type("2x5") + [.enter], &panel, &context)
        #expect(commands == [.batchChanged])
        #expect(context.document.batch.rowCount == 26)
        #expect(context.document.isModified)
        #expect(BatchChecks.problems(in: context.document.batch).isEmpty)
        // The same seed as a fresh generation's first.
        #expect(context.document.batch == EditorDocument.tutorial.batch.appendingSampleRows(count: 25, seed: 1))
        // The next press takes the next seed.
        press([.control("g"), .enter], &panel, &context)
        #expect(context.document.batch.rowCount == 126)
        #expect(panel.sampleSeed == 3)
    }

    @Test func tooManyOrNoSampleRowsAreRefused() {
        var panel = FilesPanel()
        var context = context()
        press([.control("g"), .control("u")] + type("20001") + [.enter], &panel, &context)
        #expect(panel.message?.isError == true)
        #expect(context.document.batch.rowCount == 1)
        press([.control("u")] + type("0") + [.enter], &panel, &context)
        #expect(context.document.batch.rowCount == 1)
        var empty = self.context(EditorDocument(batch: RecordBatch(tableName: "t")))
        var other = FilesPanel()
        press([.control("g"), .enter], &other, &empty)
        #expect(empty.document.batch.rowCount == 0)
        #expect(other.message?.text.contains("no columns") == true)
    }

    @Test func ctrlEHandsTheBatchToTheEditorAndTakesItBack() throws {
        var panel = FilesPanel()
        var context = context()
        #expect(press([.control("e")], &panel, &context) == [.wizard(.run(.editExternally(EditorDocument.tutorial.batch)))])
        #expect(panel.pending == .editing)
        var edited = context.document.batch
        try edited.apply(.renameTable("wizards"))
        #expect(panel.receive(.externalEdit(.edited(edited)), &context) == [.batchChanged])
        #expect(context.document.batch.tableName == "wizards")
        #expect(context.document.isModified)

        press([.control("e")], &panel, &context)
        #expect(panel.receive(.externalEdit(.unchanged), &context).isEmpty)
        #expect(context.document.batch.tableName == "wizards")

        // Text that does not read goes to the raw view, once, with its problem.
        press([.control("e")], &panel, &context)
        let problem = LoadProblem(line: 3, column: 7, "the batch is not valid JSON: expected a value")
        #expect(panel.receive(.externalEdit(.invalid(text: "{\n\n  oops", problem)), &context) == [.focus(.raw)])
        #expect(panel.takeHandBack() == FilesPanel.HandBack(text: "{\n\n  oops", problem: problem))
        #expect(panel.takeHandBack() == nil)
        #expect(context.document.batch.tableName == "wizards")

        press([.control("e")], &panel, &context)
        _ = panel.receive(.failed(.editExternally, WizardFailure(message: "vi ended with status 1; the batch is unchanged.")), &context)
        #expect(panel.message == FilesPanel.Message("vi ended with status 1; the batch is unchanged.", isError: true))
    }

    @Test func aLargeBatchIsNotHandedToTheEditor() {
        var panel = FilesPanel()
        var context = context(EditorDocument(batch: EditorDocument.tutorial.batch.appendingSampleRows(count: 10_000, seed: 1)))
        #expect(press([.control("e")], &panel, &context).isEmpty)
        #expect(panel.message?.isError == true)
        #expect(panel.pending == nil)
    }

    @Test func recordsPathIsLoadedOnTheFirstStartOnly() {
        var panel = FilesPanel()
        let context = context(recordsPath: "rows.jsonl")
        #expect(panel.start(context.session) == [.wizard(.run(.loadRecords(path: "rows.jsonl", format: nil)))])
        #expect(panel.start(context.session).isEmpty)
        var plain = FilesPanel()
        #expect(plain.start(self.context().session).isEmpty)
    }
}
