/// Why a benchmark run could not produce its figures.
enum BenchmarkError: Error, CustomStringConvertible {
    case missingTool(String, hint: String)
    case commandFailed(String, status: Int32, output: String)
    /// A phase finished but the data is not what it should be, so its figure would be meaningless.
    case wrongResult(String)

    var description: String {
        switch self {
        case .missingTool(let name, let hint):
            "\(name) not found: \(hint)"
        case .commandFailed(let name, let status, let output):
            "\(name) failed (status \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .wrongResult(let message):
            message
        }
    }
}
