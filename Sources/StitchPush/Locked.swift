import Foundation

/// A value guarded by a lock, shared by the reader thread and the sending tasks of a push.
///
/// `@unchecked Sendable` is sound because `value` is private and only reached through `withLock`,
/// which holds `lock` for the whole access. (`Synchronization.Mutex` would say the same to the
/// compiler but needs macOS 15, and the package supports macOS 14; StitchSandbox's own `Locked`
/// is internal to that module.)
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
