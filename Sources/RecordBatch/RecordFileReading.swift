import StitchAPI
import RecordInput

/// The state of one load: the batch filled so far and the problems met.
struct RecordFileReading {
    var batch: RecordBatch
    var problems: [LoadProblem] = []
    var readToEnd = true
    private var columnIndex: [String: Int] = [:]
    /// A batch body's schema was loaded: no inference.
    private var hasSchema = false
    private var isCSV = false
    /// What each column's values say about its type, noted as records are appended (not CSV's,
    /// which are typed from their text at the end).
    private var columnFacts: [SchemaInference.ColumnFacts] = []
    private var flatRecords = FlatRecordReader()

    init(batch: RecordBatch) { self.batch = batch }

    func finish(format: RecordFormat) -> LoadedRecords {
        var batch = batch
        let inferred = !hasSchema
        if inferred {
            if isCSV {
                SchemaInference.infer(&batch, fromText: true)
            } else {
                SchemaInference.apply(columnFacts, to: &batch)
            }
            if batch.keyNames == nil, batch.columnIndex(named: "id") != nil { try? batch.apply(.setKeyNames(["id"])) }
        }
        return LoadedRecords(batch: batch, problems: problems, format: format, schemaWasInferred: inferred,
                             readToEnd: readToEnd)
    }

    // MARK: - JSONL

    mutating func readLines(_ input: ByteInput) {
        var lines = LineReader(input: input, maximumLineBytes: RecordFileLoader.maximumRecordBytes)
        // Lines skipped by hand past an oversized one, which LineReader does not count.
        var skipped = 0
        while true {
            let line: ArraySlice<UInt8>
            do throws(InputError) {
                guard let next = try lines.next() else { return }
                line = next
            } catch {
                problems.append(LoadProblem(line: error.line + skipped, error.message))
                guard Self.skipLine(input) else { return }
                skipped += 1
                continue
            }
            if line.first != UInt8(ascii: "{") && line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            addRecord(line, line: lines.lineNumber + skipped, what: "the line")
        }
    }

    /// Consumes the rest of the current line without buffering it whole. False at the end.
    private static func skipLine(_ input: ByteInput) -> Bool {
        while true {
            if let newline = input.index(of: 0x0A, from: input.start) {
                input.start = newline + 1
                return true
            }
            input.start = input.buffer.count
            guard (try? input.fill()) == true else { return false }
        }
    }

    // MARK: - A JSON array, or objects one after another (batch bodies or records)

    mutating func readStream(_ input: ByteInput, insideArray: Bool) {
        var stream = JSONObjectStream(input: input, insideArray: insideArray,
                                      maximumObjectBytes: RecordFileLoader.maximumRecordBytes,
                                      what: insideArray ? "record" : "object")
        while true {
            do throws(InputError) {
                guard let (bytes, line) = try stream.next() else { return }
                let column = Self.column(ofSliceStart: bytes.startIndex, in: input)
                if insideArray {
                    addRecord(bytes, line: line, firstColumn: column, what: "record \(stream.count)")
                } else {
                    addObject(bytes, line: line, firstColumn: column, number: stream.count)
                }
            } catch {
                problems.append(LoadProblem(line: error.line, error.message + "; the rest of the file is not read"))
                readToEnd = false
                return
            }
        }
    }

    /// An object of a stream: a batch body (its rows join the batch) or one record.
    private mutating func addObject(_ bytes: ArraySlice<UInt8>, line: Int, firstColumn: Int?, number: Int) {
        guard let value = parse(bytes, line: line, firstColumn: firstColumn, what: "object \(number)") else { return }
        guard value["messages"] != nil else {
            addParsedRecord(value, line: line, what: "object \(number)")
            return
        }
        let body: RecordBatch
        do throws(BatchRequestShapeError) {
            body = try RecordBatch(batchJSON: value)
        } catch {
            problems.append(LoadProblem(line: line, "batch \(number) is not a batch body the editor can hold: \(error.message)"))
            return
        }
        if !hasSchema && batch.rowCount == 0 {
            hasSchema = true
            batch = body
            for (position, column) in batch.columns.enumerated() { columnIndex[column.name] = position }
            return
        }
        guard hasSchema, body.tableName == batch.tableName else {
            problems.append(LoadProblem(line: line, "batch \(number) is for the table \(body.tableName); the editor holds one table (\(batch.tableName)), so its \(body.rowCount) records are not loaded"))
            return
        }
        for row in 0..<body.rowCount {
            batch.appendRecord(body.record(row), sequence: body.sequence(ofRow: row),
                               timeExtracted: body.timeExtracted(ofRow: row), columnIndex: &columnIndex)
        }
    }

    // MARK: - CSV

    mutating func readCSV(_ input: ByteInput) {
        isCSV = true
        var reader = CSVReader(input: input, keyNames: [], schema: nil, maximumRecordBytes: RecordFileLoader.maximumRecordBytes)
        var consumedAtLastError = -1
        while true {
            do throws(InputError) {
                guard let record = try reader.next() else { return }
                // CSVReader writes each row as a JSON object of strings and nulls; should one not
                // read back, say so rather than drop the row.
                guard case .object(let data)? = try? JSONParser.parse(record.data) else {
                    problems.append(LoadProblem(line: record.line, "the row could not be read as a record"))
                    continue
                }
                batch.appendRecord(data, columnIndex: &columnIndex)
            } catch {
                problems.append(LoadProblem(line: error.line, column: error.column, error.message))
                // The reader resumes at the next row after every error (an unclosed quote ends the
                // input) but a row over the size limit, where it stops mid-row. A reader that did
                // not move on since the last error would repeat it: stop then too.
                let consumed = input.totalBytesRead - input.available
                if error.message.hasPrefix("the row is over") || consumed == consumedAtLastError {
                    problems[problems.count - 1].message += "; the rest of the file is not read"
                    readToEnd = false
                    return
                }
                consumedAtLastError = consumed
            }
        }
    }

    // MARK: - Records

    private mutating func addRecord(_ bytes: ArraySlice<UInt8>, line: Int, firstColumn: Int? = 1, what: String) {
        // Most records are read straight into the columns; the rest (and every bad one, to name
        // its fault) are parsed to a tree.
        if !hasSchema, bytes.withUnsafeBufferPointer({ flatRecords.append($0, to: &batch, columnIndex: &columnIndex, facts: &columnFacts) }) {
            return
        }
        guard let value = parse(bytes, line: line, firstColumn: firstColumn, what: what) else { return }
        addParsedRecord(value, line: line, what: what)
    }

    private mutating func addParsedRecord(_ value: JSONValue, line: Int, what: String) {
        guard case .object(let data) = value else {
            problems.append(LoadProblem(line: line, column: 1, "\(what) must be a JSON object, not \(Self.noun(value))"))
            return
        }
        batch.appendRecord(data, columnIndex: &columnIndex)
        guard !hasSchema else { return }
        let row = batch.rowCount - 1
        while columnFacts.count < batch.columns.count { columnFacts.append(SchemaInference.ColumnFacts()) }
        for column in batch.columns.indices { columnFacts[column].note(batch[row, column]) }
    }

    /// As push's readers say it.
    private static func noun(_ value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .integer, .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value of a record's text, or a problem at the line and column of the first fault.
    /// `firstColumn`: the column `bytes` start at on their first line (nil when unknown).
    private mutating func parse(_ bytes: ArraySlice<UInt8>, line: Int, firstColumn: Int?, what: String) -> JSONValue? {
        if let value = try? JSONParser.parse(bytes) { return value }
        // The scanner places faults exactly (the parser reports a bad string after its end).
        let offset: Int
        let message: String
        do throws(JSONParser.SyntaxError) {
            _ = try JSONTextScanner.scan(bytes)
            offset = 0
            message = "is not valid JSON"
        } catch {
            offset = error.offset
            message = "is not valid JSON: \(error.message)"
        }
        let (lineOffset, columnInText) = Self.position(of: offset, in: bytes)
        let column = lineOffset > 0 ? columnInText : firstColumn.map { $0 + columnInText - 1 }
        let byteIndex = bytes.startIndex + offset
        if byteIndex < bytes.endIndex, bytes[byteIndex] >= 0x80, !Self.startsValidUTF8(bytes[byteIndex...]) {
            let hex = String(bytes[byteIndex], radix: 16, uppercase: true)
            problems.append(LoadProblem(line: line + lineOffset, column: column,
                                        "\(what) is not UTF-8: byte 0x\(hex.count == 1 ? "0" + hex : hex) cannot start a character there"))
        } else {
            problems.append(LoadProblem(line: line + lineOffset, column: column, "\(what) \(message)"))
        }
        return nil
    }

    /// The 1-based column where the buffered bytes at `index` start: counted back to the line's
    /// start if it is still buffered (it is unless the line began before the last refill).
    private static func column(ofSliceStart index: Int, in input: ByteInput) -> Int? {
        var start = index
        while start > 0 && input.buffer[start - 1] != 0x0A { start -= 1 }
        guard start > 0 || input.totalBytesRead == input.buffer.count else { return nil }
        return position(of: index - start, in: input.buffer[start..<index]).column
    }

    /// Lines after the first and the 1-based character column of byte `offset` of `bytes`.
    static func position(of offset: Int, in bytes: ArraySlice<UInt8>) -> (lines: Int, column: Int) {
        var lines = 0
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A {
                lines += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (lines, column)
    }

    private static func startsValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        let length = min(4, bytes.count)
        return (1...max(1, length)).contains { count in String(validating: bytes.prefix(count), as: UTF8.self) != nil }
    }
}
