/// A JSON Schema `pattern` (or `patternProperties` key), compiled once per schema and matched in time
/// linear in the text: a record can never make validation spin, whatever pattern its batch declares
/// (`^(a+)+$` against `"aaaa…!"` takes as long as any other 41 characters).
///
/// The dialect is ECMA-262's, which JSON Schema names, without the `u` flag but with Annex B's lenient
/// literals, matched on Unicode scalars:
/// - literals and escapes (`\t \n \v \f \r \0 \cX \xHH \uHHHH \u{H…}`, a `\uD83D\uDE00` pair is one
///   character, `\.` and other punctuation stand for themselves), `.` (anything but a line terminator);
/// - classes `[…]`, `[^…]`, ranges, `\d \w \s \D \W \S` (ASCII, as Java's validator has them),
///   `\p{…}`/`\P{…}` with a General_Category value (`\p{L}`, `\p{Lu}`, `\p{Nd}`);
/// - `^ $` (start and end of the text), `\b \B`; groups `(…)`, `(?:…)`, `(?<name>…)`; alternation;
/// - `* + ? {n} {n,} {n,m}` and their lazy forms (laziness changes which match is found, not whether).
///
/// Refused when the schema loads, naming the construct [?]: backreferences (`\1`, `\k<x>`) and
/// lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`), which no linear-time matcher can run (the gate's Java
/// validator would backtrack through them); escapes and groups other dialects give other meanings to
/// (`\A`, `\z`, `(?i)`); counts above `PatternParser.maximumCount` and patterns that expand to more than
/// `PatternProgram.maximumSize` steps. The schema is then an "Invalid JSON schema" 400, like any other
/// schema the sandbox cannot use, rather than a 201 for records it could not check.
///
/// Scalars rather than Characters: ECMA-262 without `u` works on UTF-16 code units, so `.` matches one
/// of the two scalars of `e` + U+0301 there; scalars keep that, and differ from code units only for
/// characters beyond U+FFFF, where one `.` matching one whole emoji is what a schema author means.
struct SchemaPattern: Sendable {
    let source: String
    private let program: PatternProgram

    init(_ source: String) throws(PatternSyntaxError) {
        var parser = PatternParser(source)
        program = try PatternProgram(parser.parse())
        self.source = source
    }

    /// Whether the pattern matches anywhere in `text` (a search, not a whole-string match).
    func matches(_ text: String) -> Bool {
        matches(text, budget: PatternBudget(steps: .max))
    }

    /// The same, spending matcher steps from `budget`. When the budget runs out (now or earlier) the
    /// answer is true, "not refuted": no finding is made up for a text that was not checked, and the
    /// caller, seeing `budget.isExhausted`, refuses the whole value for that reason.
    func matches(_ text: String, budget: PatternBudget) -> Bool {
        guard !budget.isExhausted else { return true }
        var matcher = PatternMatcher(program)
        guard let outcome = matcher.search(text.unicodeScalars, allowance: budget.remaining) else {
            budget.exhaust()
            return true
        }
        budget.spend(outcome.steps)
        return outcome.matched
    }
}
