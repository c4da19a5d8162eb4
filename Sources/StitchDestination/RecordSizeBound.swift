/// The most bytes a JSON value can take when written back: every string byte escaped as `\uXXXX`,
/// a number at 32. The 4 MB record limit is judged by this bound first, and a record is measured
/// exactly only when the bound is over the limit. The tree walk, the tape walk and `LoadPlan` all
/// add up the same rule from here.
enum RecordSizeBound {
    /// The braces of an object.
    static let object = 2
    /// An escaped, quoted key with its colon and comma.
    static func member(keyBytes: Int) -> Int { keyBytes * 6 + 4 }
    /// The brackets of an array of `count` elements, and their commas.
    static func array(count: Int) -> Int { 2 + count }
    /// `null`, `true`, `false`.
    static let literal = 5
    static let number = 32
    /// A quoted string of `bytes` UTF-8 bytes, every one escaped.
    static func string(bytes: Int) -> Int { bytes * 6 + 2 }
}
