/// What a screen asks in the accessible line mode: plain lines, no escape sequences. The line
/// runner prints `lines` (when they differ from what it printed last), the numbered `options`,
/// then `question`, and hands the answer back to the same screen model the full-screen mode
/// uses, so both modes share every rule.
public struct LinePrompt: Sendable, Equatable {
    /// Context printed before the question: a title, the state of a request, an error.
    public var lines: [String]
    /// Numbered choices printed before the question (answered by number or name).
    public var options: [String]
    /// Ends in ": " (a field) or "[y/n]: " (a yes/no question); nil while the screen waits for a
    /// reply and there is nothing to answer.
    public var question: String?
    /// Read without echo on a terminal, and never written back.
    public var isSecret: Bool

    public init(lines: [String] = [], options: [String] = [], question: String? = nil, isSecret: Bool = false) {
        self.lines = lines
        self.options = options
        self.question = question
        self.isSecret = isSecret
    }
}
