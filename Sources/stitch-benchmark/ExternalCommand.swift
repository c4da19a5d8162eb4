import Foundation

/// Runs a command-line tool (`sqlite3`, `psql`) to completion, for the native bulk loads and
/// for reading back what was loaded.
struct ExternalCommand: Sendable {
    /// Absolute path, or a name looked up on PATH.
    let executable: String
    /// Extra environment, e.g. `PGPASSWORD`, which must not appear in argv.
    var environment: [String: String] = [:]

    /// The path `executable` resolves to, or nil when it cannot be found.
    var resolvedPath: String? {
        if executable.contains("/") {
            return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(executable)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the tool and returns its standard output; throws with its standard error when it fails.
    /// `standardOutputPath` sends standard output to that file instead (e.g. a CSV export).
    @discardableResult
    func run(_ arguments: [String], standardOutputPath: String? = nil) async throws(BenchmarkError) -> String {
        guard let path = resolvedPath else { throw .missingTool(executable, hint: "install it or pass its path") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        // Files rather than pipes: a large CSV export would fill a pipe nobody drains while we wait.
        let scratch = FileManager.default.temporaryDirectory
        let errorFile = scratch.appendingPathComponent("stitch-benchmark-\(UUID().uuidString).err")
        let outputFile = standardOutputPath.map(URL.init(fileURLWithPath:))
            ?? scratch.appendingPathComponent("stitch-benchmark-\(UUID().uuidString).out")
        defer {
            try? FileManager.default.removeItem(at: errorFile)
            if standardOutputPath == nil { try? FileManager.default.removeItem(at: outputFile) }
        }
        let errorHandle: FileHandle, outputHandle: FileHandle
        do {
            guard FileManager.default.createFile(atPath: errorFile.path, contents: nil),
                  FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            else { throw CocoaError(.fileWriteUnknown) }
            errorHandle = try FileHandle(forWritingTo: errorFile)
            outputHandle = try FileHandle(forWritingTo: outputFile)
        } catch {
            throw .commandFailed(executable, status: -1, output: "cannot create its output files: \(error)")
        }
        defer {
            try? errorHandle.close()
            try? outputHandle.close()
        }
        process.standardError = errorHandle
        process.standardOutput = outputHandle
        let status: Int32
        do {
            status = try await withCheckedThrowingContinuation { continuation in
                // The handler, not waitUntilExit(): waiting would block one of the two cooperative threads.
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            throw .commandFailed(executable, status: -1, output: "\(error)")
        }
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        guard status == 0 else { throw .commandFailed(executable, status: status, output: errors) }
        guard standardOutputPath == nil else { return "" }
        return (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }
}
