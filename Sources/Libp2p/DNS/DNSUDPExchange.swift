import NIOCore
import NIOPosix

/// One query to one server over a connected UDP socket (so the kernel drops datagrams from anyone else),
/// waiting for the datagram that answers it. Anything else that arrives (another ID or question, bytes that
/// are not DNS) is ignored, so a stray or forged datagram cannot stand in for the answer.
enum DNSUDPExchange {
    /// Larger than the EDNS(0) payload we offer, so the read buffer never cuts an answer.
    static let receiveBufferSize = 4096

    static func run(
        _ query: [UInt8], to server: DNSServerAddress, name: String, timeout: TimeAmount, group: any EventLoopGroup,
        matches: @escaping @Sendable (DNSMessage) -> Bool
    ) async throws(DNSError) -> DNSMessage {
        let eventLoop = group.next()
        let reply = eventLoop.makePromise(of: DNSMessage.self)
        let failures = DNSExchangeFailures(name: name, server: server.description)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: eventLoop)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: receiveBufferSize))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ReplyHandler(reply: reply, matches: matches, timeout: timeout, failures: failures))
                    }
                }
                .connect(to: server.socketAddress).get()
        } catch {
            let failure = failures.unreachable(error)
            reply.fail(failure)
            throw failure
        }
        defer { channel.close(promise: nil) }
        channel.writeAndFlush(ByteBuffer(bytes: query)).whenFailure { error in
            reply.fail(failures.unreachable(error))
        }
        do {
            return try await reply.futureResult.get()
        } catch let error as DNSError {
            throw error
        } catch {
            throw failures.unreachable(error)
        }
    }

    /// Completes `reply` with the first matching datagram, a socket error, or on timeout with the reason the
    /// last rejected datagram was rejected (a server that answers garbage is told apart from a silent one).
    private final class ReplyHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        private let reply: EventLoopPromise<DNSMessage>
        private let matches: @Sendable (DNSMessage) -> Bool
        private let timeout: TimeAmount
        private let failures: DNSExchangeFailures
        private var rejection: DNSError?
        private var deadline: Scheduled<Void>?

        init(
            reply: EventLoopPromise<DNSMessage>, matches: @escaping @Sendable (DNSMessage) -> Bool,
            timeout: TimeAmount, failures: DNSExchangeFailures
        ) {
            self.reply = reply
            self.matches = matches
            self.timeout = timeout
            self.failures = failures
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { handler.value.timedOut() }
            reply.futureResult.whenComplete { _ in handler.value.deadline?.cancel() }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            reply.fail(failures.closed())
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).data.readableBytesView)
            do {
                let message = try DNSMessage(decoding: bytes)
                if matches(message) {
                    reply.succeed(message)
                } else {
                    rejection = .malformedMessage("a reply from \(failures.server) did not match the question")
                }
            } catch {
                rejection = error
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            reply.fail(failures.unreachable(error))
        }

        private func timedOut() {
            reply.fail(rejection ?? failures.timedOut())
        }
    }
}
