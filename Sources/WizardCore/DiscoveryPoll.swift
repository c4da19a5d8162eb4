import StitchAPI

/// One poll of a source at `discover_schema`: the source (its report card says when the step is
/// over) and its last connection check, stamped with when the reply arrived so the screen can
/// tell elapsed time without reading a clock itself (the reducer stays pure).
public struct DiscoveryPoll: Sendable, Equatable {
    public var source: Source
    /// Nil while no check has run yet (the API's 404).
    public var check: ConnectionCheck?
    /// When the runner received the replies, on the monotonic clock.
    public var receivedAt: ContinuousClock.Instant

    public init(source: Source, check: ConnectionCheck?, receivedAt: ContinuousClock.Instant) {
        self.source = source
        self.check = check
        self.receivedAt = receivedAt
    }
}
