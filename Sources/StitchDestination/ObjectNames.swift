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
    public var maxRecordBytes = recordByteLimit
    public static let recordByteLimit = 4 * 1024 * 1024
    /// Whether the destination ignores case when it compares identifiers, so `id` and `ID` name one
    /// column. PostgreSQL with quoted identifiers keeps case (§4.3); SQLite compares names without
    /// regard to ASCII case (and only ASCII: `É` and `é` are two names there).
    ///
    /// Names are kept as the spec's rules make them (case kept, §4.3); where two different names
    /// are one to the destination, they collide, and the later one is rejected rather than mixed
    /// into the other's table or column (see `LoadPlan`).
    public var foldsCase: Bool
    /// Table names the destination keeps for itself, by prefix, compared without ASCII case.
    public var reservedTablePrefixes: [ReservedPrefix]

    /// A prefix of names a destination will not create, and whose they are.
    public struct ReservedPrefix: Sendable, Hashable {
        public var prefix: String
        public var owner: String

        public init(_ prefix: String, owner: String) {
            self.prefix = prefix
            self.owner = owner
        }
    }

    public init(foldsCase: Bool, reservedTablePrefixes: [ReservedPrefix] = []) {
        self.foldsCase = foldsCase
        self.reservedTablePrefixes = reservedTablePrefixes
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

    /// The form the destination compares names in: equal keys are one table or column to it.
    func key(_ name: String) -> String { foldsCase ? Self.asciiLowercased(name) : name }

    /// `name` with ASCII letters lowercased, as SQLite folds identifiers; most names have no
    /// capitals and come back as they are.
    static func asciiLowercased(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return name }
        return String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The reserved prefix `name` starts with, if any.
    func reservedPrefix(of name: String) -> ReservedPrefix? {
        let folded = Self.asciiLowercased(name)
        return reservedTablePrefixes.first { folded.hasPrefix(Self.asciiLowercased($0.prefix)) }
    }

    /// Whether `name` ends with a suffix Stitch reserves for split columns.
    static func hasReservedSuffix(_ name: String) -> Bool {
        ColumnType.reservedSuffixes.contains { name.hasSuffix($0) }
    }
}
