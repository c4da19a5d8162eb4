import RecordBatch
import StitchAPI
import TerminalUI
import Testing
import WizardCore

/// The schema panel's actions, each through its keys, on the tutorial's batch (id, name, age,
/// has_magic; key id).
struct SchemaPanelTests {
    private func context(_ document: EditorDocument = .tutorial) -> EditorContext {
        EditorContext(document: document, session: WizardSession(target: Fixtures.sandboxTarget), size: Size(columns: 100, rows: 30))
    }

    /// Sends `keys` to `panel` and returns every command they gave.
    @discardableResult
    private func press(_ keys: [Key], _ panel: inout SchemaPanel, _ context: inout EditorContext) -> [EditorCommand] {
        keys.flatMap { panel.handle($0, &context) }
    }

    private func type(_ text: String) -> [Key] { text.map { Key.character($0) } }

    private func names(_ context: EditorContext) -> [String] { context.document.batch.columns.map(\.name) }

    @Test func theCursorMovesWithinTheColumns() {
        var panel = SchemaPanel()
        var context = context()
        press([.down, .down], &panel, &context)
        #expect(panel.cursor == 2)
        press([.end, .down], &panel, &context)
        #expect(panel.cursor == 3)
        press([.home, .up], &panel, &context)
        #expect(panel.cursor == 0)
    }

    @Test func addingAColumnAsksItsNameThenItsType() throws {
        var panel = SchemaPanel()
        var context = context()
        press([.character("a")] + type("email"), &panel, &context)
        guard case .newColumnName(let field)? = panel.prompt else { throw Failure.unexpected(panel.prompt) }
        #expect(field.text == "email")
        #expect(press([.enter], &panel, &context).isEmpty)
        #expect(panel.prompt == .newColumnType(name: "email", SchemaPanel.TypeChoice(option: .string, isNullable: true)))
        // From string: → date-time, → object, ← date-time; space: not nullable.
        press([.right, .right, .left, .character(" ")], &panel, &context)
        #expect(panel.prompt == .newColumnType(name: "email", SchemaPanel.TypeChoice(option: .dateTime, isNullable: false)))
        let commands = press([.enter], &panel, &context)
        #expect(commands == [.batchChanged])
        #expect(panel.prompt == nil)
        #expect(names(context) == ["id", "name", "age", "has_magic", "email"])
        #expect(context.document.batch.columns[4].type == ColumnType([.string], isNullable: false, format: "date-time"))
        #expect(context.document.isModified)
        #expect(panel.cursor == 4)
    }

    @Test func aNameInUseIsRefusedBeforeTheTypeIsAsked() {
        var panel = SchemaPanel()
        var context = context()
        press([.character("a")] + type("age") + [.enter], &panel, &context)
        #expect(panel.error == SchemaPanel.EditFailure(column: 2, message: "there is already a column named age"))
        guard case .newColumnName? = panel.prompt else { Issue.record("the prompt closed"); return }
        press([.enter], &panel, &context)
        // Esc leaves without a change.
        press([.escape], &panel, &context)
        #expect(panel.prompt == nil && panel.error == nil)
        #expect(names(context) == ["id", "name", "age", "has_magic"])
        #expect(!context.document.isModified)
    }

    @Test func renamingAKeyColumnRenamesTheKey() {
        var panel = SchemaPanel()
        var context = context()
        // Ctrl-U clears the field, as in every text field.
        let commands = press([.character("r"), .control("u")] + type("customer_id") + [.enter], &panel, &context)
        #expect(commands == [.batchChanged])
        #expect(names(context) == ["customer_id", "name", "age", "has_magic"])
        #expect(context.document.batch.keyNames == ["customer_id"])
    }

    @Test func aRefusedRenameStaysOpenWithItsErrorAtTheColumn() {
        var panel = SchemaPanel()
        var context = context()
        let commands = press([.down, .character("r"), .control("u")] + type("age") + [.enter], &panel, &context)
        #expect(commands.isEmpty)
        #expect(panel.error == SchemaPanel.EditFailure(column: 1, message: "there is already a column named age"))
        guard case .rename(column: 1, _)? = panel.prompt else { Issue.record("the prompt closed"); return }
        press([.control("u"), .enter], &panel, &context)
        #expect(panel.error?.message == "the column name cannot be empty")
        press([.control("u")] + type("full_name") + [.enter], &panel, &context)
        #expect(panel.error == nil && panel.prompt == nil)
        #expect(names(context) == ["id", "full_name", "age", "has_magic"])
    }

    @Test func retypingOffersTheColumnsTypeFirstAndConvertsTheCells() {
        var panel = SchemaPanel()
        var context = context()
        press([.down, .down, .character("t")], &panel, &context)
        #expect(panel.prompt == .retype(column: 2, SchemaPanel.TypeChoice(option: .integer, isNullable: true)))
        // integer → string, then not nullable.
        let commands = press([.right, .right, .right, .character("n"), .enter], &panel, &context)
        #expect(commands == [.batchChanged])
        #expect(context.document.batch.columns[2].type == ColumnType([.string], isNullable: false))
        #expect(context.document.batch[0, 2] == .string("15"))
    }

    @Test func everyTypeChoiceMakesItsColumnType() {
        let types = SchemaPanel.ColumnTypeOption.allCases.map { SchemaPanel.TypeChoice(option: $0, isNullable: false).type }
        #expect(types == [ColumnType([.integer], isNullable: false), ColumnType([.number], isNullable: false),
                          ColumnType([.boolean], isNullable: false), ColumnType([.string], isNullable: false),
                          ColumnType([.string], isNullable: false, format: "date-time"), ColumnType([.object], isNullable: false),
                          ColumnType([.array], isNullable: false)])
        // A string's other format is kept; a choice reads back from its type.
        let email = ColumnType([.string], isNullable: true, format: "email")
        #expect(SchemaPanel.TypeChoice(email).type == email)
        for type in types { #expect(SchemaPanel.TypeChoice(type).type == type) }
    }

    @Test func deletingAColumnIsConfirmed() {
        var panel = SchemaPanel()
        var context = context()
        press([.end, .character("d")], &panel, &context)
        #expect(panel.prompt == .delete(column: 3))
        press([.character("n")], &panel, &context)
        #expect(names(context).count == 4 && panel.prompt == nil)
        let commands = press([.character("d"), .character("y")], &panel, &context)
        #expect(commands == [.batchChanged])
        #expect(names(context) == ["id", "name", "age"])
        #expect(panel.cursor == 2)
        // Deleting the key column drops the key name too.
        press([.home, .delete, .enter], &panel, &context)
        #expect(names(context) == ["name", "age"])
        #expect(context.document.batch.keyNames == [])
    }

    @Test func kTogglesTheKeyAndKeysKeepColumnOrder() {
        var panel = SchemaPanel()
        var context = context()
        #expect(press([.down, .character("k")], &panel, &context) == [.batchChanged])
        #expect(context.document.batch.keyNames == ["id", "name"])
        press([.home, .character(" ")], &panel, &context)
        #expect(context.document.batch.keyNames == ["name"])
        press([.down, .character("k")], &panel, &context)
        #expect(context.document.batch.keyNames == [])
    }

    @Test func theTableNameIsEditedAndCannotBeEmpty() {
        var panel = SchemaPanel()
        var context = context()
        press([.character("n"), .control("u"), .enter], &panel, &context)
        #expect(panel.error == SchemaPanel.EditFailure(column: nil, message: "the table name cannot be empty"))
        let commands = press(type("people") + [.enter], &panel, &context)
        #expect(commands == [.batchChanged])
        #expect(context.document.batch.tableName == "people")
    }

    @Test func anInferredSchemaIsMarkedUntilReviewed() {
        var document = EditorDocument.tutorial
        document.schemaWasInferred = true
        var panel = SchemaPanel()
        var context = context(document)
        let columns = context.document.batch.columns
        #expect(columns.allSatisfy { panel.origin(of: $0, in: context.document) == .inferred })
        #expect(panel.keyBindings(context).contains { $0.action == .markReviewed })
        // Retyping a column is reviewing it.
        press([.character("t"), .enter], &panel, &context)
        #expect(panel.origin(of: context.document.batch.columns[0], in: context.document) == .declared)
        #expect(panel.origin(of: context.document.batch.columns[1], in: context.document) == .inferred)
        press([.character("v")], &panel, &context)
        #expect(!context.document.schemaWasInferred)
        #expect(context.document.batch.columns.allSatisfy { panel.origin(of: $0, in: context.document) == .declared })
        #expect(!panel.keyBindings(context).contains { $0.action == .markReviewed })
    }

    @Test func anEmptyBatchOffersOnlyAddingAndTheTableName() {
        let panel = SchemaPanel()
        let context = context(EditorDocument(batch: RecordBatch(tableName: "t")))
        #expect(panel.keyBindings(context).map(\.action) == [.add, .editTableName, .back])
    }

    @Test func escInTheListGoesBackToTheGridAndInAPromptClosesIt() {
        var panel = SchemaPanel()
        var context = context()
        #expect(press([.character("a"), .escape], &panel, &context).isEmpty)
        #expect(panel.prompt == nil)
        #expect(press([.escape], &panel, &context) == [.focus(.grid)])
    }

    enum Failure: Error { case unexpected(SchemaPanel.Prompt?) }
}
