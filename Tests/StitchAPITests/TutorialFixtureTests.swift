import Foundation
import StitchAPI
import Testing

/// The JSON examples of the Import API + Connect tutorial, copied verbatim into Fixtures/tutorial.
@Suite struct TutorialFixtureTests {
    @Test func reportCardOfImportAPISourceType() throws {
        let card = try Fixture.decode(ReportCard.self, "tutorial/report-card.json")
        #expect(card.type == "import_api")
        #expect(card.currentStep == 1)
        #expect(card.currentStepType == .form)
        #expect(card.steps.map(\.type) == [.form, .fullyConfigured])
        #expect(card.steps.allSatisfy { $0.properties.isEmpty })
        #expect(card.current?.type == .form)
        let details = try #require(card.details)
        #expect(details.pricingTier == "standard")
        #expect(details.pipelineState == "released")
        #expect(details.defaultStartDate == "-1 year")
        #expect(details.defaultSchedulingInterval == 60)
        #expect(details.protocol == "import_api")
        #expect(details.access == true)
        #expect(details.imageVersion == nil)
    }

    @Test func createSourceRequestMatchesTheModel() throws {
        let decoded = try Fixture.decode(CreateSourceRequest.self, "tutorial/create-source-request.json")
        #expect(decoded == CreateSourceRequest(type: "import_api", displayName: "Import API"))
        #expect(decoded.properties == nil)

        // What the client sends must equal the tutorial's body, with no extra keys such as "properties": null.
        let encoded = try JSONParser.parse(JSONEncoder().encode(decoded))
        #expect(encoded == (try Fixture.json("tutorial/create-source-request.json")))
        #expect(encoded.objectValue?.keys.sorted() == ["display_name", "type"])
    }

    @Test func createSourceReplyIsAFullyConfiguredSource() throws {
        let source = try Fixture.decode(Source.self, "tutorial/create-source-reply.json")
        #expect(source.id == 126890)
        #expect(source.type == "import_api")
        #expect(source.name == "import_api")
        #expect(source.displayName == "Import API")
        #expect(source.stitchClientID == 116078)
        #expect(source.properties.isEmpty)
        #expect(source.schedule == nil)
        #expect(source.createdAt == "2020-01-02T15:49:27Z")
        #expect(source.updatedAt == "2020-01-02T15:49:27Z")
        #expect(source.pausedAt == nil)
        #expect(source.systemPausedAt == nil)
        #expect(source.deletedAt == nil)
        #expect(source.checkJobName == nil)
        #expect(source.isActive)
        #expect(source.reportCard.currentStep == 2)
        #expect(source.reportCard.effectiveStepType == .fullyConfigured)
        #expect(source.reportCard.current?.type == .fullyConfigured)
        #expect(source.reportCard.details == nil)
        #expect(SourceName.derive(fromDisplayName: try #require(source.displayName)) == source.name)
    }

    @Test func tokenReplyDecodesAndHidesTheValue() throws {
        let token = try Fixture.decode(ImportAccessToken.self, "tutorial/token-reply.json")
        #expect(token.id == 828792559)
        #expect(token.accessToken == "<IMPORT_API_ACCESS_TOKEN>")
        #expect(!"\(token)".contains(token.accessToken))
        #expect(!String(reflecting: token).contains(token.accessToken))
    }

    @Test func batchRequestKeepsOrderAndValues() throws {
        let json = try Fixture.json("tutorial/batch-request.json")
        let request = try BatchRequest(json: json)
        #expect(request.tableName == "customers")
        #expect(request.keyNames == ["id"])
        #expect(request.tableVersion == nil)
        #expect(request.schema["properties"]?.objectValue?.keys == ["id", "name", "age", "has_magic"])
        #expect(request.schema["properties"]?["age"]?["type"] == "integer")
        #expect(request.messages.count == 1)
        let message = try #require(request.messages.first)
        #expect(message.action == .upsert)
        #expect(message.sequence == 1565880017)
        let data = try #require(message.data)
        #expect(data.keys == ["id", "name", "age", "has_magic"])
        #expect(data["id"] == .integer(1))
        #expect(data["name"] == "Finn")
        #expect(data["age"] == .integer(15))
        #expect(data["has_magic"] == false)
        // Re-serialising gives the same document, keys in the tutorial's order.
        #expect(try JSONParser.parse(request.json.jsonText) == json)
        #expect(request.json.objectValue?.keys == ["table_name", "schema", "messages", "key_names"])
    }

    @Test func batchRepliesAreTheDocumentedStatuses() throws {
        #expect(try Fixture.decode(BatchStatus.self, "tutorial/batch-reply-201.json") == .accepted)
        #expect(try Fixture.decode(BatchStatus.self, "tutorial/batch-reply-202.json") == .queued)
        #expect(BatchStatus.accepted == BatchStatus(status: "OK", message: "Batch Accepted!"))
        #expect(BatchStatus.queued == BatchStatus(status: "Accepted", message: "The batch is queued to be processed."))
    }
}
