import StitchAPI

/// The source types the sandbox offers: `import_api` as the tutorial shows it, and three
/// documented types whose forms carry `json_schema`, so generic clients have real cards to walk.
///
/// The forms copy the shapes of the docs' examples (`list-source-types.md`, `list-sources.md`);
/// their later steps are simulated (see `ConnectionProgress`).
enum SourceTypeCatalog {
    static let importAPI = "import_api"

    /// Listed in this order by `GET /v4/source-types` (the docs' example follows no visible
    /// order [?]; type order is predictable for clients and tests).
    static let all: [SourceTypeDefinition] = [importAPIType, closeio, hubspot, postgres]

    static func definition(for type: String) -> SourceTypeDefinition? { all.first { $0.type == type } }

    /// `GET /v4/source-types/{type}`.
    static func sourceTypeCard(for type: String) -> ReportCard? { definition(for: type)?.templateCard }

    // MARK: import_api

    /// The tutorial's card: `form` (no properties) then `fully_configured`. The docs' 2022 list
    /// shows `import_api` at step 2 instead [?]; the tutorial's step 1/`form` is what a user
    /// walking through creation expects (spec §2.5.2 suggests the same).
    static let importAPIType = SourceTypeDefinition(
        type: importAPI,
        steps: [ConnectionStep(type: .form), ConnectionStep(type: .fullyConfigured)],
        details: SourceTypeDetails(pricingTier: "standard", pipelineState: "released", defaultStartDate: "-1 year",
                                   defaultSchedulingInterval: 60, protocol: importAPI, access: true),
        systemProperties: [], discovery: .nothing)

    // MARK: Shared form fields (spec §2.4.2, "Common source form properties")

    private static let anchorTime = StepProperty.userProvided(
        "anchor_time", schema: ["type": "string", "format": "date-time"])
    /// `json_schema` is null in every example; the expression is checked by `CronExpression`.
    private static let cronExpression = StepProperty.userProvided("cron_expression", schema: nil)
    private static let frequencyInMinutes = StepProperty.userProvided(
        "frequency_in_minutes", schema: ["type": "string", "pattern": "^1$|^30$|^60$|^360$|^720$|^1440$"])
    private static let imageVersion = StepProperty.readOnly("image_version", required: true)
    private static let startDate = StepProperty.userProvided(
        "start_date", required: true, schema: ["type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#])
    private static let booleanText: JSONValue = ["type": "string", "pattern": "^(true|false)$"]
    private static let digits: JSONValue = ["type": "string", "pattern": #"^\d+"#]
    private static let hostName: JSONValue = ["type": "string", "anyOf": [["format": "hostname"], ["format": "ipv4"]]]
    private static let text: JSONValue = ["type": "string"]

    private static let laterSteps = [
        ConnectionStep(type: .discoverSchema), ConnectionStep(type: .fieldSelection),
        ConnectionStep(type: .fullyConfigured),
    ]
    private static let pipelineProperties: [(name: String, value: String)] = [
        ("image_version", "1.latest"), ("product", "pipeline"),
    ]

    // MARK: platform.postgres

    /// A database source. The field names are PostgreSQL's in the docs (`user`, `dbname`: see
    /// `_data/connect/common/database-sources.yml` and the `heroku_pg` example in
    /// `list-sources.md`), with the same schemas: `port` declared an integer although its value
    /// travels as a string. The docs mark `platform.postgres` deprecated in favour of
    /// `platform.hp-postgres` (2021); the sandbox offers it as released, because it is the type
    /// clients know, and only its card matters here.
    static let postgres = SourceTypeDefinition(
        type: "platform.postgres",
        steps: [ConnectionStep(type: .form, properties: [
            anchorTime,
            cronExpression,
            .userProvided("dbname", required: true, schema: text),
            .userProvided("filter_dbs", schema: text),
            frequencyInMinutes,
            .userProvided("host", required: true, schema: hostName),
            imageVersion,
            .userProvided("include_schemas_in_destination_stream_name", schema: booleanText),
            .userProvided("itersize", schema: digits),
            .userProvided("password", required: true, credential: true, schema: text),
            .userProvided("port", required: true, schema: ["type": "integer"]),
            .userProvided("ssh", schema: booleanText),
            .userProvided("ssh_host", schema: hostName),
            .userProvided("ssh_port", schema: digits),
            .userProvided("ssh_user", schema: text),
            .userProvided("ssl", schema: booleanText),
            .userProvided("user", required: true, schema: text),
        ])] + laterSteps,
        details: SourceTypeDetails(pricingTier: "standard", pipelineState: "released", defaultStartDate: nil,
                                   defaultSchedulingInterval: 30, protocol: "platform.postgres", access: true),
        systemProperties: [("image_version", "0.latest"), ("product", "pipeline")],
        discovery: StreamCatalog.postgres)

    // MARK: platform.hubspot

    /// A SaaS source with an OAuth step, as the docs' list example shows it. The OAuth fields are
    /// `system_provided_by_default`: Stitch's app fills them in, and API clients may send them
    /// with the form in one POST or PUT (spec §2.4.2, `oauth`).
    static let hubspot = SourceTypeDefinition(
        type: "platform.hubspot",
        steps: [
            ConnectionStep(type: .form, properties: [
                anchorTime, cronExpression, frequencyInMinutes, imageVersion, startDate,
            ]),
            ConnectionStep(type: .oauth, properties: [
                .providedByDefault("client_id", schema: text),
                .providedByDefault("client_secret", schema: text),
                .providedByDefault("redirect_uri", schema: ["type": "string", "format": "uri"]),
                .providedByDefault("refresh_token", schema: text),
            ]),
        ] + laterSteps,
        details: SourceTypeDetails(pricingTier: "premium", pipelineState: "released", defaultStartDate: "-30 days",
                                   defaultSchedulingInterval: 30, protocol: "platform.hubspot", access: true),
        systemProperties: pipelineProperties,
        discovery: StreamCatalog.hubspot)

    // MARK: platform.closeio

    /// A SaaS source without OAuth: the API key is a credential form field.
    static let closeio = SourceTypeDefinition(
        type: "platform.closeio",
        steps: [ConnectionStep(type: .form, properties: [
            anchorTime,
            .userProvided("api_key", required: true, credential: true, schema: text),
            cronExpression, frequencyInMinutes, imageVersion, startDate,
        ])] + laterSteps,
        details: SourceTypeDetails(pricingTier: "premium", pipelineState: "released", defaultStartDate: "-1 year",
                                   defaultSchedulingInterval: 30, protocol: "platform.closeio", access: true),
        systemProperties: pipelineProperties,
        discovery: StreamCatalog.closeio)
}
