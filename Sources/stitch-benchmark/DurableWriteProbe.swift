import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The disk's own pace for a durable write: write a small file, fsync it, rename it into place,
/// fsync the directory (what the sandbox's inbox did per batch before its append-only log, which
/// now appends and fdatasyncs instead). Measured in the same run, it is the yardstick for
/// one-record batches from one client.
enum DurableWriteProbe {
    /// Median and mean milliseconds per durable write, over `count` writes of `bytes` bytes in
    /// `directory`. Both, because a busy disk shows up as a long tail: the mean drifts from the median.
    static func milliseconds(in directory: String, count: Int = 200, bytes: Int = 600) throws(BenchmarkError)
        -> (median: Double, mean: Double)
    {
        let samples = try samples(in: directory, count: count, bytes: bytes)
        return (Statistics.median(samples), samples.reduce(0, +) / Double(samples.count))
    }

    /// Milliseconds of each of `count` durable writes of `bytes` bytes in `directory`.
    static func samples(in directory: String, count: Int = 200, bytes: Int = 600) throws(BenchmarkError) -> [Double] {
        let probe = directory + "/durable-write-probe"
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil else {
            throw .wrongResult("cannot create \(probe)")
        }
        defer { try? FileManager.default.removeItem(atPath: probe) }
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: bytes)
        let clock = ContinuousClock()
        var samples: [Double] = []
        for index in 0..<count {
            let temporary = "\(probe)/\(index).tmp", final = "\(probe)/\(index).batch"
            let start = clock.now
            let file = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard file >= 0 else { throw .wrongResult("cannot write \(temporary): errno \(errno)") }
            let written = payload.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
            let synced = fsync(file)
            close(file)
            guard written == bytes, synced == 0, rename(temporary, final) == 0 else {
                throw .wrongResult("durable write probe failed: errno \(errno)")
            }
            let folder = open(probe, O_RDONLY)
            guard folder >= 0, fsync(folder) == 0 else { throw .wrongResult("cannot fsync \(probe): errno \(errno)") }
            close(folder)
            samples.append((clock.now - start).seconds * 1000)
        }
        return samples
    }
}
