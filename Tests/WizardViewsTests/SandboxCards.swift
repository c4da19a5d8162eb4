import StitchAPI

/// The report cards `GET /v4/source-types/{type}` gives in the sandbox, built the way
/// `SourceTypeCatalog` builds them (StitchSandbox is not a dependency of the view tests, so this
/// is a copy: keep it in step). WizardRuntimeTests' `FormAgainstSandboxTests` builds the form
/// from the sandbox's own postgres card and checks its fields.
enum SandboxCards {
    static func userProvided(_ name: String, required: Bool = false, credential: Bool = false,
                             schema: JSONValue?) -> StepProperty {
        StepProperty(name: name, isRequired: required, isCredential: credential, systemProvided: false,
                     propertyType: "user_provided", jsonSchema: schema ?? .null, provided: false, tapMutable: false)
    }

    static func readOnly(_ name: String, required: Bool = false) -> StepProperty {
        StepProperty(name: name, isRequired: required, isCredential: false, systemProvided: true,
                     propertyType: "read_only", jsonSchema: .null, provided: false, tapMutable: false)
    }

    static func providedByDefault(_ name: String, schema: JSONValue) -> StepProperty {
        StepProperty(name: name, isRequired: true, isCredential: true, systemProvided: true,
                     propertyType: "system_provided_by_default", jsonSchema: schema, provided: false, tapMutable: false)
    }

    static let anchorTime = userProvided("anchor_time", schema: ["type": "string", "format": "date-time"])
    static let cronExpression = userProvided("cron_expression", schema: nil)
    static let frequencyInMinutes = userProvided(
        "frequency_in_minutes", schema: ["type": "string", "pattern": "^1$|^30$|^60$|^360$|^720$|^1440$"])
    static let imageVersion = readOnly("image_version", required: true)
    static let startDate = userProvided(
        "start_date", required: true, schema: ["type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#])
    static let booleanText: JSONValue = ["type": "string", "pattern": "^(true|false)$"]
    static let digits: JSONValue = ["type": "string", "pattern": #"^\d+"#]
    static let hostName: JSONValue = ["type": "string", "anyOf": [["format": "hostname"], ["format": "ipv4"]]]
    static let text: JSONValue = ["type": "string"]
    static let laterSteps = [
        ConnectionStep(type: .discoverSchema), ConnectionStep(type: .fieldSelection), ConnectionStep(type: .fullyConfigured),
    ]

    static func card(_ type: String, _ steps: [ConnectionStep], tier: String, startDate: String?, interval: Int) -> ReportCard {
        ReportCard(type: type, currentStep: 1, currentStepType: steps.first?.type, steps: steps,
                   details: SourceTypeDetails(pricingTier: tier, pipelineState: "released", defaultStartDate: startDate,
                                              defaultSchedulingInterval: interval, protocol: type, access: true))
    }

    static let importAPI = card("import_api", [ConnectionStep(type: .form), ConnectionStep(type: .fullyConfigured)],
                                tier: "standard", startDate: "-1 year", interval: 60)

    static let postgres = card("platform.postgres", [ConnectionStep(type: .form, properties: [
        anchorTime, cronExpression,
        userProvided("dbname", required: true, schema: text),
        userProvided("filter_dbs", schema: text),
        frequencyInMinutes,
        userProvided("host", required: true, schema: hostName),
        imageVersion,
        userProvided("include_schemas_in_destination_stream_name", schema: booleanText),
        userProvided("itersize", schema: digits),
        userProvided("password", required: true, credential: true, schema: text),
        userProvided("port", required: true, schema: ["type": "integer"]),
        userProvided("ssh", schema: booleanText),
        userProvided("ssh_host", schema: hostName),
        userProvided("ssh_port", schema: digits),
        userProvided("ssh_user", schema: text),
        userProvided("ssl", schema: booleanText),
        userProvided("user", required: true, schema: text),
    ])] + laterSteps, tier: "standard", startDate: nil, interval: 30)

    static let hubspot = card("platform.hubspot", [
        ConnectionStep(type: .form, properties: [anchorTime, cronExpression, frequencyInMinutes, imageVersion, startDate]),
        ConnectionStep(type: .oauth, properties: [
            providedByDefault("client_id", schema: text),
            providedByDefault("client_secret", schema: text),
            providedByDefault("redirect_uri", schema: ["type": "string", "format": "uri"]),
            providedByDefault("refresh_token", schema: text),
        ]),
    ] + laterSteps, tier: "premium", startDate: "-30 days", interval: 30)

    static let closeio = card("platform.closeio", [ConnectionStep(type: .form, properties: [
        anchorTime,
        userProvided("api_key", required: true, credential: true, schema: text),
        cronExpression, frequencyInMinutes, imageVersion, startDate,
    ])] + laterSteps, tier: "premium", startDate: "-1 year", interval: 30)

    static let all = [importAPI, closeio, hubspot, postgres]
}
