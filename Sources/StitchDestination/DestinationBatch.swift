import StitchAPI

/// One accepted Import API batch, ready to load: the request plus what the gate added on receipt.
public struct DestinationBatch: Sendable, Hashable {
    /// The acceptance order of this batch, unique and increasing for the life of a data directory.
    /// Keyless tables derive their `__sdc_primary_key` from it, so a replay inserts nothing new.
    public var number: Int64
    /// The destination schema: the source's `name`.
    public var schemaName: String
    public var request: BatchRequest
    /// When the Import API accepted the batch (`_sdc_received_at`).
    public var receivedAt: UTCTimestamp

    public init(number: Int64, schemaName: String, request: BatchRequest, receivedAt: UTCTimestamp) {
        self.number = number
        self.schemaName = schemaName
        self.request = request
        self.receivedAt = receivedAt
    }
}
