import WizardCore

/// Reads the in-process sandbox's destination for the record editor's destination view: the
/// schema's tables with their row counts, and pages of a table's rows. Given to `EffectRunner`
/// by the executable, which alone knows where the sandbox keeps its data.
public struct DestinationBrowser: Sendable {
    public var tables: @Sendable (_ schema: String) async throws -> [DestinationTableInfo]
    public var page: @Sendable (_ schema: String, _ table: String, _ offset: Int, _ limit: Int) async throws -> DestinationPage

    public init(tables: @escaping @Sendable (_ schema: String) async throws -> [DestinationTableInfo],
                page: @escaping @Sendable (_ schema: String, _ table: String, _ offset: Int, _ limit: Int) async throws
                    -> DestinationPage) {
        self.tables = tables
        self.page = page
    }
}
