import ArgumentParser
import StitchAPI

/// The wizard's own start flags (`stitch-wizard --sandbox`, `--source-type x`, …), read without
/// argument-parser's reflection, which costs milliseconds before the first frame (its first
/// dynamic casts each scan every protocol conformance record of this large binary).
///
/// Only plain uses are read here: each of the root command's flags and options at most once, an
/// option as `--name value` (a value not starting with `-`) or `--name=value`, `--source` an
/// integer, and `validate()` passing. Anything else (help, subcommands, repeats, unknown or
/// malformed flags, values that fail validation) returns nil, and argument-parser parses the
/// arguments as before, with its own messages. Debug builds check every quick result against
/// argument-parser's.
enum QuickStartArguments {
    static func command(from arguments: [String]) -> StitchWizardCommand? {
        var flags: Set<String> = []
        var values: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--sandbox" || argument == "--accessible" {
                guard flags.insert(argument).inserted else { return nil }
                continue
            }
            let name: String, value: String
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                name = argument
                value = arguments[index]
                index += 1
            }
            guard optionNames.contains(name), !value.isEmpty, values.updateValue(value, forKey: name) == nil else {
                return nil
            }
        }
        var command = StitchWizardCommand()
        command.sandbox = flags.contains("--sandbox")
        command.accessible = flags.contains("--accessible")
        command.data = values["--data"]
        command.connectURL = values["--connect-url"] ?? ConnectEndpoint.defaultBaseURL
        command.importURL = values["--import-url"]
        command.region = values["--region"] ?? ImportRegion.northAmerica.rawValue
        command.sourceType = values["--source-type"]
        if let source = values["--source"] {
            guard let id = Int(source) else { return nil }
            command.sourceID = id
        } else {
            command.sourceID = nil
        }
        command.tokenFile = values["--token-file"]
        command.records = values["--records"]
        guard (try? command.validate()) != nil else { return nil }
        return command
    }

    /// The root command's options that take a value (its flags are `--sandbox` and `--accessible`).
    /// A new option of `StitchWizardCommand` is added here and set above: one left unset would
    /// stop the run when read (debug builds stop at once, in `allStartFlagsSet`).
    private static let optionNames: Set<String> = [
        "--data", "--connect-url", "--import-url", "--region", "--source-type", "--source", "--token-file", "--records",
    ]

    /// Every flag and option of `command` has a value: argument-parser's property wrappers describe
    /// an unset one as `…(*definition*)`. Reflection, so only debug builds check it.
    static func allStartFlagsSet(in command: StitchWizardCommand) -> Bool {
        Mirror(reflecting: command).children.allSatisfy { !String(describing: $0.value).contains("*definition*") }
    }
}

extension StitchWizardCommand {
    /// The start flags are the same (debug builds compare a quick parse with argument-parser's).
    func hasSameStartFlags(as other: StitchWizardCommand) -> Bool {
        sandbox == other.sandbox && data == other.data && connectURL == other.connectURL
            && importURL == other.importURL && region == other.region && sourceType == other.sourceType
            && sourceID == other.sourceID && tokenFile == other.tokenFile && accessible == other.accessible
            && records == other.records
    }
}
