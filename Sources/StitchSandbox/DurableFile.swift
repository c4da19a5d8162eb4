#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Crash-safe file writes: write a temporary file, fsync it, rename it into place, fsync the
/// directory. After `write` returns, the file survives `kill -9` and power loss with either its
/// old or its new content, never a torn one.
#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var path: String
        var code: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    static func write(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t = 0o644) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        try writeSynced(bytes, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(operation: "rename to", path: path, code: code)
        }
        try syncDirectory(containing: path)
    }

    /// Writes and fsyncs a new file, failing if it exists.
    static func writeSynced(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(operation: "create", path: path, code: errno) }
        var succeeded = false
        defer {
            close(descriptor)
            if !succeeded { unlink(path) }
        }
        let data = Array(bytes)
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

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map(Array.init)
    }
}
