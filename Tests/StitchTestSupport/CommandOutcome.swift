/// How a child ended: the raw status `waitpid` gave.
public struct ChildExitStatus: Sendable, Equatable, CustomStringConvertible {
    public var raw: Int32

    public init(raw: Int32) { self.raw = raw }

    // WIFEXITED, WEXITSTATUS and WTERMSIG, spelled out: the C macros do not import into Swift.
    public var exitedNormally: Bool { raw & 0x7f == 0 }
    public var exitCode: Int32 { (raw >> 8) & 0xff }
    /// The signal that ended the child, if one did.
    public var signal: Int32? { exitedNormally ? nil : raw & 0x7f }
    public var succeeded: Bool { exitedNormally && exitCode == 0 }
    /// "exit code 1" or "signal 9", for failure messages.
    public var description: String { exitedNormally ? "exit code \(exitCode)" : "signal \(raw & 0x7f)" }
}

/// How a command that ran to its end ended, and what it printed.
public struct CommandOutcome: Sendable {
    public var status: ChildExitStatus
    public var standardOutput: String
    public var standardError: String

    public init(status: ChildExitStatus, standardOutput: String, standardError: String) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    public var exitedNormally: Bool { status.exitedNormally }
    public var exitCode: Int32 { status.exitCode }
    public var succeeded: Bool { status.succeeded }
    public var endDescription: String { status.description }
}
