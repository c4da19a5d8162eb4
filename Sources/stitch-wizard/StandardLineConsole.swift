import Foundation
import NcursesBackend
import WizardRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The line mode's streams: standard input, output and error, unbuffered so each question is out
/// before its answer is read.
@MainActor
final class StandardLineConsole: LineConsole {
    private let inputIsTerminal = isatty(STDIN_FILENO) == 1

    func write(_ text: String) { Self.standardOutput(text) }

    func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func ask(_ question: String, isSecret: Bool) async -> String? {
        // Asked on a thread of its own: a blocking read must not hold the main actor or Swift's
        // cooperative threads, which the in-process sandbox needs to answer requests.
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            Thread {
                let ask = {
                    Self.standardOutput(question)
                    return Swift.readLine()
                }
                // Echo goes off before the question shows, so no key typed after it is echoed.
                continuation.resume(returning: isSecret ? HiddenInput.withEchoOff(ask) : ask())
            }.start()
        }
        guard let line else { return nil }
        if !inputIsTerminal {
            // From a pipe nothing was echoed: the answer follows its question, so the output reads
            // as a transcript, without any control character it held. A secret is never written back.
            let shown = isSecret ? "" : String(String.UnicodeScalarView(line.unicodeScalars.filter {
                $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value)
            }))
            write(shown + "\n")
        } else if isSecret {
            // The terminal did not echo the Enter either.
            write("\n")
        }
        return line
    }

    private nonisolated static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
