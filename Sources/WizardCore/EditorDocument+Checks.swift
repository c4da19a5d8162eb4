import RecordBatch

/// Keeping `problems` in step with the batch without checking every row: an edit of rows changes
/// only those rows' problems (each row is checked alone by the gate, apart from the table's
/// name, schema and keys, which row edits do not touch), so the grid's edits re-check the rows
/// they touched and move the others' row numbers. A change of the table or schema re-checks
/// everything (`EditorScreen.recheck`).
extension EditorDocument {
    /// Batches up to this many rows are checked whole in the reducer after a change; larger ones
    /// in an effect (`.checkBatch`), off the main loop.
    public static let inlineCheckRows = 2_000

    /// Every problem of the batch now, at most `problemLimit`.
    public mutating func checkAll() {
        let found = BatchChecks.problems(in: batch, limit: Self.problemLimit + 1)
        problemsAreComplete = found.count <= Self.problemLimit
        problems = Array(found.prefix(Self.problemLimit))
    }

    /// Row `row`'s problems replaced by what it has now.
    public mutating func recheck(row: Int) {
        let start = firstProblemIndex(atOrAfterRow: row)
        var end = start
        while end < problems.count, problems[end].row == row { end += 1 }
        let found = row < batch.rowCount ? BatchChecks.problems(in: batch, row: row) : []
        problems.replaceSubrange(start..<end, with: found)
    }

    /// Rows were inserted at `row`: the problems of the rows after it move down.
    public mutating func rowsInserted(at row: Int, count: Int = 1) {
        for index in firstProblemIndex(atOrAfterRow: row)..<problems.count {
            problems[index].row = problems[index].row.map { $0 + count }
        }
    }

    /// Rows were deleted (`sorted`, ascending): their problems go, the later rows' move up.
    public mutating func rowsDeleted(_ sorted: [Int]) {
        guard let first = sorted.first else { return }
        let deleted = Set(sorted)
        let start = firstProblemIndex(atOrAfterRow: first)
        var kept = Array(problems[..<start])
        for var problem in problems[start...] {
            guard let row = problem.row else { kept.append(problem); continue }
            if deleted.contains(row) { continue }
            problem.row = row - Self.countBelow(row, in: sorted)
            kept.append(problem)
        }
        problems = kept
    }

    /// Where the problems of `row` start (or would): problems are sorted by row, the table's
    /// (row nil) first, so this is a binary search.
    public func firstProblemIndex(atOrAfterRow row: Int) -> Int {
        var low = 0
        var high = problems.count
        while low < high {
            let middle = (low + high) / 2
            if let at = problems[middle].row, at >= row { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The problems of `row` (a slice of `problems`, found by binary search).
    public func problems(ofRow row: Int) -> ArraySlice<BatchProblem> {
        let start = firstProblemIndex(atOrAfterRow: row)
        var end = start
        while end < problems.count, problems[end].row == row { end += 1 }
        return problems[start..<end]
    }

    /// The first problem of the cell (`row`, `column`), else of the row as a whole.
    public func problem(row: Int, column: Int) -> BatchProblem? {
        let rowProblems = problems(ofRow: row)
        return rowProblems.first { $0.column == column } ?? rowProblems.first { $0.column == nil }
    }

    private static func countBelow(_ row: Int, in sorted: [Int]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
