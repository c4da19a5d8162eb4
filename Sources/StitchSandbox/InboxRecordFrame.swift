/// The frame before each record of an inbox segment (see `Inbox`):
///
///     "SBL1" | payload length (UInt32) | batch number (Int64) | payload CRC-32C | header CRC-32C
///
/// little-endian, 24 bytes, then the payload: the batch's header line (JSON) and its body, the same
/// bytes an inbox file held before the log. The header's own checksum (over its first 20 bytes)
/// says whether the length can be trusted, so a damaged payload can be skipped to the record after
/// it; a header that fails its checksum ends what can be read of a segment.
struct InboxRecordFrame: Equatable, Sendable {
    static let size = 24
    private static let magic: [UInt8] = Array("SBL1".utf8)

    var number: Int64
    var payloadLength: Int
    var payloadChecksum: UInt32

    var encoded: [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.size)
        Self.append(UInt32(truncatingIfNeeded: payloadLength), to: &bytes)
        Self.append(UInt64(bitPattern: number), to: &bytes)
        Self.append(payloadChecksum, to: &bytes)
        Self.append(CRC32C.checksum(bytes), to: &bytes)
        return bytes
    }

    /// The frame in the first `size` bytes, or nil when they are not one (a torn or damaged header).
    init?(decoding bytes: ArraySlice<UInt8>) {
        guard bytes.count >= Self.size else { return nil }
        let start = bytes.startIndex
        guard bytes[start..<(start + 4)].elementsEqual(Self.magic),
              CRC32C.checksum(bytes[start..<(start + 20)]) == Self.integer(bytes, at: start + 20, width: 4)
        else { return nil }
        payloadLength = Int(Self.integer(bytes, at: start + 4, width: 4))
        number = Int64(bitPattern: Self.integer(bytes, at: start + 8, width: 8))
        payloadChecksum = UInt32(Self.integer(bytes, at: start + 16, width: 4))
    }

    init(number: Int64, payloadLength: Int, payloadChecksum: UInt32) {
        self.number = number
        self.payloadLength = payloadLength
        self.payloadChecksum = payloadChecksum
    }

    /// Payloads are at most this long (the Import API's 20 MB body and its header line fit many times over).
    static let payloadLimit = Int(UInt32.max)

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func integer(_ bytes: ArraySlice<UInt8>, at index: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for offset in (0..<width).reversed() { value = value << 8 | UInt64(bytes[index + offset]) }
        return value
    }
}
