import TerminalUI

/// Where the record editor's parts sit in a terminal of `size`: the subtitle under the wizard's
/// title and trail, the main area (the grid, or the raw JSON view), a strip below it (problems,
/// replies), a status line, and the help bar's row. The views draw into these rects and the panels
/// scroll with them, so both read the same geometry (a page is what the grid shows).
public struct EditorLayout: Sendable, Equatable {
    public var subtitle: Rect
    /// The grid's (or raw view's) box, border included.
    public var main: Rect
    /// Inside `main`'s border.
    public var mainContent: Rect
    /// Below the main box: the problem list, or the last reply.
    public var strip: Rect
    /// One line above the help bar: the cell's problem, an edit's error, what a key did.
    public var status: Rect

    public init(size: Size) {
        let width = max(0, size.columns - 2)
        // Rows 0 and 1 are the title and the trail (Chrome), the last row the help bar.
        subtitle = Rect(x: 1, y: 2, width: width, height: 1)
        let stripHeight = Self.stripHeight(rows: size.rows)
        status = Rect(x: 1, y: max(3, size.rows - 2), width: width, height: 1)
        let mainHeight = max(3, status.y - 3 - stripHeight)
        main = Rect(x: 1, y: 3, width: width, height: mainHeight)
        mainContent = Rect(x: main.x + 1, y: main.y + 1, width: max(0, main.width - 2), height: max(0, main.height - 2))
        strip = Rect(x: 1, y: main.maxY, width: width, height: max(0, status.y - main.maxY))
    }

    /// 5 rows up to 24, then a quarter of the height, at most 12.
    static func stripHeight(rows: Int) -> Int {
        rows <= 24 ? 5 : min(12, rows / 4)
    }

    /// Rows of the grid above its cells: the column names and their types.
    public static let gridHeaderRows = 2

    /// Cell rows the grid shows at once (what PgUp/PgDn move by).
    public var gridPage: Int { max(1, mainContent.height - Self.gridHeaderRows) }
}
