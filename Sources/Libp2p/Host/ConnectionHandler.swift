import Foundation
import Libp2pCrypto
import Logging
import NIOCore

/// Drives one TCP connection through the libp2p upgrade (multistream-select → Noise → multistream-select
/// or the muxer named in the handshake → yamux) and then moves stream bytes between the yamux session and
/// the stream objects. Everything runs on the channel's event loop.
final class ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the upgrade established.
    struct Established: Sendable {
        let remotePeer: PeerID
        let remoteKey: PublicKey
        let connection: NIOLoopBound<ConnectionHandler>
    }

    private enum Phase {
        /// `sent`: the initiator's handshake, its first message already sent with the security proposal.
        case security(Negotiator, sent: NoiseHandshake?)
        case handshake(NoiseHandshake)
        case muxer(Negotiator)
        case yamux
        case closed
    }

    private enum Negotiator {
        case initiator(MultistreamInitiator)
        case responder(MultistreamResponder)

        mutating func receive(_ bytes: [UInt8]) throws(MultistreamError) -> MultistreamStep {
            switch self {
            case .initiator(var negotiator):
                defer { self = .initiator(negotiator) }
                return try negotiator.receive(bytes)
            case .responder(var negotiator):
                defer { self = .responder(negotiator) }
                return try negotiator.receive(bytes)
            }
        }

        /// A responder's failure that waited for its answers to go out.
        var failure: MultistreamError? {
            if case .responder(let negotiator) = self { return negotiator.failure }
            return nil
        }
    }

    static let muxers = [YamuxFrame.protocolID]

    let isInitiator: Bool
    private let identity: NoiseIdentity
    private let expectedPeer: PeerID?
    private let established: EventLoopPromise<Established>
    private let onInboundStream: @Sendable (Libp2pStream) -> Void
    /// The protocols inbound streams may agree on (host handlers), and the answer to `ls`.
    private let supported: @Sendable (String) -> Bool
    private let listed: @Sendable () -> [String]
    private let logger: Logger
    private var phase: Phase
    private var context: ChannelHandlerContext?
    private var handshakeBuffer: [UInt8] = []
    private var encryptedBuffer = ByteBuffer()
    private var transport: NoiseTransport?
    private var session: YamuxSession
    private var remote: (peer: PeerID, key: PublicKey)?
    private var streams: [UInt32: StreamState] = [:]
    private var closeError: (any Error)?
    /// A peer that has not finished the upgrade by then is cut off.
    private let upgradeTimeout: TimeAmount
    private var upgradeDeadline: Scheduled<Void>?
    /// Pings the peer so idle connections stay open through NATs and dead ones are noticed.
    private var keepAlive: RepeatedTask?
    static let keepAliveInterval: TimeAmount = .seconds(30)

    init(
        initiator: Bool, identity: NoiseIdentity, expectedPeer: PeerID?, established: EventLoopPromise<Established>,
        yamux: YamuxSession.Configuration, upgradeTimeout: TimeAmount, logger: Logger,
        supported: @escaping @Sendable (String) -> Bool, listed: @escaping @Sendable () -> [String],
        onInboundStream: @escaping @Sendable (Libp2pStream) -> Void
    ) {
        self.supported = supported
        self.listed = listed
        self.upgradeTimeout = upgradeTimeout
        isInitiator = initiator
        self.identity = identity
        self.expectedPeer = expectedPeer
        self.established = established
        self.logger = logger
        self.onInboundStream = onInboundStream
        session = YamuxSession(side: initiator ? .client : .server, configuration: yamux)
        phase = .security(
            initiator
                ? .initiator(MultistreamInitiator(proposals: [Noise.protocolID]))
                : .responder(MultistreamResponder(protocols: [Noise.protocolID])), sent: nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        upgradeDeadline = context.eventLoop.scheduleTask(in: upgradeTimeout) {
            handler.value.fail(Libp2pError.timedOut("the connection upgrade"), misbehaving: true)
        }
        if context.channel.isActive { start() }
    }

    func channelActive(context: ChannelHandlerContext) {
        start()
        context.fireChannelActive()
    }

    private var started = false

    private func start() {
        guard !started, let context else { return }
        started = true
        switch phase {
        case .security(.initiator(var negotiator), _):
            // Noise is the only proposal, so its first message follows it in the same write instead of a round
            // trip later (multistream-select's lazy form, as rust-libp2p's V1Lazy; responders read the
            // proposal exactly and leave the rest on the connection). A refusal fails the dial either way.
            var handshake = NoiseHandshake(
                role: .initiator, identity: identity, expectedPeer: expectedPeer, muxers: Self.muxers)
            do {
                send(raw: negotiator.start() + (try NoiseFraming.frame(try handshake.initiatorMessage1())))
            } catch {
                return fail(error, misbehaving: false)
            }
            phase = .security(.initiator(negotiator), sent: handshake)
        case .security(.responder(let negotiator), _):
            // The header waits two turns of the loop: a dialler's proposal already on the socket (a Swift or Go
            // dialler sends it at once) is then answered in the same write, which wakes the dialler once instead
            // of twice; a dialler that waits for the header before proposing (py-libp2p) still gets it at once.
            send(raw: negotiator.start())
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.execute { handler.eventLoop.execute { handler.value.context?.flush() } }
            return
        default: break
        }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do {
            if case .yamux = phase {
                // The hot path: decrypt in place and feed yamux frame by frame.
                if encryptedBuffer.readableBytes == 0 {
                    encryptedBuffer = buffer
                } else {
                    encryptedBuffer.writeBuffer(&buffer)
                }
                try openTransport()
                encryptedBuffer.discardReadBytes()
                flushSessionLater()
            } else {
                try receive(buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
        } catch {
            fail(error, misbehaving: true)
        }
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(closeError ?? Libp2pError.connectionClosed, misbehaving: false)
        context.fireChannelInactive()
    }

    /// Drops the handler's hold on its context (which holds the handler) and on its timers (whose closures hold
    /// it too): kept, every connection ever accepted stayed on the heap after its socket closed.
    func handlerRemoved(context: ChannelHandlerContext) {
        fail(closeError ?? Libp2pError.connectionClosed, misbehaving: false)
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, misbehaving: false)
    }

    // MARK: The upgrade

    private func receive(_ bytes: [UInt8]) throws {
        switch phase {
        case .security(var negotiator, let sent):
            let step = try negotiator.receive(bytes)
            send(raw: step.send)
            if let failure = negotiator.failure { throw failure }
            guard let agreed = step.agreed else {
                phase = .security(negotiator, sent: sent)
                return
            }
            precondition(agreed.protocolID == Noise.protocolID)
            phase = .handshake(
                sent
                    ?? NoiseHandshake(
                        role: .responder, identity: identity, expectedPeer: expectedPeer, muxers: Self.muxers))
            if !agreed.leftover.isEmpty { try receive(agreed.leftover) }
        case .handshake(var handshake):
            handshakeBuffer += bytes
            guard let message = NoiseFraming.next(&handshakeBuffer) else { return }
            if isInitiator {
                let (message3, outcome) = try handshake.initiatorMessage3(after: message)
                send(raw: try NoiseFraming.frame(message3))
                try secured(outcome)
            } else if !sentMessage2 {
                sentMessage2 = true
                send(raw: try NoiseFraming.frame(try handshake.responderMessage2(after: message)))
                phase = .handshake(handshake)
            } else {
                try secured(try handshake.responderFinish(after: message))
            }
            let rest = handshakeBuffer
            handshakeBuffer = []
            if !rest.isEmpty { try receive(rest) }
        case .muxer(var negotiator):
            encryptedBuffer.writeBytes(bytes)
            var plaintext: [UInt8] = []
            try transport!.open(&encryptedBuffer) { plaintext += $0 }
            let step = try negotiator.receive(plaintext)
            send(plaintext: step.send)
            if let failure = negotiator.failure { throw failure }
            guard let agreed = step.agreed else {
                phase = .muxer(negotiator)
                return
            }
            phase = .yamux
            connected()
            if !agreed.leftover.isEmpty { try handle(try session.receive(agreed.leftover)) }
        case .yamux:
            encryptedBuffer.writeBytes(bytes)
            try openTransport()
            flushSessionLater()
        case .closed:
            return
        }
    }

    private var sentMessage2 = false

    /// Decrypts the complete Noise frames received, then feeds them to yamux (handling may send, which
    /// uses the transport, so decryption finishes first).
    private func openTransport() throws {
        var plaintexts: [Data] = []
        try transport!.open(&encryptedBuffer) { plaintexts.append($0) }
        for plaintext in plaintexts {
            try handle(try plaintext.withUnsafeBytes { bytes throws(YamuxError) in try session.receive(bytes) })
        }
    }

    private func secured(_ outcome: NoiseHandshake.Outcome) throws {
        transport = outcome.transport
        remote = (outcome.remotePeer, outcome.remoteKey)
        // The muxer named in both handshake payloads wins; otherwise multistream-select decides.
        if !outcome.remoteMuxers.isEmpty, outcome.remoteMuxers.contains(YamuxFrame.protocolID) {
            phase = .yamux
            connected()
        } else if isInitiator {
            var negotiator = MultistreamInitiator(proposals: Self.muxers)
            send(plaintext: negotiator.start())
            phase = .muxer(.initiator(negotiator))
        } else {
            let negotiator = MultistreamResponder(protocols: Self.muxers)
            send(plaintext: negotiator.start())
            phase = .muxer(.responder(negotiator))
        }
    }

    private func connected() {
        guard let remote, let context else { return }
        upgradeDeadline?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepAlive = context.eventLoop.scheduleRepeatedTask(
            initialDelay: Self.keepAliveInterval, delay: Self.keepAliveInterval
        ) { _ in
            _ = handler.value.session.ping()
            handler.value.flushSession()
        }
        established.succeed(
            Established(
                remotePeer: remote.peer, remoteKey: remote.key,
                connection: NIOLoopBound(self, eventLoop: context.eventLoop)))
    }

    // MARK: Streams

    private func handle(_ events: [YamuxSession.Event]) throws {
        for event in events {
            switch event {
            case .inboundStream(let id):
                answer(id)
            case .data(let id, var bytes):
                guard let stream = streams[id] else { continue }
                if stream.responder != nil {
                    negotiate(id, stream, bytes)
                    continue
                }
                if stream.awaitingEcho != nil {
                    do {
                        guard let rest = try stream.awaitingEcho?.receive(bytes) else {
                            session.consumed(bytes.count, on: id)
                            continue
                        }
                        stream.awaitingEcho = nil
                        session.consumed(bytes.count - rest.count, on: id)
                        guard !rest.isEmpty else { continue }
                        bytes = rest
                    } catch {
                        refuse(id, stream, error)
                        continue
                    }
                }
                if let reader = stream.reader {
                    stream.reader = nil
                    session.consumed(bytes.count, on: id)
                    reader.resume(returning: bytes)
                } else {
                    stream.buffered.append(bytes)
                    stream.bufferedCount += bytes.count
                }
            case .remoteClosed(let id):
                guard let stream = streams[id] else { continue }
                if stream.awaitingEcho != nil {
                    // The peer closed without answering the proposal: the protocol was never agreed.
                    refuse(id, stream, Libp2pError.connectionClosed)
                    continue
                }
                if stream.responder != nil {
                    // The opener closed without settling on a protocol.
                    reset(id)
                    continue
                }
                stream.remoteClosed = true
                if stream.buffered.isEmpty, let reader = stream.reader {
                    stream.reader = nil
                    reader.resume(returning: nil)
                }
            case .reset(let id):
                // A refused stream keeps its refusal until it is told, whatever the peer does next.
                guard streams[id]?.failure == nil else { continue }
                streams.removeValue(forKey: id)?.fail(Libp2pError.streamReset)
            case .acknowledged(let id):
                streams[id]?.acknowledged?.resume()
                streams[id]?.acknowledged = nil
            case .sendWindowOpened(let id):
                if let stream = streams[id], let pending = stream.pendingWrite {
                    stream.pendingWrite = nil
                    write(pending.bytes, from: pending.offset, on: id, pending.continuation)
                }
            case .pong, .goAway:
                continue
            }
        }
    }

    /// An inbound stream: multistream-select is answered here on the event loop, and the stream goes to
    /// the host once a protocol is agreed, so the agreement costs no task switches. The header goes out at
    /// once; a stream whose opener never settles on a protocol is reset after the upgrade timeout.
    private func answer(_ id: UInt32) {
        guard let context else { return }
        let stream = StreamState()
        let responder = MultistreamResponder(supported: supported, listed: listed)
        do {
            _ = try session.send(responder.start(), on: id)
        } catch {
            return
        }
        stream.responder = responder
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        stream.negotiationDeadline = context.eventLoop.scheduleTask(in: upgradeTimeout) {
            guard handler.value.streams[id]?.responder != nil else { return }
            handler.value.reset(id)
        }
        streams[id] = stream
    }

    /// Feeds an inbound stream's bytes to its responder; hands the stream over once a protocol is agreed.
    private func negotiate(_ id: UInt32, _ stream: StreamState, _ bytes: [UInt8]) {
        // The bytes after the agreement go to the protocol's handler with the stream: all are consumed now.
        session.consumed(bytes.count, on: id)
        do {
            guard var responder = stream.responder else { return }
            let step = try responder.receive(bytes)
            stream.responder = responder
            if !step.send.isEmpty { _ = try session.send(step.send, on: id) }
            if let failure = responder.failure { throw failure }
            guard let agreed = step.agreed, let remote, let context else { return }
            stream.responder = nil
            stream.negotiationDeadline?.cancel()
            stream.negotiationDeadline = nil
            onInboundStream(
                Libp2pStream(
                    connection: NIOLoopBound(self, eventLoop: context.eventLoop), id: id, remotePeer: remote.peer,
                    protocolID: agreed.protocolID, leftover: agreed.leftover))
        } catch {
            logger.debug("inbound stream negotiation failed", metadata: ["error": "\(error)"])
            reset(id)
        }
    }

    /// Opens a stream; with `protocolID`, its multistream header and proposal go out with the SYN and the
    /// echo is checked when it arrives (optimistic negotiation).
    func openStream(proposing protocolID: String?, _ continuation: CheckedContinuation<UInt32, any Error>) {
        guard case .yamux = phase else {
            return continuation.resume(throwing: closeError ?? Libp2pError.connectionClosed)
        }
        do {
            let id = try session.openStream()
            let stream = StreamState()
            if let protocolID {
                var negotiation = OptimisticNegotiation(protocolID: protocolID)
                // A new stream's send window (256 KiB) always holds the short proposal.
                _ = try session.send(negotiation.start(), on: id)
                stream.awaitingEcho = negotiation
            }
            streams[id] = stream
            flushSession()
            continuation.resume(returning: id)
        } catch {
            continuation.resume(throwing: error)
        }
    }

    func read(_ id: UInt32, _ continuation: CheckedContinuation<[UInt8]?, any Error>) {
        guard let stream = streams[id] else {
            return continuation.resume(throwing: closeError ?? Libp2pError.streamReset)
        }
        if let failure = stream.failure {
            // The failure is told once; the stream is already reset on the wire.
            streams.removeValue(forKey: id)
            return continuation.resume(throwing: failure)
        }
        if !stream.buffered.isEmpty {
            var bytes = stream.buffered[0]
            if stream.buffered.count > 1 {
                bytes.reserveCapacity(stream.bufferedCount)
                for chunk in stream.buffered.dropFirst() { bytes.append(contentsOf: chunk) }
            }
            stream.buffered = []
            stream.bufferedCount = 0
            session.consumed(bytes.count, on: id)
            flushSession()
            return continuation.resume(returning: bytes)
        }
        if stream.remoteClosed { return continuation.resume(returning: nil) }
        stream.reader = continuation
    }

    func write(_ bytes: [UInt8], on id: UInt32, _ continuation: CheckedContinuation<Void, any Error>) {
        write(bytes, from: 0, on: id, continuation)
    }

    private func write(
        _ bytes: [UInt8], from offset: Int, on id: UInt32, _ continuation: CheckedContinuation<Void, any Error>
    ) {
        guard let stream = streams[id] else {
            return continuation.resume(throwing: closeError ?? Libp2pError.streamReset)
        }
        if let failure = stream.failure {
            streams.removeValue(forKey: id)
            return continuation.resume(throwing: failure)
        }
        do {
            let sent = try session.send(bytes[offset...], on: id)
            flushSession()
            if offset + sent < bytes.count {
                stream.pendingWrite = (bytes, offset + sent, continuation)
            } else {
                continuation.resume()
            }
        } catch {
            continuation.resume(throwing: error)
        }
    }

    /// Ends a stream whose optimistic proposal the peer refused: reset on the wire, and `error` for
    /// whoever waits on it now or, failing that, for its next read or write.
    private func refuse(_ id: UInt32, _ stream: StreamState, _ error: any Error) {
        session.reset(id)
        stream.awaitingEcho = nil
        let told = stream.hasWaiters
        stream.fail(error)
        if told { streams.removeValue(forKey: id) }
    }

    func closeWrite(_ id: UInt32) {
        session.closeWrite(id)
        flushSession()
    }

    func reset(_ id: UInt32) {
        session.reset(id)
        streams.removeValue(forKey: id)?.fail(Libp2pError.streamReset)
        flushSession()
    }

    func close() {
        guard let context else { return }
        if case .yamux = phase {
            session.goAway()
            flushSession()
        }
        context.close(promise: nil)
    }

    // MARK: Output

    private func flushSession() {
        guard session.hasOutput else { return }
        send(plaintext: session.takeOutput())
        context?.flush()
    }

    private var flushPending = false

    /// Sends what yamux has to say once this turn of the loop is done instead of at once. A handler that the frames
    /// just read started on the loop runs first, so its answer leaves in the same Noise frame and write as the
    /// stream's protocol echo (one wake of the peer, not two), and the reads of one turn share a write.
    private func flushSessionLater() {
        guard !flushPending, session.hasOutput, let context else { return }
        flushPending = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            handler.value.flushPending = false
            handler.value.flushSession()
        }
    }

    private func send(raw bytes: [UInt8]) {
        guard !bytes.isEmpty, let context else { return }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }

    private func send(plaintext bytes: [UInt8]) {
        guard !bytes.isEmpty, transport != nil, let context else { return }
        let frames = bytes.count / Noise.maxPlaintextLength + 1
        var buffer = context.channel.allocator.buffer(capacity: bytes.count + frames * (2 + Noise.tagLength))
        do {
            try transport!.seal(bytes[...], into: &buffer)
            context.write(wrapOutboundOut(buffer), promise: nil)
        } catch {
            fail(error, misbehaving: false)
        }
    }

    private func fail(_ error: any Error, misbehaving: Bool) {
        if case .closed = phase { return }
        let wasUpgraded: Bool
        if case .yamux = phase { wasUpgraded = true } else { wasUpgraded = false }
        if misbehaving {
            logger.warning(
                "closing connection after a protocol violation",
                metadata: ["peer": "\(remote?.peer.description ?? "?")", "error": "\(error)"])
            if wasUpgraded {
                session.goAway(code: 1)
                flushSession()
            }
        }
        phase = .closed
        upgradeDeadline?.cancel()
        upgradeDeadline = nil
        keepAlive?.cancel()
        keepAlive = nil
        closeError = error
        established.fail(error)
        for stream in streams.values { stream.fail(error) }
        streams = [:]
        context?.close(promise: nil)
    }
}

extension NIOLoopBound where Value == ConnectionHandler {
    /// Runs `body` on the connection's event loop: at once when already there (a handler task running on the
    /// loop's executor), else queued.
    func onLoop(_ body: @escaping @Sendable (ConnectionHandler) -> Void) {
        if eventLoop.inEventLoop { return body(value) }
        eventLoop.execute { body(self.value) }
    }
}
