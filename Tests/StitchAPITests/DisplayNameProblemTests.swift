import StitchAPI
import Testing

/// Issue 15: a display name that gives no valid schema name is told what it would become and why.
@Suite struct DisplayNameProblemTests {
    @Test func nonLatinLettersAreLettersButNoneIsKept() throws {
        let problem = try #require(SourceName.problem(withDisplayName: "日本語ソース"))
        #expect(problem.schemaName == "")
        #expect(problem.problem == .empty)
        #expect(problem.description.contains("would be empty"))
        #expect(problem.description.contains("“日本語ソース”"))
        #expect(!problem.description.contains("needs at least one letter"))
    }

    @Test func theDerivedNameIsNamed() throws {
        let digit = try #require(SourceName.problem(withDisplayName: "2024 Orders"))
        #expect(digit.problem == .badFirstCharacter)
        #expect(digit.description.contains("“2024_orders”"))
        let long = try #require(SourceName.problem(withDisplayName: String(repeating: "ab ", count: 20)))
        #expect(long.problem == .tooLong(59))
        #expect(long.description.contains("59 characters"))
    }

    @Test func aUsableDisplayNameHasNoProblem() {
        #expect(SourceName.problem(withDisplayName: "Import API") == nil)
        #expect(SourceName.problem(withDisplayName: "Café Sales") == nil)
    }
}
