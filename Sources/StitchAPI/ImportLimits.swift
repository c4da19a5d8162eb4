/// The Import API's documented limits on `POST /v2/import/batch` (spec §3.3, §3.7), in one place for
/// the server that enforces them and the clients that build batches within them.
public enum ImportLimits {
    /// "1 to 20,000 records per request".
    public static let maximumRecordsPerBatch = 20_000
    /// "At most 20 MB" per request body. Read as 20 MiB [?]: target-stitch sends single records up to
    /// 20,000,000 bytes to its big-batch URL, so the real limit is at least that, and 2^20-based
    /// megabytes are what the gate's JVM stack usually means.
    public static let maximumBodyBytes = 20 * 1024 * 1024
    /// "≤ 10,000 data points per record" (see `DataPoints` for what counts as one).
    public static let maximumDataPointsPerRecord = 10_000
    /// "String PK values shorter than 256 chars" (batch docs; the push docs' 422 says 1,024 [?]).
    public static let maximumStringKeyLength = 255
}
