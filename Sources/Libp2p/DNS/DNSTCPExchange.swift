import NIOCore
import NIOPosix

/// One query to one server over TCP (RFC 1035 §4.2.2: each message behind a 2-byte length), used when the
/// UDP answer came back truncated. A reply that does not answer the question is an error here: nothing else
/// can arrive on this connection.
enum DNSTCPExchange {
    static func run(
        _ query: [UInt8], to server: DNSServerAddress, name: String, timeout: TimeAmount, group: any EventLoopGroup,
        matches: @escaping @Sendable (DNSMessage) -> Bool
    ) async throws(DNSError) -> DNSMessage {
        let failures = DNSExchangeFailures(name: name, server: server.description)
        guard query.count <= Int(UInt16.max) else {
            throw .malformedMessage("a query of \(query.count) bytes does not fit a TCP length prefix")
        }
        let eventLoop = group.next()
        let reply = eventLoop.makePromise(of: [UInt8].self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ReplyHandler(reply: reply, timeout: timeout, failures: failures))
                    }
                }
                .connect(to: server.socketAddress).get()
        } catch {
            let failure = failures.unreachable(error)
            reply.fail(failure)
            throw failure
        }
        defer { channel.close(promise: nil) }
        var framed: [UInt8] = []
        framed.appendBigEndian(UInt16(query.count))
        framed += query
        channel.writeAndFlush(ByteBuffer(bytes: framed)).whenFailure { error in
            reply.fail(failures.unreachable(error))
        }
        let bytes: [UInt8]
        do {
            bytes = try await reply.futureResult.get()
        } catch {
            throw failures.unreachable(error)
        }
        let message = try DNSMessage(decoding: bytes)
        guard matches(message) else {
            throw .malformedMessage("the TCP answer from \(server) does not answer the question")
        }
        return message
    }

    /// Collects one length-prefixed message (at most 65535 bytes by construction of the prefix).
    private final class ReplyHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let reply: EventLoopPromise<[UInt8]>
        private let timeout: TimeAmount
        private let failures: DNSExchangeFailures
        private var received: [UInt8] = []
        private var answered = false
        private var deadline: Scheduled<Void>?

        init(reply: EventLoopPromise<[UInt8]>, timeout: TimeAmount, failures: DNSExchangeFailures) {
            self.reply = reply
            self.timeout = timeout
            self.failures = failures
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let reply = reply
            let failures = failures
            deadline = context.eventLoop.scheduleTask(in: timeout) { reply.fail(failures.timedOut()) }
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            reply.futureResult.whenComplete { _ in handler.value.deadline?.cancel() }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            reply.fail(failures.closed())
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            received += unwrapInboundIn(data).readableBytesView
            guard received.count >= 2 else { return }
            let length = Int(received[0]) << 8 | Int(received[1])
            guard received.count >= 2 + length else { return }
            answered = true
            reply.succeed(Array(received[2..<(2 + length)]))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            reply.fail(failures.unreachable(error))
        }
    }
}
