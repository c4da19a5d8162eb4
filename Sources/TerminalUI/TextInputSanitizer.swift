/// Cleans text arriving from the keyboard, a paste or the caller before it enters an editor.
///
/// Control characters have no width in a `Frame` (it drops them), so leaving them in the model
/// would make the cursor and the screen disagree.
enum TextInputSanitizer {
    /// Line breaks as "\n" (CRLF and lone CR included), tabs as `tabWidth` spaces, other control
    /// characters removed.
    static func multiline(_ text: String, tabWidth: Int) -> String {
        var result = ""
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { previousWasCarriageReturn = scalar == "\r" }
            switch scalar {
            case "\r":
                result.unicodeScalars.append("\n")
            case "\n":
                if !previousWasCarriageReturn { result.unicodeScalars.append("\n") }
            case "\t":
                result += String(repeating: " ", count: tabWidth)
            default:
                if !WidthTable.isControl(scalar.value), scalar.value != 0 { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A single line: every line break and tab becomes one space, other controls are removed.
    static func singleLine(_ text: String) -> String {
        multiline(text, tabWidth: 1).replacingNewlines(with: " ")
    }
}

extension String {
    fileprivate func replacingNewlines(with replacement: Character) -> String {
        String(map { $0 == "\n" ? replacement : $0 })
    }
}
