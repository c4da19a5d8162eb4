/// A set of Unicode scalars a pattern position accepts: a character class, `.`, `\d`, `\p{L}` ….
/// Stored as sorted code point ranges plus General_Category tests, so membership costs a binary
/// search (and one category lookup when the set has `\p{…}`).
struct ScalarSet: Sendable, Hashable {
    /// Sorted, non-overlapping and non-adjacent.
    let ranges: [ClosedRange<UInt32>]
    let categoryTests: [CategoryTest]
    /// `[^…]`: the set is everything its ranges and tests do not accept.
    let isNegated: Bool

    /// `\p{…}` (or `\P{…}` when `isNegated`): the categories as bits, see `bit(of:)`.
    struct CategoryTest: Sendable, Hashable {
        let categories: UInt32
        let isNegated: Bool
    }

    init(ranges: [ClosedRange<UInt32>], categoryTests: [CategoryTest] = [], isNegated: Bool = false) {
        self.ranges = Self.normalized(ranges)
        self.categoryTests = categoryTests
        self.isNegated = isNegated
    }

    /// `\p{…}`, or `\P{…}` when `isNegated`.
    init(categories: UInt32, isNegated: Bool) {
        self.init(ranges: [], categoryTests: [CategoryTest(categories: categories, isNegated: isNegated)])
    }

    func contains(_ value: UInt32) -> Bool {
        var found = rangesContain(value)
        if !found, !categoryTests.isEmpty, let scalar = Unicode.Scalar(value) {
            let bit = Self.bit(of: scalar.properties.generalCategory)
            found = categoryTests.contains { ($0.categories & bit != 0) != $0.isNegated }
        }
        return found != isNegated
    }

    private func rangesContain(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else if ranges[middle].lowerBound > value {
                high = middle
            } else {
                return true
            }
        }
        return false
    }

    // MARK: The predefined sets

    static let largestScalar: UInt32 = 0x10FFFF

    /// `\d`: ASCII digits only, as ECMA-262 and Java say.
    static let digits = ScalarSet(ranges: [0x30...0x39])
    static let nonDigits = digits.complement

    /// `\w` (and the word characters of `\b`): ASCII letters, digits and `_`.
    static let wordCharacters = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let nonWordCharacters = wordCharacters.complement

    /// `\s`: ASCII whitespace (tab, line feed, vertical tab, form feed, carriage return, space). ECMA-262
    /// also counts Unicode spaces such as U+00A0; the gate's validator is Java's, whose `\s` is ASCII, and
    /// the sandbox's earlier engine agreed, so a no-break space stays a non-space here [?].
    static let whitespace = ScalarSet(ranges: [0x09...0x0D, 0x20...0x20])
    static let nonWhitespace = whitespace.complement

    /// `.`: anything but ECMA-262's line terminators (LF, CR, U+2028, U+2029).
    static let anyExceptLineTerminator = ScalarSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]).complement

    /// The code points outside `ranges` (for sets without category tests).
    private var complement: ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= Self.largestScalar { result.append(next...Self.largestScalar) }
        return ScalarSet(ranges: result)
    }

    private static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    // MARK: Building a class

    /// Collects the members of one `[…]`.
    struct Builder {
        enum Atom {
            case scalar(UInt32)
            /// A class escape (`\d`, `\W`, `\p{L}` …): never negated as a whole.
            case set(ScalarSet)
        }

        private var ranges: [ClosedRange<UInt32>] = []
        private var categoryTests: [CategoryTest] = []

        mutating func add(_ atom: Atom) {
            switch atom {
            case .scalar(let value): ranges.append(value...value)
            case .set(let set):
                ranges += set.ranges
                categoryTests += set.categoryTests
            }
        }

        mutating func add(_ range: ClosedRange<UInt32>) { ranges.append(range) }

        func build(negated: Bool) -> ScalarSet {
            ScalarSet(ranges: ranges, categoryTests: categoryTests, isNegated: negated)
        }
    }

    // MARK: General categories

    /// The categories a `\p{…}` value names, as bits; nil for a name that is not a General_Category value.
    static func generalCategories(named name: String) -> UInt32? {
        if let single = categoryNames[name] { return bit(of: single) }
        guard let group = categoryGroups[name] else { return nil }
        return group.reduce(0) { $0 | bit(of: $1) }
    }

    static func bit(of category: Unicode.GeneralCategory) -> UInt32 {
        let index: UInt32 = switch category {
        case .uppercaseLetter: 0
        case .lowercaseLetter: 1
        case .titlecaseLetter: 2
        case .modifierLetter: 3
        case .otherLetter: 4
        case .nonspacingMark: 5
        case .spacingMark: 6
        case .enclosingMark: 7
        case .decimalNumber: 8
        case .letterNumber: 9
        case .otherNumber: 10
        case .connectorPunctuation: 11
        case .dashPunctuation: 12
        case .openPunctuation: 13
        case .closePunctuation: 14
        case .initialPunctuation: 15
        case .finalPunctuation: 16
        case .otherPunctuation: 17
        case .mathSymbol: 18
        case .currencySymbol: 19
        case .modifierSymbol: 20
        case .otherSymbol: 21
        case .spaceSeparator: 22
        case .lineSeparator: 23
        case .paragraphSeparator: 24
        case .control: 25
        case .format: 26
        case .surrogate: 27
        case .privateUse: 28
        case .unassigned: 29
        @unknown default: 29
        }
        return 1 << index
    }

    private static let categoryNames: [String: Unicode.GeneralCategory] = {
        let pairs: [(String, String, Unicode.GeneralCategory)] = [
            ("Lu", "Uppercase_Letter", .uppercaseLetter), ("Ll", "Lowercase_Letter", .lowercaseLetter),
            ("Lt", "Titlecase_Letter", .titlecaseLetter), ("Lm", "Modifier_Letter", .modifierLetter),
            ("Lo", "Other_Letter", .otherLetter), ("Mn", "Nonspacing_Mark", .nonspacingMark),
            ("Mc", "Spacing_Mark", .spacingMark), ("Me", "Enclosing_Mark", .enclosingMark),
            ("Nd", "Decimal_Number", .decimalNumber), ("Nl", "Letter_Number", .letterNumber),
            ("No", "Other_Number", .otherNumber), ("Pc", "Connector_Punctuation", .connectorPunctuation),
            ("Pd", "Dash_Punctuation", .dashPunctuation), ("Ps", "Open_Punctuation", .openPunctuation),
            ("Pe", "Close_Punctuation", .closePunctuation), ("Pi", "Initial_Punctuation", .initialPunctuation),
            ("Pf", "Final_Punctuation", .finalPunctuation), ("Po", "Other_Punctuation", .otherPunctuation),
            ("Sm", "Math_Symbol", .mathSymbol), ("Sc", "Currency_Symbol", .currencySymbol),
            ("Sk", "Modifier_Symbol", .modifierSymbol), ("So", "Other_Symbol", .otherSymbol),
            ("Zs", "Space_Separator", .spaceSeparator), ("Zl", "Line_Separator", .lineSeparator),
            ("Zp", "Paragraph_Separator", .paragraphSeparator), ("Cc", "Control", .control),
            ("Cf", "Format", .format), ("Cs", "Surrogate", .surrogate), ("Co", "Private_Use", .privateUse),
            ("Cn", "Unassigned", .unassigned),
        ]
        var names: [String: Unicode.GeneralCategory] = [:]
        for (short, long, category) in pairs {
            names[short] = category
            names[long] = category
        }
        return names
    }()

    private static let categoryGroups: [String: [Unicode.GeneralCategory]] = {
        let letters: [Unicode.GeneralCategory] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter,
                                                  .otherLetter]
        let cased: [Unicode.GeneralCategory] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]
        let marks: [Unicode.GeneralCategory] = [.nonspacingMark, .spacingMark, .enclosingMark]
        let numbers: [Unicode.GeneralCategory] = [.decimalNumber, .letterNumber, .otherNumber]
        let punctuation: [Unicode.GeneralCategory] = [.connectorPunctuation, .dashPunctuation, .openPunctuation,
                                                      .closePunctuation, .initialPunctuation, .finalPunctuation,
                                                      .otherPunctuation]
        let symbols: [Unicode.GeneralCategory] = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        let separators: [Unicode.GeneralCategory] = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        let others: [Unicode.GeneralCategory] = [.control, .format, .surrogate, .privateUse, .unassigned]
        return [
            "L": letters, "Letter": letters, "LC": cased, "Cased_Letter": cased,
            "M": marks, "Mark": marks, "Combining_Mark": marks,
            "N": numbers, "Number": numbers,
            "P": punctuation, "Punctuation": punctuation, "punct": punctuation,
            "S": symbols, "Symbol": symbols,
            "Z": separators, "Separator": separators,
            "C": others, "Other": others,
        ]
    }()
}
