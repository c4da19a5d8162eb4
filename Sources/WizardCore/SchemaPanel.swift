import RecordBatch
import TerminalUI

/// The record editor's schema panel (issue 8 item 1): the batch's columns (name, type with null
/// and format, declared or inferred, key mark) with a cursor; add a column (a name, then its
/// type), rename, retype, delete (confirmed), mark `key_names`, and edit `table_name`. Every
/// change is a `BatchEdit` on the document's batch; one it refuses (`BatchEditError`) is shown
/// next to its column and the prompt stays open to fix it. A schema guessed from a file's values
/// shows a banner asking for a review until the user marks it reviewed.
public struct SchemaPanel: EditorPanel {
    /// The selected column (an index of the batch's columns).
    public var cursor = 0
    /// The question open at the cursor, if any: it takes the keys until Enter or Esc.
    public var prompt: Prompt?
    /// The last edit the batch refused, and the column it concerns (nil: the table).
    public var error: EditFailure?
    /// Columns whose type the user has set or kept on purpose since the schema was inferred.
    public var reviewed: Set<String> = []

    public init() {}

    public enum Prompt: Sendable, Equatable {
        /// A new column's name; its type is asked next.
        case newColumnName(TextField)
        case newColumnType(name: String, TypeChoice)
        case rename(column: Int, TextField)
        case retype(column: Int, TypeChoice)
        case delete(column: Int)
        case tableName(TextField)
    }

    /// The type picked in a prompt: one of the editor's choices and whether null is allowed.
    public struct TypeChoice: Sendable, Equatable {
        public var option: ColumnTypeOption
        public var isNullable: Bool
        /// A format other than date-time the column had (`email`…), kept for a string.
        public var otherFormat: String?

        public init(option: ColumnTypeOption, isNullable: Bool, otherFormat: String? = nil) {
            self.option = option
            self.isNullable = isNullable
            self.otherFormat = otherFormat
        }

        /// The choice closest to `type` (the first declared kind; a string with format date-time is date-time).
        public init(_ type: ColumnType) {
            let option: ColumnTypeOption = switch type.kinds.first {
            case .integer?: .integer
            case .number?: .number
            case .boolean?: .boolean
            case .object?: .object
            case .array?: .array
            case .string?, nil: type.isDateTime ? .dateTime : .string
            }
            self.init(option: option, isNullable: type.isNullable,
                      otherFormat: option == .string && !type.isDateTime ? type.format : nil)
        }

        public var type: ColumnType {
            switch option {
            case .integer: ColumnType([.integer], isNullable: isNullable)
            case .number: ColumnType([.number], isNullable: isNullable)
            case .boolean: ColumnType([.boolean], isNullable: isNullable)
            case .string: ColumnType([.string], isNullable: isNullable, format: otherFormat)
            case .dateTime: ColumnType([.string], isNullable: isNullable, format: "date-time")
            case .object: ColumnType([.object], isNullable: isNullable)
            case .array: ColumnType([.array], isNullable: isNullable)
            }
        }
    }

    /// The types a column can be given here.
    public enum ColumnTypeOption: String, Sendable, Equatable, CaseIterable {
        case integer, number, boolean, string, dateTime = "date-time", object, array
    }

    public struct EditFailure: Sendable, Equatable {
        /// The column the edit concerned; nil for the table name.
        public var column: Int?
        public var message: String

        public init(column: Int?, message: String) {
            self.column = column
            self.message = message
        }
    }

    public enum Action: Sendable, Equatable {
        case up, down, top, bottom
        case add, rename, retype, delete, toggleKey, editTableName, markReviewed
        /// Enter in a prompt; Esc leaves it.
        case confirm, cancel
        case previousType, nextType, toggleNullable
        /// Esc in the list: back to the grid.
        case back
    }

    // MARK: Keys

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        switch prompt {
        case .newColumnName?, .rename?, .tableName?:
            return [KeyBinding([.enter], "enter", "ok", .confirm), KeyBinding([.escape], "esc", "cancel", .cancel)]
        case .newColumnType?, .retype?:
            return [
                KeyBinding([.left, .up], "←→", "type", .previousType),
                KeyBinding([.right, .down], "→", "", .nextType, listed: false),
                KeyBinding([.character(" "), .character("n")], "space", "null allowed", .toggleNullable),
                KeyBinding([.enter], "enter", "ok", .confirm),
                KeyBinding([.escape], "esc", "cancel", .cancel),
            ]
        case .delete?:
            return [KeyBinding([.character("y"), .enter], "y", "delete", .confirm),
                    KeyBinding([.character("n"), .escape], "n", "keep", .cancel)]
        case nil:
            let columns = context.document.batch.columns
            var keys: [KeyBinding<Action>] = [KeyBinding([.character("a")], "a", "add column", .add)]
            if !columns.isEmpty {
                keys += [
                    KeyBinding([.up], "↑↓", "select", .up),
                    KeyBinding([.down], "↓", "", .down, listed: false),
                    KeyBinding([.home], "home", "", .top, listed: false),
                    KeyBinding([.end], "end", "", .bottom, listed: false),
                    KeyBinding([.character("r"), .function(2)], "r", "rename", .rename),
                    KeyBinding([.character("t")], "t", "type", .retype),
                    KeyBinding([.character("k"), .character(" ")], "k", "key", .toggleKey),
                    KeyBinding([.character("d"), .delete], "d", "delete", .delete),
                ]
            }
            keys.append(KeyBinding([.character("n")], "n", "table name", .editTableName))
            if context.document.schemaWasInferred { keys.append(KeyBinding([.character("v")], "v", "reviewed", .markReviewed)) }
            keys.append(KeyBinding([.escape], "esc", "grid", .back))
            return keys
        }
    }

    public func inputHelp(_ context: EditorContext) -> [KeyHelp] {
        switch prompt {
        case .newColumnName?, .rename?, .tableName?: [KeyHelp(key: "type", action: "the name")]
        default: []
        }
    }

    // MARK: Actions

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        let batch = context.document.batch
        let count = batch.columns.count
        cursor = min(max(0, cursor), max(0, count - 1))
        switch action {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(max(0, count - 1), cursor + 1)
        case .top: cursor = 0
        case .bottom: cursor = max(0, count - 1)
        case .add:
            error = nil
            prompt = .newColumnName(TextField(placeholder: "column name"))
        case .rename:
            guard cursor < count else { return [] }
            error = nil
            prompt = .rename(column: cursor, TextField(text: batch.columns[cursor].name))
        case .retype:
            guard cursor < count else { return [] }
            error = nil
            prompt = .retype(column: cursor, TypeChoice(batch.columns[cursor].type))
        case .delete:
            guard cursor < count else { return [] }
            error = nil
            prompt = .delete(column: cursor)
        case .toggleKey:
            guard cursor < count else { return [] }
            let isKey = batch.keyNames?.contains(batch.columns[cursor].name) ?? false
            return edit(.setKey(column: cursor, !isKey), column: cursor, &context)
        case .editTableName:
            error = nil
            prompt = .tableName(TextField(text: batch.tableName))
        case .markReviewed:
            context.document.schemaWasInferred = false
            reviewed = []
        case .cancel:
            prompt = nil
            error = nil
        case .previousType, .nextType:
            changeChoice { choice in
                let options = ColumnTypeOption.allCases
                let index = options.firstIndex(of: choice.option) ?? 0
                choice.option = options[(index + (action == .nextType ? 1 : options.count - 1)) % options.count]
            }
        case .toggleNullable:
            changeChoice { $0.isNullable.toggle() }
        case .confirm:
            return confirm(&context)
        case .back:
            return [.focus(.grid)]
        }
        return []
    }

    public mutating func input(_ key: Key, _ context: inout EditorContext) -> [EditorCommand] {
        switch prompt {
        case .newColumnName(var field)?:
            if field.handle(key) { prompt = .newColumnName(field) }
        case .rename(let column, var field)?:
            if field.handle(key) { prompt = .rename(column: column, field) }
        case .tableName(var field)?:
            if field.handle(key) { prompt = .tableName(field) }
        default:
            break
        }
        return []
    }

    private mutating func changeChoice(_ change: (inout TypeChoice) -> Void) {
        switch prompt {
        case .newColumnType(let name, var choice)?:
            change(&choice)
            prompt = .newColumnType(name: name, choice)
        case .retype(let column, var choice)?:
            change(&choice)
            prompt = .retype(column: column, choice)
        default:
            break
        }
    }

    private mutating func confirm(_ context: inout EditorContext) -> [EditorCommand] {
        switch prompt {
        case .newColumnName(let field)?:
            let name = field.text.trimmed
            // The name is checked now, so its error shows before a type is asked for.
            if name.isEmpty {
                error = EditFailure(column: nil, message: BatchEditError.emptyName(what: "column name").description)
                return []
            }
            if context.document.batch.columnIndex(named: name) != nil {
                error = EditFailure(column: context.document.batch.columnIndex(named: name),
                                    message: BatchEditError.duplicateColumn(name).description)
                return []
            }
            error = nil
            prompt = .newColumnType(name: name, TypeChoice(option: .string, isNullable: true))
            return []
        case .newColumnType(let name, let choice)?:
            let position = context.document.batch.columns.count
            let commands = edit(.addColumn(name: name, type: choice.type, at: nil), column: nil, &context)
            if !commands.isEmpty {
                cursor = position
                reviewed.insert(name)
            }
            return commands
        case .rename(let column, let field)?:
            let old = context.document.batch.columns.indices.contains(column) ? context.document.batch.columns[column].name : nil
            let name = field.text.trimmed
            let commands = edit(.renameColumn(column, to: name), column: column, &context)
            if !commands.isEmpty, let old, reviewed.remove(old) != nil { reviewed.insert(name) }
            return commands
        case .retype(let column, let choice)?:
            let commands = edit(.retypeColumn(column, to: choice.type), column: column, &context)
            if !commands.isEmpty { reviewed.insert(context.document.batch.columns[column].name) }
            return commands
        case .delete(let column)?:
            let commands = edit(.deleteColumn(column), column: column, &context)
            cursor = min(cursor, max(0, context.document.batch.columns.count - 1))
            return commands
        case .tableName(let field)?:
            return edit(.renameTable(field.text.trimmed), column: nil, &context)
        case nil:
            return []
        }
    }

    /// Makes `edit` on the document's batch: the prompt closes and the editor re-checks the
    /// batch; a refusal is kept next to `column` and the prompt stays open.
    private mutating func edit(_ edit: BatchEdit, column: Int?, _ context: inout EditorContext) -> [EditorCommand] {
        do {
            // In place: the document's batch is the only reference, so no column is copied.
            try context.document.batch.apply(edit)
        } catch {
            self.error = EditFailure(column: column, message: error.description)
            return []
        }
        context.document.isModified = true
        prompt = nil
        error = nil
        return [.batchChanged]
    }

    // MARK: What the view shows

    /// How the view describes a column's origin.
    public enum Origin: String, Sendable, Equatable {
        /// In the schema as loaded or set here.
        case declared
        /// Guessed from the values, not yet reviewed.
        case inferred
        /// A member the records hold that the schema does not name (sent, not declared).
        case undeclared = "not in schema"
    }

    public func origin(of column: BatchColumn, in document: EditorDocument) -> Origin {
        if !column.isDeclared { return .undeclared }
        return document.schemaWasInferred && !reviewed.contains(column.name) ? .inferred : .declared
    }
}
