import Testing
@testable import StitchSandbox

@Suite("SHA-256")
struct SHA256Tests {
    // FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf"), plus block-boundary lengths.
    @Test("Matches the FIPS 180-4 vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func vectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(message) == digest)
    }

    @Test("One million 'a's, fed in uneven pieces")
    func millionA() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let count = min(piece, remaining)
            hasher.update(repeatElement(UInt8(ascii: "a"), count: count))
            remaining -= count
            piece = piece * 3 % 997 + 1
        }
        #expect(hasher.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("Tokens have the documented prefixes, 40 hex digits, and differ")
    func tokens() {
        let tokens = (0..<50).map { _ in SecretToken.importAPI() }
        #expect(tokens.allSatisfy { $0.wholeMatch(of: /at_[0-9a-f]{40}/) != nil })
        #expect(Set(tokens).count == tokens.count)
        #expect(SecretToken.connect().wholeMatch(of: /ac_[0-9a-f]{40}/) != nil)
        #expect(SecretToken.constantTimeEquals("abc", "abc"))
        #expect(!SecretToken.constantTimeEquals("abc", "abd"))
        #expect(!SecretToken.constantTimeEquals("abc", "abcd"))
    }
}
