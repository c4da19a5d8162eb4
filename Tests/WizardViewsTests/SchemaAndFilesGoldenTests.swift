import RecordBatch
import StitchAPI
import TerminalUI
import Testing
import WizardCore
@testable import WizardViews

/// Goldens of the record editor's schema panel (declared; inferred with a refused edit; a type
/// being chosen) and of the file prompts (open, save, replace?), each drawn alone into the rect
/// the editor gives it, through the same keys a user presses.
struct SchemaAndFilesGoldenTests {
    private static let session = WizardSession(target: WizardTarget(connectBaseURL: "http://127.0.0.1:8787", connectToken: "ac_fake",
                                                                    importBaseURL: "http://127.0.0.1:8787", isSandbox: true))

    private static func press(_ keys: [Key], _ panel: inout SchemaPanel, _ document: inout EditorDocument) {
        var context = EditorContext(document: document, session: session, size: Size(columns: 80, rows: 24))
        for key in keys { _ = panel.handle(key, &context) }
        document = context.document
    }

    private static func press(_ keys: [Key], _ panel: inout FilesPanel, _ document: inout EditorDocument) {
        var context = EditorContext(document: document, session: session, size: Size(columns: 80, rows: 24))
        for key in keys { _ = panel.handle(key, &context) }
        document = context.document
    }

    private static func type(_ text: String) -> [Key] { text.map { Key.character($0) } }

    /// The schema panel in the editor's main area at 80×24 (a box, the panel inside it).
    private static func schemaFrame(_ panel: SchemaPanel, _ document: EditorDocument) -> Frame {
        var frame = Frame(size: Size(columns: 80, rows: 16))
        let box = Rect(x: 1, y: 0, width: 78, height: 16)
        frame.box(box, title: "schema", style: .muted)
        SchemaPanelView.render(panel, document: document, into: &frame, in: box.inset(by: 1))
        return frame
    }

    /// A JSONL file loaded as the open prompt loads it: no schema, so the types are inferred.
    private static var inferred: EditorDocument {
        let text = """
            {"id":1,"email":"ada@example.com","score":9.5,"active":true,"joined":"2026-01-31T12:00:00Z","tags":["a"]}
            {"id":2,"email":null,"score":7,"active":false,"joined":"2026-02-01T08:30:00Z","tags":[]}
            """
        let loaded = RecordFileLoader.load(bytes: Array(text.utf8), name: "people.jsonl")
        return EditorDocument(loaded, path: "people.jsonl")
    }

    @Test func schemaDeclared() {
        var panel = SchemaPanel()
        var document = EditorDocument.tutorial
        Self.press([.down], &panel, &document)
        Golden.assert(Self.schemaFrame(panel, document), named: "editor-schema-declared")
    }

    @Test func schemaInferredWithARefusedRename() {
        var panel = SchemaPanel()
        var document = Self.inferred
        #expect(document.schemaWasInferred)
        // email → id: the name is taken; the error shows at the column and the prompt stays.
        Self.press([.down, .character("r"), .control("u")] + Self.type("id") + [.enter], &panel, &document)
        #expect(panel.error?.column == 1)
        Golden.assert(Self.schemaFrame(panel, document), named: "editor-schema-inferred-error")
    }

    @Test func schemaChoosingAType() {
        var panel = SchemaPanel()
        var document = EditorDocument.tutorial
        Self.press([.down, .down, .character("t"), .right, .character(" ")], &panel, &document)
        Golden.assert(Self.schemaFrame(panel, document), named: "editor-schema-retype")
    }

    /// A prompt on the editor's status line (the row above the help bar), with the rows around it.
    private static func statusFrame(_ panel: FilesPanel) -> Frame {
        var frame = Frame(size: Size(columns: 80, rows: 3))
        FilesPanelView.render(panel, into: &frame, in: Rect(x: 1, y: 1, width: 78, height: 1))
        return frame
    }

    @Test func openPrompt() {
        var panel = FilesPanel()
        var document = EditorDocument.tutorial
        document.filePath = "/data/exports/customers.csv"
        Self.press([.control("o")] + Self.type("orders.jsonl"), &panel, &document)
        Golden.assert(Self.statusFrame(panel), named: "editor-open-prompt")
    }

    @Test func savePrompt() {
        var panel = FilesPanel()
        var document = EditorDocument.tutorial
        document.filePath = "/data/exports/customers.csv"
        Self.press([.control("w")], &panel, &document)
        Golden.assert(Self.statusFrame(panel), named: "editor-save-prompt")
    }

    @Test func saveReplaceQuestion() {
        var panel = FilesPanel()
        var document = EditorDocument.tutorial
        Self.press([.control("w"), .enter], &panel, &document)
        var context = EditorContext(document: document, session: Self.session, size: Size(columns: 80, rows: 24))
        _ = panel.receive(.failed(.saveRecords, WizardFailure(code: WizardFailure.fileExists, message: "exists")), &context)
        Golden.assert(Self.statusFrame(panel), named: "editor-save-replace")
    }
}
