import Testing
import WizardCore
@testable import WizardRuntime

/// The destination view's effects reach the browser the executable gives the runner, and come
/// back as its replies; without one (not the in-process sandbox) they fail with a reason.
struct DestinationBrowserEffectTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "No table orders in schema import_api" }
    }

    static let browser = DestinationBrowser(
        tables: { schema in [DestinationTableInfo(name: "customers", rowCount: schema.count)] },
        page: { schema, table, offset, limit in
            guard table == "customers" else { throw Refused() }
            return DestinationPage(schema: schema, table: table, columns: ["id"], columnTypes: ["integer"],
                                   rows: (offset..<(offset + limit)).map { [String($0)] }, offset: offset, totalCount: 1_000)
        })

    @Test func tablesAndPagesComeBackAsReplies() async {
        let runner = EffectRunner(destinationBrowser: Self.browser)
        #expect(await runner.run(.listDestinationTables(schema: "import_api"))
                == .reply(.destinationTables(schema: "import_api", [DestinationTableInfo(name: "customers", rowCount: 10)])))
        guard case .reply(.destinationPage(let page)) = await runner.run(
            .loadDestinationPage(schema: "import_api", table: "customers", offset: 40, limit: 3)) else {
            Issue.record("expected a page"); return
        }
        #expect(page.rows == [["40"], ["41"], ["42"]] && page.offset == 40 && page.totalCount == 1_000)
        #expect(await runner.run(.loadDestinationPage(schema: "import_api", table: "orders", offset: 0, limit: 3))
                == .reply(.failed(.loadDestinationPage, WizardFailure(message: "No table orders in schema import_api"))))
    }

    @Test func withoutTheInProcessSandboxTheyFail() async {
        let runner = EffectRunner()
        guard case .reply(.failed(.listDestinationTables, let failure)) = await runner.run(.listDestinationTables(schema: "x")) else {
            Issue.record("expected a failure"); return
        }
        #expect(failure.message.contains("--sandbox"))
        guard case .reply(.failed(.loadDestinationPage, _)) = await runner.run(
            .loadDestinationPage(schema: "x", table: "t", offset: 0, limit: 1)) else {
            Issue.record("expected a failure"); return
        }
    }
}
