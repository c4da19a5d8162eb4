#if canImport(Glibc)
/// glibc's `mallopt`; `<malloc.h>` is not part of Swift's Glibc module.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `M_MMAP_THRESHOLD` from `<malloc.h>`.
private let mmapThresholdParameter: Int32 = -3
#endif

/// Makes freed request bodies go back to the system at once.
///
/// glibc serves large blocks with mmap and unmaps them on free, but after the first such free it
/// raises its threshold to that block's size (up to 32 MiB), so later 20 MB bodies and their
/// parsed copies come from arenas that keep the memory. A fixed threshold keeps every batch-sized
/// buffer mapped on its own: measured with twenty 20 MB uploads, peak resident memory drops from
/// ~260 MiB to ~200 MiB (ConcurrentUploadTests).
enum LargeAllocations {
    static let mmapThreshold: Int32 = 1 << 20

    static func returnToSystemWhenFreed() {
        #if canImport(Glibc)
        _ = mallopt(mmapThresholdParameter, mmapThreshold)
        #endif
    }
}
