import TerminalUI

/// How the destination view writes a cell, shared by its core (column widths, scrolling) and its
/// view: SQL NULL as a muted `∅`, never as the text "NULL"; the empty string as a muted `""`;
/// control and format characters (which a terminal would act on or drop) as visible escapes
/// (`\n`, `\t`, `\u0007`) in a style of their own, so they read apart from a typed backslash.
public enum DestinationCellText {
    public struct Segment: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// Text as stored.
            case text
            /// A character written as an escape (`\n`).
            case escape
            /// SQL NULL.
            case null
            /// The empty string.
            case empty
        }

        public var text: String
        public var kind: Kind

        public init(_ text: String, _ kind: Kind) {
            self.text = text
            self.kind = kind
        }
    }

    public static let nullMark = "∅"
    public static let emptyMark = "\"\""

    /// The cell as segments, in order; text runs are merged.
    public static func segments(_ value: String?) -> [Segment] {
        guard let value else { return [Segment(nullMark, .null)] }
        guard !value.isEmpty else { return [Segment(emptyMark, .empty)] }
        var segments: [Segment] = []
        var run = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if let escape = escape(scalar) {
                if !run.isEmpty { segments.append(Segment(String(run), .text)) }
                run = String.UnicodeScalarView()
                segments.append(Segment(escape, .escape))
            } else {
                run.append(scalar)
            }
        }
        if !run.isEmpty { segments.append(Segment(String(run), .text)) }
        return segments
    }

    /// The cell on one line, escapes included (for widths and for tests).
    public static func line(_ value: String?) -> String {
        segments(value).map(\.text).joined()
    }

    /// Columns the cell takes on one line.
    public static func width(_ value: String?) -> Int {
        segments(value).reduce(0) { $0 + DisplayWidth.of($1.text) }
    }

    /// The cell over lines of at most `width` columns, for reading it whole: a line ends after
    /// each `\n` escape (text keeps its line breaks and still shows them), and a line too long
    /// breaks after its last space (kept at the line's end, so nothing is lost), else at the width.
    /// A wide character or an escape is never split.
    public static func wrapped(_ value: String?, width: Int) -> [[Segment]] {
        let width = max(1, width)
        // Units: one character of text, or a whole escape or mark.
        typealias Unit = (text: String, kind: Segment.Kind, columns: Int)
        var lines: [[Unit]] = [[]]
        var used = 0
        func add(_ unit: Unit) {
            if used + unit.columns > width, used > 0 {
                var line = lines[lines.count - 1]
                var carried: [Unit] = []
                if unit.kind == .text,
                   let space = line.lastIndex(where: { $0.kind == .text && $0.text == " " }), space < line.count - 1 {
                    carried = Array(line[(space + 1)...])
                    line.removeSubrange((space + 1)...)
                    lines[lines.count - 1] = line
                }
                lines.append(carried)
                used = carried.reduce(0) { $0 + $1.columns }
            }
            lines[lines.count - 1].append(unit)
            used += unit.columns
        }
        for segment in segments(value) {
            if segment.kind == .text {
                for character in segment.text { add((String(character), .text, DisplayWidth.of(character))) }
            } else {
                add((segment.text, segment.kind, DisplayWidth.of(segment.text)))
                if segment.kind == .escape, segment.text == "\\n" {
                    lines.append([])
                    used = 0
                }
            }
        }
        if lines.count > 1, lines[lines.count - 1].isEmpty { lines.removeLast() }
        return lines.map { units in
            var merged: [Segment] = []
            for unit in units {
                if let last = merged.last, last.kind == unit.kind, unit.kind == .text {
                    merged[merged.count - 1].text += unit.text
                } else {
                    merged.append(Segment(unit.text, unit.kind))
                }
            }
            return merged
        }
    }

    /// The escape a scalar is shown as, or nil when it is shown as itself: C0 and C1 controls,
    /// DEL, format characters (zero-width joiners, bidi controls, BOM) and line/paragraph separators.
    public static func escape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\n": return "\\n"
        case "\t": return "\\t"
        case "\r": return "\\r"
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return scalar.value <= 0xFFFF
                ? "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                : "\\u{" + hex + "}"
        default:
            return nil
        }
    }
}
