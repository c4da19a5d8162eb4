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
            throw SaveError(message: "Could not save to \(absolute): \(reason(errno, path: absolute)).")
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

    /// Why `open` failed, in words that say what to do. O_EXCL answers EEXIST for a directory too,
    /// so the path is looked at before calling it an existing file.
    private static func reason(_ error: Int32, path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let example = (path.hasSuffix("/") ? path : path + "/") + "stitch-import-token.txt"
            return "that is a directory; add a file name, e.g. \(example)"
        }
        switch error {
        case EEXIST: return "a file with that name already exists and is never overwritten; choose another name"
        case EISDIR: return "that is a directory; add a file name"
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            return "the directory \(parent) does not exist"
        case EACCES: return "permission denied; choose a directory you can write to"
        default: return String(cString: strerror(error))
        }
    }
}
