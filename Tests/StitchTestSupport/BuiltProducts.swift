import Foundation

/// The package's executables as `swift test` builds them: next to the test bundle.
public enum BuiltProducts {
    /// Where `name` is built; the package's `.build/debug` when no candidate has it (starting it
    /// then fails with that path named).
    public static func path(_ name: String) -> String {
        candidates(name).first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates(name).last ?? name
    }

    public static func isBuilt(_ name: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path(name))
    }

    private static func candidates(_ name: String) -> [String] {
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        if let executable = Bundle.main.executablePath {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        directories += [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        // Tests/StitchTestSupport/<this file> -> package root -> .build/debug
        directories.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug"))
        return directories.map { $0.appendingPathComponent(name).path }
    }
}
