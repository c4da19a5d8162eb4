import TerminalUI
import WizardCore

/// The record editor's file prompts (open, save, replace?, sample rows) and what the last load,
/// save or generation did, on the editor's status line. A pure function of the panel.
public enum FilesPanelView {
    /// True when the panel has something to show on the status line.
    public static func isShowing(_ panel: FilesPanel) -> Bool { panel.prompt != nil || panel.message != nil }

    public static func render(_ panel: FilesPanel, into frame: inout Frame, in area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let line = area.row(0)
        frame.fill(line)
        switch panel.prompt {
        case .open(let field)?:
            textPrompt("Open records (JSONL, JSON, batch, CSV): ", field, into: &frame, line: line)
        case .save(let field)?:
            textPrompt("Save to (.json batch, .jsonl rows): ", field, into: &frame, line: line)
        case .sample(let field)?:
            textPrompt("Sample rows to add: ", field, into: &frame, line: line)
        case .overwrite(let path)?:
            frame.put(DisplayWidth.truncate("\(path) already exists. Replace it? y/n", toWidth: line.width),
                      row: line.y, column: line.x, style: .warning)
        case nil:
            guard let message = panel.message else { return }
            frame.put(DisplayWidth.truncate((message.isError ? "✗ " : "") + message.text, toWidth: line.width),
                      row: line.y, column: line.x, style: message.isError ? .error : .muted)
        }
    }

    private static func textPrompt(_ label: String, _ field: TextField, into frame: inout Frame, line: Rect) {
        // A narrow terminal keeps the field and shortens the label.
        let shown = DisplayWidth.truncate(label, toWidth: max(0, min(DisplayWidth.of(label), line.width - 16)))
        let used = frame.put(shown, row: line.y, column: line.x, style: .accent, maxWidth: line.width)
        field.render(into: &frame, at: Rect(x: line.x + used, y: line.y, width: max(0, line.width - used), height: 1),
                     focused: true)
    }
}
