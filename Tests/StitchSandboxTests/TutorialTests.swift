import Foundation
import StitchAPI
import StitchSandbox
import Testing

/// The Connect tutorial, run as written against a sandbox: its own curl commands, with only
/// the base URL, the tokens and the source id swapped in.
@Suite("Import API tutorial, verbatim")
struct TutorialTests {
    @Test("The tutorial has the five curl commands this test relies on")
    func extractsCommands() throws {
        let commands = try TutorialScript.load().commands
        #expect(commands.map(\.method) == ["GET", "POST", "POST", "POST", "POST"])
        #expect(commands.map(\.url) == [
            "https://api.stitchdata.com/v4/source-types/import_api",
            "https://api.stitchdata.com/v4/sources",
            "https://api.stitchdata.com/v4/sources/126890/tokens",
            "https://api.stitchdata.com/v2/import/batch",
            "https://api.stitchdata.com/v2/import/batch",
        ])
        #expect(commands.map(\.hasBody) == [false, true, false, false, true])
        // The doc's one slip: the create body's closing quote is missing.
        #expect(commands.map(\.closedUnterminatedQuote) == [false, true, false, false, false])
    }

    @Test("Every reply matches the tutorial's, and Finn lands in import_api.customers",
          .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
    func runsTutorial() async throws {
        let script = try TutorialScript.load()
        let commands = script.commands
        try #require(commands.count == 5)
        try await withSandbox { sandbox in
            var sourceID = ""
            var importToken = ""
            func run(_ command: TutorialScript.Command) async throws -> CurlReply {
                let isImportAPI = command.url.contains("/v2/")
                let arguments = command.arguments.map { word in
                    word.replacingOccurrences(of: "https://api.stitchdata.com", with: sandbox.baseURL)
                        .replacingOccurrences(of: "/sources/126890/", with: "/sources/\(sourceID)/")
                        .replacingOccurrences(of: "[ACCESS_TOKEN]", with: isImportAPI ? importToken : sandbox.connectToken)
                }
                return try await curl(arguments)
            }

            // Step 1: the report card.
            let card = try await run(commands[0])
            #expect(card.status == 200)
            #expect(card.contentType == "application/json")
            try expectSameShape(card.json, script.reply(titled: "GET /v4/source-types/{source_type}"))

            // Step 2: create the source.
            let created = try await run(commands[1])
            #expect(created.status == 200)
            let source = try #require(created.json)
            try expectSameShape(source, script.reply(titled: "POST /v4/sources"),
                                volatile: ["id", "stitch_client_id", "created_at", "updated_at"])
            guard case .integer(let id)? = source["id"] else { throw TestFailure("no id in \(created.body)") }
            sourceID = String(id)
            for key in ["created_at", "updated_at"] {
                let value = try #require(source[key]?.stringValue)
                #expect(value.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(key) = \(value)")
            }

            // Step 3: the access token.
            let token = try await run(commands[2])
            #expect(token.status == 200)
            let tokenJSON = try #require(token.json)
            try expectSameShape(tokenJSON, script.reply(titled: "POST /v4/sources/{source_id}/tokens"),
                                volatile: ["id", "access_token"])
            importToken = try #require(tokenJSON["access_token"]?.stringValue)
            #expect(importToken.wholeMatch(of: /at_[0-9a-f]{40}/) != nil)

            // Step 4.2 only shows the headers; sent as is, it has no body, which is malformed JSON.
            let headersOnly = try await run(commands[3])
            #expect(headersOnly.status == 400)
            #expect(headersOnly.json?["error"]?.stringValue?.isEmpty == false)

            // Step 4.3: push Finn.
            let pushed = try await run(commands[4])
            #expect(pushed.status == 201)
            #expect(pushed.contentType == "application/json")
            try expectSameShape(pushed.json, script.reply(titled: "(201 status)"))

            // Step 5: verify the data in the destination.
            #expect(await sandbox.waitUntilLoaded(timeout: .seconds(30)))
            let path = sandbox.dataDirectory + "/destination/import_api.sqlite"
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(customerRow(id: "1", dataDirectory: sandbox.dataDirectory) == ["1", "Finn", "15", "false"])
        }
    }
}

/// Same keys in the same order, same values, except `volatile` keys, whose values need only
/// have the same JSON type.
func expectSameShape(_ actual: JSONValue?, _ expected: JSONValue, volatile: Set<String> = [],
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    let actual = try #require(actual, sourceLocation: sourceLocation)
    var differences: [String] = []
    compare(actual, expected, path: "$", volatile: volatile, into: &differences)
    #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))", sourceLocation: sourceLocation)
}

private func compare(_ actual: JSONValue, _ expected: JSONValue, path: String, volatile: Set<String>,
                     into differences: inout [String]) {
    switch (actual, expected) {
    case (.object(let a), .object(let e)):
        if a.keys != e.keys { differences.append("\(path): keys \(a.keys) != \(e.keys)") }
        for key in e.keys {
            guard let actualValue = a[key], let expectedValue = e[key] else { continue }
            if volatile.contains(key) {
                if actualValue.schemaTypeName != expectedValue.schemaTypeName {
                    differences.append("\(path).\(key): \(actualValue.jsonText) is not a \(expectedValue.schemaTypeName)")
                }
            } else {
                compare(actualValue, expectedValue, path: path + "." + key, volatile: volatile, into: &differences)
            }
        }
    case (.array(let a), .array(let e)):
        if a.count != e.count { differences.append("\(path): \(a.count) elements != \(e.count)") }
        for (index, pair) in zip(a, e).enumerated() {
            compare(pair.0, pair.1, path: path + "[\(index)]", volatile: volatile, into: &differences)
        }
    default:
        if actual != expected { differences.append("\(path): \(actual.jsonText) != \(expected.jsonText)") }
    }
}
