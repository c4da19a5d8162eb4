import Logging
import NIOCore
import NIOHTTP1

/// One connection's rules, enforced right after the HTTP/1 decoder, below Hummingbird:
///
/// - admission: over the connection limit, the connection is answered 503 and closed;
/// - deadlines: a request head must arrive within `requestHeadTimeout` (`idleTimeout` between
///   kept-alive requests); while the server asks for body bytes they must keep coming
///   (`minimumBodyProgress` per `bodyProgressTimeout`), and the same bound holds for a client
///   that stops reading our reply. A stalled body gets a 408 and its request fails, so whatever
///   it held (body budget above all) is released;
/// - body parts that arrive together are passed on as one: a chunked body in one-byte chunks
///   would otherwise cost a trip through the pipeline and the request's reader per byte, and let
///   one client slow every other on the event loop;
/// - malformed HTTP gets a JSON reply (`HTTPProtocolErrorReply`) instead of an empty 400, and
///   so does `CONNECT` (a 405; the sandbox is no proxy);
/// - lingering close: when the server ends a connection while the client may still be sending
///   (a reply with `Connection: close` such as the 413, a malformed request, a refusal), it
///   half-closes, then reads and discards until the client is done (or `lingerQuietTime` passes
///   with nothing, or `lingerTime` in all), as nginx does. Closing at once would make the kernel
///   answer the unread bytes with a reset, and clients that write the whole body before reading
///   (urllib, requests, aiohttp) would never see the reply.
///
/// Everything runs on the connection's event loop, so the state needs no lock.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Passed up the pipeline when a body stops arriving, so the request reading it fails at once.
    struct BodyTimedOut: Error {}
    /// Passed up when a body comes in so many tiny pieces that reading it would tie up the event loop.
    struct BodyInTinyPieces: Error {}

    private enum Phase {
        /// Not active yet: admission happens when it is.
        case starting
        case serving
        /// Our side is closed for writing; reading and discarding until the client is done.
        case lingering(since: NIODeadline, lastData: NIODeadline)
        case closed
    }

    private let limits: ConnectionLimits
    private let admission: ConnectionAdmission
    private let logger: Logger

    private var phase = Phase.starting
    private var admitted = false
    /// Refused connections linger briefly: a flood of silent ones must not hold the few refusal
    /// slots (`ConnectionAdmission.refusals`) for long.
    private var refused = false
    /// The HTTP decoder stops parsing after a `CONNECT` or `Upgrade` request and keeps what
    /// follows in its buffer; such a connection closes right after its reply instead of lingering,
    /// so a client cannot pile bytes up there.
    private var decoderStopped = false
    /// Lingering keeps parsing what arrives; a client sending its body in tiny pieces would keep
    /// the event loop busy all that time, so it is closed at once instead.
    private var lingerRefused = false
    /// Where our own replies are written as bytes: just below the response encoder.
    private var encoderContext: ChannelHandlerContext?
    /// Whether the last request head asked to keep the connection open.
    private var lastRequestKeepsAlive = true
    /// After the first decoding error, the decoder only reports the bytes it drops; those are
    /// not new errors.
    private var sawDecodingError = false
    /// Our reply to a malformed request that follows requests still being answered: it goes out
    /// once `owedBeforePending` replies have, so that each reply still answers its request.
    private var pendingReply: HTTPProtocolErrorReply?
    private var owedBeforePending = 0
    /// Close (lingering) once the replies in flight are out: what followed them was malformed.
    private var closeWhenAnswered = false

    private var requestHeads = 0
    private var finishedReplies = 0
    /// A request head arrived and its end has not.
    private var readingBody = false
    /// A reply head went out and its end has not.
    private var replying = false
    private var closeAfterReply = false
    /// When the connection opened or its last reply ended: the clock for the next request head.
    private var idleSince = NIODeadline.now()

    /// Whether the pipeline above asked for data that has not arrived yet. While it has not (it
    /// is busy, or holds enough), a silent client is not stalling anything.
    private var wantsData = false
    private var demandPausedAt: NIODeadline?
    /// The body clock: reset each time `minimumBodyProgress` more bytes have arrived.
    private var progressMark = NIODeadline.now()
    private var bytesSinceMark = 0
    private var unwritableSince: NIODeadline?
    /// Body bytes read in this read cycle, passed on together at its end (or at 64 KiB).
    private var pendingBody: ByteBuffer?
    private static let coalescedBodyLimit = 64 * 1024
    /// The request body so far: pieces as decoded (chunks, or socket reads) and bytes.
    private var bodyPieces = 0
    private var bodyBytes = 0
    /// More pieces than this, averaging under `tinyPieceBytes`, and the body is refused [?]: a
    /// chunked body in one-byte chunks costs the decoder about 10 µs a chunk in a debug build, so a
    /// legal-size body could hold the event loop (and every other client) for seconds. Clients
    /// that stream records as chunks send tens of bytes or more per chunk, and pass.
    private static let tinyPieceCount = 10_000
    private static let tinyPieceBytes = 16

    /// Full closes asked for from above while lingering; they complete when the channel closes.
    private var heldCloses: [EventLoopPromise<Void>] = []
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(limits: ConnectionLimits, admission: ConnectionAdmission, logger: Logger) {
        self.limits = limits
        self.admission = admission
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        encoderContext = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        passPendingBody(context)
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
        encoderContext = nil
    }

    private func start(_ context: ChannelHandlerContext) {
        guard case .starting = phase else { return }
        phase = .serving
        idleSince = .now()
        if admission.admit() {
            admitted = true
            rearm(context)
        } else {
            refused = true
            reply(.tooManyConnections, context)
        }
    }

    private func finish() {
        phase = .closed
        timer?.cancel()
        timer = nil
        if admitted {
            admitted = false
            admission.release()
        }
        let held = heldCloses
        heldCloses = []
        for promise in held { promise.succeed(()) }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .lingering(let since, _):
            phase = .lingering(since: since, lastData: .now())
            return
        case .closed:
            return
        case .starting, .serving:
            break
        }
        switch unwrapInboundIn(data) {
        case .head(let head) where head.method == .CONNECT:
            decoderStopped = true
            answer(.connectNotAllowed, context)
            return
        case .head(let head):
            if head.headers.contains(name: "upgrade") { decoderStopped = true }
            lastRequestKeepsAlive = head.isKeepAlive
            requestHeads += 1
            readingBody = true
            progressMark = .now()
            bytesSinceMark = 0
            bodyPieces = 0
            bodyBytes = 0
        case .body(var buffer):
            bodyPieces += 1
            bodyBytes += buffer.readableBytes
            if bodyPieces > Self.tinyPieceCount, bodyBytes < bodyPieces * Self.tinyPieceBytes {
                refuseTinyPieces(context)
                return
            }
            bytesSinceMark += buffer.readableBytes
            if bytesSinceMark >= limits.minimumBodyProgress {
                progressMark = .now()
                bytesSinceMark = 0
            }
            if pendingBody == nil {
                pendingBody = buffer
            } else {
                pendingBody?.writeBuffer(&buffer)
            }
            if let pendingBody, pendingBody.readableBytes >= Self.coalescedBodyLimit { passPendingBody(context) }
            rearm(context)
            return
        case .end:
            readingBody = false
            passPendingBody(context)
        }
        context.fireChannelRead(data)
        rearm(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch phase {
        case .lingering:
            // Keep draining, whatever the pipeline above wants.
            context.read()
        case .serving:
            passPendingBody(context)
            // The read asked for has been served; the next one, if any, says whether more is wanted.
            wantsData = false
            demandPausedAt = .now()
            context.fireChannelReadComplete()
        case .starting, .closed:
            context.fireChannelReadComplete()
        }
    }

    func read(context: ChannelHandlerContext) {
        if case .serving = phase, !wantsData {
            wantsData = true
            if let pausedAt = demandPausedAt {
                // Time without demand does not count against the body.
                progressMark = progressMark + (NIODeadline.now() - pausedAt)
                demandPausedAt = nil
            }
            rearm(context)
        }
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .lingering = phase, let event = event as? ChannelEvent, event == .inputClosed {
            // The client has sent everything and read what it wanted.
            context.close(mode: .all, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch phase {
        case .lingering, .closed:
            // Decoding errors about bytes we are only discarding.
            return
        case .starting, .serving:
            break
        }
        guard error is HTTPParserError || error is ByteToMessageDecoderError else {
            context.fireErrorCaught(error)
            return
        }
        logger.debug("Malformed HTTP request", metadata: ["error": "\(error)"])
        if sawDecodingError { return }
        sawDecodingError = true
        if context.channel.isActive {
            answer(HTTPProtocolErrorReply(decoding: error), context)
        }
        // else nobody is left to answer (e.g. the client closed in the middle of a request).
        // Whoever is reading the request learns that it failed, after what arrived before.
        passPendingBody(context)
        context.fireErrorCaught(error)
    }

    private func refuseTinyPieces(_ context: ChannelHandlerContext) {
        logger.debug("Request body in tiny pieces; refusing it")
        pendingBody = nil
        lingerRefused = true
        answer(.bodyInTinyPieces, context)
        context.fireErrorCaught(BodyInTinyPieces())
        if case .serving = phase {
            // Our reply waits for earlier ones; meanwhile nothing more is read.
            phase = .closed
            context.close(mode: .all, promise: nil)
        }
    }

    private func passPendingBody(_ context: ChannelHandlerContext) {
        guard let body = pendingBody else { return }
        pendingBody = nil
        // Once we have answered and are closing, what the client sends is discarded.
        guard case .serving = phase else { return }
        context.fireChannelRead(wrapInboundOut(.body(body)))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        unwritableSince = context.channel.isWritable ? nil : .now()
        rearm(context)
        context.fireChannelWritabilityChanged()
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .serving = phase else {
            // We have answered (or are refusing) and closed our side: nothing else goes out.
            promise?.fail(ChannelError.outputClosed)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            replying = true
            closeAfterReply = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            replying = false
            finishedReplies += 1
            context.write(data, promise: promise)
            if let pending = pendingReply, finishedReplies >= owedBeforePending {
                // The replies owed before ours are out: ours follows, unless that was the last one
                // the client wanted (or the one its malformed request already got).
                pendingReply = nil
                if finishedReplies == owedBeforePending, !closeAfterReply, !decoderStopped {
                    reply(pending, context)
                } else {
                    context.flush()
                    beginLingering(context)
                }
            } else if closeAfterReply || decoderStopped || (closeWhenAnswered && finishedReplies >= requestHeads) {
                context.flush()
                beginLingering(context)
            } else if finishedReplies >= requestHeads, !readingBody {
                idleSince = .now()
            }
            rearm(context)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch (phase, mode) {
        case (.lingering, .all):
            heldCloses.append(promise ?? context.eventLoop.makePromise())
        case (.lingering, _):
            promise?.succeed(())
        case (.serving, .output):
            // Hummingbird is done with a `Connection: close` request: drain until the client closes.
            beginLingering(context, promise: promise)
        case (.serving, .all) where readingBody && context.channel.isActive:
            // Closing in the middle of a body the client is still sending: linger first.
            beginLingering(context)
            heldCloses.append(promise ?? context.eventLoop.makePromise())
        default:
            context.close(mode: mode, promise: promise)
        }
    }

    // MARK: Replies and closing

    /// Answers the request being read (or the next one, if none is) with our reply, in its turn:
    /// at once if every earlier request has its reply, after them if some are still being
    /// answered (pipelined requests), not at all if it already got one (an early reply, then a
    /// malformed body) or if the request before it asked to close the connection.
    private func answer(_ reply: HTTPProtocolErrorReply, _ context: ChannelHandlerContext) {
        let owedBefore = requestHeads - (readingBody ? 1 : 0)
        if finishedReplies > owedBefore || (!readingBody && requestHeads > 0 && !lastRequestKeepsAlive) {
            // Nothing is owed for these bytes: let the replies in flight finish, then close.
            if !replying, finishedReplies >= requestHeads {
                beginLingering(context)
            } else {
                closeWhenAnswered = true
            }
        } else if finishedReplies == owedBefore, !replying {
            self.reply(reply, context)
        } else {
            pendingReply = reply
            owedBeforePending = owedBefore
        }
    }

    /// Writes one of our own replies, which always end the connection.
    private func reply(_ reply: HTTPProtocolErrorReply, _ context: ChannelHandlerContext) {
        guard let encoderContext else {
            // Not in the pipeline we set up; nothing to write through.
            context.close(mode: .all, promise: nil)
            return
        }
        encoderContext.writeAndFlush(NIOAny(reply.encoded(allocator: context.channel.allocator)), promise: nil)
        beginLingering(context)
    }

    private func beginLingering(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        guard case .serving = phase else {
            promise?.succeed(())
            return
        }
        if decoderStopped || lingerRefused {
            phase = .closed
            context.close(mode: .all, promise: promise)
            return
        }
        let now = NIODeadline.now()
        phase = .lingering(since: now, lastData: now)
        // The FIN follows the bytes already written.
        context.close(mode: .output, promise: promise)
        context.read()
        rearm(context)
    }

    // MARK: Deadlines

    /// When this connection has waited too long, if it is waiting for anything.
    private func deadline() -> NIODeadline? {
        switch phase {
        case .starting, .closed:
            return nil
        case .lingering(let since, let lastData):
            let total = refused ? min(limits.lingerTime, .seconds(5)) : limits.lingerTime
            let quiet = refused ? min(limits.lingerQuietTime, .seconds(1)) : limits.lingerQuietTime
            return min(since + TimeAmount(total), lastData + TimeAmount(quiet))
        case .serving:
            var earliest: NIODeadline?
            func consider(_ candidate: NIODeadline) { earliest = min(earliest ?? candidate, candidate) }
            if let unwritableSince { consider(unwritableSince + TimeAmount(limits.bodyProgressTimeout)) }
            if readingBody {
                if wantsData { consider(progressMark + TimeAmount(limits.bodyProgressTimeout)) }
            } else if finishedReplies >= requestHeads, !replying {
                let wait = requestHeads == 0 ? limits.requestHeadTimeout : limits.idleTimeout
                consider(idleSince + TimeAmount(wait))
            }
            return earliest
        }
    }

    /// Makes sure a timer fires no later than the current deadline. A timer set for an earlier
    /// time is kept: it re-evaluates when it fires.
    private func rearm(_ context: ChannelHandlerContext) {
        guard let deadline = deadline() else { return }
        if timer != nil, let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            expire(context)
        }
    }

    private func expire(_ context: ChannelHandlerContext) {
        guard let deadline = deadline() else { return }
        guard deadline <= .now() else {
            rearm(context)
            return
        }
        switch phase {
        case .lingering:
            context.close(mode: .all, promise: nil)
        case .serving where readingBody && unwritableSince == nil:
            logger.debug("Request body stalled; closing the connection")
            if finishedReplies == requestHeads - 1, !replying {
                reply(.bodyTimedOut, context)
            } else {
                // An earlier reply is still being written; a stalled client gets no more.
                phase = .closed
                context.close(mode: .all, promise: nil)
            }
            context.fireErrorCaught(BodyTimedOut())
        case .serving:
            // No request head in time, idle too long, or a client that does not read our reply.
            logger.debug("Connection idle or stalled; closing it")
            context.close(mode: .all, promise: nil)
        case .starting, .closed:
            break
        }
    }
}
