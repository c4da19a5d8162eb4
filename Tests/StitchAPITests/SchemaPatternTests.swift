import Foundation
import Testing
@testable import StitchAPI
import StitchTestSupport

/// The engine the sandbox used before `SchemaPattern` (Swift's backtracking `Regex`, set up the same
/// way), kept here as an oracle: on ordinary patterns the linear-time matcher must agree with it.
///
/// `simpleWordBoundaries` switches `\b` from Unicode's word boundaries (UAX #29, what the old engine
/// used: a boundary between two hyphens, and at the start of any text) to ECMA-262's `\w`-based ones,
/// for the random comparison, where such texts are common.
private func oldEngineMatches(_ pattern: String, _ text: String, simpleWordBoundaries: Bool = false) -> Bool? {
    guard let regex = try? Regex(pattern) else { return nil }
    var configured = regex.matchingSemantics(.unicodeScalar).asciiOnlyCharacterClasses()
    if simpleWordBoundaries { configured = configured.wordBoundaryKind(.simple) }
    return (try? configured.firstMatch(in: text)).flatMap { $0 } != nil
}

private func matches(_ pattern: String, _ text: String) throws -> Bool {
    try SchemaPattern(pattern).matches(text)
}

/// The "Invalid JSON schema: …" text for a schema whose only keyword is this pattern.
private func loadError(_ pattern: String) -> String? {
    do {
        _ = try JSONSchema(["pattern": .string(pattern)])
        return nil
    } catch {
        return error.message
    }
}

/// Seconds `body` takes on the monotonic clock.
private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

@Suite("Schema patterns: a linear-time ECMA-262 matcher")
struct SchemaPatternTests {
    // MARK: Agreement with the earlier engine

    /// Ordinary patterns, as Singer taps and hand-written schemas use them. Each row holds for the new
    /// matcher and, checked in the same test, for the old one.
    static let ordinary: [(pattern: String, text: String, matches: Bool)] = [
        ("^[0-9]+$", "abc", false), ("^[0-9]+$", "123", true), ("[0-9]", "a1b", true),
        (#"^\d+$"#, "١٢", false), (#"^\w+$"#, "é", false), ("^.$", "é", true),
        (#"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#, "2024-01-31T00:00:00Z", true),
        (#"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#, "2024-1-31T00:00:00Z", false),
        ("^1$|^30$|^60$|^360$|^720$|^1440$", "360", true), ("^1$|^30$|^60$|^360$|^720$|^1440$", "36", false),
        ("^(true|false)$", "true", true), ("^(true|false)$", "truex", false), (#"^\d+"#, "12ab", true),
        ("^[A-Z]{3}[0-9]+$", "ABC1", true), ("^[A-Z]{3}[0-9]+$", "AB1", false), ("^[A-Z]{3}[0-9]+$", "ABCD1", false),
        ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", "123e4567-e89b-12d3-a456-426614174000", true),
        ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", "123e4567-e89b-12d3-a456-42661417400", false),
        (#"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"#, "finn@example.com", true),
        (#"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"#, "finn @example.com", false),
        (#"^\+?[1-9]\d{1,14}$"#, "+4930123456", true), (#"^\+?[1-9]\d{1,14}$"#, "0301234", false),
        ("^x_", "x_a", true), ("^x_", "y_x_", false), ("abc", "xxabcxx", true), ("abc", "ab", false),
        ("^$", "", true), ("^$", "a", false), ("", "anything", true), ("a|", "b", true),
        ("colou?r", "color", true), ("colou?r", "colour", true), ("colou?r", "colouur", false),
        ("^a{2,3}$", "a", false), ("^a{2,3}$", "aa", true), ("^a{2,3}$", "aaa", true), ("^a{2,3}$", "aaaa", false),
        ("^a{2,}$", "aaaaa", true), ("^a{2}$", "aa", true), ("^(ab)+$", "ababab", true), ("^(ab)+$", "ababa", false),
        ("^(?:ab)*c$", "c", true), ("^(?<word>ab)+$", "abab", true), ("^a.c$", "a\nc", false), ("^a.c$", "a-c", true),
        (#"^\s*$"#, " \t\r\n", true), (#"^\S+$"#, "ab c", false), (#"\bfoo\b"#, "a foo b", true),
        (#"\bfoo\b"#, "afoo", false), (#"\Bfoo"#, "afoo", true), (#"^[\w.-]+$"#, "a.b-c_d", true),
        (#"^[^abc]+$"#, "xyz", true), (#"^[^abc]+$"#, "xaz", false), ("^[a-z-]+$", "a-b", true),
        (#"^\$\d+\.\d{2}$"#, "$10.99", true), (#"^\(\d{3}\) \d{3}-\d{4}$"#, "(555) 123-4567", true),
        (#"^\p{L}+$"#, "Łódź", true), (#"^\p{Lu}"#, "ábc", false), (#"^\p{Lu}"#, "Ábc", true),
        (#"^\P{L}+$"#, "123", true), (#"^[\p{L}\d ]+$"#, "Straße 12", true), (#"\x41\u0042"#, "AB", true),
        (#"^\u{1F600}$"#, "😀", true), ("^.$", "😀", true), ("^..$", "e\u{301}", true), ("^é$", "e\u{301}", false),
        ("a*?b", "aab", true), ("^a+?$", "aaa", true), ("^(a|b)*?c$", "ababc", true), ("^[\t]$", "\t", true),
        ("x{", "x{", true), ("x{2", "x{2", true), ("a}", "a}", true), ("a]", "a]", true),
        (#"^\/path\/$"#, "/path/", true), (#"^a\-b$"#, "a-b", true), ("^a$", "a\n", false),
        ("^(a|ab)(c|bcd)(d*)$", "abcd", true), ("^([a-z]+\\.)+[a-z]{2,}$", "www.example.org", true),
        ("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", "192.168.0.1", true), ("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", "192.168.0", false),
        ("^(a+)+$", "aaaa", true), ("^(a+)+$", "aaab", false), ("^\\d+(\\.\\d+)?$", "3.14", true),
        ("^-?(0|[1-9][0-9]*)$", "-012", false), ("^-?(0|[1-9][0-9]*)$", "-120", true),
    ]

    @Test("ordinary patterns match as they did with the backtracking engine", arguments: ordinary)
    func ordinaryPatterns(pattern: String, text: String, expected: Bool) throws {
        #expect(try matches(pattern, text) == expected, "new engine: /\(pattern)/ on \(text.debugDescription)")
        #expect(oldEngineMatches(pattern, text) == expected, "old engine: /\(pattern)/ on \(text.debugDescription)")
    }

    @Test("a mismatch reads as everit's text, unchanged", arguments: [
        (#"^\d{4}$"#, "20x4"), ("^[A-Z]{3}[0-9]+$", "abc1"), ("^(true|false)$", "yes"), ("^a.c$", "a\nc"),
    ])
    func mismatchMessage(pattern: String, text: String) throws {
        let schema = try JSONSchema(["properties": ["code": ["type": "string", "pattern": .string(pattern)]]])
        let report = JSONSchema.report(schema.validate(["code": .string(text)]))
        #expect(report == "#/code: string [\(text)] does not match pattern \(pattern)")
    }

    /// Random patterns over a small alphabet against random short texts, compared with the old engine.
    /// The texts are short, so the backtracking oracle stays fast even on nested quantifiers.
    @Test("random patterns agree with the backtracking engine")
    func randomPatterns() throws {
        let seed = SplitMix64.seed(fromEnvironment: "STITCH_PATTERN_SEED")
        var generator = SplitMix64(seed: seed)
        var compared = 0
        for _ in 0..<400 {
            let pattern = RandomPattern.make(depth: 3, using: &generator)
            guard (try? SchemaPattern(pattern)) != nil, oldEngineMatches(pattern, "") != nil else { continue }
            for _ in 0..<8 {
                let length = Int.random(in: 0...8, using: &generator)
                let text = String((0..<length).map { _ in "abc-".randomElement(using: &generator) ?? "a" })
                let expected = oldEngineMatches(pattern, text, simpleWordBoundaries: true)
                #expect(try matches(pattern, text) == expected,
                        "seed \(seed): /\(pattern)/ on \(text.debugDescription)")
                compared += 1
            }
        }
        #expect(compared > 1000, "seed \(seed): only \(compared) comparisons")
    }

    // MARK: ECMA-262 details

    @Test("ECMA-262 constructs the old engine refused or read otherwise", arguments: [
        (#"\uD83D\uDE00"#, "😀", true),  // a surrogate pair written as two escapes is one character
        (#"^[\uD83D\uDE00-\uD83D\uDE4F]$"#, "🙂", true),
        (#"^[\w-.]+$"#, "a-b.c", true),  // Annex B: a class escape makes the `-` literal
        (#"^[\w-.]+$"#, "a,b", false),
        (#"\cJ"#, "\n", true),
        ("^[]$", "", false), ("[]", "a", false),  // `[]` matches nothing
        ("^[^]$", "\n", true),  // `[^]` matches anything
        ("a{,3}", "a{,3}", true), ("^a{,3}$", "aaa", false),  // not a quantifier in ECMA-262
        ("^.$", "\u{2028}", false), ("^.$", "\r", false), ("^.$", "\u{0B}", true),
        (#"^\s$"#, "\u{0B}", true), (#"^\s$"#, "\u{A0}", false),  // ASCII \s, as Java's
        (#"^\0$"#, "\u{0}", true), (#"^[\b]$"#, "\u{8}", true),
        (#"^\p{gc=Nd}+$"#, "١٢", true), (#"^\p{General_Category=Lu}$"#, "A", true), (#"^\p{Letter}$"#, "ж", true),
    ])
    func ecmaDetails(pattern: String, text: String, expected: Bool) throws {
        #expect(try matches(pattern, text) == expected, "/\(pattern)/ on \(text.debugDescription)")
    }

    // MARK: Catastrophic patterns finish

    @Test("patterns that backtrack catastrophically finish fast on 40 and on 100,000 characters", arguments: [
        #"^(a+)+$"#, "(a|aa)*b", "(.*a){20}", "^(a*)*$", #"^(\w+\s?)*$"#, "^(a|a?)+$", "(x+x+)+y",
    ])
    func catastrophic(pattern: String) throws {
        let compiled = try SchemaPattern(pattern)
        for count in [40, 100_000] {
            let text = String(repeating: "a", count: count) + "!"
            var result = true
            let elapsed = seconds { result = compiled.matches(text) }
            // Linear: a debug build needs well under a second for 100,000 characters on these programs;
            // a backtracking engine needs longer than the age of the universe for 40.
            #expect(elapsed < 5, "/\(pattern)/ on \(count + 1) characters took \(elapsed) s")
            #expect(result == (oldEngineMatchesQuickly(pattern) ?? result))
        }
    }

    /// What the old engine says for the catastrophic patterns where the answer is known without running it.
    private func oldEngineMatchesQuickly(_ pattern: String) -> Bool? {
        switch pattern {
        case #"^(a+)+$"#, "(a|aa)*b", "^(a*)*$", #"^(\w+\s?)*$"#, "^(a|a?)+$", "(x+x+)+y": false
        case "(.*a){20}": true
        default: nil
        }
    }

    @Test("a patternProperties key that backtracks catastrophically finishes fast")
    func catastrophicPatternProperty() throws {
        let schema = try JSONSchema(["patternProperties": [#"^(a+)+$"#: ["type": "integer"]],
                                     "additionalProperties": false])
        let key = String(repeating: "a", count: 40) + "!"
        var lines = ""
        let elapsed = seconds { lines = JSONSchema.report(schema.validate(.object(JSONObject([(key, "x")])))) }
        #expect(elapsed < 5)
        #expect(lines == "#: extraneous key [\(key)] is not permitted")
    }

    // MARK: Refused when the schema loads

    @Test("constructs that need backtracking or are not ECMA-262 are refused by name", arguments: [
        (#"(a)\1"#, #"key pattern: [(a)\1] is not supported: the backreference \1 needs backtracking"#),
        (#"(?<x>a)\k<x>"#, #"key pattern: [(?<x>a)\k<x>] is not supported: the backreference \k<…> needs backtracking"#),
        ("a(?=b)", "key pattern: [a(?=b)] is not supported: the lookahead (?= needs backtracking"),
        ("a(?!b)", "key pattern: [a(?!b)] is not supported: the lookahead (?! needs backtracking"),
        ("(?<=a)b", "key pattern: [(?<=a)b] is not supported: the lookbehind (?<= needs backtracking"),
        ("(?<!a)b", "key pattern: [(?<!a)b] is not supported: the lookbehind (?<! needs backtracking"),
        ("(?i)abc",
         "key pattern: [(?i)abc] is not supported: the group (?i is not an ECMA-262 construct (no inline flags or modifiers)"),
        (#"\Aabc\z"#, #"key pattern: [\Aabc\z] is not supported: the escape \A is not an ECMA-262 pattern escape"#),
        (#"\p{Greek}"#, #"key pattern: [\p{Greek}] is not supported: the property \p{Greek} is not supported (only General_Category values are)"#),
        ("a{1001}", "key pattern: [a{1001}] is not supported: the count in {1001} is above 1000, the most a pattern may use"),
        ("a{2,99999999999}",
         "key pattern: [a{2,99999999999}] is not supported: the count in {2,99999999999} is above 1000, the most a pattern may use"),
        ("(a{1000}){11}",
         "key pattern: [(a{1000}){11}] is not supported: it expands to more than 10000 matching steps, the most a pattern may use"),
        (#"\012"#, #"key pattern: [\012] is not supported: the octal escape at offset 0 is not an ECMA-262 construct (write \x or \u)"#),
    ])
    func unsupported(pattern: String, message: String) {
        #expect(loadError(pattern) == message)
    }

    @Test("what is not a regular expression keeps its message", arguments: [
        "a(", "(", ")", "a)", "a**", "a++", "*a", "+", "a{2}{3}", "^*", #"\b+"#, "{2}", "a{2,1}", "[b-a]", "[a", #"a\"#,
        #"\x4"#, #"\u12"#, #"\c1"#, #"\p{L"#, "(?<>a)", "[\\B]",
    ])
    func invalid(pattern: String) {
        #expect(loadError(pattern) == "key pattern: [\(pattern)] is not a valid regular expression")
    }

    @Test("the largest accepted count and program still load and match")
    func limits() throws {
        #expect(try matches("^a{1000}$", String(repeating: "a", count: 1000)))
        #expect(try !matches("^a{1000}$", String(repeating: "a", count: 999)))
        let large = try SchemaPattern("(?:[a-z]{1000}){9}")
        #expect(large.matches(String(repeating: "q", count: 9000)))
        #expect(!large.matches(String(repeating: "q", count: 8999)))
    }
}

/// Small random patterns: literals, classes, `.`, groups, alternation and every quantifier form.
private enum RandomPattern {
    static func make(depth: Int, using generator: inout SplitMix64) -> String {
        let terms = Int.random(in: 1...3, using: &generator)
        var pattern = ""
        if Int.random(in: 0..<4, using: &generator) == 0 { pattern += "^" }
        for _ in 0..<terms { pattern += term(depth: depth, using: &generator) }
        if Int.random(in: 0..<4, using: &generator) == 0 { pattern += "$" }
        if depth > 1, Int.random(in: 0..<4, using: &generator) == 0 {
            pattern += "|" + make(depth: depth - 1, using: &generator)
        }
        return pattern
    }

    private static func term(depth: Int, using generator: inout SplitMix64) -> String {
        let atoms = ["a", "b", "c", ".", "[ab]", "[^a]", "[a-c]", #"\w"#, #"\W"#, "-", #"\b"#, #"\B"#]
        var atom = atoms.randomElement(using: &generator) ?? "a"
        if depth > 1, Int.random(in: 0..<3, using: &generator) == 0 {
            atom = (Bool.random(using: &generator) ? "(" : "(?:") + make(depth: depth - 1, using: &generator) + ")"
        }
        if atom == #"\b"# || atom == #"\B"# { return atom }
        let quantifiers = ["", "", "", "*", "+", "?", "*?", "+?", "{2}", "{0,2}", "{1,}", "{1,3}?"]
        return atom + (quantifiers.randomElement(using: &generator) ?? "")
    }
}
