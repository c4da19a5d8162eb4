/// The type of a destination column (spec §4.2). Every column holds exactly one of these;
/// a value of another type goes to a split column named with `splitSuffix` (§4.6).
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
    /// JSON Schema `integer`: PostgreSQL `bigint` (every doc example shows BIGINT [I]).
    case integer
    /// JSON Schema `number`: `double precision` [I] (Stitch's `decimal` is never chosen here).
    case number
    case boolean
    case string
    /// `string` with `format: date-time`: a UTC `timestamp without time zone`.
    case dateTime

    /// The PostgreSQL suffix a split column of this type gets: `age__bi`, `age__do` (§4.6).
    public var splitSuffix: String {
        switch self {
        case .integer: "__bi"
        case .number: "__do"
        case .boolean: "__bo"
        case .string: "__st"
        case .dateTime: "__ti"
        }
    }

    /// The type a split suffix stands for; nil for `__it`/`__de`, which name types this loader never makes.
    public init?(splitSuffix: String) {
        guard let type = Self.allCases.first(where: { $0.splitSuffix == splitSuffix }) else { return nil }
        self = type
    }

    /// Suffixes Stitch reserves for split columns on PostgreSQL (§4.3), including `__it` (integer)
    /// and `__de` (decimal), which this loader never creates.
    public static let reservedSuffixes = ["__bi", "__bo", "__de", "__do", "__it", "__st", "__ti"]

    /// The PostgreSQL column type (§4.2 table).
    public var postgresType: String {
        switch self {
        case .integer: "bigint"
        case .number: "double precision"
        case .boolean: "boolean"
        case .string: "text"
        case .dateTime: "timestamp without time zone"
        }
    }

    /// The SQLite declared type (§4.10). `BOOLEAN` and `TIMESTAMP` keep the logical type readable
    /// from the schema, so a later batch knows which column to split; SQLite stores booleans as
    /// 0/1 and timestamps as fixed-width UTC text (`2020-01-13T20:25:03.000000Z`). `BIGINT` (integer
    /// affinity, like `INTEGER`) keeps a one-column integer key from becoming the `rowid`, so
    /// `rowid` order stays load order for readers.
    public var sqliteType: String {
        switch self {
        case .integer: "BIGINT"
        case .number: "REAL"
        case .boolean: "BOOLEAN"
        case .string: "TEXT"
        case .dateTime: "TIMESTAMP"
        }
    }

    /// Reads a PostgreSQL `information_schema.columns.data_type`. Types the loader does not make
    /// (a column added by hand) are read by their closest kind, so values still land somewhere sane.
    init(postgresType name: String) {
        switch name.lowercased() {
        case "bigint", "integer", "smallint": self = .integer
        case "double precision", "real", "numeric": self = .number
        case "boolean": self = .boolean
        case let type where type.hasPrefix("timestamp"): self = .dateTime
        default: self = .string
        }
    }

    /// Reads a SQLite declared type, by the same affinity rules SQLite uses, plus the two names above.
    init(sqliteType declared: String) {
        let name = declared.uppercased()
        if name == "BOOLEAN" { self = .boolean; return }
        if name == "TIMESTAMP" { self = .dateTime; return }
        if name.contains("INT") { self = .integer; return }
        if name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") { self = .number; return }
        self = .string
    }
}
