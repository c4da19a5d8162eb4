#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import RecordBatch
import StitchAPI
import Testing

struct RecordFileWriterTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "record-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aSavedBatchLoadsBackAsTheSameBatch() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let batch = try Fixtures.batch().appendingSampleRows(count: 40, seed: 3)
        let path = folder + "/customers.json"
        #expect(try RecordFileWriter.write(batch, to: path, format: RecordFileWriter.format(forPath: path), overwrite: false,
                                           sequencesFrom: 1_800_000_000_000) == 42)
        let loaded = RecordFileLoader.load(path: path)
        #expect(loaded.problems.isEmpty)
        #expect(loaded.format == .batch)
        // Unset sequences were numbered from `now`, one more per row, as sending does.
        #expect(loaded.batch.sequence(ofRow: 2) == 1_800_000_000_000)
        #expect(loaded.batch.sequence(ofRow: 41) == 1_800_000_000_039)
        #expect(loaded.batch.schema == batch.schema)
        #expect(loaded.batch.keyNames == batch.keyNames)
        // As JSON text: a whole number (12.0) reads back as the integer it is written as.
        #expect((0..<batch.rowCount).allSatisfy { JSONValue.object(loaded.batch.record($0)).jsonText == JSONValue.object(batch.record($0)).jsonText })
        #expect(loaded.batch.timeExtracted(ofRow: 1) == "2026-02-01T00:00:00Z")
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o644)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["customers.json"])
    }

    @Test func jsonlHoldsTheRowsOnePerLine() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let batch = try Fixtures.batch()
        let path = folder + "/rows.jsonl"
        _ = try RecordFileWriter.write(batch, to: path, format: RecordFileWriter.format(forPath: path), overwrite: false, sequencesFrom: 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").map(String.init) == [JSONValue.object(batch.record(0)).jsonText,
                                                                 JSONValue.object(batch.record(1)).jsonText])
        #expect(RecordFileLoader.load(path: path).batch.rowCount == 2)
    }

    @Test func anExistingFileIsReplacedOnlyWhenAsked() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/mine.json"
        try "keep me".write(toFile: path, atomically: false, encoding: .utf8)
        let batch = try Fixtures.batch()
        #expect(throws: RecordFileWriteError.exists(path)) {
            try RecordFileWriter.write(batch, to: path, format: .batch, overwrite: false, sequencesFrom: 0)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        _ = try RecordFileWriter.write(batch, to: path, format: .batch, overwrite: true, sequencesFrom: 0)
        #expect(RecordFileLoader.load(path: path).batch.rowCount == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["mine.json"])
    }

    @Test func aFolderThatIsNotThereIsNamedWithWhatToDo() throws {
        let error = #expect(throws: RecordFileWriteError.self) {
            try RecordFileWriter.write(try Fixtures.batch(), to: "/nonexistent-\(UUID().uuidString)/b.json", format: .batch,
                                       overwrite: false, sequencesFrom: 0)
        }
        #expect(error?.description.contains("does the folder exist?") == true)
    }
}
