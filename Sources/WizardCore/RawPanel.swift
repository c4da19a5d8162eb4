import RecordBatch
import TerminalUI

/// The raw JSON view (issue 8 item 1): the same batch as its request body, editable in a
/// `TextArea`. Ctrl-R opens it (the text is made by an effect, which also picks the time that
/// unset sequences show as) and, pressed again, reads the text back with
/// `RecordBatch(rawText:)`: a text left as it was changes nothing; an edited one replaces the
/// batch (its sequences then are as written); one that does not read stays open with the error
/// ("line 3, column 7: …") and the cursor there. Esc leaves without taking the edits.
public struct RawPanel: EditorPanel {
    /// The text being edited; nil while the effect makes it.
    public var text: TextArea?
    /// The text as it was made, to tell whether it was edited.
    public var original: String?
    /// Why the text did not read back, at its line and column.
    public var error: LoadProblem?

    /// The raw view is for batches a person reads: larger ones are saved to a file or opened in
    /// `$EDITOR` instead of held as one text in memory.
    public static let rowLimit = 10_000

    public init() {}

    public enum Action: Sendable, Equatable {
        case discard
    }

    public var isLoading: Bool { text == nil }

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        [KeyBinding([.escape], "esc", "discard edits", .discard)]
    }

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        switch action {
        case .discard:
            self = RawPanel()
            return [.focus(.grid)]
        }
    }

    public func inputHelp(_ context: EditorContext) -> [KeyHelp] {
        text == nil ? [] : [KeyHelp(key: "type", action: "edit the JSON")]
    }

    public mutating func input(_ key: Key, _ context: inout EditorContext) -> [EditorCommand] {
        guard var area = text else { return [] }
        if area.handle(key) {
            area.scrollToCursor(viewport: area.textViewport(in: EditorLayout(size: context.size).mainContent).size)
            text = area
        }
        return []
    }

    public mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand] {
        guard case .rawText(let made) = reply, text == nil else { return [] }
        var area = TextArea(text: made, showsLineNumbers: true)
        area.scrollToCursor(viewport: area.textViewport(in: EditorLayout(size: context.size).mainContent).size)
        text = area
        original = area.text
        error = nil
        return []
    }

    /// The request that makes the view's text, or why the batch is too large for it.
    public static func open(_ batch: RecordBatch) -> Opening {
        guard batch.rowCount <= rowLimit else {
            return .refused("The raw view holds up to \(Count.grouped(rowLimit)) rows; this batch has "
                            + "\(Count.grouped(batch.rowCount)). Save it to a file to read it whole.")
        }
        return .run(.renderRawText(batch))
    }

    public enum Opening: Sendable, Equatable {
        case run(WizardEffect)
        case refused(String)
    }

    /// Ctrl-R again: the text read back into the document. Returns the commands for the editor:
    /// back to the grid (with `.batchChanged` when the batch was replaced), or none when the text
    /// does not read (the view stays, the cursor on the error).
    public mutating func close(_ context: inout EditorContext) -> [EditorCommand] {
        guard let area = text else {
            self = RawPanel()
            return [.focus(.grid)]
        }
        if area.text == original {
            self = RawPanel()
            return [.focus(.grid)]
        }
        do {
            let batch = try RecordBatch(rawText: area.text)
            context.document.batch = batch
            context.document.isModified = true
            self = RawPanel()
            return [.focus(.grid), .batchChanged]
        } catch {
            self.error = error
            if error.line > 0 {
                var moved = area
                moved.moveCursor(row: error.line - 1, column: max(0, (error.column ?? 1) - 1))
                moved.scrollToCursor(viewport: moved.textViewport(in: EditorLayout(size: context.size).mainContent).size)
                text = moved
            }
            return []
        }
    }
}
