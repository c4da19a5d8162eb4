import TerminalUI
import WizardCore

/// A failed request shown inside a screen that stays on show (its retry is a key there): the
/// status and code, the message, and the hint.
enum FailureBlock {
    /// Writes the failure from `row` down; returns the rows it took.
    @discardableResult
    static func put(_ failure: WizardFailure, title: String, into frame: inout Frame, row: Int, column: Int,
                    width: Int, maxRows: Int = 6) -> Int {
        var used = 0
        let status = failure.statusCode.map { "HTTP \($0)" + (failure.code.map { " · \($0)" } ?? "") + ": " } ?? ""
        used += Paragraph.put("✗ \(title): " + status + failure.message, into: &frame, row: row, column: column,
                              width: width, maxRows: max(1, maxRows - 1), style: .error)
        if let hint = failure.hint, used < maxRows {
            used += Paragraph.put(hint, into: &frame, row: row + used, column: column, width: width,
                                  maxRows: maxRows - used, style: .accent)
        }
        return used
    }
}
