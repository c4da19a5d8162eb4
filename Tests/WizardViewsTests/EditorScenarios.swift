import RecordBatch
import StitchAPI
import TerminalUI
import Testing
import WizardCore
@testable import WizardViews

/// The record editor's grid, problem list and raw view (issue 8), at 80×24, 60×20 and 120×32.
extension Scenarios {
    /// The reply to the editor's `id`-th request (the tutorial's one row), as the runner makes it.
    static func sent(_ id: Int, status: Int?, body: String, latency: Duration, rows: Range<Int> = 0..<1) -> WizardEvent {
        .reply(.partSent(SentPart(id: id, rows: rows, tableName: "customers", url: "http://127.0.0.1:8787/v2/import/batch",
                                  requestBytes: 220, requestPreview: "", statusCode: status, body: body, latency: latency,
                                  sentAt: 1_700_000_000_000, sequenceBase: 1_700_000_000_000,
                                  failure: status == nil ? body : nil)))
    }

    /// The editor holding `batch` (the grid at its first cell).
    static func editor(with batch: RecordBatch, _ events: [WizardEvent] = []) -> WizardState {
        var state = atEditor
        guard var screen = state.screen(as: EditorScreen.self) else { return state }
        screen.document = EditorDocument(batch: batch)
        screen.document.checkAll()
        state.screen = screen
        return reduce(state, events)
    }

    /// A table wider than any terminal: twelve columns of mixed types, a key, nulls, an absent
    /// cell, the string "NULL", a nested object.
    static var wideBatch: RecordBatch {
        let text = """
        {"id": 1, "email": "finn@example.com", "created_at": "2026-01-31T12:00:00Z", "score": 12.5, "active": true, "nickname": null, "note": "NULL", "tags": ["a", "b"], "address": {"city": "Ooo"}, "visits": 3, "plan": "gold", "referrer": "jake"}
        {"id": 2, "email": "jake@example.com", "created_at": "2026-02-01T08:30:00Z", "score": 7, "active": false, "nickname": "Jake", "note": "dog", "tags": [], "address": null, "visits": 10, "plan": "free"}
        """
        var batch = RecordFileLoader.load(bytes: Array(text.utf8), name: "people.jsonl", format: .jsonl).batch
        try? batch.apply(.retypeColumn(2, to: .dateTime))
        return batch
    }

    static var editorScenarios: [(name: String, state: WizardState)] {
        // Age typed as text: refused in place, the text kept.
        let editingWithError = reduce(atEditor, [.key(.right), .key(.right), .key(.enter), .key(.control("u"))]
                                      + typing("fifteen") + [.key(.enter)])
        // A file's record whose age is a string: the checks mark the cell.
        var bad = EditorDocument.tutorial.batch
        try? bad.apply(.addRow(at: nil))
        try? bad.apply(.setValue(row: 1, column: 0, .integer(2)))
        try? bad.apply(.setValue(row: 1, column: 1, .string("Jake")))
        try? bad.apply(.retypeColumn(2, to: .any))
        try? bad.apply(.setValue(row: 1, column: 2, .string("twenty-eight")))
        try? bad.apply(.retypeColumn(2, to: .integer))
        let badCell = editor(with: bad, [.key(.down), .key(.right), .key(.right)])
        let problems = reduce(badCell, [.key(.control("s"))])
        let rawError = reduce(atEditor, [.key(.control("r")),
                                         .reply(.rawText(EditorDocument.tutorial.batch.rawText(sequencesFrom: 1_700_000_000_000))),
                                         .key(.down), .key(.down), .key(.end), .key(.backspace), .key(.control("r"))])
        return [
            ("editor-grid-bad-cell", badCell),
            ("editor-grid-editing-error", editingWithError),
            ("editor-problems", problems),
            ("editor-raw-parse-error", rawError),
            ("editor-grid-wide", editor(with: wideBatch)),
            ("editor-grid-wide-scrolled", editor(with: wideBatch, [.key(.down)] + Array(repeating: .key(.right), count: 8))),
            // The schema panel in the editor's main box (Tab from the grid), the cursor on age.
            ("editor-schema", reduce(atEditor, [.key(.tab), .key(.down), .key(.down)])),
            // Two sends (201, then 400), Tab, Tab: the history list, the last request selected.
            ("editor-history", reduce(sentTwice, [.key(.tab), .key(.tab)])),
            // Enter on the first request: its request, body preview and reply.
            ("editor-history-detail", reduce(sentTwice, [.key(.tab), .key(.tab), .key(.home), .key(.enter)])),
            // Scrolled to the end of the detail: copy as curl, the token as $STITCH_IMPORT_TOKEN.
            ("editor-history-curl", reduce(sentTwice, [.key(.tab), .key(.tab), .key(.home), .key(.enter)]
                                           + Array(repeating: .key(.down), count: 40))),
            ("editor-send-progress", sending),
            // Ctrl-D, then t: the table picker with row counts (batch table first, _sdc_rejected last).
            ("editor-destination-picker", destinationPage(then: [.character("t")])),
            // A page with the text "NULL", SQL NULL (∅), "" and a long note with control characters.
            ("editor-destination-nulls", destinationPage(then: [.down, .right])),
            // Enter on the long note: the whole value, wrapped, control characters escaped.
            ("editor-destination-cell", destinationPage(then: [.down, .right, .right, .enter])),
        ]
    }

    /// The tutorial's row sent twice: accepted (201), then refused (400).
    static var sentTwice: WizardState {
        reduce(atEditor, [
            .key(.control("s")),
            sent(1, status: 201, body: #"{"status":"OK","message":"Batch Accepted!"}"#, latency: .milliseconds(14)),
            .key(.control("s")),
            sent(2, status: 400, body: #"{"error":"Record 0 did not conform to schema:\n#/age: expected type: Integer, found: String"}"#,
                 latency: .milliseconds(5)),
        ])
    }

    /// 45,000 rows being sent: the first request (20,000 records) answered, the second under way.
    /// Built once: every parameterized test reads `Scenarios.all`.
    static let sending: WizardState = {
        let text = (0..<45_000).map { "{\"id\":\($0),\"name\":\"n\($0)\"}" }.joined(separator: "\n")
        var batch = RecordFileLoader.load(bytes: Array(text.utf8), name: "customers.jsonl").batch
        batch.tableName = "customers"
        return editor(with: batch, [.key(.control("s")),
                                    sent(1, status: 201, body: #"{"status":"OK","message":"Batch Accepted!"}"#,
                                         latency: .milliseconds(2_100), rows: 0..<20_000)])
    }()

    /// The editor's destination view over DestinationScenarios' tables and 1,000-row customers table.
    static func destinationPage(then keys: [Key]) -> WizardState {
        var state = reduce(atEditor, [.key(.control("d")),
                                      .reply(.destinationTables(schema: "import_api", DestinationScenarios.tables))])
        // Answer each page read the panel asks for, as the runner would.
        func answerPages() {
            while let request = state.screen(as: EditorScreen.self)?.destination.pending, request.table == "customers" {
                state = reduce(state, [.reply(.destinationPage(DestinationScenarios.page(offset: request.offset,
                                                                                         limit: request.limit)))])
            }
        }
        answerPages()
        for key in keys {
            state = reduce(state, [.key(key)])
            answerPages()
        }
        return state
    }
}
