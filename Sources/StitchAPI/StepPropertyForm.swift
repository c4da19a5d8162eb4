/// How a form treats a report card property (spec §2.4.2, "Property object").
extension StepProperty {
    /// The editor to offer (see `PropertyFieldKind`).
    public var fieldKind: PropertyFieldKind { PropertyFieldKind(self) }

    /// `is_credential`: masked while typed, never echoed, logged or stored; the API never
    /// returns its value.
    public var isSecret: Bool { isCredential ?? false }

    /// Whether the user is asked for it. `user_provided`, `user_provided_immutable` and
    /// `user_provided_advanced` are; `read_only` (set inside Stitch) and
    /// `system_provided_by_default` (filled in by Stitch's OAuth flow) are not. Without a
    /// `property_type`, the deprecated `system_provided` flag decides.
    public var isAsked: Bool {
        switch propertyType {
        case "user_provided", "user_provided_immutable", "user_provided_advanced": true
        case "read_only", "system_provided_by_default": false
        default: systemProvided != true
        }
    }

    /// `user_provided_immutable`: it can be set once only, so a form for an existing source
    /// shows it but does not offer to change it once `provided`.
    public var isSetOnce: Bool { propertyType == "user_provided_immutable" }

    /// `is_required`: the step is not finished until it is provided.
    public var isMandatory: Bool { isRequired ?? false }

    /// The schema's `default`, as the text a form prefills (strings as they are, other values
    /// as JSON); nil when the schema has none.
    public var defaultValue: String? {
        guard let value = jsonSchema?["default"], value != .null else { return nil }
        return PropertyRule.text(of: value)
    }
}
