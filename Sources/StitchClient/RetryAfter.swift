/// The `Retry-After` header of a 429 or 503 (RFC 9110 §10.2.3). Stitch documents neither a 429 nor
/// this header [?]; a server in front of it (a proxy, a load balancer) may send them, and a client
/// that retries should not come back sooner than asked.
public enum RetryAfter {
    /// The wait in `value` when it is a number of seconds. The header's other form, an HTTP date,
    /// is not read: it needs the server's clock to agree with ours, and the backoff then applies.
    public static func seconds(in value: String) -> Duration? {
        let text = value.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let seconds = Int64(String(decoding: text, as: UTF8.self)) else { return nil }
        return .seconds(seconds)
    }
}
