import Testing
@testable import StitchSandbox

@Suite("Token digests and secrets")
struct TokenDigestTests {
    // FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf"): the digest is SHA-256, hex-encoded
    // in lower case, two digits a byte.
    @Test("Digests are SHA-256 in lower-case hex", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(message: String, digest: String) {
        #expect(TokenDigest.hex(of: message) == digest)
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
