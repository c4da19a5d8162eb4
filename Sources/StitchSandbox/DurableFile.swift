#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Crash-safe file writes: write a temporary file, fsync it, rename it into place, fsync the
/// directory. After `write` returns, the file survives `kill -9` and power loss with either its
/// old or its new content, never a torn one. (The inbox's batches go to its log instead: see `Inbox`.)
#if canImport(Glibc)
private let systemWrite = Glibc.write
private let systemRead = Glibc.read
#else
private let systemWrite = Darwin.write
private let systemRead = Darwin.read
#endif

enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var path: String
        var code: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// Files are private by default (0600): the data directory holds batches and tokens.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(Failure) {
        try write([bytes], to: path, mode: mode)
    }

    /// Writes `parts` one after another into one file: a header and a body need not be joined
    /// into a third copy first.
    static func write(_ parts: [[UInt8]], to path: String, mode: mode_t = 0o600) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        try writeSynced(parts, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(operation: "rename to", path: path, code: code)
        }
        try syncDirectory(containing: path)
    }

    /// Writes and fsyncs a new file, failing if it exists.
    static func writeSynced(_ bytes: [UInt8], to path: String, mode: mode_t) throws(Failure) {
        try writeSynced([bytes], to: path, mode: mode)
    }

    /// `flags`: how to open it (by default a new file; `O_TRUNC` rewrites an existing one).
    static func writeSynced(_ parts: [[UInt8]], to path: String, mode: mode_t, flags: Int32 = O_CREAT | O_EXCL) throws(Failure) {
        let descriptor = open(path, O_WRONLY | flags | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(operation: "create", path: path, code: errno) }
        var succeeded = false
        defer {
            close(descriptor)
            if !succeeded { unlink(path) }
        }
        for data in parts {
            var offset = 0
            while offset < data.count {
                let written = data.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return systemWrite(descriptor, base + offset, data.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Failure(operation: "write", path: path, code: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw Failure(operation: "fsync", path: path, code: errno) }
        succeeded = true
    }

    static func syncDirectory(containing path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(operation: "open directory", path: directory, code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(operation: "fsync directory", path: directory, code: errno) }
    }

    /// The whole file, read straight into one array (no intermediate `Data`); nil if it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}
