/// How much pattern matching a validation may do, in matcher steps (one step is one automaton state
/// visited at one position of a text).
///
/// `SchemaPattern` is linear in the text, but its factor is the pattern's size: a 9,000-step pattern
/// such as `(?:[a-z]{1000}){9}x` keeps thousands of states alive per character, so a batch of long
/// strings could still keep a thread busy for minutes. A budget shared by every record of a batch
/// bounds that, and ends in a clear refusal instead.
///
/// A class because every schema node a validation passes through spends from the same budget; it is
/// used by one validation on one thread at a time, so it is not `Sendable`.
public final class PatternBudget {
    public let limit: Int
    public private(set) var used = 0

    public init(steps limit: Int) {
        self.limit = limit
    }

    /// True once a pattern could not be evaluated within what was left.
    public private(set) var isExhausted = false

    var remaining: Int { limit - used }

    /// Counts the steps of an evaluation that finished within `remaining`.
    func spend(_ steps: Int) {
        used += min(steps, remaining)
    }

    /// An evaluation needed more than `remaining`: nothing more is evaluated.
    func exhaust() {
        used = limit
        isExhausted = true
    }
}
