/// Why the sandbox could not start, worded for the person who started it.
public enum SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    case portInUse(host: String, port: Int)
    case cannotListen(host: String, port: Int, reason: String)
    case dataDirectoryNotWritable(path: String, reason: String)
    case corruptState(path: String, reason: String)
    case invalidConnectToken(reason: String)

    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            "Port \(port) on \(host) is already in use. Stop the program using it, or choose another port "
                + "with --port (0 picks a free one)."
        case .cannotListen(let host, let port, let reason):
            "Cannot listen on \(host):\(port): \(reason). Check --host and --port."
        case .dataDirectoryNotWritable(let path, let reason):
            "Cannot write to the data directory (\(path)): \(reason). Choose another with --data or "
                + "STITCH_SANDBOX_DATA, or fix its permissions."
        case .corruptState(let path, let reason):
            "The sandbox state file \(path) cannot be read (\(reason)). Move it aside to start a fresh "
                + "account, or restore it from a backup."
        case .invalidConnectToken(let reason):
            "The Connect token is not usable: \(reason)."
        }
    }
}
