import Foundation
import StitchAPI
import StitchSandbox
import Testing

@Suite("Connect API: sources", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ConnectSourcesTests {
    @Test("A partly filled form stays at step 1, marks what was provided, and keeps values as strings")
    func partialForm() async throws {
        try await withConnectSandbox { sandbox in
            let source = try await createSource(sandbox, """
                {"type":"platform.postgres","display_name":"Shop DB",\
                "properties":{"host":"db.example.com","port":"5432","password":"\(fakePassword)"}}
                """)
            #expect(source["name"] == "shop_db")
            #expect(source["display_name"] == "Shop DB")
            #expect(source["report_card"]?["current_step"] == 1)
            #expect(source.stepType == "form")
            #expect(source["report_card"]?["details"] == nil)
            #expect(source["properties"] == [
                "host": "db.example.com", "image_version": "0.latest", "port": "5432", "product": "pipeline",
            ])
            let form = try #require(source["report_card"]?["steps"]?[0]?["properties"]?.arrayValue)
            let provided = Set(form.filter { $0["provided"] == true }.compactMap { $0["name"]?.stringValue })
            #expect(provided == ["host", "port", "password", "image_version"])
            #expect(source["check_job_name"] == nil)
        }
    }

    @Test("A complete form moves to discover_schema, then on to field_selection by itself")
    func discoveryAdvances() async throws {
        try await withConnectSandbox(discoveryDelay: .milliseconds(300)) { sandbox in
            let source = try await createSource(sandbox, #"{"type":"platform.postgres","display_name":"Shop","properties":\#(postgresProperties)}"#)
            #expect(source.stepType == "discover_schema")
            #expect(source["report_card"]?["current_step"] == 2)
            let id = try #require(source["id"]?.intValue)
            #expect(source["check_job_name"]?.stringValue?.hasPrefix("\(source["stitch_client_id"]?.intValue ?? 0).\(id).check.") == true)
            let later = try await waitForStep(sandbox, source: id, "field_selection")
            #expect(later.stepType == "field_selection")
            #expect(later["report_card"]?["current_step"] == 3)
        }
    }

    @Test("Discovery waits for the configured delay")
    func discoveryWaits() async throws {
        try await withConnectSandbox(discoveryDelay: .seconds(600)) { sandbox in
            let source = try await createSource(sandbox, #"{"type":"platform.postgres","display_name":"Shop","properties":\#(postgresProperties)}"#)
            let id = try #require(source["id"]?.intValue)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(id)").json?.stepType == "discover_schema")
        }
    }

    @Test("Properties that break their json_schema are named in bad_properties, with the report card", arguments: [
        (#"{"port":"abc"}"#, ["port"]),
        (#"{"port":"5432.5"}"#, ["port"]),
        (#"{"host":""}"#, ["host"]),
        (#"{"password":""}"#, ["password"]),
        (#"{"ssl":"yes"}"#, ["ssl"]),
        (#"{"frequency_in_minutes":"45"}"#, ["frequency_in_minutes"]),
        (#"{"anchor_time":"yesterday"}"#, ["anchor_time"]),
        (#"{"image_version":"9.latest"}"#, ["image_version"]),
        (#"{"no_such_field":"x"}"#, ["no_such_field"]),
        (#"{"ssl":"maybe","port":"x","host":"ok.example.com"}"#, ["port", "ssl"]),
    ])
    func invalidProperties(properties: String, bad: [String]) async throws {
        try await withConnectSandbox { sandbox in
            let reply = try await connect(sandbox, "POST", "/v4/sources",
                                          #"{"type":"platform.postgres","display_name":"PG","properties":\#(properties)}"#)
            #expect(reply.status == 400)
            let json = try #require(reply.json)
            #expect(json["error"] == "InvalidProperties")
            #expect(json["data"]?["message"] == "properties do not match schema")
            #expect(json["data"]?["bad_properties"] == .array(bad.map(JSONValue.string)))
            #expect(json["data"]?["report_card"]?["type"] == "platform.postgres")
            #expect(json["data"]?["report_card"]?["current_step_type"] == "form")
            // Nothing was created.
            #expect(try await connect(sandbox, "GET", "/v4/sources").json == [])
        }
    }

    @Test("Values are strings even where the schema says integer; a good value of each kind is accepted")
    func validValues() async throws {
        try await withConnectSandbox { sandbox in
            let source = try await createSource(sandbox, """
                {"type":"platform.postgres","display_name":"PG","properties":{"port":"5432","ssl":"true",\
                "frequency_in_minutes":"60","anchor_time":"2024-01-01T00:00:00Z","itersize":"20000",\
                "cron_expression":"0 0 12 * * ?"}}
                """)
            #expect(source["properties"]?["port"] == "5432")
            #expect(source["properties"]?["ssl"] == "true")
            #expect(source["properties"]?["cron_expression"] == "0 0 12 * * ?")
        }
    }

    @Test("A cron expression with both day-of-month and day-of-week is InvalidCronExpression")
    func cronExpression() async throws {
        try await withConnectSandbox { sandbox in
            let reply = try await connect(sandbox, "POST", "/v4/sources",
                                          #"{"type":"platform.hubspot","display_name":"HS","properties":{"cron_expression":"0 0 12 1 * MON"}}"#)
            #expect(reply.status == 400)
            #expect(reply.json?["error"] == "InvalidCronExpression")
            #expect(reply.json?["data"]?["message"]?.stringValue?.hasPrefix(#"cron_expression "0 0 12 1 * MON" is invalid: "#) == true)
        }
    }

    @Test("Credential values are never returned nor stored, by any endpoint")
    func credentialsNeverReturned() async throws {
        let directory = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withConnectSandbox(dataDirectory: directory) { sandbox in
            let source = try await createSource(sandbox, #"{"type":"platform.postgres","display_name":"PG","properties":\#(postgresProperties)}"#)
            let id = try #require(source["id"]?.intValue)
            #expect(source["properties"]?["password"] == nil)
            let replies = [
                try await connect(sandbox, "POST", "/v4/sources",
                                  #"{"type":"platform.closeio","display_name":"Close","properties":{"api_key":"fake-key-456"}}"#),
                try await connect(sandbox, "GET", "/v4/sources/\(id)"),
                try await connect(sandbox, "GET", "/v4/sources"),
                try await connect(sandbox, "PUT", "/v4/sources/\(id)", #"{"properties":{"password":"fake-pw-789"}}"#),
                try await connect(sandbox, "DELETE", "/v4/sources/\(id)"),
            ]
            for reply in replies {
                #expect(reply.status == 200)
                for secret in [fakePassword, "fake-key-456", "fake-pw-789"] { #expect(!reply.body.contains(secret)) }
            }
            let card = try #require(replies[1].json?["report_card"]?["steps"]?[0]?["properties"]?.arrayValue)
            #expect(card.first { $0["name"] == "password" }?["provided"] == true)
        }
        let state = try String(contentsOfFile: directory + "/state.json", encoding: .utf8)
        for secret in [fakePassword, "fake-key-456", "fake-pw-789"] { #expect(!state.contains(secret)) }
    }

    @Test("PUT changes only the properties it lists, and completing the form starts discovery")
    func partialUpdate() async throws {
        try await withConnectSandbox(discoveryDelay: .milliseconds(100)) { sandbox in
            let source = try await createSource(sandbox, """
                {"type":"platform.postgres","display_name":"PG","properties":{"host":"a.example.com","port":"5432"}}
                """)
            let id = try #require(source["id"]?.intValue)
            let first = try await connect(sandbox, "PUT", "/v4/sources/\(id)", #"{"properties":{"user":"me","ssl":"false"}}"#)
            #expect(first.status == 200)
            #expect(first.json?["properties"]?["host"] == "a.example.com")
            #expect(first.json?["properties"]?["user"] == "me")
            #expect(first.json?["properties"]?["ssl"] == "false")
            #expect(first.json?.stepType == "form")
            let bad = try await connect(sandbox, "PUT", "/v4/sources/\(id)", #"{"properties":{"port":"x","dbname":"shop"}}"#)
            #expect(bad.status == 400)
            #expect(bad.json?["data"]?["bad_properties"] == ["port"])
            #expect(bad.json?["data"]?["report_card"]?["current_step_type"] == "form")
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(id)").json?["properties"]?["dbname"] == nil)
            let done = try await connect(sandbox, "PUT", "/v4/sources/\(id)",
                                         #"{"properties":{"password":"\#(fakePassword)","dbname":"shop","host":"b.example.com"}}"#)
            #expect(done.json?.stepType == "discover_schema")
            #expect(done.json?["properties"]?["host"] == "b.example.com")
            #expect(done.json?["properties"]?["port"] == "5432")
            #expect(try await waitForStep(sandbox, source: id, "field_selection").stepType == "field_selection")
        }
    }

    @Test("A SaaS source with OAuth: the form, then the OAuth step, then discovery")
    func oauthStep() async throws {
        try await withConnectSandbox(discoveryDelay: .seconds(600)) { sandbox in
            let source = try await createSource(sandbox, """
                {"type":"platform.hubspot","display_name":"HubSpot","properties":{"start_date":"2024-01-01T00:00:00Z",\
                "frequency_in_minutes":"30"}}
                """)
            #expect(source.stepType == "oauth")
            #expect(source["report_card"]?["current_step"] == 2)
            let id = try #require(source["id"]?.intValue)
            let reply = try await connect(sandbox, "PUT", "/v4/sources/\(id)", """
                {"properties":{"client_id":"fake-client","client_secret":"fake-secret",\
                "redirect_uri":"https://example.com/cb","refresh_token":"fake-refresh"}}
                """)
            #expect(reply.json?.stepType == "discover_schema")
            #expect(reply.json?["properties"] == ["frequency_in_minutes": "30", "image_version": "1.latest",
                                                  "product": "pipeline", "start_date": "2024-01-01T00:00:00Z"])
            #expect(!reply.body.contains("fake-secret"))
            let wrongDate = try await connect(sandbox, "PUT", "/v4/sources/\(id)",
                                              #"{"properties":{"start_date":"2024-01-01"}}"#)
            #expect(wrongDate.json?["data"]?["bad_properties"] == ["start_date"])
        }
    }

    @Test("PUT display_name renames, the schema name stays; bad bodies get the documented codes")
    func rename() async throws {
        try await withConnectSandbox { sandbox in
            let id = try await makeImportSource(sandbox).id
            let renamed = try await connect(sandbox, "PUT", "/v4/sources/\(id)", #"{"display_name":"Other Name"}"#)
            #expect(renamed.status == 200)
            #expect(renamed.json?["display_name"] == "Other Name")
            #expect(renamed.json?["name"] == "import_api")
            for (body, code) in [(#"{"display_name":""}"#, "InvalidDisplayName"),
                                 (#"{"display_name":5}"#, "InvalidDisplayName"),
                                 (#"{"name":"x"}"#, "InvalidBody"),
                                 (#"{"properties":{"a":1}}"#, "InvalidBody"),
                                 (#"{"properties":{"a":"b"}}"#, "InvalidProperties"),
                                 (#"{"paused_at":"soon"}"#, "InvalidBody")] {
                let reply = try await connect(sandbox, "PUT", "/v4/sources/\(id)", body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.json?["error"]?.stringValue == code, "\(body): \(reply.body)")
            }
            #expect(try await connect(sandbox, "GET", "/v4/sources/\(id)").json?["display_name"] == "Other Name")
        }
    }

    @Test("Pause with any timestamp (past or future) echoes it and stops pushes; null unpauses", arguments: [
        "2001-02-03T04:05:06Z", "2999-12-31T23:59:59Z", "2024-06-01T12:00:00.123+02:00",
    ])
    func pauseAndUnpause(timestamp: String) async throws {
        try await withConnectSandbox { sandbox in
            let source = try await makeImportSource(sandbox)
            let paused = try await connect(sandbox, "PUT", "/v4/sources/\(source.id)", #"{"paused_at":"\#(timestamp)"}"#)
            #expect(paused.status == 200)
            #expect(paused.json?["paused_at"] == .string(timestamp))
            let push = try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token,
                                         body: customersBatch)
            #expect(push.status == 401)
            #expect(push.body.contains("Connection is not active."))
            let unpaused = try await connect(sandbox, "PUT", "/v4/sources/\(source.id)", #"{"paused_at":null}"#)
            #expect(unpaused.json?["paused_at"] == .null)
            #expect(try await request("POST", sandbox.baseURL + "/v2/import/batch", token: source.token,
                                      body: customersBatch).status == 201)
        }
    }

    @Test("The list holds active, paused and deleted sources")
    func listAll() async throws {
        try await withConnectSandbox { sandbox in
            let active = try await makeImportSource(sandbox, displayName: "Active").id
            let paused = try await makeImportSource(sandbox, displayName: "Paused").id
            let deleted = try await makeImportSource(sandbox, displayName: "Deleted").id
            _ = try await connect(sandbox, "PUT", "/v4/sources/\(paused)", #"{"paused_at":"2020-01-01T00:00:00Z"}"#)
            _ = try await connect(sandbox, "DELETE", "/v4/sources/\(deleted)")
            let list = try #require(try await connect(sandbox, "GET", "/v4/sources").json?.arrayValue)
            #expect(list.compactMap { $0["id"]?.intValue } == [active, paused, deleted])
            #expect(list.map { $0["paused_at"] != .null } == [false, true, false])
            #expect(list.map { $0["deleted_at"] != .null } == [false, false, true])
            let one = try await connect(sandbox, "GET", "/v4/sources/\(deleted)")
            #expect(one.status == 200)
            #expect(one.json?["deleted_at"]?.stringValue != nil)
        }
    }

    @Test("An explicit name is checked like a schema name and must be unique")
    func explicitName() async throws {
        try await withConnectSandbox { sandbox in
            let created = try await createSource(sandbox, #"{"type":"import_api","display_name":"Anything","name":"my_schema"}"#)
            #expect(created["name"] == "my_schema")
            let duplicate = try await connect(sandbox, "POST", "/v4/sources",
                                              #"{"type":"import_api","display_name":"Else","name":"my_schema"}"#)
            #expect(duplicate.json == ["error": "InvalidName", "data": ["message": "non-unique name (my_schema)"]])
            for name in ["Upper", "1digit", "has space", String(repeating: "a", count: 50), ""] {
                let reply = try await connect(sandbox, "POST", "/v4/sources",
                                              #"{"type":"import_api","display_name":"X","name":"\#(name)"}"#)
                #expect(reply.status == 400)
                #expect(reply.json?["error"] == "InvalidName", "\(name)")
            }
        }
    }
}
