import Glibc
import Testing
@testable import TerminalUI

// glibc's wcwidth is hidden from Swift's Glibc module (it needs _XOPEN_SOURCE); the symbol is there.
@_silgen_name("wcwidth") private func glibcWcwidth(_ character: Int32) -> Int32

@Suite struct DisplayWidthGlibcTests {
    /// The pure table must agree with the C library ncurses measures with, on every scalar.
    /// Uses a thread-local locale (`uselocale`) so tests running in parallel are unaffected.
    @Test func agreesWithGlibcWcwidthOnEveryScalar() throws {
        let utf8 = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil), "C.UTF-8 locale is not installed")
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        // Sanity check that the locale took effect: in the "C" locale wcwidth(日) is -1.
        try #require(glibcWcwidth(0x65E5) == 2)

        var mismatches: [String] = []
        var compared = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            compared += 1
            let expected = Int(glibcWcwidth(Int32(value)))
            let actual = DisplayWidth.of(scalar)
            if actual != expected, mismatches.count < 20 {
                mismatches.append("U+\(String(value, radix: 16, uppercase: true)): table \(actual), glibc \(expected)")
            }
        }
        #expect(compared == 0x110000 - 0x800)
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
