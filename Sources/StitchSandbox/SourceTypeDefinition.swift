import StitchAPI

/// Everything the sandbox knows about one source type: its report card template, the values
/// Stitch sets by itself, and the streams its simulated discovery finds.
struct SourceTypeDefinition: Sendable {
    var type: String
    /// The card's steps as `GET /v4/source-types/{type}` shows them: nothing provided yet.
    var steps: [ConnectionStep]
    var details: SourceTypeDetails
    /// Properties Stitch fills in itself when a source is created, in the order the docs'
    /// examples list them (`image_version`, `product`). Empty for `import_api`, whose
    /// `properties` the docs show as `{}`.
    var systemProperties: [(name: String, value: String)]
    /// What discovery finds; empty for `import_api` (its tables come from pushes).
    var discovery: StreamDiscovery

    /// The template card: step 1/`form`, with `details` (spec §2.5.2).
    var templateCard: ReportCard {
        ReportCard(type: type, currentStep: 1, currentStepType: steps.first?.type, steps: steps, details: details)
    }

    /// Every property of every step, in card order.
    var allProperties: [StepProperty] { steps.flatMap(\.properties) }

    func property(named name: String) -> StepProperty? { allProperties.first { $0.name == name } }

    /// Whether the card has a `discover_schema` step; `import_api` goes straight from `form` to
    /// `fully_configured`.
    var discoversSchema: Bool { steps.contains { $0.type == .discoverSchema } }
}

/// Builders for the property objects of spec §2.4.2, so the catalog reads like the docs.
extension StepProperty {
    /// A form field the user fills in (`property_type: user_provided`).
    static func userProvided(_ name: String, required: Bool = false, credential: Bool = false,
                             schema: JSONValue?) -> StepProperty {
        StepProperty(name: name, isRequired: required, isCredential: credential, systemProvided: false,
                     propertyType: "user_provided", jsonSchema: schema ?? .null, provided: false, tapMutable: false)
    }

    /// Set inside Stitch; a request that sets it is refused (`property_type: read_only`).
    static func readOnly(_ name: String, required: Bool = false, schema: JSONValue? = nil) -> StepProperty {
        StepProperty(name: name, isRequired: required, isCredential: false, systemProvided: true,
                     propertyType: "read_only", jsonSchema: schema ?? .null, provided: false, tapMutable: false)
    }

    /// Usually filled by Stitch's OAuth flow, but settable over the API
    /// (`property_type: system_provided_by_default`).
    static func providedByDefault(_ name: String, required: Bool = true, credential: Bool = true,
                                  schema: JSONValue?) -> StepProperty {
        StepProperty(name: name, isRequired: required, isCredential: credential, systemProvided: true,
                     propertyType: "system_provided_by_default", jsonSchema: schema ?? .null, provided: false,
                     tapMutable: false)
    }

    var required: Bool { isRequired ?? false }
    var credential: Bool { isCredential ?? false }
    var isReadOnly: Bool { propertyType == "read_only" }
    var isImmutable: Bool { propertyType == "user_provided_immutable" }
}
