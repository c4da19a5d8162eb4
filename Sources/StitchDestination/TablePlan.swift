import StitchAPI

/// How one batch maps onto one destination table: its columns, its key, and its rows.
///
/// This is the "structuring" step of Stitch's pipeline, kept apart from the SQL writer so
/// issue 3 can add flattening (`a__b` columns) and child tables here without touching SQL.
public struct TablePlan: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: ColumnType

        public init(name: String, type: ColumnType) {
            self.name = name
            self.type = type
        }
    }

    public static let receivedAtColumn = "_sdc_received_at"
    public static let batchedAtColumn = "_sdc_batched_at"
    public static let sequenceColumn = "_sdc_sequence"
    public static let tableVersionColumn = "_sdc_table_version"
    /// Added by Stitch when a table has no key (spec §4.7).
    public static let syntheticKeyColumn = "__sdc_primary_key"

    public var tableName: String
    /// Data columns in schema order, then fields the schema did not declare, then the `_sdc` columns.
    public var columns: [Column]
    /// `key_names`, or `[__sdc_primary_key]` for a keyless (append-only) table.
    public var keyColumns: [String]
    /// Whether the key is synthetic, so rows are appended rather than upserted.
    public var isAppendOnly: Bool
    /// One row per surviving record, aligned with `columns`.
    public var rows: [[CellValue]]
    /// Set when the batch carries `activate_version`: rows of older table versions are removed.
    public var activatedVersion: Int64?

    public init(tableName: String, columns: [Column], keyColumns: [String], isAppendOnly: Bool,
                rows: [[CellValue]], activatedVersion: Int64? = nil) {
        self.tableName = tableName
        self.columns = columns
        self.keyColumns = keyColumns
        self.isAppendOnly = isAppendOnly
        self.rows = rows
        self.activatedVersion = activatedVersion
    }

    /// Plans a batch. `batchedAt` becomes `_sdc_batched_at`, the load time.
    ///
    /// With keys, only the highest `sequence` per key survives; on equal sequences the later
    /// message wins [?] (the docs leave ties undefined). Rows keep the order of their messages.
    public init(batch: DestinationBatch, batchedAt: UTCTimestamp) {
        let request = batch.request
        var columns: [Column] = []
        var seen: Set<String> = []
        let properties = request.schema["properties"]?.objectValue ?? JSONObject()
        for (name, propertySchema) in properties.members {
            columns.append(Column(name: name, type: ColumnType(schema: propertySchema)))
            seen.insert(name)
        }
        // Fields beyond `properties` are allowed unless the schema says `additionalProperties:
        // false`; they are typed by their first non-null value, as the push endpoint does [?].
        for message in request.messages where message.action == .upsert {
            for (name, value) in message.data?.members ?? [] where !seen.contains(name) && !value.isNull {
                columns.append(Column(name: name, type: ColumnType(value: value)))
                seen.insert(name)
            }
        }
        let dataColumnCount = columns.count
        columns += [
            Column(name: Self.receivedAtColumn, type: .dateTime),
            Column(name: Self.batchedAtColumn, type: .dateTime),
            Column(name: Self.sequenceColumn, type: .integer),
            Column(name: Self.tableVersionColumn, type: .integer),
        ]
        let keyNames = request.keyNames ?? []
        let isAppendOnly = keyNames.isEmpty
        if isAppendOnly { columns.append(Column(name: Self.syntheticKeyColumn, type: .string)) }

        let dataColumns = columns.prefix(dataColumnCount)
        var rows: [[CellValue]] = []
        var rowIndexByKey: [[CellValue]: Int] = [:]
        var sequenceByRow: [Int64] = []
        for (index, message) in request.messages.enumerated() where message.action == .upsert {
            let data = message.data ?? JSONObject()
            var row = dataColumns.map { CellValue(json: data[$0.name] ?? .null, as: $0.type) }
            row += [
                .text(batch.receivedAt.destinationText), .text(batchedAt.destinationText),
                .integer(message.sequence), .integer(request.tableVersion ?? 0),
            ]
            if isAppendOnly {
                row.append(.text(Self.syntheticKey(batch: batch.number, message: index)))
                rows.append(row)
                continue
            }
            let key = keyNames.map { CellValue(json: data[$0] ?? .null, as: .untyped) }
            if let existing = rowIndexByKey[key] {
                guard message.sequence >= sequenceByRow[existing] else { continue }
                rows[existing] = []
                sequenceByRow[existing] = Int64.min
            }
            rowIndexByKey[key] = rows.count
            rows.append(row)
            sequenceByRow.append(message.sequence)
        }
        rows.removeAll { $0.isEmpty }
        let activates = request.messages.contains { $0.action == .activateVersion }
        self.init(tableName: request.tableName, columns: columns,
                  keyColumns: isAppendOnly ? [Self.syntheticKeyColumn] : keyNames,
                  isAppendOnly: isAppendOnly, rows: rows,
                  activatedVersion: activates ? request.tableVersion ?? 0 : nil)
    }

    /// A UUID-shaped key that is the same every time the same message is loaded: the batch
    /// number in the first half, the message index in the second. Stitch uses random UUIDs,
    /// but a random key would make a replayed batch append its rows twice.
    static func syntheticKey(batch: Int64, message: Int) -> String {
        let high = String(UInt64(bitPattern: batch), radix: 16)
        let low = String(UInt64(message), radix: 16)
        let hex = String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

/// A value as the SQL writer stores it.
public enum CellValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// Converts a JSON value for a column of the given type: booleans become 0/1, date-times
    /// become UTC text, objects and arrays become JSON text. A value that does not fit its
    /// column (possible only with unions) is stored as it is; issue 3 will split such columns.
    public init(json: JSONValue, as type: ColumnType) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .integer(value ? 1 : 0)
        case .integer(let value): self = type == .number ? .real(Double(value)) : .integer(value)
        case .number(let value): self = .real(value)
        case .string(let value):
            if type == .dateTime, let timestamp = UTCTimestamp(iso8601: value) {
                self = .text(timestamp.destinationText)
            } else {
                self = .text(value)
            }
        case .array, .object: self = .text(json.jsonText)
        }
    }
}
