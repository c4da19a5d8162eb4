/// One step of a compiled pattern: Thompson's construction, as in RE2 and Go's `regexp`.
enum PatternInstruction: Sendable, Hashable {
    /// Consumes this scalar.
    case scalar(UInt32)
    /// Consumes a scalar of `PatternProgram.sets[index]`.
    case set(Int)
    /// Continues at both places.
    case split(Int, Int)
    case jump(Int)
    case assertion(PatternAssertion)
    case match

    /// The same instruction with its targets moved by `offset` (for pasting a copy of a fragment).
    func moved(by offset: Int) -> PatternInstruction {
        switch self {
        case .split(let first, let second): .split(first + offset, second + offset)
        case .jump(let target): .jump(target + offset)
        default: self
        }
    }
}

/// A compiled pattern: a nondeterministic automaton that `PatternMatcher` runs over a text once, keeping
/// every live state at the same time instead of backtracking, so a text of n scalars costs at most
/// n × (number of instructions) steps, whatever the pattern.
struct PatternProgram: Sendable {
    let instructions: [PatternInstruction]
    let sets: [ScalarSet]
    let isAnchoredAtStart: Bool

    /// The most instructions a program may have. Together with the count limit of the parser, this bounds
    /// one evaluation at `maximumSize` steps per scalar of the text.
    static let maximumSize = 10_000

    init(_ node: PatternNode) throws(PatternSyntaxError) {
        var compiler = Compiler()
        var code = try compiler.fragment(node)
        try compiler.push(.match, to: &code)
        instructions = code
        sets = compiler.sets
        isAnchoredAtStart = node.isAnchoredAtStart
    }

    private struct Compiler {
        var sets: [ScalarSet] = []
        private var setIndexes: [ScalarSet: Int] = [:]

        /// The instructions for `node`, with targets counted from the fragment's first instruction; jumps
        /// out of the fragment go to its end, so a copy can be pasted anywhere by moving its targets.
        mutating func fragment(_ node: PatternNode) throws(PatternSyntaxError) -> [PatternInstruction] {
            var code: [PatternInstruction] = []
            try append(node, to: &code)
            return code
        }

        mutating func push(_ instruction: PatternInstruction, to code: inout [PatternInstruction]) throws(PatternSyntaxError) {
            guard code.count < PatternProgram.maximumSize else { throw Self.tooLarge }
            code.append(instruction)
        }

        private static var tooLarge: PatternSyntaxError {
            .unsupported("it expands to more than \(PatternProgram.maximumSize) matching steps, the most a pattern may use")
        }

        private mutating func append(_ node: PatternNode, to code: inout [PatternInstruction]) throws(PatternSyntaxError) {
            switch node {
            case .empty:
                return
            case .scalar(let value):
                try push(.scalar(value), to: &code)
            case .set(let set):
                try push(.set(index(of: set)), to: &code)
            case .assertion(let assertion):
                try push(.assertion(assertion), to: &code)
            case .concatenation(let nodes):
                for node in nodes { try append(node, to: &code) }
            case .alternation(let nodes):
                // split L1, L2; L1: first; jump end; L2: split … ; last; end:
                var exits: [Int] = []
                for (position, node) in nodes.enumerated() {
                    if position == nodes.count - 1 {
                        try append(node, to: &code)
                        break
                    }
                    let split = code.count
                    try push(.split(0, 0), to: &code)
                    try append(node, to: &code)
                    exits.append(code.count)
                    try push(.jump(0), to: &code)
                    code[split] = .split(split + 1, code.count)
                }
                for exit in exits { code[exit] = .jump(code.count) }
            case .repetition(let body, let min, let max):
                try appendRepetition(of: fragment(body), min: min, max: max, to: &code)
            }
        }

        /// `body{min,max}`: `min` copies, then either a loop or `max - min` optional copies that may each
        /// skip to the end.
        private mutating func appendRepetition(of body: [PatternInstruction], min: Int, max: Int?,
                                               to code: inout [PatternInstruction]) throws(PatternSyntaxError) {
            guard !body.isEmpty else { return }
            switch max {
            case let max?:
                for _ in 0..<min { try paste(body, to: &code) }
                var skips: [Int] = []
                for _ in 0..<(max - min) {
                    skips.append(code.count)
                    try push(.split(0, 0), to: &code)
                    try paste(body, to: &code)
                }
                for skip in skips { code[skip] = .split(skip + 1, code.count) }
            case nil where min == 0:
                // loop: split body, end; body; jump loop; end:
                let loop = code.count
                try push(.split(0, 0), to: &code)
                try paste(body, to: &code)
                try push(.jump(loop), to: &code)
                code[loop] = .split(loop + 1, code.count)
            case nil:
                for _ in 0..<(min - 1) { try paste(body, to: &code) }
                let last = code.count
                try paste(body, to: &code)
                try push(.split(last, code.count + 1), to: &code)
            }
        }

        private func paste(_ fragment: [PatternInstruction], to code: inout [PatternInstruction]) throws(PatternSyntaxError) {
            guard code.count + fragment.count <= PatternProgram.maximumSize else { throw Self.tooLarge }
            let offset = code.count
            for instruction in fragment { code.append(instruction.moved(by: offset)) }
        }

        private mutating func index(of set: ScalarSet) -> Int {
            if let known = setIndexes[set] { return known }
            sets.append(set)
            setIndexes[set] = sets.count - 1
            return sets.count - 1
        }
    }
}

/// Runs a `PatternProgram` over a text, one scalar at a time, with every live state in a list
/// (Thompson's simulation; no captures, so the first state to reach `match` ends the search).
struct PatternMatcher {
    private let program: PatternProgram
    /// `marks[i] == stamp` when instruction i was already reached at this position.
    private var marks: [Int]
    /// The instructions still to follow without consuming; kept to reuse its storage.
    private var stack: [Int] = []
    /// States visited so far: what a `PatternBudget` counts.
    private var steps = 0

    init(_ program: PatternProgram) {
        self.program = program
        marks = Array(repeating: -1, count: program.instructions.count)
    }

    /// Whether the program matches anywhere in `text` (ECMA-262's search, which JSON Schema's `pattern`
    /// uses), and the steps that took; nil as soon as more than `allowance` steps were needed. Call once
    /// per matcher: the marks are stamped with positions in this text.
    mutating func search(_ text: String.UnicodeScalarView, allowance: Int) -> (matched: Bool, steps: Int)? {
        // Instruction indexes waiting to consume the current scalar, and those for the next one.
        var current: [Int] = []
        var next: [Int] = []
        var scalars = text.makeIterator()
        var previous: Unicode.Scalar?
        var scalar = scalars.next()
        var position = 0
        let isAnchored = program.isAnchoredAtStart
        while true {
            // A new attempt starts at every position, unless only the first can match.
            if position == 0 || !isAnchored {
                if follow(from: 0, into: &current, stamp: position, previous: previous, next: scalar) {
                    return (true, steps)
                }
            }
            guard let consumed = scalar else { return (false, steps) }
            if current.isEmpty && isAnchored { return (false, steps) }
            // Checked once per character: an evaluation overshoots by at most one character's states.
            if steps > allowance { return nil }
            let following = scalars.next()
            position += 1
            next.removeAll(keepingCapacity: true)
            steps += current.count
            for instruction in current {
                let accepts = switch program.instructions[instruction] {
                case .scalar(let value): value == consumed.value
                case .set(let set): program.sets[set].contains(consumed.value)
                default: false
                }
                if accepts, follow(from: instruction + 1, into: &next, stamp: position, previous: consumed, next: following) {
                    return (true, steps)
                }
            }
            swap(&current, &next)
            previous = consumed
            scalar = following
        }
    }

    /// Adds every consuming instruction reachable from `start` without consuming (through jumps, splits
    /// and assertions that hold between `previous` and `next`) to `list`; true as soon as `match` is reached.
    private mutating func follow(from start: Int, into list: inout [Int], stamp: Int,
                                 previous: Unicode.Scalar?, next: Unicode.Scalar?) -> Bool {
        stack.append(start)
        while let index = stack.popLast() {
            if marks[index] == stamp { continue }
            marks[index] = stamp
            steps += 1
            switch program.instructions[index] {
            case .match:
                stack.removeAll(keepingCapacity: true)
                return true
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if Self.holds(assertion, previous: previous, next: next) { stack.append(index + 1) }
            case .scalar, .set:
                list.append(index)
            }
        }
        return false
    }

    private static func holds(_ assertion: PatternAssertion, previous: Unicode.Scalar?, next: Unicode.Scalar?) -> Bool {
        switch assertion {
        case .start: previous == nil
        case .end: next == nil
        case .wordBoundary: isWord(previous) != isWord(next)
        case .notWordBoundary: isWord(previous) == isWord(next)
        }
    }

    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ScalarSet.wordCharacters.contains(scalar.value)
    }
}
