/// A whole batch that cannot load as it is: the destination refused its load (a constraint a
/// person added, a name it will not take), or its stored body cannot be read back. Nothing the
/// Import API answered 2xx may vanish, so its records go to `_sdc_rejected` (spec §4.9), each
/// with `reason`, by `Destination.reject`.
public struct RejectedBatch: Sendable, Hashable {
    public var number: Int64
    public var schemaName: String
    public var receivedAt: UTCTimestamp
    /// The stream the records were sent for: the batch's `table_name`, as far as it is known.
    public var tableName: String
    public var reason: String
    /// The records' JSON text, already cut to fit (`ObjectNames.maxRecordBytes`).
    public var records: [String]

    public init(number: Int64, schemaName: String, receivedAt: UTCTimestamp, tableName: String, reason: String,
                records: [String]) {
        self.number = number
        self.schemaName = schemaName
        self.receivedAt = receivedAt
        self.tableName = tableName
        self.reason = reason
        self.records = records.map { DestinationBatch.cut($0, limit: ObjectNames.recordByteLimit) }
    }

    /// Every upsert record of `batch`, as sent, for `reason`.
    public init(_ batch: DestinationBatch, reason: String) {
        let upserts = batch.request.messages.indices.filter { batch.request.messages[$0].action == .upsert }
        self.init(number: batch.number, schemaName: batch.schemaName, receivedAt: batch.receivedAt,
                  tableName: batch.request.tableName, reason: reason,
                  records: batch.recordTexts(upserts, limit: ObjectNames.recordByteLimit))
    }
}
