/// The line mode's answer to a multi-select (streams, fields): comma-separated numbers (1-based,
/// ranges like `2-4` too) or names, or `all` / `none`. Names match case-insensitively.
public enum MultiSelectAnswer {
    /// The chosen indices into `options`, or a sentence saying what was wrong with the answer.
    public static func parse(_ line: String, options: [String]) -> Result<Set<Int>, MultiSelectProblem> {
        let answer = line.trimmed
        switch answer.lowercased() {
        case "all": return .success(Set(options.indices))
        case "none": return .success([])
        default: break
        }
        var chosen: Set<Int> = []
        for part in answer.split(separator: ",") {
            let token = String(part).trimmed
            guard !token.isEmpty else { continue }
            if let number = Int(token) {
                guard options.indices.contains(number - 1) else { return .failure(.outOfRange(token, count: options.count)) }
                chosen.insert(number - 1)
            } else if let range = Self.range(token), range.lowerBound >= 1, range.upperBound <= options.count {
                chosen.formUnion(range.map { $0 - 1 })
            } else if let index = options.firstIndex(where: { $0.lowercased() == token.lowercased() }) {
                chosen.insert(index)
            } else {
                return .failure(.unknown(token, count: options.count))
            }
        }
        return .success(chosen)
    }

    /// `2-4` as 2...4.
    static func range(_ token: String) -> ClosedRange<Int>? {
        let bounds = token.split(separator: "-", omittingEmptySubsequences: false).map { Int(String($0).trimmed) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high else { return nil }
        return low...high
    }

    /// The default shown in brackets: `all`, `none`, or the chosen numbers.
    public static func describe(_ chosen: Set<Int>, count: Int) -> String {
        if chosen.isEmpty { return "none" }
        if chosen.count == count { return "all" }
        return chosen.sorted().map { String($0 + 1) }.joined(separator: ",")
    }
}

public enum MultiSelectProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case outOfRange(String, count: Int)
    case unknown(String, count: Int)

    public var description: String {
        switch self {
        case .outOfRange(let token, let count):
            "\(token) is not in the list: answer with numbers from 1 to \(count), names, or all."
        case .unknown(let token, let count):
            "“\(token)” is not in the list: answer with numbers from 1 to \(count), names, or all."
        }
    }
}
