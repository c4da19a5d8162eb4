import TerminalUI

/// Fields in order with one focus, the errors the API gave per field, and one for the whole
/// form. Moving focus passes skipped fields by; the line mode walks the same order.
public struct Form: Sendable, Equatable {
    public var fields: [any FormField]
    public var focus: Int
    /// Under the form: a refusal that names no field, or the request in flight.
    public var error: String?
    /// The API's 400s next to the field they name, by field id; cleared when the field changes.
    public var fieldErrors: [String: String] = [:]

    public init(fields: [any FormField]) {
        self.fields = fields
        focus = fields.firstIndex { !$0.isSkipped } ?? 0
    }

    public var asked: [Int] { fields.indices.filter { !fields[$0].isSkipped } }

    public var focused: (any FormField)? { fields.indices.contains(focus) ? fields[focus] : nil }

    public var isOnLastField: Bool { asked.last.map { focus >= $0 } ?? true }

    public mutating func moveFocus(by offset: Int) {
        let order = asked
        guard let position = order.firstIndex(of: focus) ?? order.first.map({ _ in 0 }) else { return }
        focus = order[(position + offset + order.count) % order.count]
    }

    /// A key for the focused field; true when it changed something.
    public mutating func update(_ key: Key) -> Bool {
        guard fields.indices.contains(focus) else { return false }
        guard fields[focus].update(key) else { return false }
        fieldErrors[fields[focus].id] = nil
        error = nil
        return true
    }

    /// The first field whose value cannot be submitted, with why.
    public var firstProblem: (index: Int, message: String)? {
        for index in asked {
            if let problem = fields[index].validate() { return (index, problem) }
        }
        return nil
    }

    /// The problem shown by a field now: the API's refusal, else its own rule (as you type).
    public func problem(of index: Int) -> String? {
        fieldErrors[fields[index].id] ?? fields[index].validate()
    }

    /// The answers to send, by field id; optional fields left empty are left out.
    public var values: [String: String] {
        var values: [String: String] = [:]
        for index in asked {
            if let value = fields[index].value { values[fields[index].id] = value }
        }
        return values
    }

    public func field(id: String) -> (any FormField)? { fields.first { $0.id == id } }

    /// Focuses the field with `id` and shows `message` next to it.
    public mutating func refuse(fieldID id: String, _ message: String) {
        fieldErrors[id] = message
        if let index = fields.firstIndex(where: { $0.id == id }) { focus = index }
    }

    /// The line mode's answer to the focused field; moves on when accepted.
    /// Returns true when the last field was answered (the form is ready to submit).
    public mutating func accept(_ line: String) -> Bool {
        guard fields.indices.contains(focus) else { return true }
        if let problem = fields[focus].accept(line) {
            error = problem
            return false
        }
        error = nil
        fieldErrors[fields[focus].id] = nil
        if isOnLastField { return true }
        moveFocus(by: 1)
        return false
    }

    public static func == (lhs: Form, rhs: Form) -> Bool {
        lhs.focus == rhs.focus && lhs.error == rhs.error && lhs.fieldErrors == rhs.fieldErrors
            && lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.isEqual(to: $1) }
    }
}
