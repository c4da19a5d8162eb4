/// Random bearer tokens in Stitch's documented shapes: `ac_` (Connect) and `at_` (Import API)
/// followed by 40 hex digits, i.e. 160 random bits.
enum SecretToken {
    /// `SystemRandomNumberGenerator` is the platform CSPRNG (getrandom(2) on Linux,
    /// arc4random on Darwin), which is what a bearer secret needs.
    static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + bytes.hexString
    }

    static func connect() -> String { make(prefix: "ac_") }
    static func importAPI() -> String { make(prefix: "at_") }

    /// Compares secrets without an early exit, so timing does not reveal a matching prefix.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
