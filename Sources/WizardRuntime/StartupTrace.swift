#if canImport(Glibc)
import Glibc
#endif

/// Start-up checkpoints for measuring where the time before the first frame goes.
///
/// Set `STITCH_WIZARD_STARTUP_TRACE` to a file path and each `mark` appends a line
/// `<CLOCK_MONOTONIC ns> <name>` to it; a harness that notes the same clock before it spawns the
/// wizard subtracts. Unset (always, outside measurements), a mark is one check of a flag read once.
public enum StartupTrace {
    private static let descriptor: Int32 = {
        guard let path = getenv("STITCH_WIZARD_STARTUP_TRACE") else { return -1 }
        return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    }()

    public static func mark(_ name: StaticString) {
        let descriptor = descriptor
        guard descriptor >= 0 else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let line = "\(Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)) \(name)\n"
        _ = line.withCString { write(descriptor, $0, strlen($0)) }
    }
}
