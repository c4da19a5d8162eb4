/// The parsed form of a JSON Schema `pattern`: the ECMA-262 subset that can be matched without
/// backtracking (see `SchemaPattern` for what is accepted and why).
indirect enum PatternNode: Sendable, Hashable {
    /// Matches the empty string: `()`, an empty alternative, `a{0}`.
    case empty
    case scalar(UInt32)
    case set(ScalarSet)
    case assertion(PatternAssertion)
    case concatenation([PatternNode])
    case alternation([PatternNode])
    /// `max == nil` for an open count (`*`, `+`, `{n,}`). Laziness (`*?`) is dropped: it changes which
    /// match is found, never whether there is one.
    case repetition(PatternNode, min: Int, max: Int?)

    /// Whether every match has to start at the beginning of the text (the node opens with `^` on every
    /// path), so a search need not try later starting points.
    var isAnchoredAtStart: Bool {
        switch self {
        case .assertion(.start): true
        case .concatenation(let nodes): nodes.first?.isAnchoredAtStart ?? false
        case .alternation(let nodes): nodes.allSatisfy(\.isAnchoredAtStart)
        case .repetition(let body, let min, _): min >= 1 && body.isAnchoredAtStart
        default: false
        }
    }
}

/// The zero-width assertions a pattern may use.
enum PatternAssertion: Sendable, Hashable {
    /// `^`: the start of the text (no multiline mode in JSON Schema).
    case start
    /// `$`: the end of the text; ECMA-262 has no "before a final newline" exception.
    case end
    /// `\b` and `\B`, with ASCII word characters.
    case wordBoundary
    case notWordBoundary
}

/// Why a pattern cannot be used.
struct PatternSyntaxError: Error, Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// Not a regular expression at all (`a(`, `a**`, `[b-a]`).
        case invalid
        /// A valid expression in some dialect that this matcher refuses: it needs backtracking
        /// (backreferences, lookaround), is not ECMA-262 (`(?i)`, `\z`), or is too large to match in
        /// bounded time.
        case unsupported
    }

    var kind: Kind
    /// What is wrong, for a person: "missing )", "the backreference \1 needs backtracking …".
    var reason: String

    static func invalid(_ reason: String) -> PatternSyntaxError { PatternSyntaxError(kind: .invalid, reason: reason) }
    static func unsupported(_ reason: String) -> PatternSyntaxError {
        PatternSyntaxError(kind: .unsupported, reason: reason)
    }
}

/// A recursive-descent parser for ECMA-262 patterns without the `u` flag, including the web-compatibility
/// leniencies of Annex B that JSON Schema authors rely on (a `{` that starts no quantifier is a literal;
/// `]` and `}` are literals; `[\w-.]` reads the `-` literally), minus what needs backtracking.
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    /// The largest `{n}`, `{n,m}` count: each repetition is a copy of its body in the matcher, so counts
    /// bound the matcher's size. Real schemas stay far below (`{1,255}` for a hostname label).
    static let maximumCount = 1000

    mutating func parse() throws(PatternSyntaxError) -> PatternNode {
        let node = try parseDisjunction()
        // The disjunction stops only at the end or at a `)` that closes nothing.
        if position < scalars.count { throw .invalid("unmatched ) at offset \(position)") }
        return node
    }

    // MARK: Structure

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func parseDisjunction() throws(PatternSyntaxError) -> PatternNode {
        var alternatives = [try parseAlternative()]
        while peek == "|" {
            position += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(PatternSyntaxError) -> PatternNode {
        var terms: [PatternNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            let term = try parseTerm()
            if term != .empty { terms.append(term) }
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .concatenation(terms)
        }
    }

    private mutating func parseTerm() throws(PatternSyntaxError) -> PatternNode {
        let atom = try parseAtom()
        guard let (min, max) = try parseQuantifier() else { return atom }
        if case .assertion = atom { throw .invalid("nothing to repeat at offset \(position)") }
        if peek == "?" { position += 1 }  // lazy: the same language
        // `a**`, `a++` (possessive elsewhere), `a{2}{3}`: ECMA-262 has nothing to repeat here.
        if isAtQuantifier { throw .invalid("nothing to repeat at offset \(position)") }
        return .repetition(atom, min: min, max: max)
    }

    /// Whether a quantifier starts here: `*`, `+`, `?`, or a complete `{n}`, `{n,}`, `{n,m}`.
    private var isAtQuantifier: Bool {
        switch peek {
        case "*", "+", "?": true
        case "{": bracedQuantifier() != nil
        default: false
        }
    }

    private mutating func parseQuantifier() throws(PatternSyntaxError) -> (min: Int, max: Int?)? {
        switch peek {
        case "*":
            position += 1
            return (0, nil)
        case "+":
            position += 1
            return (1, nil)
        case "?":
            position += 1
            return (0, 1)
        case "{":
            guard let (min, max, end) = bracedQuantifier() else { return nil }
            let written = String(String.UnicodeScalarView(scalars[position..<end]))
            if let max, max < min { throw .invalid("numbers out of order in \(written)") }
            if max ?? min > Self.maximumCount {
                throw .unsupported("the count in \(written) is above \(Self.maximumCount), the most a pattern may use")
            }
            position = end
            return (min, max)
        default:
            return nil
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current position, and the position after it; nil when the text
    /// there is not one (then, by Annex B, the `{` is a literal).
    private func bracedQuantifier() -> (min: Int, max: Int?, end: Int)? {
        var index = position + 1
        func number() -> Int? {
            var value: Int?
            while index < scalars.count, let digit = Self.decimalValue(scalars[index]) {
                // Saturates instead of overflowing: any count this large is refused anyway.
                value = min((value ?? 0) * 10 + digit, 1_000_000_000)
                index += 1
            }
            return value
        }
        guard let min = number() else { return nil }
        var max: Int? = min
        if index < scalars.count, scalars[index] == "," {
            index += 1
            max = number()
        }
        guard index < scalars.count, scalars[index] == "}" else { return nil }
        return (min, max, index + 1)
    }

    // MARK: Atoms

    private mutating func parseAtom() throws(PatternSyntaxError) -> PatternNode {
        guard let scalar = peek else { throw .invalid("unexpected end of pattern") }
        let start = position
        position += 1
        switch scalar {
        case "^": return .assertion(.start)
        case "$": return .assertion(.end)
        case ".": return .set(.anyExceptLineTerminator)
        case "(": return try parseGroup()
        case "[": return .set(try parseClass())
        case "\\": return try parseEscape()
        case "*", "+", "?":
            throw .invalid("nothing to repeat at offset \(start)")
        case "{":
            position = start
            if bracedQuantifier() != nil { throw .invalid("nothing to repeat at offset \(start)") }
            position = start + 1
            return .scalar(scalar.value)
        default:
            // `]` and `}` on their own are literals (Annex B), like every other character.
            return .scalar(scalar.value)
        }
    }

    private mutating func parseGroup() throws(PatternSyntaxError) -> PatternNode {
        if peek == "?" {
            let opener = position - 1
            switch (peek(1), peek(2)) {
            case (":"?, _):
                position += 2
            case ("="?, _), ("!"?, _):
                throw .unsupported("the lookahead (?\(peek(1).map(String.init) ?? "") needs backtracking")
            case ("<"?, "="?), ("<"?, "!"?):
                throw .unsupported("the lookbehind (?<\(peek(2).map(String.init) ?? "") needs backtracking")
            case ("<"?, _):
                // A named group (ES2018) only names what it captures; matching does not use the name.
                position += 2
                let nameStart = position
                while let scalar = peek, scalar != ">" {
                    guard scalar.properties.isXIDContinue || scalar == "$" else {
                        throw .invalid("invalid group name at offset \(position)")
                    }
                    position += 1
                }
                guard peek == ">", position > nameStart else { throw .invalid("invalid group name at offset \(opener)") }
                position += 1
            default:
                throw .unsupported(
                    "the group (?\(peek(1).map(String.init) ?? "") is not an ECMA-262 construct (no inline flags or modifiers)")
            }
        }
        let inner = try parseDisjunction()
        guard peek == ")" else { throw .invalid("missing )") }
        position += 1
        return inner
    }

    // MARK: Escapes

    /// After a `\` outside a class.
    private mutating func parseEscape() throws(PatternSyntaxError) -> PatternNode {
        guard let scalar = peek else { throw .invalid("\\ at end of pattern") }
        switch scalar {
        case "b":
            position += 1
            return .assertion(.wordBoundary)
        case "B":
            position += 1
            return .assertion(.notWordBoundary)
        default:
            switch try parseClassOrCharacterEscape(inClass: false) {
            case .scalar(let value): return .scalar(value)
            case .set(let set): return .set(set)
            }
        }
    }

    private enum EscapeValue {
        case scalar(UInt32)
        case set(ScalarSet)
    }

    /// The escapes that mean the same inside and outside a class; `peek` is the character after `\`.
    private mutating func parseClassOrCharacterEscape(inClass: Bool) throws(PatternSyntaxError) -> EscapeValue {
        guard let scalar = peek else { throw .invalid("\\ at end of pattern") }
        let escapeStart = position - 1
        position += 1
        switch scalar {
        case "d": return .set(.digits)
        case "D": return .set(.nonDigits)
        case "w": return .set(.wordCharacters)
        case "W": return .set(.nonWordCharacters)
        case "s": return .set(.whitespace)
        case "S": return .set(.nonWhitespace)
        case "p", "P": return .set(try parseProperty(negated: scalar == "P"))
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "v": return .scalar(0x0B)
        case "f": return .scalar(0x0C)
        case "r": return .scalar(0x0D)
        case "b" where inClass: return .scalar(0x08)
        case "-" where inClass: return .scalar(0x2D)
        case "0" where !(peek.map(Self.isDecimalDigit) ?? false): return .scalar(0)
        case "0":
            throw .unsupported("the octal escape at offset \(escapeStart) is not an ECMA-262 construct (write \\x or \\u)")
        case "1"..."9":
            var digits = String(scalar)
            while let next = peek, Self.isDecimalDigit(next) {
                digits.unicodeScalars.append(next)
                position += 1
            }
            throw .unsupported("the backreference \\\(digits) needs backtracking")
        case "k" where peek == "<":
            throw .unsupported("the backreference \\k<…> needs backtracking")
        case "c":
            guard let letter = peek, letter.isASCII, letter.properties.isAlphabetic else {
                throw .invalid("\\c needs a letter after it at offset \(escapeStart)")
            }
            position += 1
            return .scalar(letter.value % 32)
        case "x":
            guard let value = hexadecimal(digits: 2) else { throw .invalid("\\x needs two hex digits at offset \(escapeStart)") }
            return .scalar(value)
        case "u":
            return .scalar(try parseUnicodeEscape(at: escapeStart))
        default:
            // Other letters mean different things in different dialects (`\z`, `\A`, `\h`, `\Q`): refusing
            // them is clearer than reading them as ECMA-262's "the letter itself".
            if scalar.isASCII, scalar.properties.isAlphabetic || Self.isDecimalDigit(scalar) {
                throw .unsupported("the escape \\\(scalar) is not an ECMA-262 pattern escape")
            }
            // `\.`, `\/`, `\-`, `\\`, `\é`: the character itself.
            return .scalar(scalar.value)
        }
    }

    /// `\uHHHH` (a surrogate pair written as two escapes is one character) or `\u{H…}`.
    private mutating func parseUnicodeEscape(at escapeStart: Int) throws(PatternSyntaxError) -> UInt32 {
        if peek == "{" {
            position += 1
            var value: UInt32 = 0
            var count = 0
            while let scalar = peek, let digit = Self.hexValue(scalar) {
                value = value * 16 + digit
                count += 1
                position += 1
                guard value <= 0x10FFFF else { throw .invalid("\\u{…} above 10FFFF at offset \(escapeStart)") }
            }
            guard count > 0, peek == "}" else { throw .invalid("unfinished \\u{…} at offset \(escapeStart)") }
            position += 1
            return value
        }
        guard let high = hexadecimal(digits: 4) else { throw .invalid("\\u needs four hex digits at offset \(escapeStart)") }
        if (0xD800...0xDBFF).contains(high), peek == "\\", peek(1) == "u" {
            let saved = position
            position += 2
            if let low = hexadecimal(digits: 4), (0xDC00...0xDFFF).contains(low) {
                return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            position = saved
        }
        // A lone surrogate names no Unicode scalar, so it matches nothing in a Swift string.
        return high
    }

    /// Exactly `digits` hex digits, consumed; nil (nothing consumed) otherwise.
    private mutating func hexadecimal(digits: Int) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<digits {
            guard let scalar = peek(offset), let digit = Self.hexValue(scalar) else { return nil }
            value = value * 16 + digit
        }
        position += digits
        return value
    }

    /// `\p{…}` / `\P{…}`: a General_Category value, short (`Lu`) or long (`Uppercase_Letter`), optionally
    /// written `gc=…` or `General_Category=…`. Scripts and binary properties are refused by name.
    private mutating func parseProperty(negated: Bool) throws(PatternSyntaxError) -> ScalarSet {
        let escapeStart = position - 2
        guard peek == "{" else { throw .invalid("\\p needs {…} at offset \(escapeStart)") }
        position += 1
        var name = ""
        while let scalar = peek, scalar != "}" {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard peek == "}" else { throw .invalid("unfinished \\p{…} at offset \(escapeStart)") }
        position += 1
        var value = Substring(name)
        if let equals = value.firstIndex(of: "=") {
            let property = value[..<equals]
            guard property == "gc" || property == "General_Category" else {
                throw .unsupported("the property \\p{\(name)} is not supported (only General_Category values are)")
            }
            value = value[value.index(after: equals)...]
        }
        guard let categories = ScalarSet.generalCategories(named: String(value)) else {
            throw .unsupported("the property \\p{\(name)} is not supported (only General_Category values are)")
        }
        return ScalarSet(categories: categories, isNegated: negated)
    }

    // MARK: Classes

    /// After `[`: up to and including `]`. `[]` matches nothing and `[^]` anything, as in ECMA-262.
    private mutating func parseClass() throws(PatternSyntaxError) -> ScalarSet {
        var negated = false
        if peek == "^" {
            negated = true
            position += 1
        }
        var builder = ScalarSet.Builder()
        while true {
            guard let scalar = peek else { throw .invalid("missing ]") }
            if scalar == "]" {
                position += 1
                break
            }
            let low = try parseClassAtom()
            guard peek == "-", let after = peek(1), after != "]" else {
                builder.add(low)
                continue
            }
            position += 1  // the `-`
            let high = try parseClassAtom()
            switch (low, high) {
            case (.scalar(let from), .scalar(let to)):
                guard from <= to else { throw .invalid("range out of order in character class at offset \(position)") }
                builder.add(from...to)
            default:
                // Annex B: a class escape at either end makes the `-` a literal (`[\w-.]`).
                builder.add(low)
                builder.add(.scalar(0x2D))
                builder.add(high)
            }
        }
        return builder.build(negated: negated)
    }

    private mutating func parseClassAtom() throws(PatternSyntaxError) -> ScalarSet.Builder.Atom {
        guard let scalar = peek else { throw .invalid("missing ]") }
        position += 1
        guard scalar == "\\" else { return .scalar(scalar.value) }
        if peek == "B" { throw .invalid("\\B inside a character class at offset \(position - 1)") }
        switch try parseClassOrCharacterEscape(inClass: true) {
        case .scalar(let value): return .scalar(value)
        case .set(let set): return .set(set)
        }
    }

    // MARK: Characters

    private static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool { decimalValue(scalar) != nil }

    private static func decimalValue(_ scalar: Unicode.Scalar) -> Int? {
        (0x30...0x39).contains(scalar.value) ? Int(scalar.value - 0x30) : nil
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: scalar.value - 0x30
        case 0x41...0x46: scalar.value - 0x41 + 10
        case 0x61...0x66: scalar.value - 0x61 + 10
        default: nil
        }
    }
}
