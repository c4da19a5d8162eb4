import Foundation

/// A bearer token checked for pasting accidents. Its description never shows the value.
struct BearerToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String

    /// Trims surrounding whitespace (a copied newline) and refuses inner whitespace or control
    /// characters, which would otherwise corrupt the Authorization header.
    init(_ text: String) throws(StitchClientError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidToken(reason: "it is empty") }
        let isBad = { (scalar: Unicode.Scalar) in
            scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
        }
        guard !trimmed.unicodeScalars.contains(where: isBad) else {
            throw .invalidToken(reason: "it contains spaces, line breaks or control characters")
        }
        value = trimmed
    }

    var authorization: String { "Bearer \(value)" }
    var description: String { "<redacted>" }
    var debugDescription: String { "<redacted>" }
}
