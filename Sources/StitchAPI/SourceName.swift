import Foundation

/// How Stitch turns a display name into a source's `name`, the destination schema name
/// (spec §2.6). Shared by the wizard's live preview and the sandbox, so both agree.
public enum SourceName {
    /// Longest valid name: "shorter than 50 characters".
    public static let maximumLength = 49

    /// Derives the schema name from a display name.
    ///
    /// Confirmed: lowercase; spaces become `_`; characters outside `[a-z0-9_$]` are dropped
    /// (`DISPLAY_NAME!!!`). Open points, chosen here as the most plausible [?]: a run of
    /// spaces or separators (`-`, `.`, `/`) becomes a single `_`; accents are folded
    /// (`Café` -> `cafe`) rather than dropped; leading and trailing `_` from separators are trimmed.
    public static func derive(fromDisplayName displayName: String) -> String {
        let folded = displayName.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var result = ""
        var pendingSeparator = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace || "-./".unicodeScalars.contains(scalar) {
                pendingSeparator = !result.isEmpty
                continue
            }
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "$"
            guard allowed else { continue }
            if pendingSeparator { result.append("_"); pendingSeparator = false }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// Why a name is not a valid schema name, or nil when it is.
    public static func problem(with name: String) -> NameProblem? {
        guard let first = name.unicodeScalars.first else { return .empty }
        if !(("a"..."z").contains(first) || first == "_") { return .badFirstCharacter }
        if name.unicodeScalars.count > maximumLength { return .tooLong(name.unicodeScalars.count) }
        let valid = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "$"
        }
        return valid ? nil : .badCharacters
    }
}

public enum NameProblem: Sendable, Hashable, CustomStringConvertible {
    case empty
    case badFirstCharacter
    case tooLong(Int)
    case badCharacters

    public var description: String {
        switch self {
        case .empty: "The name needs at least one letter or digit."
        case .badFirstCharacter: "The name must start with a letter or an underscore."
        case .tooLong(let count): "The name must be under 50 characters (it has \(count))."
        case .badCharacters: "The name may hold only lowercase letters, digits, underscores or $."
        }
    }
}
