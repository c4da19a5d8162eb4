/// How field and table names become destination names (spec §4.3, Stitch's PostgreSQL rules),
/// and the limits the loader enforces at load time (§4.9).
public struct ObjectNames: Sendable, Hashable {
    /// Table names longer than this are rejected (PostgreSQL's 63-byte identifiers).
    public var maxTableNameLength = 63
    /// Column names longer than this are rejected: 63 minus room for a `__xx` split suffix.
    public var maxColumnNameLength = 59
    /// No identifier may exceed this, system columns (`_sdc_source_key_<pk>`) included: PostgreSQL
    /// would silently truncate it.
    public var maxIdentifierLength = 63
    /// PostgreSQL refuses tables with more than 1600 columns; SQLite's default limit is 2000.
    /// The lower one holds on both, so both destinations reject the same records.
    public var maxColumnsPerTable = 1600
    /// Stitch's PostgreSQL loader rejects records over 4 MB (§4.9) [?]: measured here as the
    /// record's JSON text in UTF-8 bytes, with MB read as MiB.
    public var maxRecordBytes = 4 * 1024 * 1024
    /// Whether the destination folds identifiers' case, so `id` and `ID` collide. PostgreSQL with
    /// quoted identifiers keeps case (§4.3); SQLite compares names case-insensitively.
    public var foldsCase: Bool

    public init(foldsCase: Bool) {
        self.foldsCase = foldsCase
    }

    /// The name a field or table gets (§4.3): characters other than letters, digits, underscores
    /// and spaces are removed, then leading characters that are neither letters nor underscores.
    /// Case is kept. Nil when nothing is left (e.g. `123`).
    ///
    /// [?] The docs say both "spaces are kept" (`customer id`) and "allowed characters: letters,
    /// digits, underscore". The worked example is the more specific statement, so spaces stay.
    /// [?] "Letters" includes non-ASCII letters (PostgreSQL accepts them in quoted identifiers);
    /// digits are ASCII only.
    public static func canonical(_ raw: String) -> String? {
        var result = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            let isDigit = ("0"..."9").contains(scalar)
            let allowed = scalar.properties.isAlphabetic || isDigit || scalar == "_" || scalar == " "
            guard allowed else { continue }
            if result.isEmpty && !(scalar.properties.isAlphabetic || scalar == "_") { continue }
            result.append(scalar)
        }
        return result.isEmpty ? nil : String(result)
    }

    /// The length PostgreSQL counts: bytes of UTF-8.
    public static func length(_ name: String) -> Int { name.utf8.count }

    /// The form two names are compared in: equal keys name the same column.
    func key(_ name: String) -> String { foldsCase ? name.lowercased() : name }

    /// Whether `name` ends with a suffix Stitch reserves for split columns.
    static func hasReservedSuffix(_ name: String) -> Bool {
        ColumnType.reservedSuffixes.contains { name.hasSuffix($0) }
    }
}
