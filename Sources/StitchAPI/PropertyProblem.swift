/// Why a form value is not acceptable for a report card property, worded for the person typing
/// it: what is wrong and what is expected ("must be an integer", "cannot be empty").
///
/// `message` completes a sentence that starts with the field's name, so a form shows
/// "port must be an integer" or, next to the field, just the message.
public struct PropertyProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// `property_type: read_only`: Stitch sets it; a request that sets it is refused.
        case readOnly
        /// The empty string, which the API refuses for every property (spec §2.5.3).
        case empty
        /// The value does not conform to the property's `json_schema`; the keyword that failed
        /// ("type", "pattern", "format", "enum", "anyOf" …), or nil when several did.
        case schema(keyword: String?)
        /// `cron_expression` is not a Quartz expression Stitch takes. The API reports this
        /// with its own error (`InvalidCronExpression`), not in `bad_properties`.
        case cronExpression
    }

    public var reason: Reason
    public var message: String

    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
