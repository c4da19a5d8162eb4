#if canImport(Glibc)
/// glibc's `mallopt`; `<malloc.h>` is not part of Swift's Glibc module.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `M_MMAP_THRESHOLD` from `<malloc.h>`.
private let mmapThresholdParameter: Int32 = -3
#endif

/// Makes `push`'s batch buffers go back to the system when freed, so resident memory stays at a
/// few batches however long the input is.
///
/// glibc maps large blocks on their own and unmaps them on free, but after the first such free
/// it raises its threshold to that block's size (up to 32 MiB), so later batch-sized buffers come
/// from arenas that keep the memory. A fixed threshold stops that. (The sandbox does the same for
/// request bodies in its internal `LargeAllocations`.)
enum LargeBuffers {
    static func returnToSystemWhenFreed() {
        #if canImport(Glibc)
        _ = mallopt(mmapThresholdParameter, 256 * 1024)
        #endif
    }
}
