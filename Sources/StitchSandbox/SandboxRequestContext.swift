import Hummingbird
import NIOCore

/// A request context that knows its connection, so a request waiting on the server's behalf
/// (for body budget) can stop waiting as soon as its client is gone.
protocol ConnectionRequestContext: RequestContext {
    var channel: any Channel { get }
}

struct SandboxRequestContext: ConnectionRequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
