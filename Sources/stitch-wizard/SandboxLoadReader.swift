import StitchDestination
import WizardCore
import WizardRuntime

/// With `--sandbox`, the record editor's history reads what each load left in the destination:
/// the table's rows and the batch's records in `_sdc_rejected` (StitchDestination speaks the SQL).
enum SandboxLoadReader {
    static func reader(dataDirectory: String) -> EffectRunner.LoadReader {
        { schema, table, since in
            let found = try DestinationReader.loadReadback(
                schema: schema, table: table,
                since: UTCTimestamp(secondsSinceEpoch: since / 1_000, microseconds: since % 1_000 * 1_000),
                dataDirectory: dataDirectory)
            return LoadReadback(id: 0, table: table, rowCount: found.rowCount, rejectedCount: found.rejectedCount,
                                rejected: found.rejected.map { LoadReject(reason: $0.reason, record: $0.record) })
        }
    }
}
