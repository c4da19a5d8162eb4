#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Input read from a file descriptor in fixed-size chunks, keeping only the bytes not yet
/// consumed: a file of any size costs one chunk plus the longest record in memory.
///
/// Records are handed out as slices of `buffer`, valid until the next `fill()`. Used by one
/// thread at a time (the reader thread of a push), so it is not Sendable.
public final class ByteInput {
    public private(set) var buffer: [UInt8] = []
    /// The first byte not yet consumed.
    public var start = 0
    public private(set) var isAtEnd = false
    /// Bytes read from the descriptor so far (for progress).
    public private(set) var totalBytesRead = 0
    private let descriptor: Int32
    private let chunkSize: Int
    private let scratch: UnsafeMutableRawBufferPointer

    public init(descriptor: Int32, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.chunkSize = chunkSize
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    /// In-memory input, for tests and small documents.
    public convenience init(bytes: [UInt8]) {
        self.init(descriptor: -1, chunkSize: 1)
        buffer = bytes
        totalBytesRead = bytes.count
        isAtEnd = true
    }

    deinit { scratch.deallocate() }

    /// Bytes available and not consumed.
    public var available: Int { buffer.count - start }

    /// Drops consumed bytes and reads one more chunk. Returns false at the end of the input.
    public func fill() throws(InputError) -> Bool {
        if isAtEnd { return false }
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        while true {
            let count = read(descriptor, scratch.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(line: 0, "cannot read the input: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                isAtEnd = true
                return false
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            totalBytesRead += count
            return true
        }
    }

    /// The index of the next `byte` at or after `from`, searching only what is buffered.
    public func index(of byte: UInt8, from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let base = pointer.baseAddress,
                  let found = memchr(base + from, Int32(byte), pointer.count - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
