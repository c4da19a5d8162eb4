import TerminalUI

/// One question of a form (huh's `Field`): the full-screen form and the line mode drive the
/// same value, so a rule is written once and both modes apply it.
public protocol FormField: Sendable {
    /// The property name sent to the API (`display_name` for the source's display name).
    var id: String { get }
    var label: String { get }
    /// A line under the field: what the value is for, or what it will become.
    var description: String? { get }
    var isRequired: Bool { get }
    /// Masked on screen, read without echo in the line mode, never logged or put in goldens.
    var isSecret: Bool { get }
    /// Not asked now (read-only, system-provided): focus and the line mode pass it by.
    var isSkipped: Bool { get }
    /// The value to send; nil when an optional field was left empty.
    var value: String? { get }
    /// Why the value cannot be submitted, checked as the user types; nil when it can.
    func validate() -> String?
    /// A key while focused; true when the field used it.
    mutating func update(_ key: Key) -> Bool
    /// Keys the field takes while focused (← → on a choice), for the help bar.
    var keyHelp: [KeyHelp] { get }
    /// Draws the input into the first row of `area`.
    func view(into frame: inout Frame, at area: Rect, focused: Bool)
    /// The line mode's question: the label first, the default in brackets, ": " last.
    var accessiblePrompt: LinePrompt { get }
    /// The line mode's answer; the problem when the answer is refused (the value stays as it was).
    mutating func accept(_ line: String) -> String?
    func isEqual(to other: any FormField) -> Bool
}

extension FormField where Self: Equatable {
    public func isEqual(to other: any FormField) -> Bool { (other as? Self) == self }
}
