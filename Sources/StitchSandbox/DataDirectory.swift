#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The files of a sandbox's data directory.
struct DataDirectory: Sendable {
    let path: String

    var statePath: String { path + "/state.json" }
    var connectTokenPath: String { path + "/connect-token" }

    /// The sandbox's own entries in the data directory (which may hold other things: only these
    /// are made private at start). Files the sandbox writes elsewhere in it go under these.
    static let ownEntries = ["state.json", "connect-token", "loads.json", "batch-counter", "inbox",
                             Inbox.loadedMarkerName, "failed", "destination"]
    /// Subdirectories made up front, so that they are private however they are filled later.
    private static let subdirectories = ["inbox", "failed", "destination"]

    /// Creates the directory and proves it writable now, rather than on the first request.
    ///
    /// Batches, tokens and loaded rows belong to one user: the directory and its subdirectories
    /// are 0700 and the sandbox's files 0600, and a directory left by an older version (0755 with
    /// 0644 files) is tightened the same way.
    static func prepare(_ path: String) throws(SandboxError) -> DataDirectory {
        let standardized = (path as NSString).expandingTildeInPath
        do {
            try FileManager.default.createDirectory(atPath: standardized, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            for name in subdirectories {
                try FileManager.default.createDirectory(atPath: standardized + "/" + name,
                                                        withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .dataDirectoryNotWritable(path: standardized, reason: error.localizedDescription)
        }
        makePrivate(standardized, recursing: false)
        for name in ownEntries { makePrivate(standardized + "/" + name, recursing: true) }
        let probe = standardized + "/.write-probe-\(getpid())"
        do {
            try DurableFile.writeSynced([0x0a], to: probe, mode: 0o600)
            unlink(probe)
        } catch {
            throw .dataDirectoryNotWritable(path: standardized, reason: error.description)
        }
        return DataDirectory(path: standardized)
    }

    /// Takes group and other permissions away from a directory (and, when `recursing`, from
    /// everything under it). Symbolic links are left alone, not followed; what cannot be changed
    /// is left as it is, since the sandbox can still run.
    private static func makePrivate(_ path: String, recursing: Bool) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFDIR {
            if status.st_mode & 0o077 != 0 { chmod(path, 0o700) }
            guard recursing, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names { makePrivate(path + "/" + name, recursing: true) }
        } else if kind == S_IFREG, status.st_mode & 0o077 != 0 {
            chmod(path, status.st_mode & 0o700)
        }
    }

    /// The Connect token: the one given, else the one saved, else a new one saved with mode 0600
    /// (it is a password to this sandbox's account).
    func connectToken(given: String?) throws(SandboxError) -> String {
        if let given {
            let token = given.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
                throw .invalidConnectToken(reason: "it must be non-empty and contain no spaces")
            }
            return token
        }
        if let saved = DurableFile.read(connectTokenPath) {
            let token = String(decoding: saved, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw .invalidConnectToken(reason: "\(connectTokenPath) is empty") }
            return token
        }
        let token = SecretToken.connect()
        do {
            try DurableFile.write(Array((token + "\n").utf8), to: connectTokenPath, mode: 0o600)
        } catch {
            throw .dataDirectoryNotWritable(path: connectTokenPath, reason: error.description)
        }
        return token
    }
}
