/// `GET /v4/sources/{id}/last-connection-check` (spec §2.5.10; the docs' connection check
/// object): the job Stitch runs during `discover_schema` to test the form's values and discover
/// the streams. Exit statuses are null while their part runs, 0 on success, else failed.
public struct ConnectionCheck: Codable, Sendable, Hashable {
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        case running
        case succeeded
        case failed
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "running": self = .running
            case "succeeded": self = .succeeded
            case "failed": self = .failed
            default: self = .other(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .running: "running"
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .other(let raw): raw
            }
        }

        public var description: String { rawValue }
    }

    /// `<client>.<source>.check.<uuid>`, as the Source's `check_job_name`.
    public var name: String
    /// Always `check`.
    public var mode: String
    public var status: Status
    public var startTime: String?
    public var completionTime: String?
    /// True when any exit status is non-zero.
    public var error: Bool?
    public var checkExitStatus: Int?
    public var discoveryExitStatus: Int?
    public var discoveryErrorMessage: String?
    public var tapExitStatus: Int?
    public var tapErrorMessage: String?
    public var targetExitStatus: Int?
    /// Always null, per the docs.
    public var targetErrorMessage: String?

    public init(name: String, mode: String = "check", status: Status, startTime: String? = nil,
                completionTime: String? = nil, error: Bool? = nil, checkExitStatus: Int? = nil,
                discoveryExitStatus: Int? = nil, discoveryErrorMessage: String? = nil, tapExitStatus: Int? = nil,
                tapErrorMessage: String? = nil, targetExitStatus: Int? = nil, targetErrorMessage: String? = nil) {
        self.name = name
        self.mode = mode
        self.status = status
        self.startTime = startTime
        self.completionTime = completionTime
        self.error = error
        self.checkExitStatus = checkExitStatus
        self.discoveryExitStatus = discoveryExitStatus
        self.discoveryErrorMessage = discoveryErrorMessage
        self.tapExitStatus = tapExitStatus
        self.tapErrorMessage = tapErrorMessage
        self.targetExitStatus = targetExitStatus
        self.targetErrorMessage = targetErrorMessage
    }

    /// Whether the job has ended, well or badly.
    public var isFinished: Bool { status != .running }

    /// Whether it failed: `status: failed`, `error: true`, or a non-zero exit status.
    public var hasFailed: Bool {
        status == .failed || error == true
            || [checkExitStatus, discoveryExitStatus, tapExitStatus, targetExitStatus].contains { ($0 ?? 0) != 0 }
    }

    /// The error messages the job reported, labelled by the part that failed, for showing.
    public var errorMessages: [String] {
        [("discovery", discoveryErrorMessage), ("tap", tapErrorMessage), ("target", targetErrorMessage)]
            .compactMap { label, message in message.map { "\(label): \($0)" } }
    }

    enum CodingKeys: String, CodingKey {
        case name, mode, status, error
        case startTime = "start_time"
        case completionTime = "completion_time"
        case checkExitStatus = "check_exit_status"
        case discoveryExitStatus = "discovery_exit_status"
        case discoveryErrorMessage = "discovery_error_message"
        case tapExitStatus = "tap_exit_status"
        case tapErrorMessage = "tap_error_message"
        case targetExitStatus = "target_exit_status"
        case targetErrorMessage = "target_error_message"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        mode = try container.decodeIfPresent(String.self, forKey: .mode) ?? "check"
        status = Status(rawValue: try container.decode(String.self, forKey: .status))
        startTime = try container.decodeIfPresent(String.self, forKey: .startTime)
        completionTime = try container.decodeIfPresent(String.self, forKey: .completionTime)
        error = try container.decodeIfPresent(Bool.self, forKey: .error)
        checkExitStatus = try container.decodeIfPresent(Int.self, forKey: .checkExitStatus)
        discoveryExitStatus = try container.decodeIfPresent(Int.self, forKey: .discoveryExitStatus)
        discoveryErrorMessage = try container.decodeIfPresent(String.self, forKey: .discoveryErrorMessage)
        tapExitStatus = try container.decodeIfPresent(Int.self, forKey: .tapExitStatus)
        tapErrorMessage = try container.decodeIfPresent(String.self, forKey: .tapErrorMessage)
        targetExitStatus = try container.decodeIfPresent(Int.self, forKey: .targetExitStatus)
        targetErrorMessage = try container.decodeIfPresent(String.self, forKey: .targetErrorMessage)
    }

    /// Every documented key, nulls included, in the docs' attribute order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(mode, forKey: .mode)
        try container.encode(status.rawValue, forKey: .status)
        try container.encode(startTime, forKey: .startTime)
        try container.encode(completionTime, forKey: .completionTime)
        try container.encode(error, forKey: .error)
        try container.encode(checkExitStatus, forKey: .checkExitStatus)
        try container.encode(discoveryExitStatus, forKey: .discoveryExitStatus)
        try container.encode(discoveryErrorMessage, forKey: .discoveryErrorMessage)
        try container.encode(tapExitStatus, forKey: .tapExitStatus)
        try container.encode(tapErrorMessage, forKey: .tapErrorMessage)
        try container.encode(targetExitStatus, forKey: .targetExitStatus)
        try container.encode(targetErrorMessage, forKey: .targetErrorMessage)
    }
}
