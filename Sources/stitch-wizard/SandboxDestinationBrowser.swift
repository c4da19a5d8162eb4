import StitchDestination
import WizardCore
import WizardRuntime

extension DestinationBrowser {
    /// The in-process sandbox's SQLite destination under `dataDirectory`, read in load order (the
    /// rowid: pages neither overlap nor skip while the loader appends).
    static func sandbox(dataDirectory: String) -> DestinationBrowser {
        DestinationBrowser(
            tables: { schema in
                try DestinationReader.tableSummaries(schema: schema, dataDirectory: dataDirectory)
                    .map { DestinationTableInfo(name: $0.name, rowCount: $0.rowCount) }
            },
            page: { schema, table, offset, limit in
                let page = try DestinationReader.page(schema: schema, table: table, offset: offset, limit: limit,
                                                      dataDirectory: dataDirectory)
                return DestinationPage(schema: schema, table: table, columns: page.columns,
                                       columnTypes: page.columnTypes.map(\.rawValue),
                                       rows: page.rows.map { $0.map(\.pageText) }, offset: page.offset,
                                       totalCount: page.totalCount)
            })
    }
}

extension CellValue {
    /// NULL stays nil, so the view can tell it from the text "NULL".
    var pageText: String? {
        if case .null = self { return nil }
        return displayText
    }
}
