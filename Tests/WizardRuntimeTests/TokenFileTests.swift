import Foundation
import StitchAPI
import Testing
@testable import WizardRuntime

struct TokenFileTests {
    let token = ImportAccessToken(id: 7, accessToken: "at_FAKE_TOKEN_FOR_TESTS")

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenfile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesTheTokenReadableOnlyByItsOwner() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try TokenFile.write(token, to: "token.txt", relativeTo: directory)
        #expect(path == directory + "/token.txt")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "at_FAKE_TOKEN_FOR_TESTS\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func neverOverwritesAnExistingFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let existing = directory + "/old.txt"
        try "older token\n".write(toFile: existing, atomically: true, encoding: .utf8)
        #expect {
            try TokenFile.write(token, to: existing, relativeTo: "/")
        } throws: { error in
            (error as? TokenFile.SaveError)?.message.contains("already exists") == true
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "older token\n")
    }

    @Test func reportsAMissingDirectoryClearly() throws {
        #expect {
            try TokenFile.write(token, to: "/nonexistent-dir-\(UUID().uuidString)/t.txt", relativeTo: "/")
        } throws: { error in
            (error as? TokenFile.SaveError)?.message.contains("does not exist") == true
        }
    }

    /// Issue 15: O_EXCL answers EEXIST for a directory, which used to read "the file already exists".
    @Test(arguments: ["", "/"])
    func aDirectoryIsCalledADirectory(suffix: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect {
            try TokenFile.write(token, to: directory + suffix, relativeTo: "/")
        } throws: { error in
            let message = (error as? TokenFile.SaveError)?.message ?? ""
            return message.contains("is a directory") && !message.contains("already exists")
        }
    }
}
