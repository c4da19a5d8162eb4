import StitchAPI
import TerminalUI

/// The `form` step of an Import API source: its display name, with the schema name it makes.
public struct DisplayNameForm: Sendable, Equatable {
    public var field = TextField(text: "Import API", placeholder: "e.g. Import API")
    /// A rule broken on submit, or the API's refusal (InvalidName, InvalidDisplayName).
    public var error: String?

    public init() {}

    /// The destination schema name Stitch will derive; what the user sees while typing.
    public var schemaNamePreview: String { SourceName.derive(fromDisplayName: field.text) }

    /// Why submitting now would fail, checked before any request.
    public var problem: String? {
        if field.text.trimmed.isEmpty { return "Enter a display name." }
        return SourceName.problem(withDisplayName: field.text)?.description
    }
}
