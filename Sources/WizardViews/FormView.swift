import StitchAPI
import TerminalUI
import WizardCore

/// A report card's form: a title, the fields (label, input, and under the focused one its
/// description or problem), the schema name a display name makes, and the form's own message.
/// Fields scroll with the focus when they do not all fit.
extension FormScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        let title = isCreating ? "Create the \(card.type == "import_api" ? "Import API" : card.type) source"
            : "Configure \(source?.displayName ?? source?.name ?? card.type)"
        let legend = form.asked.contains { form.fields[$0].isRequired } ? "* required" : ""
        let titleWidth = DisplayWidth.of(title) + 2 + DisplayWidth.of(legend) <= width ? width - DisplayWidth.of(legend) - 2 : width
        frame.put(DisplayWidth.truncate(title, toWidth: titleWidth), row: row, column: left, style: .accent)
        if titleWidth < width { frame.put(legend, row: row, column: left + width - DisplayWidth.of(legend), style: .muted) }
        row += 1
        let stepLine = "Report card: step \(card.currentStep) of \(card.steps.count) · "
            + card.steps.enumerated().map { $0 + 1 == card.currentStep ? "[\($1.type.rawValue)]" : $1.type.rawValue }
            .joined(separator: " → ")
        frame.put(DisplayWidth.truncate(stepLine, toWidth: width), row: row, column: left, style: .muted)
        row += 2

        let message: (String, Style)? = isSubmitting
            ? ("⋯ " + (isCreating ? "Creating the source…" : "Saving the properties…"), .accent)
            : form.error.map { ("✗ " + $0, .error) }
        // At most about half the area, however long the text (a refusal quoting a pasted page):
        // the fields and the bars above and below keep their rows.
        let messageLimit = max(2, (area.height - 4) / 2)
        let messageLines = message.map { Self.lines($0.0, width: width, most: messageLimit) } ?? []
        let messageRows = messageLines.count
        let bottom = area.y + area.height - messageRows - (message == nil ? 0 : 1)
        // Long property names (include_schemas_in_destination_stream_name) are shortened only
        // where the input would get too narrow.
        let longest = form.asked.map { DisplayWidth.of(form.fields[$0].label) }.max() ?? 10
        let labelWidth = min(max(24, width * 2 / 5), max(17, longest + 5))
        let inputWidth = max(8, width - labelWidth)

        // Each asked field takes its row, plus one under it for the focused field's note and for
        // any field with a problem; the window starts where the focused field stays in view.
        let asked = form.asked
        func rows(_ index: Int) -> Int { 1 + notes(for: index, width: inputWidth).count }
        var first = 0
        if let focusPosition = asked.firstIndex(of: form.focus) {
            while first < focusPosition,
                  asked[first...focusPosition].reduce(0, { $0 + rows($1) }) > bottom - row {
                first += 1
            }
        }
        if first > 0 {
            frame.put("↑ \(first) more", row: row - 1, column: left + width - 8, style: .muted)
        }
        var shownLast = first - 1
        for position in asked.indices where position >= first {
            let index = asked[position]
            guard row + rows(index) <= bottom else { break }
            let field = form.fields[index]
            let focused = index == form.focus && !isSubmitting
            let label = (focused ? "› " : "  ") + field.label + (field.isRequired ? " *" : "")
            frame.put(DisplayWidth.truncate(label, toWidth: labelWidth - 1), row: row, column: left,
                      style: focused ? .accent : .plain)
            field.view(into: &frame, at: Rect(x: left + labelWidth, y: row, width: inputWidth, height: 1), focused: focused)
            row += 1
            for (text, style) in notes(for: index, width: inputWidth) {
                if field.id == Self.displayNameID, text.hasPrefix(Self.schemaNameLabel) {
                    // The schema name reads as a field of its own: it is what the name becomes.
                    frame.put(Self.schemaNameLabel, row: row, column: left + 2, style: .plain)
                    frame.put(DisplayWidth.truncate(String(text.dropFirst(Self.schemaNameLabel.count)), toWidth: inputWidth),
                              row: row, column: left + labelWidth, style: style)
                } else {
                    frame.put(DisplayWidth.truncate(text, toWidth: inputWidth), row: row, column: left + labelWidth, style: style)
                }
                row += 1
            }
            shownLast = position
        }
        if shownLast < asked.count - 1 {
            frame.put("↓ \(asked.count - 1 - shownLast) more", row: min(row, bottom - 1), column: left + width - 8, style: .muted)
        }
        if let message {
            for (offset, line) in messageLines.enumerated() {
                frame.put(line, row: bottom + 1 + offset, column: left, style: message.1, maxWidth: width)
            }
        }
    }

    static let schemaNameLabel = "Schema name"

    /// The lines under field `index`, each at most `width` wide: the schema name a display name
    /// makes (always), then the API's refusal, the rule it breaks as typed, or, when focused,
    /// what it is for. A problem is wrapped, not cut, so it stays readable at 60×20.
    func notes(for index: Int, width: Int) -> [(String, Style)] {
        let field = form.fields[index]
        var notes: [(String, Style)] = []
        if field.id == Self.displayNameID, let preview = schemaNamePreview {
            let valid = field.validate() == nil
            notes.append((Self.schemaNameLabel + (preview.isEmpty ? "(none)" : preview), valid ? .success : .warning))
        }
        if let refusal = form.fieldErrors[field.id] {
            notes += Self.lines("✗ " + refusal, width: width, most: 3).map { ($0, .error) }
        } else if let problem = field.validate(), field.value != nil || index == form.focus {
            notes += Self.lines("! " + problem, width: width, most: 3).map { ($0, .warning) }
        } else if index == form.focus, let description = field.description {
            notes += Self.lines(description, width: width, most: 2).map { ($0, .muted) }
        }
        return notes
    }

    /// `text` wrapped to `width`, at most `most` lines (the last shortened with "…").
    static func lines(_ text: String, width: Int, most: Int) -> [String] {
        let lines = DisplayWidth.wrap(text, width: width)
        guard lines.count > most else { return lines }
        return Array(lines.prefix(most - 1)) + [DisplayWidth.truncate(lines[most - 1] + " " + lines[most], toWidth: width)]
    }
}
