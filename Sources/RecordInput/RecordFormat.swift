/// The input formats the readers take (`push --format`, the record editor's files).
public enum RecordFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line.
    case jsonl
    /// One JSON array of objects.
    case json
    /// CSV with a header row.
    case csv
    /// Import API batch bodies, one after another (as target-stitch's `--output-file` writes them).
    case batch
    /// A Singer stream (SCHEMA, RECORD, STATE, ACTIVATE_VERSION), as target-stitch reads it.
    case singer
}
