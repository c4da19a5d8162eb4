import StitchAPI

/// A cell as `RecordJSONWriter` reads it (`CellColumn.raw`): text as its UTF-8 bytes where it
/// lies, so writing a record makes no `String`, `CellValue` or `JSONValue`.
enum RawCell {
    case absent
    case null
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    /// A string or date-time of at most 8 bytes held in the payload: byte i is bits 8i..<8i+8.
    case shortText(UInt64, count: Int)
    /// A longer string or date-time.
    case text(ArraySlice<UInt8>)
    /// A nested object or array: its compact JSON text (`JSONValue.jsonText`), as the cell keeps it.
    case json(ArraySlice<UInt8>)
}

/// Where `RecordJSONWriter` puts bytes: an array (the request body's record) or a counter (the
/// checks only need the size). One writer for both, so the size checked is the size sent.
protocol JSONByteSink {
    mutating func put(_ byte: UInt8)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: JSONByteSink where Element == UInt8 {
    mutating func put(_ byte: UInt8) { append(byte) }
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

/// Counts the bytes instead of keeping them.
struct JSONByteCount: JSONByteSink {
    var count = 0
    mutating func put(_ byte: UInt8) { count += 1 }
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) { count += bytes.count }
}

/// Writes a row's `data` as JSON UTF-8 straight from the batch's cells: byte for byte what
/// `JSONValue.object(batch.record(row)).jsonText` spells (members in column order, absent cells left
/// out, numbers as `JSONValue.write` formats them, strings escaped as `writeString` does, nested
/// cells as their kept compact text), without the `JSONObject`, the `String`s of its members or the
/// text. Sending (`BatchSplitter`) and the checks (`BatchChecks`) spent most of their CPU on that
/// detour; a test holds the two paths to the same bytes.
struct RecordJSONWriter {
    private let batch: RecordBatch
    /// Each column's `"name":`, escaped, one after the other in `keyBytes`.
    private let keyBytes: [UInt8]
    private let keyRanges: [Range<Int>]
    /// False when two column names are equal as Swift compares them: `record(_:)`'s `JSONObject`
    /// then keeps one member for both, and the writer takes that path rather than repeat its rule.
    /// Editing and loading never make such a batch.
    private let namesAreUnique: Bool

    init(_ batch: RecordBatch) {
        self.batch = batch
        var keyBytes: [UInt8] = []
        var keyRanges: [Range<Int>] = []
        keyRanges.reserveCapacity(batch.columns.count)
        for column in batch.columns {
            let start = keyBytes.count
            var name = column.name
            name.withUTF8 { Self.writeString($0, to: &keyBytes) }
            keyBytes.append(UInt8(ascii: ":"))
            keyRanges.append(start..<keyBytes.count)
        }
        self.keyBytes = keyBytes
        self.keyRanges = keyRanges
        namesAreUnique = Set(batch.columns.map(\.name)).count == batch.columns.count
    }

    /// Appends row `row`'s JSON to `sink` and returns its data points (`DataPoints`' count:
    /// one per scalar, a nested cell's counted on its text by `JSONTextScanner`).
    @discardableResult
    func write<Sink: JSONByteSink>(row: Int, to sink: inout Sink) -> Int {
        guard namesAreUnique else {
            let record = JSONValue.object(batch.record(row))
            var text = record.jsonText
            text.withUTF8 { sink.put($0) }
            return DataPoints.count(in: record, limit: .max)
        }
        var dataPoints = 0
        var isFirst = true
        sink.put(UInt8(ascii: "{"))
        keyBytes.withUnsafeBufferPointer { keys in
            for column in keyRanges.indices {
                let cell = batch.cells[column].raw(row)
                if case .absent = cell { continue }
                if !isFirst { sink.put(UInt8(ascii: ",")) }
                isFirst = false
                sink.put(UnsafeBufferPointer(rebasing: keys[keyRanges[column]]))
                dataPoints += Self.writeValue(cell, to: &sink)
            }
        }
        sink.put(UInt8(ascii: "}"))
        return dataPoints
    }

    /// Row `row`'s JSON size in bytes and its data points, without keeping the bytes.
    func measure(row: Int) -> (bytes: Int, dataPoints: Int) {
        var counter = JSONByteCount()
        let dataPoints = write(row: row, to: &counter)
        return (counter.count, dataPoints)
    }

    /// Writes one cell's value; returns its data points.
    private static func writeValue<Sink: JSONByteSink>(_ cell: RawCell, to sink: inout Sink) -> Int {
        switch cell {
        case .absent, .null:
            put("null", to: &sink)
        case .boolean(let flag):
            put(flag ? "true" : "false", to: &sink)
        case .integer(let value):
            writeDecimal(value, to: &sink)
        case .number(let value):
            // `JSONValue.write`'s rule: whole numbers below 1e15 as integers, other finite ones as
            // Swift spells them (the shortest text that reads back the same), the rest as null.
            if value.isFinite, value.rounded() == value, abs(value) < 1e15 {
                writeDecimal(Int64(value), to: &sink)
            } else if value.isFinite {
                var text = value.description
                text.withUTF8 { sink.put($0) }
            } else {
                put("null", to: &sink)
            }
        case .shortText(let payload, let count):
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
                for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: payload >> (8 * UInt64(index))) }
                writeString(UnsafeBufferPointer(rebasing: buffer[0..<count]), to: &sink)
            }
        case .text(let bytes):
            bytes.withUnsafeBufferPointer { writeString($0, to: &sink) }
        case .json(let text):
            // The cell keeps `jsonText` of its value, and reading that text back and writing it
            // again gives the same text, so it goes out as it is. Text the parser would refuse
            // (nested past its depth) reads as null, as `CellColumn`'s subscript has it.
            guard let scan = try? JSONTextScanner.scan(text) else {
                put("null", to: &sink)
                return 1
            }
            text.withUnsafeBufferPointer { sink.put($0) }
            return scan.dataPoints
        }
        return 1
    }

    private static func put<Sink: JSONByteSink>(_ literal: StaticString, to sink: inout Sink) {
        sink.put(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// `value` in decimal, as `String(value)` spells it.
    static func writeDecimal<Sink: JSONByteSink>(_ value: Int64, to sink: inout Sink) {
        // 20 bytes hold any Int64 with its sign; filled from the end, least significant digit first.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var magnitude = value.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            sink.put(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// A JSON string of `bytes` (valid UTF-8), escaped as `JSONValue.writeString` does: `"` and `\`,
    /// `\n`, `\r`, `\t`, other control characters as `\u00xx` (lowercase hex), everything else as it
    /// is. Runs needing no escape go out whole.
    static func writeString<Sink: JSONByteSink>(_ bytes: UnsafeBufferPointer<UInt8>, to sink: inout Sink) {
        sink.put(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { sink.put(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            runStart = index + 1
            sink.put(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): sink.put(byte)
            case UInt8(ascii: "\n"): sink.put(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): sink.put(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): sink.put(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                sink.put(UInt8(ascii: "u"))
                sink.put(UInt8(ascii: "0"))
                sink.put(UInt8(ascii: "0"))
                sink.put(hex.utf8Start[Int(byte >> 4)])
                sink.put(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
        if runStart < bytes.count { sink.put(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        sink.put(UInt8(ascii: "\""))
    }
}
