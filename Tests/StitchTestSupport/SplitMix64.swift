import Foundation

/// A small seeded generator, so a failing run can be replayed from its seed (the kill points of
/// `KillUnderLoadTests`, the requests of `HTTPFuzzTests`, the keys of the wizard's monkey test).
/// Shared by every test target through `StitchTestSupport`: one generator is easier to trust than two.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// The seed from `variable` in the environment, or a fresh one; either way printed by the caller.
    public static func seed(fromEnvironment variable: String) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment[variable], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 1...UInt64(Int64.max))
    }
}
