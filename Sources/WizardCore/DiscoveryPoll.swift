import StitchAPI

/// One poll of a source at `discover_schema`: the source (its report card says when the step is
/// over) and its last connection check, stamped with when the reply arrived so the screen can
/// tell elapsed time without reading a clock itself (the reducer stays pure).
public struct DiscoveryPoll: Sendable, Equatable {
    /// The poll's number, echoed from the effect: a screen takes only the reply to its latest
    /// poll, so a poll still scheduled by a screen the user left cannot start a second loop.
    public var round: Int
    public var source: Source
    /// Nil while no check has run yet (the API's 404).
    public var check: ConnectionCheck?
    /// When the runner received the replies, on the monotonic clock.
    public var receivedAt: ContinuousClock.Instant

    public init(round: Int, source: Source, check: ConnectionCheck?, receivedAt: ContinuousClock.Instant) {
        self.round = round
        self.source = source
        self.check = check
        self.receivedAt = receivedAt
    }
}
