import StitchAPI
import TerminalUI
import WizardCore

/// The `oauth`, `discover_schema` and `field_selection` screens of the sandbox's source types
/// that have those steps (cards from `SandboxCards`), reached as `--source ID` reaches them.
extension Scenarios {
    /// A source of `card`'s type at step `step` (1-based).
    static func source(_ card: ReportCard, id: Int, name: String, atStep step: Int) -> Source {
        var reportCard = card
        reportCard.details = nil
        reportCard.currentStep = step
        reportCard.currentStepType = card.steps[step - 1].type
        for index in 0..<(step - 1) {
            for property in reportCard.steps[index].properties.indices { reportCard.steps[index].properties[property].provided = true }
        }
        return Source(id: id, type: card.type, displayName: name, name: SourceName.derive(fromDisplayName: name),
                      reportCard: reportCard, stitchClientID: 116078, createdAt: "2026-11-30T15:00:00Z",
                      updatedAt: "2026-11-30T15:00:00Z")
    }

    static let shopDB = source(SandboxCards.postgres, id: 200001, name: "Shop DB", atStep: 2)
    static let closeCRM = source(SandboxCards.closeio, id: 200002, name: "Close CRM", atStep: 2)
    static let hubspotCRM = source(SandboxCards.hubspot, id: 200003, name: "HubSpot CRM", atStep: 2)

    /// The wizard continuing `source`, its step's screen on show.
    static func continuing(_ source: Source) -> WizardState {
        reduce(continuing(source.id), [.reply(.source(source))])
    }

    static func atStep(_ source: Source, _ step: Int) -> Source {
        Self.source(SandboxCards.all.first { $0.type == source.type } ?? SandboxCards.postgres, id: source.id,
                    name: source.displayName ?? source.name, atStep: step)
    }

    static func poll(_ source: Source, round: Int, check: ConnectionCheck?, seconds: Int) -> WizardEvent {
        .reply(.discoveryPolled(DiscoveryPoll(round: round, source: source, check: check,
                                              receivedAt: pollStart.advanced(by: .seconds(seconds)))))
    }

    static let pollStart = ContinuousClock.now

    static func check(_ status: ConnectionCheck.Status, failed: Bool = false) -> ConnectionCheck {
        ConnectionCheck(name: "116078.200001.check.0b6f2c1e-8d4a-4c55-9a3e-2f1d7c9b6a10", status: status,
                        startTime: "2026-11-30T15:00:01Z", completionTime: failed ? "2026-11-30T15:00:09Z" : nil,
                        error: failed, checkExitStatus: failed ? 1 : nil, discoveryExitStatus: failed ? 1 : nil,
                        discoveryErrorMessage: failed ? "FATAL: password authentication failed for user \"shop\"" : nil)
    }

    static func stream(_ id: Int, _ tapID: String, _ name: String, key: [String], saas: Bool, selected: Bool? = nil) -> SourceStream {
        var metadata = JSONObject()
        if saas {
            metadata["forced-replication-method"] = "INCREMENTAL"
        } else {
            metadata["database-name"] = "shop"
            metadata["is-view"] = .bool(key.isEmpty)
            metadata["schema-name"] = "public"
        }
        metadata["table-key-properties"] = .array(key.map(JSONValue.string))
        return SourceStream(streamID: id, tapStreamID: tapID, streamName: name, selected: selected, metadata: metadata)
    }

    static let shopStreams = [
        stream(1, "shop-public-customers", "customers", key: ["id"], saas: false),
        stream(2, "shop-public-orders", "orders", key: ["id"], saas: false),
        stream(3, "shop-public-customer_view", "customer_view", key: [], saas: false),
    ]

    static func schema(_ fields: [(String, FieldInclusion)]) -> StreamSchema {
        StreamSchema(schema: ["type": "object"], metadata: [.stream(JSONObject())] + fields.map { name, inclusion in
            StreamMetadataEntry(breadcrumb: ["properties", name],
                                metadata: JSONObject([("inclusion", .string(inclusion.rawValue)), ("selected", false)]))
        }, nonDiscoverableMetadataKeys: ["selected", "replication-method", "replication-key", "view-key-properties"])
    }

    static let customersSchema = schema([("id", .automatic), ("name", .available), ("email", .available),
                                         ("has_magic", .available), ("updated_at", .available)])

    /// Shop DB at field_selection, customers selected with its fields loaded.
    static var shopFields: WizardState {
        reduce(continuing(atStep(shopDB, 3)), [
            .reply(.streams(sourceID: shopDB.id, shopStreams)), .key(.character(" ")),
            .reply(.streamSchema(sourceID: shopDB.id, streamID: 1, customersSchema)), .key(.down),
        ])
    }

    static var stepScenarios: [(name: String, state: WizardState)] {
        let oauth = continuing(hubspotCRM)
        let shop = continuing(shopDB)
        let closeStreams = [
            stream(11, "activities", "activities", key: ["id"], saas: true),
            stream(12, "leads", "leads", key: ["id"], saas: true),
        ]
        let close = reduce(continuing(atStep(closeCRM, 3)), [.reply(.streams(sourceID: closeCRM.id, closeStreams))])
        let hubspotStreams = [
            stream(21, "companies", "companies", key: ["companyId"], saas: true, selected: true),
            stream(22, "contacts", "contacts", key: ["vid"], saas: true),
            stream(23, "deals", "deals", key: ["dealId"], saas: true),
        ]
        let hubspotAtFields = atStep(hubspotCRM, 4)
        let hubspot = reduce(continuing(hubspotAtFields), [
            .reply(.streams(sourceID: hubspotCRM.id, hubspotStreams)),
            .reply(.streamSchema(sourceID: hubspotCRM.id, streamID: 21,
                                 schema([("companyId", .automatic), ("name", .available), ("hs_lastmodifieddate", .automatic)]))),
        ])
        return [
            ("oauth-hubspot", oauth),
            ("oauth-hubspot-still-waiting", reduce(oauth, [.key(.character("r")), .reply(.source(hubspotCRM))])),
            ("oauth-hubspot-recheck-failed", reduce(oauth, [.key(.character("r")), .reply(.failed(.fetchSource, WizardFailure(
                statusCode: 502, message: "Bad Gateway", hint: "Stitch had a problem on its side. Try again in a moment (r).")))])),
            ("discover-postgres", reduce(shop, [poll(shopDB, round: 1, check: check(.running), seconds: 0),
                                                poll(shopDB, round: 2, check: check(.running), seconds: 72)])),
            ("discover-closeio-waiting", reduce(continuing(closeCRM), [poll(closeCRM, round: 1, check: nil, seconds: 0)])),
            ("discover-postgres-check-failed", reduce(shop, [poll(shopDB, round: 1, check: check(.running), seconds: 0),
                                                             poll(shopDB, round: 2, check: check(.failed, failed: true), seconds: 8)])),
            ("discover-hubspot-poll-failed", reduce(continuing(atStep(hubspotCRM, 3)), [.reply(.failed(.pollDiscovery, WizardFailure(
                statusCode: 401, message: "Not Authorized", body: #"{"message":"Not Authorized"}"#,
                hint: "Check the Connect API token: it may be mistyped, revoked, or for another account.")))])),
            ("fields-postgres", shopFields),
            ("fields-postgres-loading", continuing(atStep(shopDB, 3))),
            ("fields-postgres-fields", reduce(shopFields, [.key(.up), .key(.right), .key(.down), .key(.down), .key(.character(" "))])),
            ("fields-closeio-filter", reduce(close, [.key(.character("/"))] + typing("lea"))),
            ("fields-closeio-nothing-selected", reduce(close, [.key(.enter)])),
            ("fields-hubspot", hubspot),
            ("fields-hubspot-save-refused", reduce(hubspot, [.key(.enter), .reply(.failed(.updateStreamMetadata, WizardFailure(
                statusCode: 400, message: "only non-discoverable metadata can be produced by the UI: #{\"row-count\"}",
                body: #"{"invalid_fields":"only non-discoverable metadata can be produced by the UI: #{\"row-count\"}"}"#)))])),
            ("fields-postgres-saving", reduce(shopFields, [.key(.enter)])),
            ("fields-many-streams", reduce(continuing(atStep(shopDB, 3)), [
                .reply(.streams(sourceID: shopDB.id, (1...40).map {
                    stream($0, "shop-public-table_\($0)", "table_\($0 < 10 ? "0" : "")\($0)", key: ["id"], saas: false)
                })),
            ] + Array(repeating: .key(.down), count: 20) + [.key(.character(" "))])),
        ]
    }
}
