/// The SQL that carries out a `LoadPlan`, for either destination. Everything runs in the
/// load's one transaction, after `setup` and after the state the plan was made from was read.
struct LoadScript {
    let plan: LoadPlan
    let dialect: SQLDialect

    static let stagePrefix = "_stitch_stage_"
    /// A stage table's extra column numbering its rows, so rows reach the table in plan order
    /// (SQLite's `rowid` order is what a reader watching loads sees).
    static let ordinalColumn = "_stitch_ordinal"
    static let winnersTable = "_stitch_winners"

    /// Idempotent DDL run at the start of every load: the schema, `_sdc_rejected` (every
    /// integration schema has one, spec §4.1) and the sandbox's bookkeeping.
    static func setup(_ dialect: SQLDialect) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        if dialect.engine == .postgres {
            statements.append(SQLStatement("CREATE SCHEMA IF NOT EXISTS \(dialect.schema.quotedIdentifier)"))
            statements.append(SQLStatement("CREATE SCHEMA IF NOT EXISTS \(SQLDialect.bookkeepingSchema.quotedIdentifier)"))
        }
        let text = dialect.typeName(.string), integer = dialect.typeName(.integer), time = dialect.typeName(.dateTime)
        // `received_at` with the number: a fresh data directory numbers its batches from 1 again,
        // and must not find an older directory's batch 1 "already loaded" in a shared PostgreSQL.
        statements.append(SQLStatement("""
            CREATE TABLE IF NOT EXISTS \(dialect.bookkeeping("loads")) (schema_name \(text) NOT NULL, \
            batch_number \(integer) NOT NULL, received_at \(time) NOT NULL, table_name \(text) NOT NULL, \
            loaded_at \(time) NOT NULL, PRIMARY KEY (schema_name, batch_number, received_at))
            """))
        statements.append(SQLStatement("""
            CREATE TABLE IF NOT EXISTS \(dialect.bookkeeping("table_versions")) (schema_name \(text) NOT NULL, \
            table_name \(text) NOT NULL, active_version \(integer) NOT NULL, PRIMARY KEY (schema_name, table_name))
            """))
        let rejected = RejectedTable.layout.columns.map { "\($0.name.quotedIdentifier) \(dialect.typeName($0.type))" }
        statements.append(SQLStatement(
            "CREATE TABLE IF NOT EXISTS \(dialect.table(RejectedTable.name)) (\(rejected.joined(separator: ", ")))"))
        return statements
    }

    /// Whether the batch was loaded before: one row or none.
    static func loadedQuery(_ dialect: SQLDialect, number: Int64, receivedAt: UTCTimestamp) -> SQLStatement {
        SQLStatement("SELECT batch_number FROM \(dialect.bookkeeping("loads")) WHERE schema_name = \(dialect.placeholder(1, .string)) "
                         + "AND batch_number = \(dialect.placeholder(2, .integer)) AND received_at = \(dialect.placeholder(3, .dateTime))",
                     [.text(dialect.schema), .integer(number), .timestamp(receivedAt.destinationText)])
    }

    /// The active version of a table: one row or none.
    static func activeVersionQuery(_ dialect: SQLDialect, table: String) -> SQLStatement {
        SQLStatement("SELECT active_version FROM \(dialect.bookkeeping("table_versions")) "
                         + "WHERE schema_name = \(dialect.placeholder(1, .string)) AND table_name = \(dialect.placeholder(2, .string))",
                     [.text(dialect.schema), .text(table)])
    }

    var steps: [LoadStep] {
        var steps: [LoadStep] = []
        for table in plan.tables { steps += ddl(for: table).map(LoadStep.statement) }
        steps += plan.isAppendOnly ? appendRows() : upsertRows()
        if let version = plan.activatedVersion { steps += activate(version).map(LoadStep.statement) }
        if !plan.rejects.isEmpty {
            steps.append(.insertRows(table: RejectedTable.name, columns: RejectedTable.layout.columns, rows: CellRows(plan.rejects.map {
                [.timestamp(plan.batchedAt.destinationText), .text($0.tableName), .text($0.reason), .text($0.record)]
            }, width: RejectedTable.layout.columns.count)))
        }
        steps.append(.statement(SQLStatement(
            "INSERT INTO \(dialect.bookkeeping("loads")) (schema_name, batch_number, received_at, table_name, loaded_at) VALUES ("
                + [dialect.placeholder(1, .string), dialect.placeholder(2, .integer), dialect.placeholder(3, .dateTime),
                   dialect.placeholder(4, .string), dialect.placeholder(5, .dateTime)].joined(separator: ", ") + ")",
            [.text(dialect.schema), .integer(plan.batchNumber), .timestamp(plan.receivedAt.destinationText), .text(plan.tableName),
             .timestamp(plan.batchedAt.destinationText)])))
        return steps
    }

    // MARK: Table shapes

    private func ddl(for table: TablePlan) -> [SQLStatement] {
        let name = dialect.table(table.name)
        if table.isNew {
            let keys = Set(table.keyColumns)
            let columns = table.columns.map { column in
                "\(column.name.quotedIdentifier) \(dialect.typeName(column.type))" + (keys.contains(column.name) ? " NOT NULL" : "")
            }
            // PostgreSQL names the constraint `<table>_pkey` itself (spec §4.8), truncating long names as it does.
            let key = table.keyColumns.map(\.quotedIdentifier).joined(separator: ", ")
            return [SQLStatement("CREATE TABLE \(name) (\(columns.joined(separator: ", ")), PRIMARY KEY (\(key)))")]
        }
        return table.renames.map {
            SQLStatement("ALTER TABLE \(name) RENAME COLUMN \($0.from.quotedIdentifier) TO \($0.to.quotedIdentifier)")
        } + table.addedColumns.map {
            SQLStatement("ALTER TABLE \(name) ADD COLUMN \($0.name.quotedIdentifier) \(dialect.typeName($0.type))")
        }
    }

    // MARK: Rows

    /// Keyless tables: every record is a new row. A replay never gets here (the bookkeeping
    /// check sees it first); were it to, the deterministic keys would make it fail, not duplicate.
    private func appendRows() -> [LoadStep] {
        plan.tables.filter { !$0.cellRows.isEmpty }.map { .insertRows(table: $0.name, columns: $0.columns, rows: $0.cellRows) }
    }

    /// Keyed tables: a record replaces the row with its key only if its sequence is higher, or
    /// equal and received later [?] (§3.8 leaves ties undefined; a replay ties on both and so
    /// changes nothing). A replaced row's child rows go with it, in every child table.
    ///
    /// The batch's rows are staged in temporary tables, the winning keys are picked by one join
    /// against the table, and only then are rows deleted, upserted and inserted: set-based, so a
    /// 20,000-record batch costs a handful of statements on either destination.
    private func upsertRows() -> [LoadStep] {
        guard let root = plan.tables.first(where: { $0.depth == 0 }), !root.cellRows.isEmpty else { return [] }
        if plan.childTables.isEmpty { return conditionalUpsert(root) }
        var statements: [LoadStep] = []
        let keys = root.keyColumns.map(\.quotedIdentifier)
        let stage = Self.stagePrefix + "0"
        statements += stageRows(of: root, in: stage)

        let sequence = SystemColumns.sequence.quotedIdentifier, received = SystemColumns.receivedAt.quotedIdentifier
        let joined = keys.map { "r.\($0) = s.\($0)" }.joined(separator: " AND ")
        statements.append(.statement(SQLStatement("""
            CREATE TEMP TABLE \(Self.winnersTable.quotedIdentifier) AS SELECT \(keys.map { "s.\($0)" }.joined(separator: ", ")) \
            FROM \(stage.quotedIdentifier) AS s LEFT JOIN \(dialect.table(root.name)) AS r ON \(joined) \
            WHERE r.\(keys[0]) IS NULL OR s.\(sequence) > r.\(sequence) \
            OR (s.\(sequence) = r.\(sequence) AND s.\(received) > r.\(received))
            """)))
        let winners = "(SELECT \(keys.joined(separator: ", ")) FROM \(Self.winnersTable.quotedIdentifier))"

        let sourceKeys = root.keyColumns.map { SystemColumns.sourceKey($0).quotedIdentifier }.joined(separator: ", ")
        for child in plan.childTables {
            statements.append(.statement(SQLStatement("DELETE FROM \(dialect.table(child)) WHERE (\(sourceKeys)) IN \(winners)")))
        }

        let columns = root.columns.map(\.name.quotedIdentifier).joined(separator: ", ")
        let keySet = Set(root.keyColumns)
        let updates = root.columns.filter { !keySet.contains($0.name) }
            .map { "\($0.name.quotedIdentifier) = excluded.\($0.name.quotedIdentifier)" }
        // Every non-key column is replaced, so a field the newer record lacks becomes NULL.
        statements.append(.statement(SQLStatement("""
            INSERT INTO \(dialect.table(root.name)) (\(columns)) SELECT \(columns) FROM \(stage.quotedIdentifier) \
            WHERE (\(keys.joined(separator: ", "))) IN \(winners) ORDER BY \(Self.ordinalColumn.quotedIdentifier) \
            ON CONFLICT (\(keys.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))
            """)))

        var temporary = [stage]
        for (index, child) in plan.tables.enumerated() where child.depth > 0 && !child.cellRows.isEmpty {
            let childStage = Self.stagePrefix + String(index)
            temporary.append(childStage)
            statements += stageRows(of: child, in: childStage)
            let childColumns = child.columns.map(\.name.quotedIdentifier).joined(separator: ", ")
            statements.append(.statement(SQLStatement("""
                INSERT INTO \(dialect.table(child.name)) (\(childColumns)) SELECT \(childColumns) FROM \(childStage.quotedIdentifier) \
                WHERE (\(sourceKeys)) IN \(winners) ORDER BY \(Self.ordinalColumn.quotedIdentifier)
                """)))
        }
        for table in temporary + [Self.winnersTable] {
            statements.append(.statement(SQLStatement("DROP TABLE \(table.quotedIdentifier)")))
        }
        return statements
    }

    /// A keyed table without child tables: no rows elsewhere depend on which records win, so the
    /// sequence rule goes into the upsert itself (`DO UPDATE … WHERE`) and the winners need not
    /// be picked first. The planner left one row per key, so this decides exactly as the join
    /// does. SQLite upserts each row straight from the prepared statement, with no stage table;
    /// PostgreSQL stages with `COPY` and upserts from the stage in one statement.
    private func conditionalUpsert(_ root: TablePlan) -> [LoadStep] {
        let keys = root.keyColumns.map(\.quotedIdentifier).joined(separator: ", ")
        let sequence = SystemColumns.sequence.quotedIdentifier, received = SystemColumns.receivedAt.quotedIdentifier
        let keySet = Set(root.keyColumns)
        let updates = root.columns.filter { !keySet.contains($0.name) }
            .map { "\($0.name.quotedIdentifier) = excluded.\($0.name.quotedIdentifier)" }
        // Every non-key column is replaced, so a field the newer record lacks becomes NULL.
        let clause = "ON CONFLICT (\(keys)) DO UPDATE SET \(updates.joined(separator: ", ")) "
            + "WHERE excluded.\(sequence) > r.\(sequence) "
            + "OR (excluded.\(sequence) = r.\(sequence) AND excluded.\(received) > r.\(received))"
        switch dialect.engine {
        case .sqlite:
            return [.insertRows(table: root.name, columns: root.columns, rows: root.cellRows, upsert: UpsertClause(sql: clause))]
        case .postgres:
            let stage = Self.stagePrefix + "0"
            let columns = root.columns.map(\.name.quotedIdentifier).joined(separator: ", ")
            return stageRows(of: root, in: stage) + [
                .statement(SQLStatement(
                    "INSERT INTO \(dialect.table(root.name)) AS r (\(columns)) SELECT \(columns) FROM \(stage.quotedIdentifier) "
                        + "ORDER BY \(Self.ordinalColumn.quotedIdentifier) \(clause)")),
                .statement(SQLStatement("DROP TABLE \(stage.quotedIdentifier)")),
            ]
        }
    }

    private func stageRows(of table: TablePlan, in stage: String) -> [LoadStep] {
        let ordinal = TableLayout.Column(name: Self.ordinalColumn, type: .integer)
        let columns = (table.columns + [ordinal]).map { "\($0.name.quotedIdentifier) \(dialect.typeName($0.type))" }
        return [.statement(SQLStatement("CREATE TEMP TABLE \(stage.quotedIdentifier) (\(columns.joined(separator: ", ")))")),
                .insertRows(table: stage, columns: table.columns + [ordinal], rows: table.cellRows, isNumbered: true)]
    }

    /// `table_version` + `activate_version`: rows of older versions leave the table and its
    /// child tables (the "TRUNCATE" `_sdc_table_version` refers to, spec §4.8).
    private func activate(_ version: Int64) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        if plan.tableExists {
            for table in [plan.tableName] + plan.childTables {
                statements.append(SQLStatement(
                    "DELETE FROM \(dialect.table(table)) WHERE \(SystemColumns.tableVersion.quotedIdentifier) < \(dialect.placeholder(1, .integer))",
                    [.integer(version)]))
            }
        }
        statements.append(SQLStatement(
            "INSERT INTO \(dialect.bookkeeping("table_versions")) (schema_name, table_name, active_version) VALUES ("
                + "\(dialect.placeholder(1, .string)), \(dialect.placeholder(2, .string)), \(dialect.placeholder(3, .integer))) "
                + "ON CONFLICT (schema_name, table_name) DO UPDATE SET active_version = excluded.active_version",
            [.text(dialect.schema), .text(plan.tableName), .integer(version)]))
        return statements
    }
}
