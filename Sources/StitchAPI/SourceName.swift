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

    /// Why `displayName` cannot become a source, naming the schema name it would give; nil when
    /// it gives a valid one. An empty or blank display name is the caller's own check.
    public static func problem(withDisplayName displayName: String) -> DisplayNameProblem? {
        let name = derive(fromDisplayName: displayName)
        return problem(with: name).map { DisplayNameProblem(displayName: displayName, schemaName: name, problem: $0) }
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
        case .empty: "The name is empty: it needs at least one of a-z, 0-9, _ or $."
        case .badFirstCharacter: "The name must start with a letter or an underscore."
        case .tooLong(let count): "The name must be under 50 characters (it has \(count))."
        case .badCharacters: "The name may hold only lowercase letters, digits, underscores or $."
        }
    }
}

/// A display name whose derived schema name is invalid, explained with the name it would become.
public struct DisplayNameProblem: Sendable, Hashable, CustomStringConvertible {
    public let displayName: String
    /// What `SourceName.derive` makes of the display name ("" when nothing is kept).
    public let schemaName: String
    public let problem: NameProblem

    /// A name as a message quotes it: whole up to 100 characters, else its start and end around
    /// "…", so a pasted page stays a readable line (the count says how long it is).
    static func excerpt(_ name: String) -> String {
        guard name.count > 100 else { return name }
        return name.prefix(70) + "…" + name.suffix(20)
    }

    public var description: String {
        switch problem {
        case .empty:
            // Non-Latin letters (日本語, Ελληνικά) are letters, yet none of them survives the rule.
            "The schema name would be empty: only a-z, 0-9, _ and $ are kept from the display name "
                + "(accents are dropped, spaces become _), and “\(Self.excerpt(displayName))” has none of them. "
                + "Add Latin letters or digits."
        case .badFirstCharacter:
            "The schema name would be “\(Self.excerpt(schemaName))”, which starts with “\(schemaName.prefix(1))”: "
                + "it must start with a letter or _. Begin the display name with a letter."
        case .tooLong(let count):
            "The schema name would be “\(Self.excerpt(schemaName))”, \(count) characters: it must be under 50. "
                + "Shorten the display name."
        case .badCharacters:
            "The schema name would be “\(Self.excerpt(schemaName))”: \(problem)"
        }
    }
}
