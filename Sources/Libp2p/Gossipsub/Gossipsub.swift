import Libp2pCrypto
import Logging
import NIOConcurrencyHelpers

/// GossipSub v1.1 on a `Libp2pHost`, interoperable with go-libp2p-pubsub and py-libp2p: serves
/// `/meshsub/1.1.0` and `/meshsub/1.0.0`, opens one long-lived outbound stream to every connected peer and
/// writes only on it, runs the heartbeat, and hands validated messages to each joined topic's stream.
/// Call `start()` before connecting to peers, so theirs streams find our handler.
public final class Gossipsub: Sendable {
    public static let protocolV11 = "/meshsub/1.1.0"
    public static let protocolV10 = "/meshsub/1.0.0"

    /// Judges a message before it is delivered or forwarded (the DMS checks envelopes and rate limits).
    public typealias Validator = @Sendable (GossipsubMessage) async -> ValidationResult

    public struct Configuration: Sendable {
        public var parameters = GossipsubParameters()
        public var scoreParameters = PeerScoreParameters()
        public var thresholds = PeerScoreThresholds()
        public init() {}
    }

    private struct Outbound {
        let generation: Int
        let frames: AsyncStream<[UInt8]>.Continuation
        var task: Task<Void, Never>?
    }

    private struct Subscription {
        let validator: Validator?
        let messages: AsyncStream<GossipsubMessage>.Continuation
    }

    private struct State {
        var router: GossipsubRouter
        var outbound: [PeerID: Outbound] = [:]
        var subscriptions: [String: Subscription] = [:]
        var tasks: [Task<Void, Never>] = []
        var nextGeneration = 0
        var seqno = UInt64.random(in: 1...(UInt64.max >> 1))
        var started = false
        var stopped = false
    }

    public let host: Libp2pHost
    /// Messages published here, received and judged (`accepted`, `rejected`, `ignored`), delivered to
    /// local subscribers, and sent to peers (one per copy).
    public let counters = ProtocolCounters()
    let configuration: Configuration
    let logger: Logger
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let state: NIOLockedValueBox<State>

    public init(
        host: Libp2pHost, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "gossipsub"),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.host = host
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        state = NIOLockedValueBox(
            State(
                router: GossipsubRouter(
                    localPeer: host.peerID, parameters: configuration.parameters,
                    scoreParameters: configuration.scoreParameters, thresholds: configuration.thresholds,
                    logger: logger)))
    }

    // MARK: Life cycle

    /// Registers the protocol handlers, opens streams to the peers already connected, and starts the
    /// heartbeat and the watch on connections.
    public func start() {
        let alreadyStarted = state.withLockedValue { state in
            defer { state.started = true }
            return state.started || state.stopped
        }
        guard !alreadyStarted else { return }
        let events = host.events
        for protocolID in [Self.protocolV11, Self.protocolV10] {
            host.handle(protocolID) { [weak self] stream in await self?.readInbound(stream) }
        }
        let watcher = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                switch event {
                case .connected(let peer): self.openOutbound(to: peer)
                case .disconnected(let peer): self.peerLeft(peer)
                case .identified: continue
                }
            }
        }
        let interval = configuration.parameters.heartbeatInterval
        let heartbeat = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                self.heartbeat()
            }
        }
        state.withLockedValue { $0.tasks += [watcher, heartbeat] }
        for peer in host.connectedPeers { openOutbound(to: peer) }
    }

    /// Stops the heartbeat, closes our streams and ends every topic's message stream.
    public func stop() {
        host.removeHandler(Self.protocolV11)
        host.removeHandler(Self.protocolV10)
        let (tasks, outbound, subscriptions) = state.withLockedValue { state in
            state.stopped = true
            defer {
                state.tasks = []
                state.outbound = [:]
                state.subscriptions = [:]
            }
            return (state.tasks, state.outbound, state.subscriptions)
        }
        for task in tasks { task.cancel() }
        for entry in outbound.values {
            entry.frames.finish()
            entry.task?.cancel()
        }
        for subscription in subscriptions.values { subscription.messages.finish() }
    }

    // MARK: Topics

    /// Joins `topic`: announces it, builds a mesh, and returns the stream of messages accepted on it
    /// (our own published ones included, as go delivers them). `validator` sees every message first.
    public func join(_ topic: String, validator: Validator? = nil) throws(GossipsubError)
        -> AsyncStream<GossipsubMessage>
    {
        let (stream, continuation) = AsyncStream<GossipsubMessage>.makeStream(
            bufferingPolicy: .bufferingOldest(1024))
        let result = state.withLockedValue { state -> Result<GossipsubEffects, GossipsubError> in
            guard !state.stopped else { return .failure(.stopped) }
            guard state.subscriptions[topic] == nil else { return .failure(.alreadyJoined(topic)) }
            state.subscriptions[topic] = Subscription(validator: validator, messages: continuation)
            return .success(state.router.join(topic, now: clock()))
        }
        switch result {
        case .success(let effects): perform(effects)
        case .failure(let error): throw error
        }
        return stream
    }

    /// Leaves `topic` (PRUNE to the mesh, unsubscription to everyone) and ends its message stream.
    public func leave(_ topic: String) {
        let (effects, subscription) = state.withLockedValue { state in
            (state.router.leave(topic, now: clock()), state.subscriptions.removeValue(forKey: topic))
        }
        perform(effects)
        subscription?.messages.finish()
    }

    /// Signs `data` as a new message on `topic` and sends it (to every topic peer above the publish
    /// threshold when flood publishing, as the DMS does). A joined topic's validator runs on it first and
    /// our own subscriber receives it. Returns the message ID.
    @discardableResult
    public func publish(_ topic: String, _ data: [UInt8]) async throws(GossipsubError) -> [UInt8] {
        let reserved = state.withLockedValue { state -> (UInt64, Validator?)? in
            guard !state.stopped else { return nil }
            state.seqno &+= 1
            return (state.seqno, state.subscriptions[topic]?.validator)
        }
        guard let (seqno, validator) = reserved else { throw .stopped }
        let message = GossipsubSigning.signedMessage(topic: topic, data: data, seqno: seqno, key: host.identity)
        let size = GossipsubCodec.encode(GossipsubRPC(publish: [message])).count
        let limit = configuration.parameters.maxMessageSize
        guard size <= limit else { throw .messageTooLarge(size, limit: limit) }
        let pending = PendingValidation(
            id: GossipsubSigning.messageID(message), message: message, topic: topic, author: host.peerID,
            receivedFrom: host.peerID)
        if let validator {
            switch await validator(GossipsubMessage(pending)) {
            case .accept: break
            case .reject: throw .validationRejected
            case .ignore: throw .validationIgnored
            }
        }
        let effects = state.withLockedValue { state in
            state.subscriptions[topic]?.messages.yield(GossipsubMessage(pending))
            return state.router.publish(message, topic: topic, now: clock())
        }
        counters.add("published")
        perform(effects)
        return pending.id
    }

    // MARK: Inspection

    /// Peers known to be subscribed to `topic`.
    public func peers(_ topic: String) -> Set<PeerID> { state.withLockedValue { $0.router.topicPeers(topic) } }
    /// Our mesh for `topic`.
    public func mesh(_ topic: String) -> Set<PeerID> { state.withLockedValue { $0.router.meshPeers(topic) } }
    /// Peers with an open gossipsub stream.
    public var connectedPeers: Set<PeerID> { state.withLockedValue { Set($0.router.peers.keys) } }
    public var topics: Set<String> { state.withLockedValue { $0.router.joined } }
    public func score(_ peer: PeerID) -> Double { state.withLockedValue { $0.router.score(peer, now: clock()) } }

    /// Runs one heartbeat now (the heartbeat task calls this every interval).
    public func heartbeat() {
        let effects = state.withLockedValue { $0.router.heartbeat(now: clock()) }
        perform(effects)
    }

    // MARK: Streams

    /// Opens our long-lived stream to `peer` (1.1.0, else 1.0.0) unless one is open or opening; the
    /// peer joins the router, and gets our subscriptions, once the stream is agreed.
    private func openOutbound(to peer: PeerID) {
        let queueSize = configuration.parameters.peerOutboundQueueSize
        state.withLockedValue { state in
            guard !state.stopped, state.outbound[peer] == nil, peer != host.peerID else { return }
            state.nextGeneration += 1
            let generation = state.nextGeneration
            let (frames, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(queueSize))
            state.outbound[peer] = Outbound(generation: generation, frames: continuation)
            let task = Task { [weak self] in
                guard let self else { return }
                await self.runOutbound(to: peer, frames: frames, generation: generation)
            }
            state.outbound[peer]?.task = task
        }
    }

    private func runOutbound(to peer: PeerID, frames: AsyncStream<[UInt8]>, generation: Int) async {
        var stream: Libp2pStream?
        var established = false
        do {
            guard let connection = host.connections(to: peer).first else { throw Libp2pError.connectionClosed }
            let opened = try await host.newStream(
                on: connection, protocols: [Self.protocolV11, Self.protocolV10])
            stream = opened
            let effects = state.withLockedValue { state -> GossipsubEffects? in
                guard state.outbound[peer]?.generation == generation else { return nil }
                return state.router.addPeer(peer, protocolID: opened.protocolID)
            }
            guard let effects else { return opened.reset() }
            established = true
            perform(effects)
            for await frame in frames { try await opened.write(frame) }
            opened.closeWrite()
        } catch {
            logger.debug("gossipsub stream to peer ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
            stream?.reset()
        }
        outboundEnded(peer, generation: generation, established: established)
    }

    /// Our stream to `peer` ended (closed, reset or refused): the peer is out of the router until a new
    /// stream is agreed. If it had been agreed and a connection remains (a duplicate connection closed),
    /// a new one is opened at once, as go does; a peer that refused the protocol is not asked again
    /// until its next connection or inbound stream.
    private func outboundEnded(_ peer: PeerID, generation: Int, established: Bool) {
        let ended = state.withLockedValue { state -> Bool in
            guard state.outbound[peer]?.generation == generation else { return false }
            state.outbound.removeValue(forKey: peer)?.frames.finish()
            state.router.removePeer(peer, now: clock())
            return !state.stopped
        }
        if ended, established, !host.connections(to: peer).isEmpty { openOutbound(to: peer) }
    }

    /// The peer's last connection closed: it leaves every mesh now.
    private func peerLeft(_ peer: PeerID) {
        let outbound = state.withLockedValue { state in
            state.router.removePeer(peer, now: clock())
            return state.outbound.removeValue(forKey: peer)
        }
        outbound?.frames.finish()
        outbound?.task?.cancel()
    }

    /// Reads RPC frames from a peer's stream until it ends; a malformed or oversize frame resets it.
    private func readInbound(_ stream: Libp2pStream) async {
        let peer = stream.remotePeer
        openOutbound(to: peer)
        var decoder = FrameDecoder(maxFrameSize: configuration.parameters.maxMessageSize)
        do {
            while let bytes = try await stream.read() {
                decoder.append(bytes)
                while let frame = try decoder.next() {
                    let rpc = try GossipsubCodec.decode(frame, maxSize: configuration.parameters.maxMessageSize)
                    receive(rpc, from: peer)
                }
            }
        } catch {
            logger.debug("gossipsub stream from peer refused", metadata: ["peer": "\(peer)", "error": "\(error)"])
            stream.reset()
        }
    }

    func receive(_ rpc: GossipsubRPC, from peer: PeerID) {
        let effects = state.withLockedValue { state -> GossipsubEffects in
            guard !state.stopped else { return GossipsubEffects() }
            return state.router.handle(rpc, from: peer, now: clock())
        }
        perform(effects)
    }

    // MARK: Effects

    private func perform(_ effects: GossipsubEffects) {
        guard !effects.isEmpty else { return }
        counters.add("delivered", effects.deliver.count)
        counters.add("sent", effects.send.values.reduce(0) { $0 + $1.publish.count })
        let limit = configuration.parameters.maxMessageSize
        state.withLockedValue { state in
            for (peer, rpc) in effects.send {
                guard let outbound = state.outbound[peer] else { continue }
                for frame in Self.frames(rpc, limit: limit) { outbound.frames.yield(frame) }
            }
            for delivered in effects.deliver {
                state.subscriptions[delivered.topic]?.messages.yield(GossipsubMessage(delivered))
            }
        }
        for pending in effects.validate { validate(pending) }
        for peer in effects.connect {
            Task { [host] in _ = try? await host.connection(to: peer) }
        }
    }

    private func validate(_ pending: PendingValidation) {
        let validator = state.withLockedValue { $0.subscriptions[pending.topic]?.validator }
        guard let validator else {
            counters.add(Self.outcome(.accept))
            let effects = state.withLockedValue { $0.router.validated(pending, .accept, now: clock()) }
            return perform(effects)
        }
        Task { [weak self] in
            let result = await validator(GossipsubMessage(pending))
            guard let self else { return }
            self.counters.add(Self.outcome(result))
            let effects = self.state.withLockedValue { $0.router.validated(pending, result, now: self.clock()) }
            self.perform(effects)
        }
    }

    static func outcome(_ result: ValidationResult) -> String {
        switch result {
        case .accept: "accepted"
        case .reject: "rejected"
        case .ignore: "ignored"
        }
    }

    /// One frame for the RPC, or, if that would exceed the limit, one per message plus one for the rest.
    static func frames(_ rpc: GossipsubRPC, limit: Int) -> [[UInt8]] {
        guard !rpc.isEmpty else { return [] }
        let whole = GossipsubCodec.frame(rpc)
        guard whole.count > limit, !rpc.publish.isEmpty else { return [whole] }
        var frames = rpc.publish.map { GossipsubCodec.frame(GossipsubRPC(publish: [$0])) }
        let rest = GossipsubRPC(subscriptions: rpc.subscriptions, control: rpc.control)
        if !rest.isEmpty { frames.insert(GossipsubCodec.frame(rest), at: 0) }
        return frames
    }
}
