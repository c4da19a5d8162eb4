/// Rows of cells of one width, held compactly and row after row: per cell a tag, an 8-byte
/// payload and a text length, every text's UTF-8 in one byte arena.
///
/// A 20,000-record batch is a handful of allocations rather than one per row, holding its rows
/// costs no reference counting, and a writer binds a text straight from the arena, where it
/// stays put for the whole insert (SQLite need not copy it).
///
/// A column whose cell is the same in every row (`_sdc_batched_at`, `_sdc_received_at`,
/// `_sdc_table_version`) is held once, as a constant: rows do not repeat it, and a writer binds it once.
public struct CellRows: Sendable, RandomAccessCollection {
    enum Tag: UInt8 {
        case null, integer, real, boolean, text, timestamp
    }

    /// Cells per row.
    public let width: Int
    /// Per column, its cell in every row, or nil when rows differ there.
    public let constants: [CellValue?]
    /// Row-major, `width` per row; a constant column's cells are NULL here.
    private(set) var tags: [Tag] = []
    /// The integer, the double's bits, 0/1, or a text's offset in `bytes`.
    private(set) var payloads: [Int64] = []
    /// A text's length in bytes; 0 for other cells.
    private(set) var lengths: [Int32] = []
    private(set) var bytes: [UInt8] = []
    /// Counted apart from the cells, so rows of width 0 still count.
    public private(set) var count = 0

    public init(width: Int, constants: [Int: CellValue] = [:]) {
        self.width = width
        self.constants = (0..<width).map { constants[$0] }
    }

    /// Rows given one by one; each must have `width` cells.
    public init(_ rows: [[CellValue]], width: Int) {
        self.init(width: width)
        reserveCapacity(rows: rows.count)
        for row in rows {
            precondition(row.count == width, "a row of \(row.count) cells among rows of \(width)")
            let start = appendRow()
            for (column, cell) in row.enumerated() { set(cell, at: start + column) }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// A row's cells, constants included.
    public subscript(row: Int) -> [CellValue] {
        (0..<width).map { cell(row: row, column: $0) }
    }

    /// One cell of a row.
    public func cell(row: Int, column: Int) -> CellValue {
        if let constant = constants[column] { return constant }
        let index = row * width + column
        switch tags[index] {
        case .null: return .null
        case .integer: return .integer(payloads[index])
        case .real: return .real(Double(bitPattern: UInt64(bitPattern: payloads[index])))
        case .boolean: return .boolean(payloads[index] != 0)
        case .text: return .text(text(at: index))
        case .timestamp: return .timestamp(text(at: index))
        }
    }

    private func text(at index: Int) -> String {
        let start = Int(payloads[index])
        return String(decoding: bytes[start ..< start + Int(lengths[index])], as: UTF8.self)
    }

    /// Rows as arrays, for those who want them one by one (tests, small tables).
    public var arrays: [[CellValue]] { map { $0 } }

    mutating func reserveCapacity(rows: Int) {
        tags.reserveCapacity(rows * width)
        payloads.reserveCapacity(rows * width)
        lengths.reserveCapacity(rows * width)
    }

    /// Appends a row of NULLs and returns the index of its first cell, for `set(_:at:)`.
    mutating func appendRow() -> Int {
        let start = tags.count
        tags.append(contentsOf: repeatElement(.null, count: width))
        payloads.append(contentsOf: repeatElement(0, count: width))
        lengths.append(contentsOf: repeatElement(0, count: width))
        count += 1
        return start
    }

    /// Sets the cell at `index` (a row's first cell, as `appendRow` returned it, plus a column
    /// that is not a constant). Each cell is set once: a text set twice leaves its first bytes behind.
    mutating func set(_ cell: CellValue, at index: Int) {
        set(PackedCell(cell, arena: &bytes), at: index)
    }

    /// Sets a cell packed into `bytes` (see `useArena`).
    mutating func set(_ cell: PackedCell, at index: Int) {
        tags[index] = cell.tag
        payloads[index] = cell.payload
        lengths[index] = cell.length
    }

    /// Makes `arena` the rows' bytes: the texts of cells set packed (`PackedCell`) are in it. Rows
    /// of several tables filled from one batch share one arena (one copy, shared until changed).
    mutating func useArena(_ arena: [UInt8]) {
        bytes = arena
    }

    /// The cells in place, for a writer: valid only inside `body`.
    func withCells<Result>(_ body: (Cells) throws -> Result) rethrows -> Result {
        try tags.withUnsafeBufferPointer { tags in
            try payloads.withUnsafeBufferPointer { payloads in
                try lengths.withUnsafeBufferPointer { lengths in
                    try bytes.withUnsafeBufferPointer { bytes in
                        try body(Cells(tags: tags, payloads: payloads, lengths: lengths, bytes: bytes))
                    }
                }
            }
        }
    }

    /// `CellRows`' storage, borrowed.
    struct Cells {
        let tags: UnsafeBufferPointer<Tag>
        let payloads: UnsafeBufferPointer<Int64>
        let lengths: UnsafeBufferPointer<Int32>
        let bytes: UnsafeBufferPointer<UInt8>

        /// A text cell's bytes, in the arena.
        func text(at index: Int) -> UnsafeBufferPointer<UInt8> {
            let start = Int(payloads[index])
            return UnsafeBufferPointer(rebasing: bytes[start ..< start + Int(lengths[index])])
        }
    }
}

/// A cell as `CellRows` holds it: a tag, an 8-byte payload (the integer, the double's bits, 0/1,
/// or a text's offset in an arena of bytes) and a text's length. No reference to count: the
/// planner packs a record's values once, straight from the parsed JSON, and copies them as bits.
struct PackedCell: Sendable, Hashable {
    var tag: CellRows.Tag
    var length: Int32
    var payload: Int64

    init(tag: CellRows.Tag, length: Int32 = 0, payload: Int64 = 0) {
        self.tag = tag
        self.length = length
        self.payload = payload
    }

    /// `cell` packed, its text (if any) appended to `arena`.
    init(_ cell: CellValue, arena: inout [UInt8]) {
        switch cell {
        case .null: self.init(tag: .null)
        case .integer(let value): self.init(tag: .integer, payload: value)
        case .real(let value): self.init(tag: .real, payload: Int64(bitPattern: value.bitPattern))
        case .boolean(let value): self.init(tag: .boolean, payload: value ? 1 : 0)
        case .text(let value): self.init(text: value, tag: .text, arena: &arena)
        case .timestamp(let value): self.init(text: value, tag: .timestamp, arena: &arena)
        }
    }

    /// A text or timestamp cell for `text`, its bytes appended to `arena`.
    init(text: String, tag: CellRows.Tag, arena: inout [UInt8]) {
        let start = arena.count
        // A native string's bytes are copied whole; another's one by one.
        if text.utf8.withContiguousStorageIfAvailable({ arena.append(contentsOf: $0) }) == nil {
            arena.append(contentsOf: text.utf8)
        }
        self.init(tag: tag, length: Int32(arena.count - start), payload: Int64(start))
    }

    /// The cell again, its text read from `arena`.
    func value(in arena: [UInt8]) -> CellValue {
        switch tag {
        case .null: .null
        case .integer: .integer(payload)
        case .real: .real(Double(bitPattern: UInt64(bitPattern: payload)))
        case .boolean: .boolean(payload != 0)
        case .text: .text(String(decoding: arena[Int(payload) ..< Int(payload) + Int(length)], as: UTF8.self))
        case .timestamp: .timestamp(String(decoding: arena[Int(payload) ..< Int(payload) + Int(length)], as: UTF8.self))
        }
    }

    /// The type of column this cell belongs in; nil for NULL (as `CellValue.columnType`).
    var columnType: ColumnType? {
        switch tag {
        case .null: nil
        case .integer: .integer
        case .real: .number
        case .boolean: .boolean
        case .text: .string
        case .timestamp: .dateTime
        }
    }
}

/// Equal when they hold the same rows: how the bytes lie in the arena does not matter.
extension CellRows: Hashable {
    public static func == (lhs: CellRows, rhs: CellRows) -> Bool {
        lhs.width == rhs.width && lhs.count == rhs.count && lhs.arrays == rhs.arrays
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(arrays)
    }
}
