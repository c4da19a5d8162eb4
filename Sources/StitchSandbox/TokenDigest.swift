import Crypto

/// What the sandbox stores instead of an Import API token: its SHA-256, in hex.
///
/// A random 160-bit token needs no salt or key stretching: nobody can brute-force a value with
/// that much entropy, so a plain hash is enough to make the stored state useless to a reader.
enum TokenDigest {
    static func hex(of token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }
}

extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte.
    var hexString: String {
        let digits = Array("0123456789abcdef")
        var result = ""
        for byte in self {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0f)])
        }
        return result
    }
}
