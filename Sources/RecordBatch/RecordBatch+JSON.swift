import StitchAPI
import RecordInput

extension RecordBatch {
    /// A batch body (`table_name`, `schema`, `messages`, `key_names` …) as the grid's model.
    ///
    /// - Throws: the shape problem (`BatchRequest(json:)`'s texts), or that a message is an
    ///   `activate_version`, which the editor cannot hold (it edits upserts only).
    public init(batchJSON json: JSONValue) throws(BatchRequestShapeError) {
        let request = try BatchRequest(json: json)
        if let index = request.messages.firstIndex(where: { $0.action != .upsert }) {
            throw .init("messages[\(index)] is an activate_version message; the record editor holds upserts only")
        }
        self.init(tableName: request.tableName, keyNames: request.keyNames)
        tableVersion = request.tableVersion
        bookmarkNames = request.bookmarkNames
        var index = setSchema(request.schema)
        for message in request.messages {
            appendRecord(message.data ?? JSONObject(), sequence: message.sequence, timeExtracted: message.timeExtracted,
                         columnIndex: &index)
        }
    }

    /// The body that would be sent for rows `rows` (all by default): every unset `sequence` takes
    /// `now` (milliseconds since the epoch), one more for each row after, so rows keep their order
    /// and a later edit of the same key wins (`SequenceClock`'s rule).
    public func request(rows: Range<Int>? = nil, sequencesFrom now: Int64) -> BatchRequest {
        var clock = SequenceClock(now: { now })
        let messages = (rows ?? 0..<rowCount).map { row in
            BatchMessage(sequence: sequence(ofRow: row) ?? clock.next(), data: record(row),
                         timeExtracted: timeExtracted(ofRow: row))
        }
        return BatchRequest(tableName: tableName, schema: schema, messages: messages, keyNames: keyNames,
                            tableVersion: tableVersion, bookmarkNames: bookmarkNames)
    }

    /// The raw batch JSON of the whole table (the editor's raw view and `$EDITOR` hand-off).
    public func batchJSON(sequencesFrom now: Int64) -> JSONValue {
        request(sequencesFrom: now).json
    }
}
