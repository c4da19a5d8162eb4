import TerminalUI

/// The record editor's destination view (issue 8 item 6; in-process sandbox only): what the loader
/// wrote, table by table. A picker (`t`) lists the source schema's tables with their true row
/// counts (the batch's table first, then its child tables, `_sdc_rejected` last); the shown table
/// scrolls a row cursor over its true row count (arrows, PgUp/PgDn, Home/End), holding only a
/// window of rows read by `.loadDestinationPage`; Enter opens the selected cell whole (wrapped,
/// control characters escaped); `r` reads again; Esc goes back to the grid.
///
/// Reading is an effect: the panel asks for the rows around what it shows and draws "⋯" for rows
/// it does not hold yet, so a million-row table costs one page per jump.
public struct DestinationPanel: EditorPanel {
    public enum Mode: Sendable, Equatable {
        /// The shown table's rows.
        case rows
        /// The table picker.
        case picker
        /// The selected cell, whole.
        case cell
    }

    /// A page asked for and not answered yet.
    public struct PageRequest: Sendable, Equatable {
        public var table: String
        public var offset: Int
        public var limit: Int
    }

    public private(set) var mode: Mode = .rows
    /// The schema read (the source's); nil until shown.
    public private(set) var schema: String?
    /// The schema's tables in picker order; nil until listed.
    public private(set) var tables: [DestinationTableInfo]?
    /// The picker's selected entry (an index of `tables`).
    public private(set) var pickerSelection = 0
    /// The table shown; nil until chosen.
    public private(set) var table: String?
    /// The shown table's rows, as last counted.
    public private(set) var totalRows = 0
    /// The rows held (a window around the shown ones).
    public private(set) var window: DestinationPage?
    /// The cursor: a row of the table (not of the window) and a column.
    public private(set) var row = 0
    public private(set) var column = 0
    /// The first row and column shown.
    public private(set) var firstRow = 0
    public private(set) var firstColumn = 0
    /// The cell detail's first line shown.
    public private(set) var detailScroll = 0
    public private(set) var pending: PageRequest?
    public private(set) var isListing = false
    /// Why the last read failed (or why nothing can be read).
    public private(set) var error: String?
    /// The batch's table when the panel last chose a table by itself.
    private var chosenFor: String?

    public init() {}

    public enum Action: Sendable, Equatable {
        case up, down, left, right, pageUp, pageDown, home, end
        /// Enter: the cell's detail in the rows, the selected table in the picker, back from a detail.
        case open
        /// Esc: back from the picker or a detail; from the rows, back to the grid.
        case back
        case pickTable
        case refresh
    }

    /// Rows read per page request, at least three screens (one above, one below) so scrolling
    /// line by line asks again only every screen or so.
    public static func pageLimit(visibleRows: Int) -> Int { max(100, 3 * visibleRows) }

    // MARK: Geometry

    /// Where the panel draws at a terminal size (the view draws in the same rectangle): the
    /// editor's whole body, below the wizard's title and trail and above the help bar. Its title
    /// takes the row of the editor's subtitle and its status line the editor's status row.
    public static func area(in size: Size) -> Rect {
        Rect(x: 0, y: 2, width: size.columns, height: max(0, size.rows - 3))
    }

    public static func geometry(_ size: Size) -> DestinationGeometry { DestinationGeometry(area: area(in: size)) }

    // MARK: Keys

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        let unlisted: [KeyBinding<Action>] = [
            KeyBinding([.down], "↓", "", .down, listed: false),
            KeyBinding([.home], "home", "", .home, listed: false),
            KeyBinding([.end], "end", "", .end, listed: false),
        ]
        switch mode {
        case .rows:
            var keys: [KeyBinding<Action>] = [
                KeyBinding([.up], "↑↓←→", "move", .up),
                KeyBinding([.left], "←", "", .left, listed: false),
                KeyBinding([.right], "→", "", .right, listed: false),
                KeyBinding([.pageDown], "pgdn/pgup", "page", .pageDown),
                KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
            ] + unlisted
            if selectedValue != nil { keys.append(KeyBinding([.enter], "enter", "value", .open)) }
            keys += [
                KeyBinding([.character("t")], "t", "tables", .pickTable),
                KeyBinding([.character("r")], "r", "refresh", .refresh),
                KeyBinding([.escape], "esc", "editor", .back),
            ]
            return keys
        case .picker:
            var keys: [KeyBinding<Action>] = [
                KeyBinding([.up], "↑↓", "select", .up),
                KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
                KeyBinding([.pageDown], "pgdn", "", .pageDown, listed: false),
            ] + unlisted
            if !(tables ?? []).isEmpty { keys.append(KeyBinding([.enter], "enter", "show", .open)) }
            keys += [
                KeyBinding([.character("r")], "r", "refresh", .refresh),
                KeyBinding([.escape, .character("t")], "esc", "back", .back),
            ]
            return keys
        case .cell:
            return [
                KeyBinding([.up], "↑↓", "scroll", .up),
                KeyBinding([.left], "←→", "cell", .left),
                KeyBinding([.right], "→", "", .right, listed: false),
                KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
                KeyBinding([.pageDown], "pgdn", "", .pageDown, listed: false),
            ] + unlisted + [KeyBinding([.escape, .enter], "esc", "back", .back)]
        }
    }

    // MARK: Showing and reading

    /// The editor gives the panel focus: read the source schema's tables (and the shown table's
    /// rows again). The batch's table is shown first, unless the user picked another.
    public mutating func show(_ context: inout EditorContext) -> [EditorCommand] {
        guard context.session.target.isSandbox, let schema = context.session.source?.name else {
            error = "The destination can be read only with the in-process sandbox (stitch-wizard --sandbox)."
            return []
        }
        if self.schema != schema { self = DestinationPanel() }
        self.schema = schema
        mode = .rows
        let batchTable = context.document.batch.tableName
        // The batch's table changed since the panel chose one by itself: follow it.
        if let chosenFor, table != nil, chosenFor != batchTable { table = nil }
        return refresh(context)
    }

    mutating func refresh(_ context: EditorContext) -> [EditorCommand] {
        guard let schema else { return [] }
        error = nil
        isListing = true
        var commands: [EditorCommand] = [.wizard(.run(.listDestinationTables(schema: schema)))]
        if let table {
            // Read the window again where it is, with its counts.
            let visible = Self.geometry(context.size).visibleRows
            commands += request(table: table, offset: window?.offset ?? firstRow, visibleRows: visible)
        }
        return commands
    }

    private mutating func request(table: String, offset: Int, visibleRows: Int) -> [EditorCommand] {
        guard let schema else { return [] }
        let request = PageRequest(table: table, offset: max(0, offset), limit: Self.pageLimit(visibleRows: visibleRows))
        pending = request
        return [.wizard(.run(.loadDestinationPage(schema: schema, table: table, offset: request.offset, limit: request.limit)))]
    }

    /// Asks for the rows shown when the window does not hold them (and no request for them is out).
    private mutating func fetchShownRows(_ context: EditorContext) -> [EditorCommand] {
        guard let table else { return [] }
        let visible = Self.geometry(context.size).visibleRows
        let shown = firstRow..<min(totalRows, firstRow + visible)
        guard !shown.isEmpty else { return [] }
        let limit = Self.pageLimit(visibleRows: visible)
        if let window, window.table == table, window.rowRange.contains(shown.lowerBound),
           window.rowRange.contains(shown.upperBound - 1) { return [] }
        if let pending, pending.table == table, pending.offset <= shown.lowerBound,
           shown.upperBound <= pending.offset + pending.limit { return [] }
        // The shown rows in the middle third of the request: scrolling either way stays covered.
        let offset = max(0, min(firstRow - (limit - visible) / 2, totalRows - limit))
        return request(table: table, offset: offset, visibleRows: visible)
    }

    /// Shows `name` from its first row (a table picked anew starts at the top and left).
    private mutating func showTable(_ name: String, _ context: EditorContext) -> [EditorCommand] {
        mode = .rows
        guard name != table else { return [] }
        table = name
        window = nil
        pending = nil
        error = nil
        (row, column, firstRow, firstColumn, detailScroll) = (0, 0, 0, 0, 0)
        totalRows = tables?.first { $0.name == name }?.rowCount ?? 0
        return request(table: name, offset: 0, visibleRows: Self.geometry(context.size).visibleRows)
    }

    // MARK: Actions

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        let geometry = Self.geometry(context.size)
        switch (mode, action) {
        case (_, .refresh):
            return refresh(context)
        case (.rows, .back):
            return [.focus(.grid)]
        case (.rows, .pickTable):
            mode = .picker
            pickerSelection = (tables ?? []).firstIndex { $0.name == table } ?? 0
            return []
        case (.rows, .open):
            guard selectedValue != nil else { return [] }
            mode = .cell
            detailScroll = 0
            return []
        case (.rows, .left), (.rows, .right):
            let columns = window?.columns.count ?? 0
            guard columns > 0 else { return [] }
            column = min(max(0, column + (action == .left ? -1 : 1)), columns - 1)
            keepColumnVisible(geometry)
            return []
        case (.rows, _):
            let step: Int = switch action {
            case .up: -1
            case .down: 1
            case .pageUp: -geometry.visibleRows
            case .pageDown: geometry.visibleRows
            case .home: -Int.max / 2
            default: Int.max / 2
            }
            moveRow(by: step, paging: action == .pageUp || action == .pageDown, geometry)
            keepColumnVisible(geometry)
            return fetchShownRows(context)
        case (.picker, .back), (.picker, .pickTable):
            mode = .rows
            return []
        case (.picker, .open):
            guard let tables, tables.indices.contains(pickerSelection) else { return [] }
            chosenFor = nil
            return showTable(tables[pickerSelection].name, context)
        case (.picker, _):
            let count = tables?.count ?? 0
            guard count > 0 else { return [] }
            let page = geometry.pickerRows
            let step: Int = switch action {
            case .up, .left: -1
            case .down, .right: 1
            case .pageUp: -page
            case .pageDown: page
            case .home: -count
            default: count
            }
            pickerSelection = min(max(0, pickerSelection + step), count - 1)
            return []
        case (.cell, .back), (.cell, .open):
            mode = .rows
            return []
        case (.cell, .left), (.cell, .right):
            let columns = window?.columns.count ?? 0
            let next = column + (action == .left ? -1 : 1)
            guard (0..<columns).contains(next) else { return [] }
            column = next
            detailScroll = 0
            keepColumnVisible(geometry)
            return []
        case (.cell, _):
            let lines = detailLines(width: geometry.width).count
            let page = geometry.detailRows
            let step: Int = switch action {
            case .up: -1
            case .down: 1
            case .pageUp: -page
            case .pageDown: page
            case .home: -lines
            default: lines
            }
            detailScroll = min(max(0, detailScroll + step), max(0, lines - page))
            return []
        }
    }

    /// Moves the cursor; a page key moves the view by a page too, so the cursor keeps its place on screen.
    private mutating func moveRow(by step: Int, paging: Bool, _ geometry: DestinationGeometry) {
        guard totalRows > 0 else { return }
        let visible = geometry.visibleRows
        let lastTop = max(0, totalRows - visible)
        row = min(max(0, row.addingReportingOverflow(step).partialValue), totalRows - 1)
        if paging { firstRow = min(max(0, firstRow + step), lastTop) }
        if row < firstRow { firstRow = row }
        if row >= firstRow + visible { firstRow = row - visible + 1 }
        firstRow = min(max(0, firstRow), lastTop)
    }

    /// Scrolls columns so the cursor's column is drawn whole (the view lays out the same widths).
    private mutating func keepColumnVisible(_ geometry: DestinationGeometry) {
        firstColumn = shownFirstColumn(geometry)
    }

    // MARK: Replies

    public mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand] {
        switch reply {
        case .destinationTables(let schema, let list):
            guard schema == self.schema else { return [] }
            isListing = false
            let ordered = Self.pickerOrder(list, batchTable: context.document.batch.tableName)
            let selected = tables.flatMap { $0.indices.contains(pickerSelection) ? $0[pickerSelection].name : nil }
            tables = ordered
            pickerSelection = selected.flatMap { name in ordered.firstIndex { $0.name == name } } ?? min(pickerSelection, max(0, ordered.count - 1))
            guard table == nil else { return [] }
            guard let first = ordered.first else { return [] }
            // The batch's table when it has loaded; otherwise the first in picker order.
            chosenFor = context.document.batch.tableName
            return showTable(first.name, context)
        case .destinationPage(let page):
            guard page.schema == schema, page.table == table, let pending, pending.table == page.table,
                  pending.offset == page.offset else { return [] }
            self.pending = nil
            error = nil
            window = page
            totalRows = page.totalCount
            if let index = tables?.firstIndex(where: { $0.name == page.table }) { tables?[index].rowCount = page.totalCount }
            let geometry = Self.geometry(context.size)
            // The table may have shrunk (a new table version) or grown: keep the cursor inside it.
            row = min(row, max(0, totalRows - 1))
            firstRow = min(max(0, min(firstRow, row)), max(0, totalRows - geometry.visibleRows))
            column = min(column, max(0, page.columns.count - 1))
            firstColumn = min(firstColumn, column)
            keepColumnVisible(geometry)
            if mode == .cell, selectedValue == nil { mode = .rows }
            return fetchShownRows(context)
        case .failed(.listDestinationTables, let failure):
            isListing = false
            error = failure.message
        case .failed(.loadDestinationPage, let failure):
            pending = nil
            error = failure.message
        default:
            break
        }
        return []
    }

    // MARK: What the view shows

    /// 45000 → "45,000".
    public static func grouped(_ count: Int) -> String { Count.grouped(count) }

    /// The table rows shown (some may not be held yet). After a resize the stored first row may
    /// leave the cursor out of view: the rows shown then end at the cursor.
    public func shownRows(_ geometry: DestinationGeometry) -> Range<Int> {
        let visible = geometry.visibleRows
        let top = row >= firstRow + visible ? row - visible + 1 : min(firstRow, row)
        return top..<max(top, min(totalRows, top + visible))
    }

    /// The first column shown: the stored one, moved right when the cursor's column would not
    /// fit (a narrower terminal than when it was chosen).
    public func shownFirstColumn(_ geometry: DestinationGeometry) -> Int {
        guard let window else { return firstColumn }
        var first = min(firstColumn, column)
        while first < column {
            let widths = Self.columnWidths(window, rows: shownRows(geometry), from: first, available: geometry.width)
            if column < first + widths.count { break }
            first += 1
        }
        return first
    }

    /// The cursor's cell when the window holds it: `.some(nil)` is NULL.
    public var selectedValue: String?? {
        window?.cell(row: row, column: column)
    }

    /// The selected cell, wrapped to `width` (see `DestinationCellText.wrapped`).
    public func detailLines(width: Int) -> [[DestinationCellText.Segment]] {
        guard let value = selectedValue else { return [] }
        return DestinationCellText.wrapped(value, width: width)
    }

    /// Tables in picker order: the batch's table, its child tables (`table__field…`), the others,
    /// `_sdc_rejected` last; by name within each group.
    public static func pickerOrder(_ tables: [DestinationTableInfo], batchTable: String) -> [DestinationTableInfo] {
        let root = batchTable.lowercased()
        func rank(_ name: String) -> Int {
            let lowered = name.lowercased()
            if lowered == root { return 0 }
            if lowered.hasPrefix(root + "__") { return 1 }
            if lowered == "_sdc_rejected" { return 3 }
            return 2
        }
        return tables.sorted { (rank($0.name), $0.name) < (rank($1.name), $1.name) }
    }

    /// The widths of the columns that fit in `available` columns from `first` on: each as wide as
    /// its name or its widest shown cell, at most 27 (a UTC timestamp), and at least the first one
    /// (cut to `available`).
    public static func columnWidths(_ page: DestinationPage, rows: Range<Int>, from first: Int, available: Int) -> [Int] {
        var widths: [Int] = []
        var used = 0
        for index in page.columns.indices.dropFirst(first) {
            var widest = DisplayWidth.of(page.columns[index])
            for row in rows {
                guard let cell = page.cell(row: row, column: index) else { continue }
                widest = max(widest, DestinationCellText.width(cell))
            }
            var width = min(widest, 27)
            if widths.isEmpty { width = min(width, available) }
            guard width > 0, used + width <= available else { break }
            widths.append(width)
            used += width + 1
        }
        return widths
    }
}

/// The destination view's rows and columns within its area, for the panel (scrolling) and its view (drawing).
public struct DestinationGeometry: Sendable, Equatable {
    public var area: Rect

    public init(area: Rect) { self.area = area }

    /// Text starts one column in, and keeps one column free on the right.
    public var left: Int { area.x + 1 }
    public var width: Int { max(1, area.width - 2) }
    /// Rows mode: a title, the column names, the rows, a status line.
    public var tableTop: Int { area.y + 2 }
    public var visibleRows: Int { max(1, area.height - 3) }
    public var statusRow: Int { area.y + area.height - 1 }
    /// Picker: a title, the tables, a status line.
    public var pickerRows: Int { max(1, area.height - 2) }
    /// Cell detail: a title, what the value is, the value, a status line.
    public var detailRows: Int { max(1, area.height - 3) }
}
