import Foundation
import StitchAPI
import WizardCore

/// Replies shaped exactly like the tutorial's, decoded through the real models.
enum Fixtures {
    static let sourceTypeCard = """
    {"type":"import_api","current_step":1,"current_step_type":"form",
     "steps":[{"type":"form","properties":[]},{"type":"fully_configured","properties":[]}],
     "details":{"pricing_tier":"standard","pipeline_state":"released","default_start_date":"-1 year",
                "default_scheduling_interval":60,"protocol":"import_api","access":true}}
    """

    static let createdSource = """
    {"properties":{},"updated_at":"2020-01-02T15:49:27Z","schedule":null,"name":"import_api","type":"import_api",
     "deleted_at":null,"system_paused_at":null,"stitch_client_id":116078,"paused_at":null,"id":126890,
     "display_name":"Import API","created_at":"2020-01-02T15:49:27Z",
     "report_card":{"type":"import_api","current_step":2,"current_step_type":"fully_configured",
       "steps":[{"type":"form","properties":[]},{"type":"fully_configured","properties":[]}]}}
    """

    static func card(_ json: String = sourceTypeCard) throws -> ReportCard {
        try JSONDecoder().decode(ReportCard.self, from: Data(json.utf8))
    }

    static func source(_ json: String = createdSource) throws -> Source {
        try JSONDecoder().decode(Source.self, from: Data(json.utf8))
    }

    static let token = ImportAccessToken(id: 828792559, accessToken: "at_FAKE_TOKEN_FOR_TESTS_0000000000000000")

    static let sandboxTarget = WizardTarget(connectBaseURL: "http://127.0.0.1:8787", connectToken: "ac_fake",
                                            importBaseURL: "http://127.0.0.1:8787", isSandbox: true)
    static let remoteTarget = WizardTarget(connectBaseURL: "https://api.stitchdata.com", connectToken: "",
                                           importBaseURL: "https://api.stitchdata.com", isSandbox: false)
}
