import RecordBatch
import RecordInput
import TerminalUI

/// The record editor's files and generated rows (issue 8 items 1, 3 and 4), as global keys and the
/// prompts they open over the editor's last lines: Ctrl-O opens a file (JSONL, a JSON array, a batch
/// body or CSV; `RecordFileLoader` in an effect), Ctrl-W saves the batch (a batch body) or its rows
/// (`.jsonl`) to a file (a new one beside the loaded file by default; an existing file is replaced
/// only after asking), Ctrl-G appends N sample rows (`SampleData`), and Ctrl-E hands the raw JSON
/// to `$EDITOR` and reads it back. A loaded file is only read: nothing is written unless the user
/// saves.
///
/// While a prompt is open it takes every key (`isModal`); the editor lists its bindings alone.
public struct FilesPanel: EditorPanel {
    public var prompt: Prompt?
    /// What the last load, save or generation did (or why it failed), for the status line.
    public var message: Message?
    /// A load or save is running: its key is not offered again until it answers.
    public private(set) var pending: Pending?
    /// Seeds sample rows: each generation takes the next, so a session's rows are reproducible.
    public private(set) var sampleSeed: UInt64 = 1
    /// `--records FILE` has been asked for (the editor's `start` runs each time it is shown).
    public private(set) var startedWithFile = false
    /// `$EDITOR`'s text that did not read back: the editor opens its raw view on it (`takeHandBack`).
    public private(set) var handBack: HandBack?

    public init() {}

    public enum Prompt: Sendable, Equatable {
        case open(TextField)
        case save(TextField)
        /// The save's file exists: replace it?
        case overwrite(path: String)
        case sample(TextField)
    }

    public enum Pending: Sendable, Equatable {
        case loading(path: String)
        case saving(path: String)
        case editing
    }

    public struct Message: Sendable, Equatable {
        public var text: String
        public var isError: Bool

        public init(_ text: String, isError: Bool = false) {
            self.text = text
            self.isError = isError
        }
    }

    public struct HandBack: Sendable, Equatable {
        public var text: String
        public var problem: LoadProblem

        public init(text: String, problem: LoadProblem) {
            self.text = text
            self.problem = problem
        }
    }

    public enum Action: Sendable, Equatable {
        case open, save, sample, editExternally
        case confirm, cancel
    }

    /// The most rows one Ctrl-G adds (one request's worth), so a typo cannot stall the editor.
    public static let sampleLimit = 20_000
    /// `$EDITOR` gets batches a person reads, as the raw view does; larger ones are saved and opened.
    public static let externalEditRowLimit = 10_000

    /// True while a prompt is open: it takes every key.
    public var isModal: Bool { prompt != nil }

    // MARK: Keys

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        switch prompt {
        case .open?, .save?, .sample?:
            return [KeyBinding([.enter], "enter", "ok", .confirm), KeyBinding([.escape], "esc", "cancel", .cancel)]
        case .overwrite?:
            return [KeyBinding([.character("y")], "y", "replace it", .confirm),
                    KeyBinding([.character("n"), .escape], "n", "choose another name", .cancel)]
        case nil:
            var keys: [KeyBinding<Action>] = []
            if pending == nil {
                keys.append(KeyBinding([.control("o")], "ctrl-o", "open file", .open))
                keys.append(KeyBinding([.control("w")], "ctrl-w", "save", .save))
                keys.append(KeyBinding([.control("e")], "ctrl-e", "$EDITOR", .editExternally))
            }
            keys.append(KeyBinding([.control("g")], "ctrl-g", "sample rows", .sample))
            return keys
        }
    }

    public func inputHelp(_ context: EditorContext) -> [KeyHelp] {
        switch prompt {
        case .open?, .save?: [KeyHelp(key: "type", action: "a path")]
        case .sample?: [KeyHelp(key: "type", action: "how many")]
        default: []
        }
    }

    // MARK: Actions

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        switch action {
        case .open:
            prompt = .open(TextField(text: Self.folder(of: context.document.filePath), placeholder: "records.jsonl"))
        case .save:
            prompt = .save(TextField(text: Self.defaultSavePath(for: context.document), placeholder: "batch.json"))
        case .sample:
            prompt = .sample(TextField(text: "100"))
        case .editExternally:
            let rows = context.document.batch.rowCount
            guard rows <= Self.externalEditRowLimit else {
                message = Message("$EDITOR gets up to \(Count.grouped(Self.externalEditRowLimit)) rows; this batch has "
                                  + "\(Count.grouped(rows)). Save it (ctrl-w) and open the file instead.", isError: true)
                return []
            }
            pending = .editing
            message = nil
            return [.wizard(.run(.editExternally(context.document.batch)))]
        case .cancel:
            if case .overwrite(let path) = prompt {
                prompt = .save(TextField(text: path))
            } else {
                prompt = nil
            }
        case .confirm:
            return confirm(&context)
        }
        return []
    }

    public mutating func input(_ key: Key, _ context: inout EditorContext) -> [EditorCommand] {
        switch prompt {
        case .open(var field)?:
            if field.handle(key) { prompt = .open(field) }
        case .save(var field)?:
            if field.handle(key) { prompt = .save(field) }
        case .sample(var field)?:
            if case .character(let typed) = key, !(typed.isASCII && typed.isNumber) { return [] }
            if field.handle(key) { prompt = .sample(field) }
        default:
            break
        }
        return []
    }

    private mutating func confirm(_ context: inout EditorContext) -> [EditorCommand] {
        switch prompt {
        case .open(let field)?:
            let path = field.text.trimmed
            guard !path.isEmpty else {
                message = Message("Type the path of a JSONL, JSON, batch or CSV file.", isError: true)
                return []
            }
            prompt = nil
            return load(path)
        case .save(let field)?:
            let path = field.text.trimmed
            guard !path.isEmpty else {
                message = Message("Type a file name: .json saves the batch, .jsonl its rows.", isError: true)
                return []
            }
            prompt = nil
            return save(path, overwrite: false, context)
        case .overwrite(let path)?:
            prompt = nil
            return save(path, overwrite: true, context)
        case .sample(let field)?:
            guard let count = Int(field.text.trimmed), count > 0 else {
                message = Message("Type how many rows to add, 1 to \(Count.grouped(Self.sampleLimit)).", isError: true)
                return []
            }
            guard count <= Self.sampleLimit else {
                message = Message("At most \(Count.grouped(Self.sampleLimit)) rows at a time.", isError: true)
                return []
            }
            prompt = nil
            guard !context.document.batch.columns.isEmpty else {
                message = Message("The batch has no columns: add some in the schema panel first.", isError: true)
                return []
            }
            var sample = SampleData(seed: sampleSeed)
            sampleSeed &+= 1
            // In place: the document holds the only reference, so the columns are not copied.
            sample.appendRows(count, to: &context.document.batch)
            context.document.isModified = true
            message = Message("Added \(Count.grouped(count)) sample row\(count == 1 ? "" : "s").")
            return [.batchChanged]
        case nil:
            return []
        }
    }

    /// Loads `path` (Ctrl-O's prompt, `--records`).
    public mutating func load(_ path: String) -> [EditorCommand] {
        pending = .loading(path: path)
        message = Message("Loading \(path)…")
        return [.wizard(.run(.loadRecords(path: path, format: nil)))]
    }

    private mutating func save(_ path: String, overwrite: Bool, _ context: EditorContext) -> [EditorCommand] {
        pending = .saving(path: path)
        message = Message("Saving \(path)…")
        return [.wizard(.run(.saveRecords(context.document.batch, path: path, format: RecordFileWriter.format(forPath: path),
                                          overwrite: overwrite)))]
    }

    /// The editor was shown: `--records FILE` is loaded the first time.
    public mutating func start(_ session: WizardSession) -> [EditorCommand] {
        guard !startedWithFile, let path = session.recordsPath else { return [] }
        startedWithFile = true
        return load(path)
    }

    /// The text `$EDITOR` gave back that did not read, once.
    public mutating func takeHandBack() -> HandBack? {
        defer { handBack = nil }
        return handBack
    }

    // MARK: Replies

    public mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand] {
        switch reply {
        case .recordsLoaded(let path, let loaded):
            guard pending == .loading(path: path) else { return [] }
            pending = nil
            context.document = EditorDocument(loaded, path: path)
            let rows = loaded.batch.rowCount
            var text = "Loaded \(Count.grouped(rows)) row\(rows == 1 ? "" : "s") from \(path) as \(loaded.format.rawValue)"
            if !loaded.problems.isEmpty {
                text += "; \(Count.grouped(loaded.problems.count)) line\(loaded.problems.count == 1 ? "" : "s") left out"
            }
            if !loaded.readToEnd { text += "; reading stopped early" }
            message = Message(text + ".", isError: !loaded.problems.isEmpty)
            // An inferred schema is shown for review first.
            return loaded.schemaWasInferred ? [.batchChanged, .focus(.schema)] : [.batchChanged]
        case .failed(.loadRecords, let failure):
            guard case .loading = pending else { return [] }
            pending = nil
            message = Message(failure.message, isError: true)
        case .recordsSaved(let path, let rows):
            guard pending == .saving(path: path) else { return [] }
            pending = nil
            context.document.filePath = path
            context.document.isModified = false
            message = Message("Saved \(Count.grouped(rows)) row\(rows == 1 ? "" : "s") to \(path).")
        case .failed(.saveRecords, let failure):
            guard case .saving(let path) = pending else { return [] }
            pending = nil
            if failure.code == WizardFailure.fileExists {
                prompt = .overwrite(path: path)
                message = nil
            } else {
                message = Message(failure.message, isError: true)
            }
        case .externalEdit(let edit):
            guard pending == .editing else { return [] }
            pending = nil
            switch edit {
            case .unchanged:
                message = Message("$EDITOR left the batch as it was.")
            case .edited(let batch):
                context.document.batch = batch
                context.document.isModified = true
                message = Message("Took the batch back from $EDITOR: \(Count.grouped(batch.rowCount)) rows.")
                return [.batchChanged]
            case .invalid(let text, let problem):
                handBack = HandBack(text: text, problem: problem)
                message = Message("$EDITOR's batch does not read: \(problem). It is open in the raw view.", isError: true)
                return [.focus(.raw)]
            }
        case .failed(.editExternally, let failure):
            guard pending == .editing else { return [] }
            pending = nil
            message = Message(failure.message, isError: true)
        default:
            break
        }
        return []
    }

    // MARK: Paths

    /// The loaded file's folder with a slash, where another file is most likely; empty without one.
    static func folder(of path: String?) -> String {
        guard let path, let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// A new file beside the loaded one (`orders.jsonl` → `orders.edited.jsonl`), else the table's
    /// name as a batch body in the current folder.
    public static func defaultSavePath(for document: EditorDocument) -> String {
        guard let path = document.filePath else { return document.batch.tableName + ".json" }
        let folder = folder(of: path)
        let file = String(path.dropFirst(folder.count))
        let stem = RecordFileLoader.tableName(forPath: file)
        var fileExtension = String(file.dropFirst(stem.count))
        // CSV is read, not written: its rows are saved as JSONL.
        if fileExtension.lowercased() == ".csv" || fileExtension.isEmpty { fileExtension = ".jsonl" }
        let edited = stem.hasSuffix(".edited") ? stem : stem + ".edited"
        return folder + edited + fileExtension
    }
}

extension WizardFailure {
    /// The `code` of a save refused because the file exists (the editor then asks to replace it).
    public static let fileExists = "FileExists"
}

extension EditorDocument {
    /// A document for a loaded file: its rows, what was left out, and whether to review the schema.
    public init(_ loaded: LoadedRecords, path: String) {
        self.init(batch: loaded.batch)
        filePath = path
        loadProblems = loaded.problems
        schemaWasInferred = loaded.schemaWasInferred
    }
}
