import StitchAPI

/// One column's cells, held compactly: a tag byte and an 8-byte payload per row, text in a shared
/// byte pool. A million-row column of integers costs 9 MB, not the ~50 MB of `[CellValue]`
/// (an enum holding a String or a JSONValue is 17 bytes with padding to 24, plus a heap object per
/// string).
///
/// Strings of up to 8 UTF-8 bytes live in the payload itself (ids, codes, flags); longer text is
/// appended to `pool` as a varint length and its bytes, and the payload holds its offset. An
/// edit that replaces text leaves the old bytes behind; the pool is compacted once garbage
/// outweighs live text.
// Equatable compares the representation (a pool with garbage differs from a compacted one): enough
// for state comparisons in tests and the monkey, which compare a value with its own copies.
struct CellColumn: Sendable, Equatable {
    private var tags: [UInt8] = []
    private var payloads: [Int64] = []
    private var pool: [UInt8] = []
    private var liveBytes = 0

    private enum Tag {
        static let absent: UInt8 = 0
        static let null: UInt8 = 1
        static let `false`: UInt8 = 2
        static let `true`: UInt8 = 3
        static let integer: UInt8 = 4
        static let number: UInt8 = 5
        static let pooledString: UInt8 = 6
        static let pooledDateTime: UInt8 = 7
        static let pooledJSON: UInt8 = 8
        /// 16 + n: a string of n ≤ 8 bytes in the payload.
        static let inlineString: UInt8 = 16
        /// 32 + n: the same for a date-time (never shorter than 20 bytes in practice; kept for symmetry).
        static let inlineDateTime: UInt8 = 32
    }

    init() {}

    init(repeating value: CellValue, count: Int) {
        tags.reserveCapacity(count)
        payloads.reserveCapacity(count)
        for _ in 0..<count { append(value) }
    }

    var count: Int { tags.count }

    /// Bytes held (arrays' capacity and the pool), for the memory note.
    var heldBytes: Int { tags.capacity + payloads.capacity * 8 + pool.capacity }

    func isAbsent(_ row: Int) -> Bool { tags[row] == Tag.absent }

    subscript(row: Int) -> CellValue {
        let tag = tags[row]
        let payload = payloads[row]
        switch tag {
        case Tag.absent: return .absent
        case Tag.null: return .null
        case Tag.false: return .boolean(false)
        case Tag.true: return .boolean(true)
        case Tag.integer: return .integer(payload)
        case Tag.number: return .number(Double(bitPattern: UInt64(bitPattern: payload)))
        case Tag.pooledString: return .string(pooledText(at: payload))
        case Tag.pooledDateTime: return .dateTime(pooledText(at: payload))
        case Tag.pooledJSON: return .json((try? JSONParser.parse(pooledBytes(at: payload))) ?? .null)
        case Tag.inlineDateTime...(Tag.inlineDateTime + 8): return .dateTime(inlineText(payload, count: Int(tag - Tag.inlineDateTime)))
        default: return .string(inlineText(payload, count: Int(tag - Tag.inlineString)))
        }
    }

    /// Row `row` without making a `String` or `JSONValue`: text as its bytes where they lie, for
    /// `RecordJSONWriter` (sending and the checks write every row's JSON).
    func raw(_ row: Int) -> RawCell {
        let tag = tags[row]
        let payload = payloads[row]
        switch tag {
        case Tag.absent: return .absent
        case Tag.null: return .null
        case Tag.false: return .boolean(false)
        case Tag.true: return .boolean(true)
        case Tag.integer: return .integer(payload)
        case Tag.number: return .number(Double(bitPattern: UInt64(bitPattern: payload)))
        case Tag.pooledString, Tag.pooledDateTime: return .text(pooledBytes(at: payload))
        case Tag.pooledJSON: return .json(pooledBytes(at: payload))
        case Tag.inlineDateTime...(Tag.inlineDateTime + 8):
            return .shortText(UInt64(bitPattern: payload), count: Int(tag - Tag.inlineDateTime))
        default: return .shortText(UInt64(bitPattern: payload), count: Int(tag - Tag.inlineString))
        }
    }

    mutating func append(_ value: CellValue) {
        let (tag, payload) = encode(value)
        tags.append(tag)
        payloads.append(payload)
    }

    // Appends for a loader that parses straight into columns: each stores what `append(_:)` of
    // the same value would, without a `CellValue` (or a String for text) made per cell first.

    mutating func appendNull() { append(tag: Tag.null, payload: 0) }

    mutating func appendBoolean(_ flag: Bool) { append(tag: flag ? Tag.true : Tag.false, payload: 0) }

    mutating func appendInteger(_ number: Int64) { append(tag: Tag.integer, payload: number) }

    mutating func appendNumber(_ number: Double) { append(tag: Tag.number, payload: Int64(bitPattern: number.bitPattern)) }

    /// A string from its UTF-8 bytes, which the caller has checked are valid UTF-8.
    mutating func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let (tag, payload) = encodeText(bytes, inline: Tag.inlineString, pooled: Tag.pooledString)
        append(tag: tag, payload: payload)
    }

    private mutating func append(tag: UInt8, payload: Int64) {
        tags.append(tag)
        payloads.append(payload)
    }

    /// Marks every string of the column as a date-time, as `retagText(at:dateTime: true)` row by
    /// row would: for a column inferred as date-time, whose every string was checked while loading.
    mutating func retagAllStringsAsDateTimes() {
        tags.withUnsafeMutableBufferPointer { tags in
            for row in tags.indices {
                switch tags[row] {
                case Tag.pooledString: tags[row] = Tag.pooledDateTime
                case Tag.inlineString...(Tag.inlineString + 8): tags[row] += Tag.inlineDateTime - Tag.inlineString
                default: break
                }
            }
        }
    }

    mutating func insert(_ value: CellValue, at row: Int) {
        let (tag, payload) = encode(value)
        tags.insert(tag, at: row)
        payloads.insert(payload, at: row)
    }

    mutating func set(_ value: CellValue, at row: Int) {
        release(row)
        let (tag, payload) = encode(value)
        tags[row] = tag
        payloads[row] = payload
        compactIfWasteful()
    }

    /// Marks the string at `row` as a date-time or back (`dateTime`), keeping its text where it
    /// is: what a column's change of format needs, without re-encoding (a new copy in the pool
    /// and the old one as garbage) for every row.
    mutating func retagText(at row: Int, dateTime: Bool) {
        switch (tags[row], dateTime) {
        case (Tag.pooledString, true): tags[row] = Tag.pooledDateTime
        case (Tag.pooledDateTime, false): tags[row] = Tag.pooledString
        case (Tag.inlineString...(Tag.inlineString + 8), true): tags[row] += Tag.inlineDateTime - Tag.inlineString
        case (Tag.inlineDateTime...(Tag.inlineDateTime + 8), false): tags[row] -= Tag.inlineDateTime - Tag.inlineString
        default: break
        }
    }

    /// Removes the rows at `sorted` (ascending, no repeats) in one pass.
    mutating func remove(sortedRows sorted: [Int]) {
        guard !sorted.isEmpty else { return }
        for row in sorted { release(row) }
        var write = sorted[0]
        var next = 0
        for read in sorted[0]..<tags.count {
            if next < sorted.count && sorted[next] == read { next += 1; continue }
            tags[write] = tags[read]
            payloads[write] = payloads[read]
            write += 1
        }
        tags.removeLast(tags.count - write)
        payloads.removeLast(payloads.count - write)
        compactIfWasteful()
    }

    // MARK: - Encoding

    private mutating func encode(_ value: CellValue) -> (UInt8, Int64) {
        switch value {
        case .absent: return (Tag.absent, 0)
        case .null: return (Tag.null, 0)
        case .boolean(let flag): return (flag ? Tag.true : Tag.false, 0)
        case .integer(let number): return (Tag.integer, number)
        case .number(let number): return (Tag.number, Int64(bitPattern: number.bitPattern))
        case .string(let text): return encodeText(text, inline: Tag.inlineString, pooled: Tag.pooledString)
        case .dateTime(let text): return encodeText(text, inline: Tag.inlineDateTime, pooled: Tag.pooledDateTime)
        case .json(let json): return (Tag.pooledJSON, appendToPool(Array(json.jsonText.utf8)))
        }
    }

    private mutating func encodeText(_ text: String, inline: UInt8, pooled: UInt8) -> (UInt8, Int64) {
        var text = text
        return text.withUTF8 { bytes in encodeText(bytes, inline: inline, pooled: pooled) }
    }

    private mutating func encodeText(_ bytes: UnsafeBufferPointer<UInt8>, inline: UInt8, pooled: UInt8) -> (UInt8, Int64) {
        if bytes.count <= 8 {
            var payload: UInt64 = 0
            for (index, byte) in bytes.enumerated() { payload |= UInt64(byte) << (8 * UInt64(index)) }
            return (inline + UInt8(bytes.count), Int64(bitPattern: payload))
        }
        return (pooled, appendToPool(bytes))
    }

    private func inlineText(_ payload: Int64, count: Int) -> String {
        let bits = UInt64(bitPattern: payload)
        return String(decoding: (0..<count).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }, as: UTF8.self)
    }

    private mutating func appendToPool(_ bytes: some Collection<UInt8>) -> Int64 {
        let offset = pool.count
        var length = bytes.count
        repeat {
            let low = UInt8(length & 0x7F)
            length >>= 7
            pool.append(length > 0 ? low | 0x80 : low)
        } while length > 0
        pool.append(contentsOf: bytes)
        liveBytes += pool.count - offset
        return Int64(offset)
    }

    /// The pooled entry at `offset`: where its bytes are and how long the entry is with its length.
    private func entry(at offset: Int64) -> (bytes: Range<Int>, total: Int) {
        var index = Int(offset)
        var length = 0
        var shift = 0
        while true {
            let byte = pool[index]
            index += 1
            length |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return (index..<(index + length), index + length - Int(offset))
    }

    private func pooledBytes(at offset: Int64) -> ArraySlice<UInt8> { pool[entry(at: offset).bytes] }

    private func pooledText(at offset: Int64) -> String { String(decoding: pooledBytes(at: offset), as: UTF8.self) }

    private var isPooled: (UInt8) -> Bool { { $0 >= Tag.pooledString && $0 <= Tag.pooledJSON } }

    /// Counts a row's pooled text as garbage before it is replaced or removed.
    private mutating func release(_ row: Int) {
        if isPooled(tags[row]) { liveBytes -= entry(at: payloads[row]).total }
    }

    private mutating func compactIfWasteful() {
        let garbage = pool.count - liveBytes
        guard garbage > 1 << 20, garbage > liveBytes else { return }
        var compacted: [UInt8] = []
        compacted.reserveCapacity(liveBytes)
        for row in tags.indices where isPooled(tags[row]) {
            let (range, total) = entry(at: payloads[row])
            let start = range.lowerBound - (total - range.count)
            payloads[row] = Int64(compacted.count)
            compacted.append(contentsOf: pool[start..<range.upperBound])
        }
        pool = compacted
        liveBytes = compacted.count
    }
}
