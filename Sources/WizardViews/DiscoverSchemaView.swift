import StitchAPI
import TerminalUI
import WizardCore

/// `discover_schema` as a progress screen: the check's status, the time spent, the check job,
/// and on a failed check its exit statuses and error messages.
extension DiscoverSchemaScreen: ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext) {
        let left = area.x + 2
        let width = area.width - 4
        var row = area.y + 1
        row += Paragraph.put("Discovering the streams of \(sourceName)", into: &frame, row: row, column: left,
                             width: width, maxRows: 1, style: .accent)
        frame.put(DisplayWidth.truncate("\(source.type) · source \(source.id)", toWidth: width), row: row, column: left,
                  style: .muted)
        row += 2

        let (marker, style): (String, Style) = checkFailed ? ("✗", .error)
            : check?.status == .succeeded ? ("✓", .success) : ("⋯", .accent)
        row += Paragraph.put("\(marker) \(statusText)", into: &frame, row: row, column: left, width: width, maxRows: 2,
                             style: style)
        var facts = polls > 0 ? ["Elapsed: \(Self.format(elapsed))"] : []
        if let started = check?.startTime { facts.append("check started \(started)") }
        if !facts.isEmpty {
            row += Paragraph.put(facts.joined(separator: " · "), into: &frame, row: row, column: left, width: width, maxRows: 2)
        }
        if let name = check?.name, !name.isEmpty {
            frame.put(DisplayWidth.truncate("Job: " + name, toWidth: width), row: row, column: left, style: .muted)
            row += 1
        }
        row += 1

        if checkFailed {
            for field in checkFailureFields {
                row += Paragraph.put(field, into: &frame, row: row, column: left + 2, width: width - 2, maxRows: 3)
            }
            row += 1
            let advice = formCard != nil
                ? "Stitch keeps the source at this step. Correct its settings (e) or fix them in the web app, then retry (r)."
                : "Stitch keeps the source at this step. Fix it in the web app, then retry (r)."
            row += Paragraph.put(advice, into: &frame, row: row, column: left, width: width, maxRows: 3, style: .accent)
        } else if let failure {
            row += FailureBlock.put(failure, title: "Could not poll the source", into: &frame, row: row, column: left,
                                    width: width)
        } else {
            row += Paragraph.put("Stitch tests the connection and finds the source's tables and fields; the wizard "
                                 + "moves on by itself when it is done. Esc goes home and leaves it running.",
                                 into: &frame, row: row, column: left, width: width, maxRows: 4, style: .muted)
        }
    }
}
