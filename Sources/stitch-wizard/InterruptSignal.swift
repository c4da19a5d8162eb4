import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C in the line mode, delivered to the main queue instead of ending the process at once, so
/// the run can print its exit summary (the source and token it made) before it exits with 130.
///
/// While a secret is read, `HiddenInput`'s restore handlers take SIGINT over for that read (echo
/// must come back first) and put this disposition back afterwards.
@MainActor
final class InterruptSignal {
    private let source: DispatchSourceSignal

    /// - Parameter handler: what to print first; the process then exits with 130, as a shell
    ///   expects of a command ended by Ctrl-C.
    init(_ handler: @escaping @MainActor () -> Void) {
        // Ignored as a disposition, so only the dispatch source sees it.
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .main)
        source.setEventHandler {
            MainActor.assumeIsolated { handler() }
            exit(130)
        }
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
