import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 connection under the REST server's limits: a connection over `maxConnections` is
/// closed as soon as it is accepted (never queued), and every connection gets a `RequestTimeoutHandler`.
/// Hummingbird's own `availableConnectionsDelegate` only stops accepting, which leaves further clients
/// waiting in the listen backlog.
struct LimitedHTTP1Channel: ServerChildChannel {
    let http: HTTP1Channel
    let limiter: ConnectionLimiter

    init(responder: @escaping HTTPChannelHandler.Responder, limits: RESTLimits) {
        http = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [RequestTimeoutHandler(limits: limits)]))
        limiter = ConnectionLimiter(limit: limits.maxConnections)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        guard limiter.acquire() else {
            logger.debug("REST connection refused: limit reached", metadata: ["limit": "\(limiter.limit)"])
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.alreadyClosed)
        }
        let limiter = self.limiter
        channel.closeFuture.whenComplete { _ in limiter.release() }
        return http.setup(channel: channel, logger: logger).flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await http.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the REST server's connection limit and timeouts.
    static func limitedHTTP1(_ limits: RESTLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in LimitedHTTP1Channel(responder: responder, limits: limits) }
    }
}
