import StitchAPI
import Testing
import TerminalUI
import WizardCore
@testable import WizardViews

/// The destination view's goldens (issue 8 item 6): the table picker, a page of rows with NULL
/// beside the text "NULL", the last page, and a cell's detail, each at 80×24, 60×20 and 120×32.
/// The panel is drawn in the rectangle the editor gives it, with its help line.
enum DestinationScenarios {
    static let session: WizardSession = {
        var session = WizardSession(target: Scenarios.sandbox, token: Scenarios.token, size: Size(columns: 80, rows: 24))
        session.source = Scenarios.source
        return session
    }()

    static let tables = [DestinationTableInfo(name: "_sdc_rejected", rowCount: 2),
                         DestinationTableInfo(name: "customers", rowCount: 1_000),
                         DestinationTableInfo(name: "customers__tags", rowCount: 2_950),
                         DestinationTableInfo(name: "orders", rowCount: 0)]

    static let columns = ["id", "name", "note", "has_magic", "_sdc_received_at", "_sdc_sequence"]
    static let types = ["integer", "string", "string", "boolean", "dateTime", "integer"]
    static let note = "First line of a long note\nsecond line\twith a tab, a bell \u{7} and an escape \u{1B}[0m; "
        + "then enough words to wrap over the width of any terminal this wizard runs in, twice over at least."

    /// Row `r` of the 1,000: names cycle through the text NULL, SQL NULL, the empty string and
    /// a plain name; the second row has the long note.
    static func row(_ index: Int) -> [String?] {
        let names: [String?] = ["NULL", nil, "", "Finn \(index)"]
        return [String(index + 1), names[index % 4], index == 1 ? note : (index % 3 == 0 ? nil : "note \(index)"),
                index % 2 == 0 ? "true" : "false", "2026-11-27T13:00:00.000000Z", String(1_565_880_017 + index)]
    }

    static func page(offset: Int, limit: Int) -> DestinationPage {
        let end = min(1_000, offset + limit)
        return DestinationPage(schema: "import_api", table: "customers", columns: columns, columnTypes: types,
                               rows: (offset..<end).map(row), offset: offset, totalCount: 1_000)
    }

    /// The panel as a user leaves it after `actions`, each read answered at once.
    static func panel(size: Size, _ actions: [DestinationPanel.Action] = []) -> (DestinationPanel, EditorContext) {
        var panel = DestinationPanel()
        var context = EditorContext(document: .tutorial, session: session, size: size)
        var effects = run(panel.show(&context))
        func answer() {
            while !effects.isEmpty {
                let effect = effects.removeFirst()
                switch effect {
                case .listDestinationTables:
                    effects += run(panel.receive(.destinationTables(schema: "import_api", tables), &context))
                case .loadDestinationPage(_, let table, let offset, let limit):
                    let reply = table == "customers" ? page(offset: offset, limit: limit)
                        : DestinationPage(schema: "import_api", table: table, columns: ["id"], columnTypes: ["integer"], rows: [],
                                          offset: offset, totalCount: 0)
                    effects += run(panel.receive(.destinationPage(reply), &context))
                default:
                    break
                }
            }
        }
        answer()
        for action in actions {
            effects += run(panel.perform(action, &context))
            answer()
        }
        return (panel, context)
    }

    static func run(_ commands: [EditorCommand]) -> [WizardEffect] {
        commands.compactMap { if case .wizard(.run(let effect)) = $0 { effect } else { nil } }
    }

    static func render(_ panel: DestinationPanel, _ context: EditorContext) -> Frame {
        var frame = Frame(size: context.size)
        DestinationPanelView.render(panel, into: &frame, in: DestinationPanel.area(in: context.size))
        HelpBar.render(panel.keyBindings(context).filter(\.isListed).map(\.help) + [quitHelp], into: &frame)
        return frame
    }

    static let all: [(name: String, actions: [DestinationPanel.Action])] = [
        ("destination-picker", [.pickTable, .down]),
        ("destination-rows", [.down, .right]),
        ("destination-last-page", [.end]),
        ("destination-cell", [.down, .right, .right, .open]),
        ("destination-cell-null", [.right, .down, .open]),
        ("destination-empty-table", [.pickTable, .end, .up, .open]),
    ]

    static let sizes = [Size(columns: 80, rows: 24), Size(columns: 60, rows: 20), Size(columns: 120, rows: 32)]
}

struct DestinationPanelGoldenTests {
    @Test(arguments: DestinationScenarios.all.map(\.name))
    func goldens(name: String) throws {
        let actions = try #require(DestinationScenarios.all.first { $0.name == name }).actions
        for size in DestinationScenarios.sizes {
            let (panel, context) = DestinationScenarios.panel(size: size, actions)
            let suffix = size == Size(columns: 80, rows: 24) ? "" : "-\(size.columns)x\(size.rows)"
            Golden.assert(DestinationScenarios.render(panel, context), named: name + suffix)
        }
    }

    /// Nothing is cut mid-word at any size from the minimum up (issue 14's rule).
    @Test func noTextIsCut() {
        for size in [Size(columns: 60, rows: 20), Size(columns: 61, rows: 21), Size(columns: 72, rows: 22),
                     Size(columns: 80, rows: 24), Size(columns: 120, rows: 32), Size(columns: 200, rows: 60)] {
            for (name, actions) in DestinationScenarios.all {
                let (panel, context) = DestinationScenarios.panel(size: size, actions)
                let frame = DestinationScenarios.render(panel, context)
                #expect(frame.cuts.isEmpty, "\(name) at \(size) cut: \(frame.cuts.map(\.description))")
            }
        }
    }

    @Test func nullAndTheTextNULLAreDrawnApart() {
        let (panel, context) = DestinationScenarios.panel(size: Size(columns: 80, rows: 24))
        let frame = DestinationScenarios.render(panel, context)
        let lines = frame.lines
        // Row 1 (the table's first row) has the text NULL, row 2 SQL NULL, row 3 the empty string.
        let top = DestinationPanel.geometry(context.size).tableTop
        #expect(lines[top].contains("NULL"))
        #expect(lines[top + 1].contains("∅") && !lines[top + 1].contains("NULL"))
        #expect(lines[top + 2].contains("\"\""))
        let nullColumn = lines[top + 1].distance(from: lines[top + 1].startIndex, to: lines[top + 1].firstIndex(of: "∅")!)
        #expect(frame[top + 1, nullColumn].style == .muted)
        let textColumn = lines[top].distance(from: lines[top].startIndex, to: lines[top].range(of: "NULL")!.lowerBound)
        #expect(frame[top, textColumn].style == .plain)
    }

    @Test func controlCharactersAreEscapedNotSentToTheTerminal() {
        let (panel, context) = DestinationScenarios.panel(size: Size(columns: 120, rows: 32), [.down, .right, .right, .open])
        let text = DestinationScenarios.render(panel, context).text
        #expect(text.contains("\\t") && text.contains("\\u0007") && text.contains("\\u001B") && text.contains("\\n"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(text.contains("twice over at least."), "the whole value is shown")
    }
}
