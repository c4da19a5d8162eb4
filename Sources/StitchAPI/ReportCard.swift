/// A source's report card: the ordered connection steps and which one is current.
/// Connect API v4, spec §2.4.2. `current_step` is 1-based in every documented example.
public struct ReportCard: Codable, Sendable, Hashable {
    public var type: String
    public var currentStep: Int
    /// Sent by the API although the docs' attribute table omits it; derived from `steps` when absent.
    public var currentStepType: StepType?
    public var steps: [ConnectionStep]
    /// Present on `/v4/source-types*` only; absent inside Source objects.
    public var details: SourceTypeDetails?

    public init(type: String, currentStep: Int, currentStepType: StepType? = nil, steps: [ConnectionStep],
                details: SourceTypeDetails? = nil) {
        self.type = type
        self.currentStep = currentStep
        self.currentStepType = currentStepType ?? steps[safe: currentStep - 1]?.type
        self.steps = steps
        self.details = details
    }

    /// The step `current_step` points at, if the index is in range.
    public var current: ConnectionStep? { steps[safe: currentStep - 1] }

    /// The current step's type, from `current_step_type` or else from `steps`.
    public var effectiveStepType: StepType? { currentStepType ?? current?.type }

    enum CodingKeys: String, CodingKey {
        case type
        case currentStep = "current_step"
        case currentStepType = "current_step_type"
        case steps
        case details
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(currentStep, forKey: .currentStep)
        try container.encodeIfPresent(currentStepType, forKey: .currentStepType)
        try container.encode(steps, forKey: .steps)
        try container.encodeIfPresent(details, forKey: .details)
    }
}

/// The kind of a connection step. Unknown kinds are kept, so a newer API cannot crash a client.
public enum StepType: Sendable, Hashable, Codable, CustomStringConvertible {
    case form
    case oauth
    case profile
    case discoverSchema
    case fieldSelection
    case fullyConfigured
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "form": self = .form
        case "oauth": self = .oauth
        case "profile": self = .profile
        case "discover_schema": self = .discoverSchema
        case "field_selection": self = .fieldSelection
        case "fully_configured": self = .fullyConfigured
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .form: "form"
        case .oauth: "oauth"
        case .profile: "profile"
        case .discoverSchema: "discover_schema"
        case .fieldSelection: "field_selection"
        case .fullyConfigured: "fully_configured"
        case .other(let raw): raw
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One step of a report card.
public struct ConnectionStep: Codable, Sendable, Hashable {
    public var type: StepType
    public var properties: [StepProperty]

    public init(type: StepType, properties: [StepProperty] = []) {
        self.type = type
        self.properties = properties
    }
}

/// A property a step asks for (spec §2.4.2, "Property object").
public struct StepProperty: Codable, Sendable, Hashable {
    public var name: String
    public var isRequired: Bool?
    public var isCredential: Bool?
    public var systemProvided: Bool?
    public var propertyType: String?
    /// A JSON Schema fragment (an object, whatever the docs' table says), or null.
    public var jsonSchema: JSONValue?
    public var provided: Bool?
    public var tapMutable: Bool?

    public init(name: String, isRequired: Bool? = nil, isCredential: Bool? = nil, systemProvided: Bool? = nil,
                propertyType: String? = nil, jsonSchema: JSONValue? = nil, provided: Bool? = nil,
                tapMutable: Bool? = nil) {
        self.name = name
        self.isRequired = isRequired
        self.isCredential = isCredential
        self.systemProvided = systemProvided
        self.propertyType = propertyType
        self.jsonSchema = jsonSchema
        self.provided = provided
        self.tapMutable = tapMutable
    }

    enum CodingKeys: String, CodingKey {
        case name
        case isRequired = "is_required"
        case isCredential = "is_credential"
        case systemProvided = "system_provided"
        case propertyType = "property_type"
        case jsonSchema = "json_schema"
        case provided
        case tapMutable = "tap_mutable"
    }
}

/// `details` of a source type (spec §2.4.2, "Details object").
public struct SourceTypeDetails: Codable, Sendable, Hashable {
    public var pricingTier: String?
    public var pipelineState: String?
    public var defaultStartDate: String?
    public var defaultSchedulingInterval: Int?
    public var `protocol`: String?
    public var access: Bool?
    public var imageVersion: String?

    public init(pricingTier: String? = nil, pipelineState: String? = nil, defaultStartDate: String? = nil,
                defaultSchedulingInterval: Int? = nil, protocol: String? = nil, access: Bool? = nil,
                imageVersion: String? = nil) {
        self.pricingTier = pricingTier
        self.pipelineState = pipelineState
        self.defaultStartDate = defaultStartDate
        self.defaultSchedulingInterval = defaultSchedulingInterval
        self.protocol = `protocol`
        self.access = access
        self.imageVersion = imageVersion
    }

    enum CodingKeys: String, CodingKey {
        case pricingTier = "pricing_tier"
        case pipelineState = "pipeline_state"
        case defaultStartDate = "default_start_date"
        case defaultSchedulingInterval = "default_scheduling_interval"
        case `protocol`
        case access
        case imageVersion = "image_version"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
