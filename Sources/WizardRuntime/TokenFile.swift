import Foundation
import StitchAPI

#if canImport(Glibc)
import Glibc
#endif

/// Saves an access token to a file only its owner can read.
enum TokenFile {
    struct SaveError: Error {
        var message: String
    }

    /// Creates `path` (never overwriting) with mode 0600 and the token on one line.
    /// Returns the absolute path written.
    static func write(_ token: ImportAccessToken, to path: String, relativeTo directory: String) throws(SaveError) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : directory + "/" + expanded
        // O_EXCL: refusing to overwrite protects an older token the user may still need.
        let descriptor = open(absolute, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "the file already exists (choose another name)" : String(cString: strerror(errno))
            throw SaveError(message: "Could not save to \(absolute): \(reason).")
        }
        defer { close(descriptor) }
        let bytes = Array((token.accessToken + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(absolute)
            throw SaveError(message: "Could not write \(absolute): \(String(cString: strerror(errno))).")
        }
        return absolute
    }
}
