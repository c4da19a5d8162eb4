import RecordBatch
import StitchAPI
import Testing
import TerminalUI
import WizardCore

/// `DestinationPanel` (issue 8 item 6): the table picker, the true count, paging over a window of
/// rows read on demand, the cell detail and the way back to the grid.
struct DestinationPanelTests {
    static let size = Size(columns: 80, rows: 24)
    /// What the panel shows at `size`: 80×24 leaves 18 rows.
    static let visible = DestinationPanel.geometry(size).visibleRows
    static let limit = DestinationPanel.pageLimit(visibleRows: visible)

    @Test func theGeometryIsTheEditorsBody() {
        #expect(Self.visible == 18)
        #expect(DestinationPanel.geometry(Size(columns: 60, rows: 20)).visibleRows == 14)
        #expect(DestinationPanel.area(in: Self.size) == Rect(x: 0, y: 2, width: 80, height: 21))
    }

    static func context(sandbox: Bool = true, withSource: Bool = true, table: String = "customers",
                        size: Size = size) throws -> EditorContext {
        let target = sandbox ? Fixtures.sandboxTarget : Fixtures.remoteTarget
        var session = WizardSession(target: target, token: Fixtures.token, size: size)
        if withSource { session.source = try Fixtures.source() }
        var document = EditorDocument.tutorial
        document.batch.tableName = table
        return EditorContext(document: document, session: session, size: size)
    }

    /// Rows `offset..<offset+count` of a table of `total`: cell (r, 0) is the row's number, (r, 1) "name r".
    static func page(_ table: String = "customers", offset: Int, count: Int, total: Int,
                     columns: [String] = ["id", "name"]) -> DestinationPage {
        let rows = (offset..<(offset + count)).map { row in
            columns.indices.map { $0 == 0 ? String(row) : "\(columns[$0]) \(row)" } as [String?]
        }
        return DestinationPage(schema: "import_api", table: table, columns: columns,
                               columnTypes: columns.map { _ in "string" }, rows: rows, offset: offset, totalCount: total)
    }

    static let tables = [DestinationTableInfo(name: "_sdc_rejected", rowCount: 2),
                         DestinationTableInfo(name: "customers", rowCount: 1_000),
                         DestinationTableInfo(name: "customers__tags", rowCount: 3_000),
                         DestinationTableInfo(name: "orders", rowCount: 5)]

    func effects(_ commands: [EditorCommand]) -> [WizardEffect] {
        commands.compactMap { if case .wizard(.run(let effect)) = $0 { effect } else { nil } }
    }

    func pageRequest(_ table: String = "customers", offset: Int) -> WizardEffect {
        .loadDestinationPage(schema: "import_api", table: table, offset: offset, limit: Self.limit)
    }

    /// Shown, tables listed, the batch's table's first page read: 1,000 rows.
    func opened(total: Int = 1_000, context: EditorContext? = nil) throws -> (DestinationPanel, EditorContext) {
        var panel = DestinationPanel()
        var context = try context ?? Self.context()
        _ = panel.show(&context)
        _ = panel.receive(.destinationTables(schema: "import_api", Self.tables), &context)
        _ = panel.receive(.destinationPage(Self.page(offset: 0, count: min(total, Self.limit), total: total)), &context)
        return (panel, context)
    }

    @discardableResult
    func press(_ panel: inout DestinationPanel, _ action: DestinationPanel.Action, _ context: inout EditorContext,
               times: Int = 1) -> [WizardEffect] {
        (0..<times).flatMap { _ in effects(panel.perform(action, &context)) }
    }

    // MARK: Showing

    @Test func showingListsTheSchemasTablesThenShowsTheBatchsTableFromItsFirstRow() throws {
        var panel = DestinationPanel()
        var context = try Self.context()
        #expect(effects(panel.show(&context)) == [.listDestinationTables(schema: "import_api")])
        #expect(panel.isListing)
        let commands = panel.receive(.destinationTables(schema: "import_api", Self.tables), &context)
        #expect(effects(commands) == [pageRequest(offset: 0)])
        #expect(panel.table == "customers")
        #expect(panel.totalRows == 1_000, "the listed count stands until the page brings its own")
        #expect(panel.tables?.map(\.name) == ["customers", "customers__tags", "orders", "_sdc_rejected"])
        _ = panel.receive(.destinationPage(Self.page(offset: 0, count: Self.limit, total: 1_002)), &context)
        #expect(panel.totalRows == 1_002)
        #expect(panel.tables?.first == DestinationTableInfo(name: "customers", rowCount: 1_002))
        #expect(panel.selectedValue == .some("0"))
    }

    @Test func aBatchTableNotLoadedYetShowsTheFirstTableThereIs() throws {
        var panel = DestinationPanel()
        var context = try Self.context(table: "events")
        _ = panel.show(&context)
        let commands = panel.receive(.destinationTables(schema: "import_api", Self.tables), &context)
        #expect(effects(commands) == [pageRequest("customers", offset: 0)])
        var empty = DestinationPanel()
        _ = empty.show(&context)
        #expect(effects(empty.receive(.destinationTables(schema: "import_api", []), &context)).isEmpty)
        #expect(empty.table == nil && empty.tables == [])
    }

    @Test func withoutTheSandboxOrASourceNothingIsReadAndThePanelSaysWhy() throws {
        for context in [try Self.context(sandbox: false), try Self.context(withSource: false)] {
            var panel = DestinationPanel()
            var context = context
            #expect(panel.show(&context).isEmpty)
            #expect(panel.error?.contains("--sandbox") == true)
        }
    }

    @Test func pickerOrderPutsTheBatchsTableAndItsChildrenFirstAndRejectsLast() {
        let names = ["_sdc_rejected", "accounts", "customers__tags__x", "Customers", "customers__tags", "zeta", "customersx"]
        let ordered = DestinationPanel.pickerOrder(names.map { DestinationTableInfo(name: $0, rowCount: 0) }, batchTable: "customers")
        #expect(ordered.map(\.name) == ["Customers", "customers__tags", "customers__tags__x", "accounts", "customersx", "zeta",
                                        "_sdc_rejected"])
    }

    // MARK: Paging

    @Test func arrowsMoveTheCursorAndTheViewFollowsIt() throws {
        var (panel, context) = try opened()
        press(&panel, .down, &context, times: Self.visible)
        #expect(panel.row == Self.visible)
        #expect(panel.firstRow == 1, "the cursor left the bottom: one row scrolled")
        press(&panel, .up, &context, times: Self.visible + 5)
        #expect(panel.row == 0 && panel.firstRow == 0, "stops at the first row")
    }

    @Test func pageKeysMoveByAScreenAndReadRowsOutsideTheWindow() throws {
        var (panel, context) = try opened()
        // The window holds rows 0..<limit: paging inside it reads nothing.
        let pages = (Self.limit - Self.visible) / Self.visible
        #expect(press(&panel, .pageDown, &context, times: pages).isEmpty)
        #expect(panel.row == pages * Self.visible && panel.firstRow == pages * Self.visible)
        // The next page leaves it: the rows around the shown ones are read, the shown ones in the middle.
        let effects = press(&panel, .pageDown, &context)
        let top = (pages + 1) * Self.visible
        #expect(panel.firstRow == top)
        let offset = top - (Self.limit - Self.visible) / 2
        #expect(effects == [pageRequest(offset: offset)])
        #expect(panel.pending?.offset == offset)
        // The cursor's row is held; those below it are being read.
        #expect(panel.selectedValue == .some(String(top)))
        // Moving within what is asked for asks nothing more.
        #expect(press(&panel, .down, &context).isEmpty)
        _ = panel.receive(.destinationPage(Self.page(offset: offset, count: Self.limit, total: 1_000)), &context)
        #expect(panel.selectedValue == .some(String(top + 1)))
        #expect(panel.pending == nil)
    }

    @Test func endGoesToTheLastRowAndHomeToTheFirst() throws {
        var (panel, context) = try opened()
        let effects = press(&panel, .end, &context)
        #expect(panel.row == 999)
        #expect(panel.firstRow == 1_000 - Self.visible)
        #expect(effects == [pageRequest(offset: 1_000 - Self.limit)], "the last page ends at the last row")
        // A row not held yet has no value to open.
        #expect(panel.selectedValue == nil)
        #expect(press(&panel, .open, &context).isEmpty && panel.mode == .rows)
        _ = panel.receive(.destinationPage(Self.page(offset: 1_000 - Self.limit, count: Self.limit, total: 1_000)), &context)
        #expect(panel.selectedValue == .some("999"))
        #expect(press(&panel, .pageDown, &context).isEmpty && panel.row == 999, "nothing past the last row")
        #expect(press(&panel, .home, &context) == [pageRequest(offset: 0)])
        #expect(panel.row == 0 && panel.firstRow == 0)
        #expect(press(&panel, .pageUp, &context).isEmpty && panel.row == 0)
    }

    @Test func aStalePageIsIgnored() throws {
        var (panel, context) = try opened()
        press(&panel, .end, &context)
        // The first page again (an earlier request answered late), and a page of another table.
        _ = panel.receive(.destinationPage(Self.page(offset: 0, count: Self.limit, total: 1_000)), &context)
        _ = panel.receive(.destinationPage(Self.page("orders", offset: 1_000 - Self.limit, count: 5, total: 5)), &context)
        #expect(panel.window?.offset == 0 && panel.window?.table == "customers")
        #expect(panel.pending?.offset == 1_000 - Self.limit)
        #expect(panel.selectedValue == nil)
    }

    @Test func aTableThatShrankKeepsTheCursorInsideItAndReadsWhatIsShown() throws {
        var (panel, context) = try opened()
        press(&panel, .end, &context)
        // A new table version left 30 rows.
        let commands = panel.receive(.destinationPage(Self.page(offset: 1_000 - Self.limit, count: 0, total: 30)), &context)
        #expect(panel.totalRows == 30)
        #expect(panel.row == 29)
        #expect(panel.firstRow == 30 - Self.visible)
        #expect(effects(commands) == [pageRequest(offset: 0)])
    }

    @Test func anEmptyTableHasNothingToMoveOver() throws {
        var (panel, context) = try opened(total: 0)
        #expect(press(&panel, .down, &context).isEmpty)
        #expect(press(&panel, .end, &context).isEmpty)
        #expect(panel.row == 0 && panel.selectedValue == nil)
        #expect(!panel.keyBindings(context).contains { $0.action == .open })
    }

    @Test func leftAndRightMoveTheColumnCursorAndScrollColumnsThatDoNotFit() throws {
        // Names of 20 columns and short values: every column is 20 wide, two fit in 58.
        let columns = (0..<12).map { "c\($0)_" + String(repeating: "x", count: 20 - 2 - String($0).count) }
        var panel = DestinationPanel()
        var context = try Self.context(size: Size(columns: 60, rows: 20))
        _ = panel.show(&context)
        _ = panel.receive(.destinationTables(schema: "import_api", Self.tables), &context)
        let page = DestinationPage(schema: "import_api", table: "customers", columns: columns,
                                   columnTypes: columns.map { _ in "string" }, rows: [columns.indices.map { "v\($0)" }],
                                   offset: 0, totalCount: 1)
        _ = panel.receive(.destinationPage(page), &context)
        #expect(DestinationPanel.geometry(context.size).width == 58)
        #expect(DestinationPanel.columnWidths(page, rows: 0..<1, from: 0, available: 58) == [20, 20])
        press(&panel, .right, &context)
        #expect(panel.column == 1 && panel.firstColumn == 0)
        press(&panel, .right, &context)
        #expect(panel.column == 2 && panel.firstColumn == 1)
        press(&panel, .right, &context, times: 50)
        #expect(panel.column == 11 && panel.firstColumn == 10)
        #expect(panel.selectedValue == .some("v11"))
        press(&panel, .left, &context)
        #expect(panel.column == 10 && panel.firstColumn == 10)
        press(&panel, .left, &context)
        #expect(panel.column == 9 && panel.firstColumn == 9)
        press(&panel, .left, &context, times: 50)
        #expect(panel.column == 0 && panel.firstColumn == 0)
    }

    // MARK: The picker

    @Test func pickingAnotherTableShowsItFromTheTopAndLeft() throws {
        var (panel, context) = try opened()
        press(&panel, .pageDown, &context, times: 2)
        press(&panel, .right, &context)
        #expect(press(&panel, .pickTable, &context).isEmpty)
        #expect(panel.mode == .picker)
        #expect(panel.pickerSelection == 0, "the shown table is selected")
        press(&panel, .down, &context, times: 2)
        #expect(panel.pickerSelection == 2)
        #expect(press(&panel, .open, &context) == [pageRequest("orders", offset: 0)])
        #expect(panel.mode == .rows && panel.table == "orders")
        #expect(panel.row == 0 && panel.column == 0 && panel.firstRow == 0 && panel.firstColumn == 0)
        #expect(panel.totalRows == 5 && panel.window == nil)
        _ = panel.receive(.destinationPage(Self.page("orders", offset: 0, count: 5, total: 5)), &context)
        #expect(panel.selectedValue == .some("0"))
    }

    @Test func thePickerMovesWithinItsListAndEscLeavesTheTableAsItWas() throws {
        var (panel, context) = try opened()
        press(&panel, .down, &context, times: 3)
        press(&panel, .pickTable, &context)
        press(&panel, .end, &context)
        #expect(panel.pickerSelection == Self.tables.count - 1)
        press(&panel, .down, &context)
        #expect(panel.pickerSelection == Self.tables.count - 1)
        press(&panel, .home, &context)
        #expect(panel.pickerSelection == 0)
        press(&panel, .up, &context)
        press(&panel, .pageDown, &context)
        #expect(panel.pickerSelection == Self.tables.count - 1)
        press(&panel, .pageUp, &context)
        #expect(panel.pickerSelection == 0)
        #expect(press(&panel, .back, &context).isEmpty)
        #expect(panel.mode == .rows && panel.row == 3 && panel.table == "customers")
        // Picking the shown table keeps its place.
        press(&panel, .pickTable, &context)
        #expect(press(&panel, .open, &context).isEmpty)
        #expect(panel.row == 3)
    }

    // MARK: The cell detail

    @Test func enterOpensTheSelectedCellWholeAndItScrolls() throws {
        var panel = DestinationPanel()
        var context = try Self.context()
        _ = panel.show(&context)
        _ = panel.receive(.destinationTables(schema: "import_api", Self.tables), &context)
        let long = (1...40).map { "line \($0)" }.joined(separator: "\n")
        let page = DestinationPage(schema: "import_api", table: "customers", columns: ["id", "note", "gone"],
                                   columnTypes: ["integer", "string", "string"], rows: [["1", long, nil]], offset: 0,
                                   totalCount: 1)
        _ = panel.receive(.destinationPage(page), &context)
        press(&panel, .right, &context)
        #expect(panel.keyBindings(context).contains { $0.action == .open })
        press(&panel, .open, &context)
        #expect(panel.mode == .cell && panel.detailScroll == 0)
        let geometry = DestinationPanel.geometry(context.size)
        #expect(panel.detailLines(width: geometry.width).count == 40)
        press(&panel, .down, &context, times: 3)
        #expect(panel.detailScroll == 3)
        press(&panel, .end, &context)
        #expect(panel.detailScroll == 40 - geometry.detailRows)
        press(&panel, .pageUp, &context)
        #expect(panel.detailScroll == 40 - 2 * geometry.detailRows)
        press(&panel, .home, &context)
        #expect(panel.detailScroll == 0)
        press(&panel, .pageDown, &context)
        #expect(panel.detailScroll == geometry.detailRows)
        press(&panel, .up, &context)
        #expect(panel.detailScroll == geometry.detailRows - 1)
        // → the next cell (NULL), from its top; no cell beyond the last column.
        press(&panel, .right, &context)
        #expect(panel.column == 2 && panel.detailScroll == 0 && panel.selectedValue == .some(nil))
        press(&panel, .right, &context)
        #expect(panel.column == 2)
        press(&panel, .left, &context, times: 5)
        #expect(panel.column == 0)
        #expect(press(&panel, .back, &context).isEmpty)
        #expect(panel.mode == .rows)
        press(&panel, .open, &context)
        press(&panel, .open, &context)
        #expect(panel.mode == .rows, "Enter closes the detail too")
    }

    // MARK: Refresh, back, failures

    @Test func refreshReadsTheTablesAndTheShownRowsAgain() throws {
        var (panel, context) = try opened()
        press(&panel, .end, &context)
        _ = panel.receive(.destinationPage(Self.page(offset: 1_000 - Self.limit, count: Self.limit, total: 1_000)), &context)
        #expect(press(&panel, .refresh, &context) == [.listDestinationTables(schema: "import_api"),
                                                      pageRequest(offset: 1_000 - Self.limit)])
        press(&panel, .pickTable, &context)
        #expect(press(&panel, .refresh, &context).first == .listDestinationTables(schema: "import_api"))
        // The list answered while the picker is open: the selection stays on its table.
        press(&panel, .down, &context)
        #expect(panel.tables?[panel.pickerSelection].name == "customers__tags")
        _ = panel.receive(.destinationTables(schema: "import_api", Self.tables.filter { $0.name != "customers" }), &context)
        #expect(panel.pickerSelection == 0)
        #expect(panel.tables?[panel.pickerSelection].name == "customers__tags")
        #expect(!panel.isListing)
    }

    @Test func escFromTheRowsGoesBackToTheGrid() throws {
        var (panel, context) = try opened()
        #expect(panel.perform(.back, &context) == [.focus(.grid)])
        let listed = panel.keyBindings(context).filter(\.isListed).map(\.help.key)
        #expect(listed == ["↑↓←→", "pgdn/pgup", "enter", "t", "r", "esc"])
    }

    @Test func failedReadsAreShownAndTheNextReadClearsThem() throws {
        var (panel, context) = try opened()
        press(&panel, .end, &context)
        _ = panel.receive(.failed(.loadDestinationPage, WizardFailure(message: "No table customers in schema import_api")), &context)
        #expect(panel.error == "No table customers in schema import_api")
        #expect(panel.pending == nil)
        _ = panel.receive(.failed(.listDestinationTables, WizardFailure(message: "database is locked")), &context)
        #expect(panel.error == "database is locked" && !panel.isListing)
        press(&panel, .refresh, &context)
        #expect(panel.error == nil)
    }

    @Test func aNewSchemaStartsOverAndARenamedBatchTableIsFollowed() throws {
        var (panel, context) = try opened()
        press(&panel, .down, &context, times: 4)
        context.document.batch.tableName = "orders"
        _ = panel.show(&context)
        #expect(panel.table == nil, "the panel chose customers by itself; the batch is now orders")
        let commands = panel.receive(.destinationTables(schema: "import_api", Self.tables), &context)
        #expect(effects(commands) == [pageRequest("orders", offset: 0)])
        #expect(panel.row == 0)
    }
}

/// How cells are written: NULL apart from "NULL", the empty string visible, control characters escaped.
struct DestinationCellTextTests {
    typealias Segment = DestinationCellText.Segment

    @Test func nullEmptyAndTheTextNULLAreThreeDifferentThings() {
        #expect(DestinationCellText.segments(nil) == [Segment("∅", .null)])
        #expect(DestinationCellText.segments("NULL") == [Segment("NULL", .text)])
        #expect(DestinationCellText.segments("") == [Segment("\"\"", .empty)])
    }

    @Test func controlAndFormatCharactersAreEscapedVisibly() {
        #expect(DestinationCellText.segments("a\nb\tc\u{7}\r") == [
            Segment("a", .text), Segment("\\n", .escape), Segment("b", .text), Segment("\\t", .escape), Segment("c", .text),
            Segment("\\u0007", .escape), Segment("\\r", .escape),
        ])
        #expect(DestinationCellText.line("\u{1B}[31m\u{7F}\u{200D}\u{2028}\u{E0001}") == "\\u001B[31m\\u007F\\u200D\\u2028\\u{E0001}")
        // A typed backslash stays text: only the style tells it from an escape.
        #expect(DestinationCellText.segments(#"a\nb"#) == [Segment(#"a\nb"#, .text)])
        #expect(DestinationCellText.line("日本 é") == "日本 é")
        #expect(DestinationCellText.width("日本\n") == 6)
    }

    @Test func wrappingBreaksAfterEachNewlineAndAtTheWidthNeverInsideAWideCharacter() {
        let lines = DestinationCellText.wrapped("abcdef\ngh日本語", width: 4)
        #expect(lines.map { $0.map(\.text).joined() } == ["abcd", "ef\\n", "gh日", "本語"])
        #expect(lines[1] == [Segment("ef", .text), Segment("\\n", .escape)])
        #expect(DestinationCellText.wrapped("a\n", width: 10).count == 1)
        // Breaks after the last space that fits; the space stays, so the lines join back to the value.
        let words = DestinationCellText.wrapped("hello world  again x", width: 8).map { $0.map(\.text).joined() }
        #expect(words == ["hello ", "world  ", "again x"])
        #expect(words.joined() == "hello world  again x")
        #expect(DestinationCellText.wrapped(nil, width: 10) == [[Segment("∅", .null)]])
    }
}
