import Foundation
import RecordBatch
import RecordInput
import WizardCore

#if canImport(Glibc)
import Glibc
#endif

/// The record editor's files: loading and saving run on the global executor, not on the runner's
/// actor, so a large file does not hold up a send's next request or a poll.
extension EffectRunner {
    func loadRecords(path: String, format: RecordFormat?) async -> WizardEvent {
        let absolute = Self.absolute(path, relativeTo: currentDirectory)
        var status = stat()
        if stat(absolute, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            return .reply(.failed(.loadRecords, WizardFailure(message: "\(path) is a folder: type the path of a file in it.")))
        }
        let loaded = await Task.detached { RecordFileLoader.load(path: absolute, format: format) }.value
        // The loader says a file it cannot open as its one problem, at line 0.
        if loaded.batch.rowCount == 0, !loaded.readToEnd, loaded.problems.count == 1, let problem = loaded.problems.first,
           problem.line == 0 {
            let where_ = path.hasPrefix("/") || path.hasPrefix("~") ? "" : " (relative to \(currentDirectory))"
            return .reply(.failed(.loadRecords, WizardFailure(message: problem.message + where_ + ".")))
        }
        return .reply(.recordsLoaded(path: path, loaded))
    }

    func saveRecords(_ batch: RecordBatch, path: String, format: RecordFormat, overwrite: Bool) async -> WizardEvent {
        let absolute = Self.absolute(path, relativeTo: currentDirectory)
        let now = Self.wallMilliseconds()
        let result = await Task.detached { () -> Result<Int, RecordFileWriteError> in
            do throws(RecordFileWriteError) {
                return .success(try RecordFileWriter.write(batch, to: absolute, format: format, overwrite: overwrite,
                                                           sequencesFrom: now))
            } catch {
                return .failure(error)
            }
        }.value
        switch result {
        case .success(let rows):
            return .reply(.recordsSaved(path: path, rows: rows))
        case .failure(.exists):
            return .reply(.failed(.saveRecords, WizardFailure(code: WizardFailure.fileExists, message: "\(path) already exists.")))
        case .failure(let error):
            return .reply(.failed(.saveRecords, WizardFailure(message: "Not saved: \(error).")))
        }
    }

    /// `~/` expanded; a relative path taken from `directory` (the wizard's current directory).
    static func absolute(_ path: String, relativeTo directory: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : directory + "/" + expanded
    }
}
