import Foundation
import WizardCore

#if canImport(Glibc)
import Glibc
#endif

/// Where effect tasks leave their results for `WizardApp`'s loop, from any thread, and what wakes
/// the loop's wait for a key the moment one arrives: a result no longer waits for the key wait's
/// timeout, nor for the main actor to be free.
final class EventMailbox: @unchecked Sendable {
    // @unchecked: `deliveries` is only touched under `lock`; the pipe's descriptors are set once
    // in init and closed only in deinit, when no task can post any more.
    enum Delivery: Sendable {
        case event(WizardEvent)
        /// The target the start waited for (the in-process sandbox listening), or why it failed.
        case target(Result<WizardTarget, any Error>)
    }

    private let lock = NSLock()
    private var deliveries: [Delivery] = []
    /// A non-blocking self-pipe: a byte per post. -1 when it could not be made; the loop then
    /// notices posts at its wait's timeout, as it did before the pipe.
    private let wakeReader: Int32
    private let wakeWriter: Int32

    init() {
        var descriptors: [Int32] = [-1, -1]
        // pipe2 is not in Swift's Glibc module, so the flags are set one by one (a child spawned in
        // between would only inherit a wake-up pipe).
        if pipe(&descriptors) == 0 {
            for descriptor in descriptors {
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
            wakeReader = descriptors[0]
            wakeWriter = descriptors[1]
        } else {
            wakeReader = -1
            wakeWriter = -1
        }
    }

    deinit {
        if wakeReader >= 0 { close(wakeReader) }
        if wakeWriter >= 0 { close(wakeWriter) }
    }

    func post(_ delivery: Delivery) {
        lock.withLock { deliveries.append(delivery) }
        guard wakeWriter >= 0 else { return }
        var byte: UInt8 = 1
        // A full pipe already holds a wake-up: losing this byte loses nothing.
        _ = write(wakeWriter, &byte, 1)
    }

    /// Everything posted so far, in order.
    func take() -> [Delivery] {
        if wakeReader >= 0 {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(wakeReader, &bytes, bytes.count) > 0 {}
        }
        return lock.withLock {
            defer { deliveries.removeAll() }
            return deliveries
        }
    }

    /// Blocks until `descriptor` is readable, something is posted, or `timeout` passes; returns
    /// at once when something is already waiting. Returns false when the input is gone for good
    /// (the terminal hung up, or its descriptor closed): it will never be readable again, and
    /// each later wait would return at once, spinning the loop.
    @discardableResult
    func wait(forInputOn descriptor: Int32, timeout: Duration) -> Bool {
        guard lock.withLock({ deliveries.isEmpty }) else { return true }
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        // EINTR (SIGWINCH) ends the wait early, which is what a resize wants anyway.
        guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { return true }
        let events = Int32(descriptors[0].revents)
        if events & Int32(POLLNVAL) != 0 { return false }
        guard events & (Int32(POLLHUP) | Int32(POLLERR)) != 0 else { return true }
        // A hang-up with bytes still unread is not the end yet: they are keys to handle first. But
        // POLLIN does not say so: a terminal that was hung up (its pty's master closed: the window
        // or tmux gone, an ssh connection dropped) reports POLLIN with POLLHUP for ever while every
        // read returns 0, and the loop spun on it. FIONREAD counts what is really there (a hung-up
        // terminal refuses it, EIO).
        return Self.unreadBytes(on: descriptor) > 0
    }

    /// Bytes waiting to be read on `descriptor`; 0 when it cannot say (a hung-up terminal).
    static func unreadBytes(on descriptor: Int32) -> Int {
        var count: Int32 = 0
        guard ioctl(descriptor, UInt(FIONREAD), &count) == 0 else { return 0 }
        return Int(count)
    }
}
