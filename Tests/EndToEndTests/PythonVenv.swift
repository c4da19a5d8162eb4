import Foundation
import StitchTestSupport

/// A Python virtual environment a test makes for itself, with packages pip installs from PyPI,
/// so a real Python client runs exactly as its users would install it.
struct PythonVenv {
    let directory: URL

    /// A console script or interpreter inside the venv, e.g. `target-stitch`.
    func executable(_ name: String) -> String {
        directory.appendingPathComponent("bin").appendingPathComponent(name).path
    }

    /// Creates a venv at `directory` with `python3` from PATH, then installs `requirements`
    /// (pip specifiers such as `target-stitch==4.0.3`).
    ///
    /// Failures name the command that failed and quote its standard error, because the usual
    /// causes are on the machine (no `python3-venv`, PyPI unreachable), not in the test.
    static func create(at directory: URL, installing requirements: [String],
                       timeout: Duration = .seconds(600)) throws -> PythonVenv {
        guard let python = executableInPath("python3") else {
            throw CommandFailure(description: "python3 is not on PATH (\(ProcessInfo.processInfo.environment["PATH"] ?? "")); "
                + "install python3 and python3-venv")
        }
        try check(execute(python, ["-m", "venv", directory.path], timeout: .seconds(120)),
                  "\(python) -m venv \(directory.path)",
                  hint: "on Debian or Ubuntu, install python3-venv")

        let venv = PythonVenv(directory: directory)
        var environment = ProcessInfo.processInfo.environment
        // Quiet and non-interactive: pip must never wait for input or nag about its own version.
        environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        environment["PIP_NO_INPUT"] = "1"
        let arguments = ["-m", "pip", "install", "--progress-bar", "off"] + requirements
        try check(execute(venv.executable("python"), arguments, environment: environment, timeout: timeout),
                  "\(venv.executable("python")) \(arguments.joined(separator: " "))",
                  hint: "pip could not install from PyPI; check the network or proxy (PIP_INDEX_URL, HTTPS_PROXY)")
        return venv
    }

    private static func check(_ outcome: CommandOutcome, _ command: String, hint: String) throws {
        guard outcome.succeeded else {
            throw CommandFailure(description: """
                `\(command)` failed (\(outcome.endDescription)): \(hint).
                Its standard error:
                \(outcome.standardError)
                """)
        }
    }
}

/// The first executable file called `name` in the directories of PATH, as a shell would find it.
func executableInPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name).path }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
