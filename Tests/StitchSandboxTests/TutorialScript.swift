import Foundation
import StitchAPI

/// The tutorial's curl commands and documented replies, read from its text.
struct TutorialScript {
    struct Command {
        /// Shell words after `curl`, exactly as the tutorial writes them.
        var arguments: [String]
        /// True when the tutorial forgot to close the quote around the body and the extractor
        /// closed it where the JSON value ends.
        var closedUnterminatedQuote: Bool

        var url: String { arguments.first { $0.hasPrefix("https://") } ?? "" }
        var method: String {
            guard let index = arguments.firstIndex(of: "-X"), index + 1 < arguments.count else { return "GET" }
            return arguments[index + 1]
        }
        var hasBody: Bool { arguments.contains("-d") }
    }

    let text: String

    static func load() throws -> TutorialScript {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/import-api-connect-tutorial.txt").path
        guard let data = FileManager.default.contents(atPath: path) else { throw TestFailure("missing fixture \(path)") }
        return TutorialScript(text: String(decoding: data, as: UTF8.self))
    }

    /// Every `curl` command, in the order the tutorial gives them.
    ///
    /// A command runs on while a line ends with `\` or a single-quoted string is open. The
    /// tutorial's `POST /v4/sources` body never closes its quote (a slip in the doc); a quote
    /// still open when the JSON inside it has balanced its braces is closed there.
    var commands: [Command] {
        var result: [Command] = []
        var lines = text.components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            guard line.trimmingCharacters(in: .whitespaces).hasPrefix("curl ") else { continue }
            var source = line
            var state = ShellState()
            state.scan(line)
            var repaired = false
            while state.continues(after: source), let next = lines.popFirst() {
                source += "\n" + next
                state.scan("\n" + next)
                if state.inSingleQuote, state.braceDepth == 0, state.sawBrace {
                    source += "'"
                    state.scan("'")
                    repaired = true
                    break
                }
            }
            let words = Self.shellWords(source)
            result.append(Command(arguments: Array(words.dropFirst()), closedUnterminatedQuote: repaired))
        }
        return result
    }

    /// The JSON reply printed after the heading `Response for <title>`.
    func reply(titled title: String) throws -> JSONValue {
        guard let heading = text.range(of: "Response for " + title + "\n") else {
            throw TestFailure("no reply titled \(title)")
        }
        let rest = text[heading.upperBound...]
        guard let start = rest.firstIndex(of: "{") else { throw TestFailure("no JSON after \(title)") }
        var depth = 0
        var end = start
        for index in rest[start...].indices {
            if rest[index] == "{" { depth += 1 }
            if rest[index] == "}" { depth -= 1 }
            if depth == 0 { end = index; break }
        }
        return try JSONParser.parse(String(rest[start...end]))
    }

    /// Splits shell text into words: `'...'` literal, `"..."` with `\"` and `\\`, `\`-newline
    /// as a continuation. Enough for the tutorial's commands.
    static func shellWords(_ source: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var characters = Array(source)[...]
        while let character = characters.popFirst() {
            switch character {
            case "'":
                inWord = true
                while let next = characters.popFirst(), next != "'" { current.append(next) }
            case "\"":
                inWord = true
                while let next = characters.popFirst(), next != "\"" {
                    if next == "\\", let escaped = characters.first, escaped == "\"" || escaped == "\\" {
                        current.append(escaped)
                        characters.removeFirst()
                    } else {
                        current.append(next)
                    }
                }
            case "\\":
                if characters.first == "\n" { characters.removeFirst() } else if let next = characters.popFirst() {
                    current.append(next)
                    inWord = true
                }
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

/// Just enough shell lexing to know where a command ends.
private struct ShellState {
    var inSingleQuote = false
    var inDoubleQuote = false
    var braceDepth = 0
    var sawBrace = false

    mutating func scan(_ text: String) {
        for character in text {
            switch character {
            case "'" where !inDoubleQuote: inSingleQuote.toggle()
            case "\"" where !inSingleQuote: inDoubleQuote.toggle()
            case "{" where inSingleQuote: braceDepth += 1; sawBrace = true
            case "}" where inSingleQuote: braceDepth -= 1
            default: break
            }
        }
    }

    func continues(after source: String) -> Bool {
        inSingleQuote || inDoubleQuote || source.hasSuffix("\\")
    }
}
