import Foundation
import StitchAPI
import Testing

@Suite struct SourceEncodingTests {
    @Test func roundTripKeepsExplicitNulls() throws {
        let original = try Fixture.json("tutorial/create-source-reply.json")
        let source = try Fixture.decode(Source.self, "tutorial/create-source-reply.json")
        let encoded = try JSONParser.parse(JSONEncoder().encode(source))
        let object = try #require(encoded.objectValue)
        for key in ["schedule", "paused_at", "system_paused_at", "deleted_at"] {
            #expect(object[key] == .null, "\(key) must be an explicit null")
        }
        #expect(object["check_job_name"] == nil, "absent fields stay absent")
        #expect(encoded == original)
        #expect(try JSONDecoder().decode(Source.self, from: JSONEncoder().encode(source)) == source)
    }

    @Test func pausedSourceKeepsItsTimestampAndIsInactive() throws {
        var source = try Fixture.decode(Source.self, "tutorial/create-source-reply.json")
        source.pausedAt = "2020-02-01T00:00:00Z"
        #expect(!source.isActive)
        let encoded = try JSONParser.parse(JSONEncoder().encode(source))
        #expect(encoded["paused_at"] == "2020-02-01T00:00:00Z")
    }
}

@Suite struct TokenListTests {
    @Test func decodesTheOlderIntegerArrayShape() throws {
        let list = try Fixture.decode(TokenList.self, "tokens/token-ids.json")
        #expect(list.tokens == [TokenSummary(tokenID: 815713587)])
        #expect(list.tokens.first?.createdAt == nil)
    }

    @Test func decodesTheCurrentObjectShapeInOrder() throws {
        let list = try Fixture.decode(TokenList.self, "tokens/token-objects.json")
        #expect(list.tokens.map(\.tokenID) == [828705046, 815713587])
        #expect(list.tokens.first?.createdAt == "2021-08-12T15:22:12Z")
    }

    @Test func encodesTheObjectShape() throws {
        let list = TokenList(tokens: [TokenSummary(tokenID: 7, createdAt: "2021-08-12T15:22:12Z")])
        let json = try JSONParser.parse(JSONEncoder().encode(list))
        #expect(json == [["token_id": 7, "created_at": "2021-08-12T15:22:12Z"]])
        #expect(try JSONDecoder().decode(TokenList.self, from: JSONEncoder().encode(list)) == list)
    }

    @Test func emptyListAndBadShapes() throws {
        #expect(try JSONDecoder().decode(TokenList.self, from: Data("[]".utf8)).tokens.isEmpty)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TokenList.self, from: Data(#"{"tokens":[]}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TokenList.self, from: Data(#"["x"]"#.utf8)) }
    }
}

@Suite struct AccessTokenRedactionTests {
    @Test func noTextualFormShowsTheValue() throws {
        let token = ImportAccessToken(id: 5, accessToken: "at_fake_0123456789")
        #expect("\(token)" == "ImportAccessToken(id: 5, access_token: <redacted>)")
        #expect(!String(reflecting: token).contains("at_fake"))
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("at_fake"))
        #expect(!"\([token])".contains("at_fake"))
    }
}

@Suite struct ImportStatusTests {
    @Test func currentAndOlderShapes() throws {
        let current = try Fixture.decode(ImportAPIStatus.self, "import/status-current.json")
        #expect(current == ImportAPIStatus(version: "0.3.3-SNAPSHOT", revision: "9f2c1e0d4b7a"))
        let old = try Fixture.decode(ImportAPIStatus.self, "import/status-old.json")
        #expect(old.name == "pipeline.gate")
        #expect(old.status == "OK")
        #expect(old.version == nil && old.reason == nil)
    }

    @Test func encodesExplicitNulls() throws {
        let json = try JSONParser.parse(JSONEncoder().encode(ImportAPIStatus()))
        #expect(json["reason"] == .null)
        #expect(json["name"] == "pipeline.gate")
    }
}

@Suite struct UpdateSourceRequestTests {
    @Test func pauseAndUnpauseBodies() {
        #expect(UpdateSourceRequest.pause(at: "2020-01-02T15:49:27Z").json.jsonText == #"{"paused_at":"2020-01-02T15:49:27Z"}"#)
        #expect(UpdateSourceRequest.unpause.json.jsonText == #"{"paused_at":null}"#)
        #expect(UpdateSourceRequest().json.jsonText == "{}")
    }

    @Test func renameAndPropertiesOnlySendWhatIsSet() {
        let body = UpdateSourceRequest(displayName: "New name", properties: ["b": "2", "a": "1"])
        #expect(body.json.jsonText == #"{"display_name":"New name","properties":{"a":"1","b":"2"}}"#)
    }
}
