/// What the accessible line mode needs from its streams: standard input, output and error in the
/// product (`StandardLineConsole` in the executable), a script in tests.
@MainActor
public protocol LineConsole: AnyObject {
    /// Writes `text` to standard output as it is.
    func write(_ text: String)
    /// Writes one line to standard error (a cancellation, a notice).
    func writeError(_ line: String)
    /// Writes `question` to standard output, without a line break so the answer follows it, and
    /// reads the answer: the next line of input without its line break, nil at the end of input.
    /// A secret is read without echo when standard input is a terminal (echo goes off before the
    /// question is written, so nothing typed after it can show), and is never written back.
    func ask(_ question: String, isSecret: Bool) async -> String?
}
