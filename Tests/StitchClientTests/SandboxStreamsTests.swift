import Foundation
import StitchAPI
import StitchClient
import StitchSandbox
import Testing

/// `ConnectClient` against the in-process sandbox over a real loopback socket: a
/// `platform.postgres` source walked from its form through discovery and stream selection to
/// `fully_configured`, and the form rule agreeing with the server's `InvalidProperties`.
@Suite struct SandboxStreamsTests {
    /// Long enough that the check is still running when the client asks right after the form
    /// is complete, short enough for a quick test.
    static let discoveryDelay = Duration.seconds(4)

    static func withSandbox(_ body: (ConnectClient) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stitch-client-streams-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sandbox = try await startSandbox(SandboxConfiguration(dataDirectory: directory,
                                                                  discoveryDelay: discoveryDelay))
        do {
            try await body(try ConnectClient(baseURL: sandbox.baseURL, token: sandbox.connectToken))
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    /// The sandbox's postgres form, complete. The password is a fake.
    static let postgresForm = [
        "host": "db.example.com", "port": "5432", "dbname": "shop", "user": "stitch",
        "password": "fake-password-for-tests", "ssl": "true", "frequency_in_minutes": "30",
    ]

    static func waitForStep(_ step: StepType, sourceID: Int, client: ConnectClient) async throws -> Source {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let source = try await client.source(id: sourceID)
            if source.reportCard.effectiveStepType == step || ContinuousClock.now > deadline { return source }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test func aPostgresSourceWalksFromFormToFullyConfigured() async throws {
        try await Self.withSandbox { client in
            // Everything but the password: the form step is not finished, so no check has run.
            var partial = Self.postgresForm
            partial["password"] = nil
            let created = try await client.createSource(CreateSourceRequest(
                type: "platform.postgres", displayName: "Shop DB", properties: partial))
            #expect(created.reportCard.effectiveStepType == .form)
            #expect(created.properties["port"] == "5432")
            #expect(try await client.lastConnectionCheck(sourceID: created.id) == nil)

            // The credential completes the form; discovery starts and its check is running.
            let completed = try await client.updateSource(id: created.id, UpdateSourceRequest(
                properties: ["password": Self.postgresForm["password"] ?? ""]))
            #expect(completed.reportCard.effectiveStepType == .discoverSchema)
            #expect(completed.properties["password"] == nil)
            let running = try #require(try await client.lastConnectionCheck(sourceID: created.id))
            #expect(running.name == completed.checkJobName)
            #expect(running.mode == "check")
            #expect(running.status == .running)
            #expect(running.startTime != nil)
            #expect(running.completionTime == nil)
            #expect(running.checkExitStatus == nil)
            #expect(try await client.streams(sourceID: created.id).isEmpty)

            let discovered = try await Self.waitForStep(.fieldSelection, sourceID: created.id, client: client)
            #expect(discovered.reportCard.effectiveStepType == .fieldSelection)
            let check = try #require(try await client.lastConnectionCheck(sourceID: created.id))
            #expect(check.status == .succeeded)
            #expect(check.isFinished && !check.hasFailed)
            #expect(check.completionTime != nil)
            #expect([check.checkExitStatus, check.discoveryExitStatus, check.tapExitStatus] == [0, 0, 0])

            let streams = try await client.streams(sourceID: created.id)
            #expect(streams.map(\.streamName) == ["customers", "orders", "customer_view"])
            #expect(streams.map(\.tapStreamID) == ["shop-public-customers", "shop-public-orders", "shop-public-customer_view"])
            #expect(streams.allSatisfy { $0.selected == nil })
            let customers = try #require(streams.first)
            #expect(customers.keyProperties == ["id"])
            #expect(customers.metadata["database-name"] == "shop")

            let schema = try await client.streamSchema(sourceID: created.id, streamID: customers.streamID)
            #expect(schema.fields.map(\.name) == ["id", "name", "email", "has_magic", "updated_at"])
            #expect(schema.fields.first?.entry.inclusion == .automatic)
            #expect(schema.selectableFields == ["name", "email", "has_magic", "updated_at"])
            #expect(schema.schema["properties"]?["updated_at"]?["format"] == "date-time")
            #expect(schema.nonDiscoverableMetadataKeys.contains("selected"))

            try await client.updateStreamMetadata(sourceID: created.id, StreamMetadataUpdate(streams: [
                StreamMetadataUpdate.select(customers.tapStreamID, fields: ["name": true, "email": true],
                                            replicationMethod: "FULL_TABLE"),
            ]))
            let configured = try await client.source(id: created.id)
            #expect(configured.reportCard.effectiveStepType == .fullyConfigured)
            let after = try await client.streams(sourceID: created.id)
            #expect(after.map(\.selected) == [true, nil, nil])
            #expect(after.first?.metadata["replication-method"] == "FULL_TABLE")
            let selected = try await client.streamSchema(sourceID: created.id, streamID: customers.streamID)
            #expect(selected.streamMetadata?.selected == true)
            #expect(selected.fields.filter { $0.entry.selected == true }.map(\.name) == ["name", "email"])
            #expect(try await client.lastConnectionCheck(sourceID: created.id)?.status == .succeeded)
        }
    }

    @Test func streamErrorsAreTyped() async throws {
        try await Self.withSandbox { client in
            let source = try await client.createSource(CreateSourceRequest(
                type: "platform.postgres", displayName: "Errors DB", properties: Self.postgresForm))
            // Selecting before discovery finished is refused in the endpoint's own shape.
            let early = await #expect(throws: StitchAPIError.self) {
                try await client.updateStreamMetadata(sourceID: source.id, StreamMetadataUpdate(
                    streams: [StreamMetadataUpdate.select("shop-public-customers")]))
            }
            #expect(early?.statusCode == 400)
            if case .invalidFields(let message)? = early?.body {
                #expect(message.contains("field_selection"))
            } else {
                Issue.record("expected invalid_fields, got \(String(describing: early))")
            }
            _ = try await Self.waitForStep(.fieldSelection, sourceID: source.id, client: client)
            let badStream = await #expect(throws: StitchAPIError.self) {
                try await client.streamSchema(sourceID: source.id, streamID: 999_999_999)
            }
            #expect(badStream?.statusCode == 400)
            #expect(badStream?.body == .text("invalid stream-id: 999999999"))
            let badTap = await #expect(throws: StitchAPIError.self) {
                try await client.updateStreamMetadata(sourceID: source.id, StreamMetadataUpdate(
                    streams: [StreamMetadataUpdate.select("nope")]))
            }
            #expect(badTap?.body == .invalidFields(message: "invalid tap-stream-ids:  [nope]"))
            let badSource = await #expect(throws: StitchAPIError.self) {
                try await client.lastConnectionCheck(sourceID: 424_242)
            }
            #expect(badSource?.statusCode == 400)
            #expect(badSource?.body.code == "InvalidId")
            // An import_api source never runs a check.
            let importSource = try await client.createSource(CreateSourceRequest(type: "import_api", displayName: "Pushes"))
            #expect(try await client.lastConnectionCheck(sourceID: importSource.id) == nil)
        }
    }

    /// The values a form refuses are exactly those the server lists in `bad_properties`.
    @Test func theFormRuleAgreesWithTheServer() async throws {
        try await Self.withSandbox { client in
            let card = try await client.sourceType("platform.postgres")
            let properties = card.steps.flatMap(\.properties)
            let attempts: [[String: String]] = [
                ["port": "54x", "ssl": "yes", "host": "db", "dbname": ""],
                ["port": "5432", "ssl": "false", "frequency_in_minutes": "45", "anchor_time": "noon"],
                ["image_version": "1.latest", "itersize": "abc", "ssh_port": "22", "anchor_time": "2024-01-31T00:00:00Z"],
            ]
            for (index, values) in attempts.enumerated() {
                let refused = values.filter { name, value in
                    properties.first { $0.name == name }.map { !$0.rule.accepts(value) } ?? true
                }.keys.sorted()
                #expect(!refused.isEmpty, "attempt \(index) must exercise a refusal")
                let error = await #expect(throws: StitchAPIError.self) {
                    try await client.createSource(CreateSourceRequest(
                        type: "platform.postgres", displayName: "Rule \(index)", properties: values))
                }
                #expect(error?.body == .connect(code: "InvalidProperties", message: "properties do not match schema",
                                                badProperties: refused), "attempt \(index)")
            }
            // A cron expression Quartz refuses is the API's InvalidCronExpression, not a bad property.
            let cron = try #require(properties.first { $0.name == "cron_expression" })
            #expect(cron.problem(with: "0 0 12 1 * MON")?.reason == .cronExpression)
            let cronError = await #expect(throws: StitchAPIError.self) {
                try await client.createSource(CreateSourceRequest(
                    type: "platform.postgres", displayName: "Rule cron",
                    properties: ["cron_expression": "0 0 12 1 * MON", "port": "5432"]))
            }
            #expect(cronError?.body.code == "InvalidCronExpression")
            #expect(cron.problem(with: "0 0 12 ? * MON") == nil)
            _ = try await client.createSource(CreateSourceRequest(
                type: "platform.postgres", displayName: "Rule cron", properties: ["cron_expression": "0 0 12 ? * MON"]))
            #expect(properties.first { $0.name == "port" }?.problem(with: "54x")?.message == "must be an integer")
            #expect(properties.first { $0.name == "ssl" }?.problem(with: "yes")?.message == "must match ^(true|false)$")
        }
    }

    /// Every property of every source type the sandbox offers maps to a sensible field.
    @Test func everyCatalogPropertyHasAFieldKind() async throws {
        try await Self.withSandbox { client in
            let expected: [String: PropertyFieldKind] = [
                "anchor_time": .dateTime, "cron_expression": .text(pattern: nil), "dbname": .text(pattern: nil),
                "filter_dbs": .text(pattern: nil),
                "frequency_in_minutes": .choice(["1", "30", "60", "360", "720", "1440"]),
                "host": .hostName, "image_version": .text(pattern: nil),
                "include_schemas_in_destination_stream_name": .boolean, "itersize": .text(pattern: #"^\d+"#),
                "password": .text(pattern: nil), "port": .integer, "ssh": .boolean, "ssh_host": .hostName,
                "ssh_port": .text(pattern: #"^\d+"#), "ssh_user": .text(pattern: nil), "ssl": .boolean,
                "user": .text(pattern: nil), "start_date": .text(pattern: #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#),
                "api_key": .text(pattern: nil), "client_id": .text(pattern: nil), "client_secret": .text(pattern: nil),
                "redirect_uri": .text(pattern: nil), "refresh_token": .text(pattern: nil),
            ]
            // The OAuth fields are all credentials in the sandbox's hubspot card, redirect_uri included.
            let secrets: Set = ["password", "api_key", "client_id", "client_secret", "redirect_uri", "refresh_token"]
            let notAsked: Set = ["image_version", "client_id", "client_secret", "redirect_uri", "refresh_token"]
            let types = try await client.sourceTypes()
            #expect(types.map(\.type) == ["import_api", "platform.closeio", "platform.hubspot", "platform.postgres"])
            for card in types {
                for property in card.steps.flatMap(\.properties) {
                    let label = "\(card.type).\(property.name)"
                    #expect(property.fieldKind == expected[property.name], "\(label)")
                    #expect(property.isSecret == secrets.contains(property.name), "\(label)")
                    #expect(property.isAsked == !notAsked.contains(property.name), "\(label)")
                }
            }
            let postgres = try #require(types.first { $0.type == "platform.postgres" })
            let required = postgres.steps.flatMap(\.properties).filter { $0.isAsked && $0.isMandatory }.map(\.name)
            #expect(Set(required) == ["dbname", "host", "password", "port", "user"])
        }
    }
}
