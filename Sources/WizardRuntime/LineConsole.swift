/// What the accessible line mode needs from its streams: standard input, output and error in the
/// product (`StandardLineConsole` in the executable), a script in tests.
@MainActor
public protocol LineConsole: AnyObject {
    /// Writes `text` to standard output as it is: a question is written without a newline, so the
    /// answer is typed after it.
    func write(_ text: String)
    /// Writes one line to standard error (a cancellation, a notice).
    func writeError(_ line: String)
    /// The next line of input without its line break; nil at the end of input. A secret is read
    /// without echo when standard input is a terminal, and never written back.
    func readLine(isSecret: Bool) async -> String?
}
