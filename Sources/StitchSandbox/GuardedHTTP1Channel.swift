import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with a `ConnectionGuard` inserted right after the HTTP
/// decoder: low enough to see decoding errors and raw body progress, and to keep reading when
/// lingering, which Hummingbird's own hook for extra handlers (after its conversion to
/// `HTTPTypes`) would not allow.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: ConnectionLimits
    let admission: ConnectionAdmission
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = limits
        let admission = admission
        let guardLogger = self.logger
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(ConnectionGuard(limits: limits, admission: admission, logger: guardLogger),
                                    position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the sandbox's connection rules (see `ConnectionGuard`).
    static func guardedHTTP1(limits: ConnectionLimits, admission: ConnectionAdmission, logger: Logger)
        -> HTTPServerBuilder
    {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(http1: HTTP1Channel(responder: responder), limits: limits, admission: admission,
                                logger: logger)
        }
    }
}
