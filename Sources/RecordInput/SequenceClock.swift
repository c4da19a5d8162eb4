#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sequence` values for the messages of one push (spec §3.8): nanoseconds since the epoch, and
/// always at least one more than the last. A later push therefore wins over an earlier one for
/// the same key, like target-stitch's time-based 19-digit sequences, and the records of one push
/// keep their input order (the last of two lines with the same key wins).
public struct SequenceClock: Sendable {
    private var last: Int64
    private let now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64 = SequenceClock.wallNanoseconds) {
        self.now = now
        last = 0
    }

    public mutating func next() -> Int64 {
        last = max(last &+ 1, now())
        return last
    }

    @Sendable public static func wallNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
