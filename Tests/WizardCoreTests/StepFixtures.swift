import Foundation
import StitchAPI
import TerminalUI
@testable import WizardCore

/// Sources at the oauth, discover_schema and field_selection steps, with replies shaped like the
/// sandbox's (and the docs' examples), decoded through the real models.
enum StepFixtures {
    static let target = Fixtures.sandboxTarget
    static let postgresID = 126891
    static let hubspotID = 126892

    static let postgresSteps: [ConnectionStep] = [
        ConnectionStep(type: .form, properties: [
            StepProperty(name: "host", isRequired: true, propertyType: "user_provided", provided: true),
            StepProperty(name: "password", isRequired: true, isCredential: true, propertyType: "user_provided", provided: true),
        ]),
        ConnectionStep(type: .discoverSchema), ConnectionStep(type: .fieldSelection), ConnectionStep(type: .fullyConfigured),
    ]

    /// platform.postgres at step `step` (1-based) of form → discover_schema → field_selection → fully_configured.
    static func postgres(atStep step: Int) -> Source {
        Source(id: postgresID, type: "platform.postgres", displayName: "Shop DB", name: "shop_db",
               reportCard: ReportCard(type: "platform.postgres", currentStep: step,
                                      currentStepType: postgresSteps[step - 1].type, steps: postgresSteps),
               stitchClientID: 116078, createdAt: "2026-11-30T15:00:00Z", updatedAt: "2026-11-30T15:00:00Z")
    }

    static func hubspot(provided: Bool = false) -> Source {
        let steps = [
            ConnectionStep(type: .form, properties: [StepProperty(name: "start_date", isRequired: true,
                                                                  propertyType: "user_provided", provided: true)]),
            ConnectionStep(type: .oauth, properties: ["client_id", "refresh_token"].map {
                StepProperty(name: $0, isRequired: true, isCredential: true, systemProvided: true,
                             propertyType: "system_provided_by_default", provided: provided)
            }),
            ConnectionStep(type: .discoverSchema), ConnectionStep(type: .fieldSelection), ConnectionStep(type: .fullyConfigured),
        ]
        let step = provided ? 3 : 2
        return Source(id: hubspotID, type: "platform.hubspot", displayName: "HubSpot", name: "hubspot",
                      reportCard: ReportCard(type: "platform.hubspot", currentStep: step,
                                             currentStepType: steps[step - 1].type, steps: steps),
                      stitchClientID: 116078, createdAt: "2026-11-30T15:00:00Z", updatedAt: "2026-11-30T15:00:00Z")
    }

    /// The wizard continuing `source` (`--source ID`), its screen chosen through the step table.
    static func reach(_ source: Source) -> (WizardState, [WizardEffect]) {
        var state = WizardState(target: target, start: .existingSource(id: source.id))
        _ = state.start()
        let effects = state.send(.reply(.source(source)))
        return (state, effects)
    }

    static func check(_ json: String) throws -> ConnectionCheck {
        try JSONDecoder().decode(ConnectionCheck.self, from: Data(json.utf8))
    }

    static let runningCheck = """
    {"name":"116078.126891.check.5a3c","mode":"check","status":"running","start_time":"2026-11-30T15:00:01Z",
     "completion_time":null,"error":false,"check_exit_status":null,"discovery_exit_status":null,
     "discovery_error_message":null,"tap_exit_status":null,"tap_error_message":null,"target_exit_status":null,
     "target_error_message":null}
    """

    static let failedCheck = """
    {"name":"116078.126891.check.5a3c","mode":"check","status":"failed","start_time":"2026-11-30T15:00:01Z",
     "completion_time":"2026-11-30T15:00:09Z","error":true,"check_exit_status":1,"discovery_exit_status":1,
     "discovery_error_message":"FATAL: password authentication failed for user \\"shop\\"","tap_exit_status":null,
     "tap_error_message":null,"target_exit_status":null,"target_error_message":null}
    """

    /// The sandbox's postgres streams: two tables and a view, none chosen yet.
    static let streamsJSON = """
    [{"selected":null,"stream_id":1,"tap_stream_id":"shop-public-customers","stream_name":"customers",
      "metadata":{"database-name":"shop","is-view":false,"row-count":0,"schema-name":"public","selected":null,
                  "table-key-properties":["id"]}},
     {"selected":null,"stream_id":2,"tap_stream_id":"shop-public-orders","stream_name":"orders",
      "metadata":{"database-name":"shop","is-view":false,"row-count":0,"schema-name":"public","selected":null,
                  "table-key-properties":["id"]}},
     {"selected":null,"stream_id":3,"tap_stream_id":"shop-public-customer_view","stream_name":"customer_view",
      "metadata":{"database-name":"shop","is-view":true,"row-count":0,"schema-name":"public","selected":null,
                  "table-key-properties":[]}}]
    """

    static func streams(_ json: String = streamsJSON) throws -> [SourceStream] {
        try JSONDecoder().decode([SourceStream].self, from: Data(json.utf8))
    }

    /// `customers`' schema: `id` automatic (the key), the rest available and never chosen.
    static let customersSchemaJSON = #"""
    {"schema":"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":[\"null\",\"integer\"]},\"name\":{\"type\":[\"null\",\"string\"]},\"email\":{\"type\":[\"null\",\"string\"]}}}",
     "metadata":[{"breadcrumb":[],"metadata":{"selected":null,"table-key-properties":["id"]}},
                 {"breadcrumb":["properties","id"],"metadata":{"inclusion":"automatic","selected":false,"sql-datatype":"integer"}},
                 {"breadcrumb":["properties","name"],"metadata":{"inclusion":"available","selected":false,"sql-datatype":"text"}},
                 {"breadcrumb":["properties","email"],"metadata":{"inclusion":"available","selected":false,"sql-datatype":"text"}}],
     "non-discoverable-metadata-keys":["selected","replication-method","replication-key","view-key-properties"]}
    """#

    static let ordersSchemaJSON = #"""
    {"schema":"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":[\"null\",\"integer\"]},\"total\":{\"type\":[\"null\",\"number\"]}}}",
     "metadata":[{"breadcrumb":[],"metadata":{"selected":null,"table-key-properties":["id"]}},
                 {"breadcrumb":["properties","id"],"metadata":{"inclusion":"automatic","selected":false}},
                 {"breadcrumb":["properties","total"],"metadata":{"inclusion":"available","selected":false}}],
     "non-discoverable-metadata-keys":["selected","replication-method","replication-key","view-key-properties"]}
    """#

    static func schema(_ json: String) throws -> StreamSchema {
        try JSONDecoder().decode(StreamSchema.self, from: Data(json.utf8))
    }

    /// Each documented Connect error, as the effect runner reports it (status, code, message, the
    /// runner's own hint for 401 and 5xx).
    static let documentedErrors: [WizardFailure] = [
        WizardFailure(statusCode: 401, message: "Not Authorized", body: #"{"message":"Not Authorized"}"#,
                      hint: "Check the Connect API token: it may be mistyped, revoked, or for another account."),
        WizardFailure(statusCode: 403, code: "AccessDenied", message: "Access denied",
                      body: #"{"error":"AccessDenied","data":{"message":"Access denied"}}"#),
        WizardFailure(statusCode: 404, code: "InvalidId", message: "source 126891 not found",
                      body: #"{"error":"InvalidId","data":{"message":"source 126891 not found"}}"#),
        WizardFailure(statusCode: 400, message: "invalid tap-stream-ids:  [shop-public-nope]",
                      body: #"{"invalid_fields":"invalid tap-stream-ids:  [shop-public-nope]"}"#),
        WizardFailure(statusCode: 500, message: "Internal Server Error",
                      hint: "Stitch had a problem on its side. Try again in a moment (r)."),
        WizardFailure(message: "Could not connect to 127.0.0.1:8787 — is the server running? (connection refused)"),
    ]

    static let clock = ContinuousClock.now
}
