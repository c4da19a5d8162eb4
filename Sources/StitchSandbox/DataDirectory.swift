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

    /// Creates the directory and proves it writable now, rather than on the first request.
    static func prepare(_ path: String) throws(SandboxError) -> DataDirectory {
        let standardized = (path as NSString).expandingTildeInPath
        do {
            try FileManager.default.createDirectory(atPath: standardized, withIntermediateDirectories: true)
        } catch {
            throw .dataDirectoryNotWritable(path: standardized, reason: error.localizedDescription)
        }
        let probe = standardized + "/.write-probe-\(getpid())"
        do {
            try DurableFile.writeSynced([0x0a], to: probe, mode: 0o600)
            unlink(probe)
        } catch {
            throw .dataDirectoryNotWritable(path: standardized, reason: error.description)
        }
        return DataDirectory(path: standardized)
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
