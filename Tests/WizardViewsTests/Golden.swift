import Foundation
import Testing
import TerminalUI

/// Golden frames: `__snapshots__/<name>.txt` beside this file holds the expected plain text and
/// `<name>.ans` the same frame with its styles as SGR escapes (`cat` shows the colours), so a
/// change of colour, bold or dim fails as surely as a change of text.
/// They change only on purpose: run with `UPDATE_SNAPSHOTS=1` to rewrite them, then review the diff.
/// On a mismatch the actual frame is written next to the golden as `<name>.txt.actual` (or `.ans.actual`).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__snapshots__")

    static func assert(_ frame: Frame, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        compare(frame.text + "\n", file: "\(name).txt", sourceLocation: sourceLocation)
        compare(frame.ansiText + "\n", file: "\(name).ans", sourceLocation: sourceLocation)
    }

    private static func compare(_ actual: String, file name: String, sourceLocation: SourceLocation) {
        let file = directory.appendingPathComponent(name)
        let actualFile = directory.appendingPathComponent("\(name).actual")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: actualFile)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? actual.write(to: actualFile, atomically: true, encoding: .utf8)
            Issue.record("No golden \(file.path). Review \(actualFile.lastPathComponent), then record with UPDATE_SNAPSHOTS=1.",
                         sourceLocation: sourceLocation)
            return
        }
        if expected == actual {
            try? FileManager.default.removeItem(at: actualFile)
        } else {
            try? actual.write(to: actualFile, atomically: true, encoding: .utf8)
            Issue.record("Frame differs from golden \(name):\n\(diff(expected, actual))\nactual frame: \(actualFile.path)",
                         sourceLocation: sourceLocation)
        }
    }

    /// A line-by-line diff, enough to see which rows changed.
    static func diff(_ expected: String, _ actual: String) -> String {
        let left = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let right = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(left.count, right.count) {
            let old = index < left.count ? String(left[index]) : "<none>"
            let new = index < right.count ? String(right[index]) : "<none>"
            if old != new { lines.append("row \(index):\n  - \(old)\n  + \(new)") }
        }
        return lines.joined(separator: "\n")
    }
}
