/// The rules behind `DisplayWidth.of(_:)`, tuned to agree with glibc 2.36 `wcwidth` under a
/// UTF-8 locale (checked over every scalar by `DisplayWidthGlibcTests`).
enum WidthTable {
    /// The Unicode version of glibc 2.36's character tables (Debian 12). Scalars assigned later
    /// are unknown to `wcwidth` (it returns -1), so ncurses cannot draw them predictably.
    static let unicodeVersion = (major: 14, minor: 0)

    static func width(of value: UInt32) -> Int {
        if value >= 0x20 && value < 0x7F { return 1 }
        if value == 0 { return 0 }
        if isControl(value) { return -1 }
        guard let scalar = Unicode.Scalar(value), isKnown(scalar) else { return -1 }
        if isPrependedConcatenationMark(value) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return 0
        case .format:
            return value == 0xAD ? 1 : 0  // soft hyphen is visible in glibc
        default:
            break
        }
        // U+1171E became a spacing mark in Unicode 15; glibc's Unicode 14 tables still say Mn.
        if isHangulJamoFiller(value) || value == 0x200B || value == 0x1171E { return 0 }
        if (0x1F1E6...0x1F1FF).contains(value) { return 1 }  // regional indicator: a flag is two
        if scalar.properties.isEmojiPresentation { return 2 }
        return isEastAsianWide(value) ? 2 : 1
    }

    /// How `Frame.put` lays out a scalar: nil when it is dropped (controls, NUL, U+200D),
    /// otherwise the scalar to store and its width. Scalars `wcwidth` does not know are drawn as
    /// U+FFFD so ncurses and the frame agree on what the terminal shows.
    static func layout(_ scalar: Unicode.Scalar) -> (scalar: Unicode.Scalar, width: Int)? {
        let value = scalar.value
        if value == 0 || value == 0x200D || isControl(value) { return nil }
        let width = width(of: value)
        return width < 0 ? ("\u{FFFD}", 1) : (scalar, width)
    }

    /// C0, DEL, C1 and the Unicode line and paragraph separators: never drawn.
    static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F..<0xA0).contains(value) || value == 0x2028 || value == 0x2029
    }

    /// Assigned in the Unicode version glibc knows, and not a noncharacter.
    static func isKnown(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age, !scalar.properties.isNoncharacterCodePoint else { return false }
        return (age.major, age.minor) <= unicodeVersion
    }

    /// Format characters that glibc nevertheless draws one column wide.
    private static func isPrependedConcatenationMark(_ value: UInt32) -> Bool {
        switch value {
        case 0x600...0x605, 0x6DD, 0x70F, 0x890...0x891, 0x8E2, 0x110BD, 0x110CD: return true
        default: return false
        }
    }

    /// Hangul medial vowels and final consonants combine with the preceding initial consonant.
    private static func isHangulJamoFiller(_ value: UInt32) -> Bool {
        (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value)
    }

    /// East Asian Wide and Fullwidth blocks (emoji are handled by `isEmojiPresentation`).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4DC0...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x16FE0...0x16FF1, 0x17000...0x18CFF, 0x18D00...0x18D08,
        0x1AFF0...0x1B2FF, 0x1F200...0x1F265, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isEastAsianWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
