import TerminalUI
import WizardCore

/// The raw JSON view: the batch's request body in a text area with line numbers, in the grid's
/// box; a text that did not read back has its error on the status line and the cursor there.
enum RawView {
    static func render(_ panel: RawPanel, document: EditorDocument, into frame: inout Frame, in box: Rect) {
        let edited = panel.text.map { $0.text != panel.original } ?? false
        frame.box(box, title: "\(document.batch.tableName) · raw JSON" + (edited ? " · edited" : ""), style: .plain,
                  titleStyle: .title)
        let content = Rect(x: box.x + 1, y: box.y + 1, width: max(0, box.width - 2), height: max(0, box.height - 2))
        guard let text = panel.text else {
            frame.put(DisplayWidth.truncate("⋯ Making the raw JSON…", toWidth: content.width), row: content.y, column: content.x,
                      style: .muted)
            return
        }
        text.render(into: &frame, at: content, focused: true)
    }
}
