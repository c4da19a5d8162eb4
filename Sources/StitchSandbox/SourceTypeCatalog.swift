import StitchAPI

/// The source types the sandbox knows: only `import_api`, as the tutorial shows it.
enum SourceTypeCatalog {
    static let importAPI = "import_api"

    private static let steps = [ConnectionStep(type: .form), ConnectionStep(type: .fullyConfigured)]

    /// `GET /v4/source-types/{type}`: the tutorial's card, byte for byte in content. The docs'
    /// 2022 list shows `import_api` at step 2 instead [?]; the tutorial's step 1/`form` is what a
    /// user walking through creation expects (spec §2.5.2 suggests the same).
    static func sourceTypeCard(for type: String) -> ReportCard? {
        guard type == importAPI else { return nil }
        let details = SourceTypeDetails(pricingTier: "standard", pipelineState: "released", defaultStartDate: "-1 year",
                                        defaultSchedulingInterval: 60, protocol: importAPI, access: true)
        return ReportCard(type: importAPI, currentStep: 1, currentStepType: .form, steps: steps, details: details)
    }

    /// The card inside a created Import API source: the form needs nothing, so it is complete.
    static func configuredCard(for type: String) -> ReportCard {
        ReportCard(type: type, currentStep: 2, currentStepType: .fullyConfigured, steps: steps)
    }
}
