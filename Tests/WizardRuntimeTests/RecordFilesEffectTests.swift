#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RecordBatch
import StitchAPI
import Testing
import WizardCore
@testable import WizardRuntime

/// The record editor's file effects run by the runner (load, save) and the `$EDITOR` hand-off,
/// against real files in a fresh folder.
struct RecordFilesEffectTests {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "record-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func tutorial() -> RecordBatch { EditorDocument.tutorial.batch }

    @Test func aFileLoadsRelativeToTheCurrentFolderAndIsLeftAsItWas() async throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = "{\"id\":1,\"name\":\"Ada\"}\n{\"id\":2,\"name\":\"Finn\"}\n{broken\n"
        try text.write(toFile: directory + "/people.jsonl", atomically: false, encoding: .utf8)
        let before = try FileManager.default.attributesOfItem(atPath: directory + "/people.jsonl")[.modificationDate] as? Date
        let runner = EffectRunner(currentDirectory: directory)
        guard case .reply(.recordsLoaded(let path, let loaded))? = await runner.run(.loadRecords(path: "people.jsonl", format: nil)) else {
            Issue.record("no recordsLoaded reply")
            return
        }
        #expect(path == "people.jsonl")
        #expect(loaded.batch.tableName == "people")
        #expect(loaded.batch.rowCount == 2)
        #expect(loaded.problems.map(\.line) == [3])
        #expect(try String(contentsOfFile: directory + "/people.jsonl", encoding: .utf8) == text)
        let after = try FileManager.default.attributesOfItem(atPath: directory + "/people.jsonl")[.modificationDate] as? Date
        #expect(before == after)
    }

    @Test func aMissingFileOrAFolderFailsWithWhatToCheck() async throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runner = EffectRunner(currentDirectory: directory)
        guard case .reply(.failed(.loadRecords, let missing))? = await runner.run(.loadRecords(path: "nope.csv", format: nil)) else {
            Issue.record("no failure for a missing file")
            return
        }
        #expect(missing.message.contains("No such file or directory"))
        #expect(missing.message.contains("relative to \(directory)"))
        guard case .reply(.failed(.loadRecords, let folder))? = await runner.run(.loadRecords(path: directory, format: nil)) else {
            Issue.record("no failure for a folder")
            return
        }
        #expect(folder.message == "\(directory) is a folder: type the path of a file in it.")
    }

    @Test func saveWritesANewFileAndReplacesOnlyWhenAsked() async throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runner = EffectRunner(currentDirectory: directory)
        let batch = tutorial()
        #expect(await runner.run(.saveRecords(batch, path: "out.json", format: .batch, overwrite: false))
                == .reply(.recordsSaved(path: "out.json", rows: 1)))
        #expect(RecordFileLoader.load(path: directory + "/out.json").batch.record(0) == batch.record(0))
        var status = stat()
        #expect(stat(directory + "/out.json", &status) == 0 && status.st_mode & 0o777 == 0o644)

        var renamed = batch
        try renamed.apply(.renameTable("other"))
        guard case .reply(.failed(.saveRecords, let exists))? = await runner.run(.saveRecords(renamed, path: "out.json", format: .batch,
                                                                                              overwrite: false)) else {
            Issue.record("an existing file was not refused")
            return
        }
        #expect(exists.code == WizardFailure.fileExists)
        #expect(RecordFileLoader.load(path: directory + "/out.json").batch.tableName == "customers")
        #expect(await runner.run(.saveRecords(renamed, path: "out.json", format: .batch, overwrite: true))
                == .reply(.recordsSaved(path: "out.json", rows: 1)))
        #expect(RecordFileLoader.load(path: directory + "/out.json").batch.tableName == "other")

        guard case .reply(.failed(.saveRecords, let unwritable))? = await runner.run(
            .saveRecords(batch, path: "missing/out.jsonl", format: .jsonl, overwrite: false)) else {
            Issue.record("a missing folder was not refused")
            return
        }
        #expect(unwritable.message.contains("does the folder exist?"))
    }

    @Test func theEditorsChangesComeBackAndTheTemporaryFileIsRemoved() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A scripted "editor": notes the file's mode and path, then renames the table in it.
        let script = directory + "/edit.sh"
        try """
            #!/bin/sh
            stat -c %a "$1" > "\(directory)/mode"
            echo "$1" > "\(directory)/path"
            sed -i 's/"customers"/"wizards"/' "$1"
            """.write(toFile: script, atomically: false, encoding: .utf8)
        chmod(script, 0o755)
        guard case .externalEdit(.edited(let batch)) = ExternalEditor.edit(tutorial(), editor: script, sequencesFrom: 5) else {
            Issue.record("the edit did not come back")
            return
        }
        #expect(batch.tableName == "wizards")
        #expect(batch.record(0) == tutorial().record(0))
        #expect(try String(contentsOfFile: directory + "/mode", encoding: .utf8) == "600\n")
        let temporary = try String(contentsOfFile: directory + "/path", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(access(temporary, F_OK) != 0)
    }

    @Test func anUnchangedFileABadEditAndAFailingEditorAreTold() throws {
        guard case .externalEdit(.unchanged) = ExternalEditor.edit(tutorial(), editor: "true", sequencesFrom: 5) else {
            Issue.record("an editor that changes nothing changed something")
            return
        }
        let broken = ExternalEditor.edit(tutorial(), editor: "sed -i '3s/.*/  oops/'", sequencesFrom: 5)
        guard case .externalEdit(.invalid(let text, let problem)) = broken else {
            Issue.record("a broken batch was not refused: \(broken)")
            return
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[2] == "  oops")
        #expect(problem.line == 3)
        guard case .failed(.editExternally, let failure) = ExternalEditor.edit(tutorial(), editor: "false", sequencesFrom: 5) else {
            Issue.record("a failing editor was not told")
            return
        }
        #expect(failure.message == "false ended with status 1; the batch is unchanged.")
        #expect(ExternalEditor.command(in: [:]) == "vi")
        #expect(ExternalEditor.command(in: ["EDITOR": " "]) == "vi")
        #expect(ExternalEditor.command(in: ["EDITOR": "nano -w"]) == "nano -w")
    }
}
