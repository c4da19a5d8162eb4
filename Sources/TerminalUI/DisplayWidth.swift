/// Terminal column widths with glibc `wcwidth` semantics, computed without a locale.
///
/// ncurses advances its cursor by `wcwidth`, so layout must measure the same way; grapheme-based
/// widths (Swift `Character`) disagree for ZWJ sequences and skin tones and make borders drift.
public enum DisplayWidth {
    /// The width of one scalar exactly as glibc `wcwidth` reports it under a UTF-8 locale:
    /// 0, 1 or 2 columns, or -1 for control characters and for scalars assigned after
    /// Unicode 14 (glibc 2.36 does not know them).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        WidthTable.width(of: scalar.value)
    }

    /// The columns `text` occupies when written into a `Frame`: the sum of its scalars' widths,
    /// where control characters and U+200D (zero width joiner) count zero (the frame drops them)
    /// and scalars newer than the C library's tables count one (the frame draws U+FFFD).
    public static func of(_ text: some StringProtocol) -> Int {
        sum(text.unicodeScalars)
    }

    /// The width of one grapheme cluster, measured per scalar like `of(_:)` for strings.
    public static func of(_ character: Character) -> Int {
        sum(character.unicodeScalars)
    }

    private static func sum(_ scalars: some Sequence<Unicode.Scalar>) -> Int {
        var total = 0
        for scalar in scalars {
            if let layout = WidthTable.layout(scalar) { total += layout.width }
        }
        return total
    }

    /// Shortens `text` to at most `width` columns, ending in "…" when anything was cut.
    /// Cuts between grapheme clusters, so accents stay on their letters.
    public static func truncate(_ text: String, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        var result = ""
        var used = 0
        let budget = width - 1  // room for the ellipsis
        for character in text {
            let characterWidth = of(character)
            if used + characterWidth > budget { break }
            result.append(character)
            used += characterWidth
        }
        return result + "…"
    }

    /// Word-wraps `text` into lines of at most `width` columns.
    ///
    /// Breaks at spaces and on either side of double-width characters (CJK text has no spaces);
    /// words longer than a line are split between grapheme clusters. "\n" starts a new paragraph.
    /// Spaces at a break are dropped; indentation at the start of a paragraph is kept.
    /// Every paragraph yields at least one line, so `wrap("", width: 10)` is `[""]`.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(contentsOf: wrapParagraph(paragraph, width: width))
        }
        return lines
    }

    private static func wrapParagraph(_ paragraph: Substring, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var pendingSpaces = ""
        var atParagraphStart = true

        func flush() {
            lines.append(line)
            line = ""
            lineWidth = 0
            pendingSpaces = ""
        }

        for token in WrapToken.tokens(in: paragraph) {
            switch token {
            case .spaces(let spaces):
                if atParagraphStart || !line.isEmpty { pendingSpaces += spaces }
            case .word(let word, let wordWidth):
                let spacesWidth = of(pendingSpaces)
                if lineWidth + spacesWidth + wordWidth <= width {
                    line += pendingSpaces + word
                    lineWidth += spacesWidth + wordWidth
                    pendingSpaces = ""
                } else {
                    if !line.isEmpty { flush() }
                    pendingSpaces = ""
                    if wordWidth <= width {
                        line = word
                        lineWidth = wordWidth
                    } else {
                        // Hard-break an over-long word between grapheme clusters.
                        for character in word {
                            let characterWidth = of(character)
                            if lineWidth + characterWidth > width, !line.isEmpty { flush() }
                            line.append(character)
                            lineWidth += characterWidth
                        }
                    }
                }
            }
            atParagraphStart = false
        }
        if !line.isEmpty || lines.isEmpty {
            // Keep a paragraph that is only indentation visible as such, within the width.
            if line.isEmpty && !pendingSpaces.isEmpty {
                line = String(pendingSpaces.prefix(width))
            }
            lines.append(line)
        }
        return lines
    }
}

/// A unit the word wrapper never splits unless it is longer than a line.
private enum WrapToken {
    case spaces(String)
    case word(String, width: Int)

    static func tokens(in text: Substring) -> [WrapToken] {
        var tokens: [WrapToken] = []
        var current = ""
        var currentWidth = 0
        var currentIsSpace = false

        func endCurrent() {
            guard !current.isEmpty else { return }
            tokens.append(currentIsSpace ? .spaces(current) : .word(current, width: currentWidth))
            current = ""
            currentWidth = 0
        }

        for character in text {
            let isSpace = character == " " || character == "\t"
            let characterWidth = DisplayWidth.of(character)
            if characterWidth >= 2 {
                // A wide character is a break opportunity on both sides.
                endCurrent()
                tokens.append(.word(String(character), width: characterWidth))
                continue
            }
            if isSpace != currentIsSpace { endCurrent() }
            currentIsSpace = isSpace
            current.append(isSpace ? " " : character)
            currentWidth += isSpace ? 1 : characterWidth
        }
        endCurrent()
        return tokens
    }
}
