import WizardCore

/// A reply body as a person reads it (`ReplyLines`, in the core so the history's detail, which
/// the core scrolls, counts the same lines the view draws).
enum ReplyText {
    static func lines(of body: String) -> [String] { ReplyLines.lines(of: body) }
}
