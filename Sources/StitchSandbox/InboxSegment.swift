#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

#if canImport(Glibc)
private let systemPread = Glibc.pread
private let systemPwrite = Glibc.pwrite
#else
private let systemPread = Darwin.pread
private let systemPwrite = Darwin.pwrite
#endif

/// One file of the inbox log, `<inbox>/<first batch number, 19 digits>.log`: framed records
/// (`InboxRecordFrame`) appended one after another. Its descriptor stays open while the inbox
/// knows it and closes with the last reference, so a sync under way never syncs a reused descriptor.
final class InboxSegment: Sendable {
    static let suffix = ".log"

    /// Makes a descriptor's written data durable: 0, or the errno of the failure. A value, so that
    /// tests can make the sync fail (a full or failing disk) without touching the real one.
    typealias DataSync = @Sendable (_ descriptor: Int32) -> Int32
    static let fdatasyncData: DataSync = { descriptor in fdatasync(descriptor) == 0 ? 0 : errno }

    let path: String
    let firstNumber: Int64
    private let descriptor: Int32
    private let syncData: DataSync

    private init(path: String, firstNumber: Int64, descriptor: Int32, syncData: @escaping DataSync) {
        self.path = path
        self.firstNumber = firstNumber
        self.descriptor = descriptor
        self.syncData = syncData
    }

    deinit { close(descriptor) }

    static func fileName(firstNumber: Int64) -> String {
        let digits = String(firstNumber)
        return String(repeating: "0", count: max(0, 19 - digits.count)) + digits + suffix
    }

    /// The first batch number a segment's file name gives, or nil for other files.
    static func firstNumber(inFileName name: String) -> Int64? {
        guard name.hasSuffix(suffix) else { return nil }
        return Int64(name.dropLast(suffix.count))
    }

    /// A new, empty segment whose name is durable (the directory is fsync'd), so that a record
    /// appended and fdatasync'd later is found after a crash.
    static func create(in directory: String, firstNumber: Int64,
                       syncData: @escaping DataSync = fdatasyncData) throws(DurableFile.Failure) -> InboxSegment {
        let path = directory + "/" + fileName(firstNumber: firstNumber)
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DurableFile.Failure(operation: "create", path: path, code: errno) }
        let segment = InboxSegment(path: path, firstNumber: firstNumber, descriptor: descriptor, syncData: syncData)
        do {
            try DurableFile.syncDirectory(containing: path)
        } catch {
            unlink(path)
            throw error
        }
        return segment
    }

    /// An existing segment, for recovery.
    static func existing(_ path: String, firstNumber: Int64,
                         syncData: @escaping DataSync = fdatasyncData) throws(DurableFile.Failure) -> InboxSegment {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw DurableFile.Failure(operation: "open", path: path, code: errno) }
        return InboxSegment(path: path, firstNumber: firstNumber, descriptor: descriptor, syncData: syncData)
    }

    var size: Int64? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// Writes `parts` one after another from `offset`. Not durable until `sync`.
    func write(_ parts: [[UInt8]], at offset: Int64) throws(DurableFile.Failure) {
        var position = offset
        for data in parts {
            var done = 0
            while done < data.count {
                let written = data.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return systemPwrite(descriptor, base + done, data.count - done, off_t(position))
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw DurableFile.Failure(operation: "write", path: path, code: errno)
                }
                done += written
                position += Int64(written)
            }
        }
    }

    /// `length` bytes from `offset`, or nil if the file ends first or cannot be read.
    func read(at offset: Int64, length: Int) -> [UInt8]? {
        var failed = false
        // Filled straight from the file: no zeroing pass over a 20 MB body first.
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            while initialized < length {
                let count = systemPread(descriptor, base + initialized, length - initialized, off_t(offset + Int64(initialized)))
                if count < 0, errno == EINTR { continue }
                if count <= 0 {
                    failed = true
                    return
                }
                initialized += count
            }
        }
        return failed ? nil : bytes
    }

    /// fdatasync: the records written so far survive a crash (the file's name already does).
    func sync() throws(DurableFile.Failure) {
        let code = syncData(descriptor)
        guard code == 0 else { throw DurableFile.Failure(operation: "fdatasync", path: path, code: code) }
    }

    /// Cuts the file back to `length` bytes (a torn tail, or records whose sync failed) and syncs that.
    func truncate(to length: Int64) throws(DurableFile.Failure) {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw DurableFile.Failure(operation: "truncate", path: path, code: errno)
        }
        try sync()
    }

    // MARK: Recovery

    struct ScannedRecord: Sendable {
        var number: Int64
        var frameOffset: Int64
        var payloadLength: Int
        /// Why the payload cannot be trusted (its checksum does not match), nil when it can.
        var damage: String?
        var payloadOffset: Int64 { frameOffset + Int64(InboxRecordFrame.size) }
        var end: Int64 { payloadOffset + Int64(payloadLength) }
    }

    /// Bytes between records that cannot be read as one (a damaged record header).
    struct Gap: Sendable {
        var start: Int64
        var end: Int64
    }

    struct Scan: Sendable {
        var records: [ScannedRecord]
        /// Damaged stretches with whole records after them.
        var gaps: [Gap]
        /// Where the last whole record ends.
        var end: Int64
        /// Why the bytes after `end` cannot be read as records; nil when the file ends there.
        var tail: String?
    }

    /// Reads the segment's records and checks each one's checksums. After a header that fails its
    /// checksum the length cannot be trusted, so the next record is looked for byte by byte (a
    /// whole frame whose header and payload both check out); what lies between is a gap, and what
    /// has no whole record after it is the tail.
    func scan() -> Scan {
        guard let size, let bytes = read(at: 0, length: Int(size)) else {
            return Scan(records: [], gaps: [], end: 0, tail: "the file cannot be read")
        }
        var records: [ScannedRecord] = []
        var gaps: [Gap] = []
        var offset = 0
        while offset < bytes.count {
            if let record = Self.record(in: bytes, at: offset, requireIntactPayload: false) {
                records.append(record)
                offset = Int(record.end)
                continue
            }
            var next = offset + 1
            while next < bytes.count, Self.record(in: bytes, at: next, requireIntactPayload: true) == nil { next += 1 }
            guard next < bytes.count else {
                let header = bytes.count - offset >= InboxRecordFrame.size
                    ? InboxRecordFrame(decoding: bytes[offset..<(offset + InboxRecordFrame.size)]) : nil
                let what = header.map { "the record of batch \($0.number) at byte \(offset) is cut short" }
                    ?? "\(bytes.count - offset) bytes from byte \(offset) are not a whole record"
                return Scan(records: records, gaps: gaps, end: Int64(offset), tail: what)
            }
            gaps.append(Gap(start: Int64(offset), end: Int64(next)))
            offset = next
        }
        return Scan(records: records, gaps: gaps, end: Int64(offset), tail: nil)
    }

    /// The record whose frame starts at `offset`, if its header checks out and its payload fits in
    /// the file; `damage` says whether the payload's checksum matches.
    private static func record(in bytes: [UInt8], at offset: Int, requireIntactPayload: Bool) -> ScannedRecord? {
        guard bytes.count - offset >= InboxRecordFrame.size, bytes[offset] == 0x53,
              let frame = InboxRecordFrame(decoding: bytes[offset..<(offset + InboxRecordFrame.size)]),
              frame.payloadLength <= bytes.count - offset - InboxRecordFrame.size
        else { return nil }
        var record = ScannedRecord(number: frame.number, frameOffset: Int64(offset), payloadLength: frame.payloadLength)
        let payload = bytes[Int(record.payloadOffset)..<Int(record.end)]
        if CRC32C.checksum(payload) != frame.payloadChecksum {
            if requireIntactPayload { return nil }
            record.damage = "its checksum does not match (the record was damaged on disk)"
        }
        return record
    }
}
