import StitchAPI

/// The checks the Import API applies to a batch (StitchAPI's `BatchRecordRules` and
/// `JSONSchema`, the gate's own texts), run on the editor's batch before anything is sent, each
/// problem placed at its row and column so the grid can mark the cell. Also the limits a client
/// must keep: a record that could not fit a request alone, more than 10,000 data points, integers
/// outside int64, key columns present and filled. The record count per request is not a problem:
/// sending splits the rows (`BatchSplitter`).
public enum BatchChecks {
    /// Every problem, table-level first, then by row (each row's in column order); at most
    /// `limit` of them (the grid marks what it shows; the count says there are more).
    public static func problems(in batch: RecordBatch, limit: Int = .max) -> [BatchProblem] {
        var problems: [BatchProblem] = []
        func add(_ problem: BatchProblem) -> Bool {
            problems.append(problem)
            return problems.count < limit
        }
        guard limit > 0 else { return [] }
        if batch.tableName.isEmpty, !add(BatchProblem(row: nil, column: nil, "table_name must be a non-empty string")) {
            return problems
        }
        let schema: JSONSchema
        do throws(JSONSchemaError) {
            schema = try JSONSchema(batch.schema)
        } catch {
            _ = add(BatchProblem(row: nil, column: nil, "Invalid JSON schema: \(error.message)"))
            return problems
        }
        let keyNames = batch.keyNames ?? []
        if let problem = BatchRecordRules.keyNameProblem(keyNames, schema: schema) {
            let key = keyNames.first { batch.columnIndex(named: $0).map { !batch.columns[$0].isDeclared } ?? true }
            if !add(BatchProblem(row: nil, column: key.flatMap(batch.columnIndex(named:)), problem)) { return problems }
        }
        let keyColumns = keyNames.map { batch.columnIndex(named: $0) }
        let integerColumns = integerOnlyColumns(batch)
        let envelope = envelopeBytes(batch)
        let writer = RecordJSONWriter(batch)
        // One unlimited budget for every row: the same findings as a budget each, one allocation.
        let budget = PatternBudget(steps: .max)
        for row in 0..<batch.rowCount {
            for problem in rowProblems(batch, row: row, schema: schema, keyNames: keyNames, keyColumns: keyColumns,
                                       integerColumns: integerColumns, envelopeBytes: envelope, writer: writer,
                                       budget: budget) {
                if !add(problem) { return problems }
            }
        }
        return problems
    }

    /// Row `row`'s problems: data points, the schema's violations (one per property, at its column),
    /// int64 bounds, key values, then its size alone in a request.
    public static func problems(in batch: RecordBatch, row: Int) -> [BatchProblem] {
        guard let schema = try? JSONSchema(batch.schema) else { return [] }
        let keyNames = batch.keyNames ?? []
        return rowProblems(batch, row: row, schema: schema, keyNames: keyNames,
                           keyColumns: keyNames.map { batch.columnIndex(named: $0) },
                           integerColumns: integerOnlyColumns(batch), envelopeBytes: envelopeBytes(batch),
                           writer: RecordJSONWriter(batch), budget: PatternBudget(steps: .max))
    }

    private static func rowProblems(_ batch: RecordBatch, row: Int, schema: JSONSchema, keyNames: [String],
                                    keyColumns: [Int?], integerColumns: [Int], envelopeBytes: Int,
                                    writer: RecordJSONWriter, budget: PatternBudget) -> [BatchProblem] {
        var problems: [BatchProblem] = []
        // The record's size and data points from its cells, by the writer that makes the bytes sent.
        let measured = writer.measure(row: row)
        let record = JSONValue.object(batch.record(row))
        // The count is `DataPoints`' rule on the same values; the gate's function words the problem.
        if measured.dataPoints > DataPoints.maximumPerRecord, let problem = BatchRecordRules.dataPointsProblem(record, at: row) {
            problems.append(BatchProblem(row: row, column: nil, problem))
            return problems // the gate stops there too, before the schema
        }
        // One problem per violation the gate lists (one per property), with its causes on the
        // lines after it, as in the gate's reply: a leaf alone can mislead (a nullable string too
        // long also fails its "null" branch).
        for violation in schema.validate(record, budget: budget) {
            problems.append(BatchProblem(row: row, column: column(of: violation, in: batch),
                                         violation.reportLines.joined(separator: "\n")))
        }
        for column in integerColumns {
            if case .number(let value) = batch[row, column], value.rounded() == value, ColumnType.int64(exactly: value) == nil {
                problems.append(BatchProblem(row: row, column: column,
                                             "#/\(batch.columns[column].name): \(JSONValue.number(value).jsonText) is outside the int64 range a destination column holds"))
            }
        }
        for (position, key) in keyNames.enumerated() {
            let column = keyColumns[position]
            if let problem = BatchRecordRules.keyValueProblem(key: key, value: column.flatMap { batch[row, $0].jsonValue }, at: row) {
                problems.append(BatchProblem(row: row, column: column, problem))
            }
        }
        let size = envelopeBytes + messageBytes(dataBytes: measured.bytes)
        if size > ImportLimits.maximumBodyBytes {
            problems.append(BatchProblem(row: row, column: nil,
                                         "the record makes a \(size)-byte request on its own, over the Import API's limit of \(ImportLimits.maximumBodyBytes) bytes per request"))
        }
        return problems
    }

    /// The column a violation's pointer starts in (`#/name/...`), if it names one.
    static func column(of violation: SchemaViolation, in batch: RecordBatch) -> Int? {
        let pointer = violation.pointer
        guard pointer.hasPrefix("#/") else {
            // `required` at the top: "#: required key [name] not found".
            if violation.keyword == "required", let open = violation.message.firstIndex(of: "["),
               let close = violation.message.lastIndex(of: "]"), open < close {
                return batch.columnIndex(named: String(violation.message[violation.message.index(after: open)..<close]))
            }
            return nil
        }
        let segment = pointer.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return batch.columnIndex(named: unescapePointer(segment))
    }

    /// A JSON pointer segment's text: `~1` is `/`, `~0` is `~` (RFC 6901).
    private static func unescapePointer(_ segment: String) -> String {
        var result = ""
        var pendingTilde = false
        for character in segment {
            if pendingTilde {
                result.append(character == "1" ? "/" : character == "0" ? "~" : character)
                pendingTilde = false
            } else if character == "~" {
                pendingTilde = true
            } else {
                result.append(character)
            }
        }
        if pendingTilde { result.append("~") }
        return result
    }

    /// The bytes of a request around its messages: the body with no messages.
    static func envelopeBytes(_ batch: RecordBatch) -> Int {
        BatchRequest(tableName: batch.tableName, schema: batch.schema, messages: [], keyNames: batch.keyNames,
                     tableVersion: batch.tableVersion, bookmarkNames: batch.bookmarkNames).json.jsonText.utf8.count
    }

    /// Columns typed integer and not number: a whole number past int64 cannot load into them.
    private static func integerOnlyColumns(_ batch: RecordBatch) -> [Int] {
        batch.columns.indices.filter {
            batch.columns[$0].type.kinds.contains(.integer) && !batch.columns[$0].type.kinds.contains(.number)
        }
    }

    /// An upsert's bytes in a request, `{"action":"upsert","sequence":<19 digits>,"data":…}`, for
    /// a record of `dataBytes` bytes of JSON.
    static func messageBytes(dataBytes: Int) -> Int {
        #"{"action":"upsert","sequence":,"data":}"#.utf8.count + 19 + dataBytes
    }
}
