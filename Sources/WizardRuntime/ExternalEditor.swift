import Foundation
import RecordBatch
import WizardCore

#if canImport(Glibc)
import Glibc
#endif

/// The record editor's `$EDITOR` hand-off (issue 8 item 1): the batch's raw JSON goes to a new
/// temporary file (mode 0600: the rows may be anyone's data), `$EDITOR` (else `vi`) runs on it
/// with the terminal, and the saved text is read back as a batch. The file is removed afterwards,
/// whatever happened. The caller gives the terminal up for the run (`TerminalDevice.suspend`).
enum ExternalEditor {
    /// Runs the hand-off; `editor` is the command (`$EDITOR`, which may hold arguments such as
    /// `code --wait`), run by `/bin/sh` with the file's path as its last argument.
    static func edit(_ batch: RecordBatch, editor: String, sequencesFrom now: Int64) -> WizardReply {
        let original = batch.rawText(sequencesFrom: now)
        let path: String
        do throws(Failure) {
            path = try temporaryFile(holding: original)
        } catch {
            return .failed(.editExternally, WizardFailure(message: error.message))
        }
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The command is the shell's to split (an editor with flags); the path is passed as "$1", never spliced in.
        process.arguments = ["-c", editor + " \"$1\"", "stitch-wizard-editor", path]
        do {
            try process.run()
        } catch {
            return .failed(.editExternally, WizardFailure(message: "Could not start \(editor): \(error.localizedDescription).",
                                                          hint: "Set EDITOR to an editor on your PATH, e.g. EDITOR=nano."))
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            return .failed(.editExternally, WizardFailure(
                message: "\(editor) ended with status \(process.terminationStatus); the batch is unchanged.",
                hint: process.terminationStatus == 127 ? "The shell did not find \(editor): set EDITOR to an editor on your PATH." : nil))
        }
        guard let data = FileManager.default.contents(atPath: path), let edited = String(data: data, encoding: .utf8) else {
            return .failed(.editExternally, WizardFailure(message: "The edited file is gone or not UTF-8; the batch is unchanged."))
        }
        if edited == original || edited == original + "\n" { return .externalEdit(.unchanged) }
        do throws(LoadProblem) {
            return .externalEdit(.edited(try RecordBatch(rawText: edited)))
        } catch {
            return .externalEdit(.invalid(text: edited, error))
        }
    }

    /// `$EDITOR` from `environment`, `vi` when unset or empty (as git and crontab do).
    static func command(in environment: [String: String]) -> String {
        let editor = environment["EDITOR"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return editor.isEmpty ? "vi" : editor
    }

    struct Failure: Error {
        var message: String
    }

    /// A new file in the temporary folder, mode 0600 (`mkstemps`), holding `text`; its path.
    static func temporaryFile(holding text: String) throws(Failure) -> String {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder.hasSuffix("/") ? folder : folder + "/").utf8CString.dropLast())
            + Array("stitch-batch-XXXXXX.json".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemps($0, 5) } ?? -1
        }
        guard descriptor >= 0 else {
            throw Failure(message: "Could not create a temporary file in \(folder): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        let path = String(cString: template)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                unlink(path)
                throw Failure(message: "Could not write the temporary file \(path): \(String(cString: strerror(errno))).")
            }
            written += count
        }
        return path
    }
}
