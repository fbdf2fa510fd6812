import Libp2pCrypto
import Logging
import Multiformats
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A libp2p host: listens and dials over its transports (TCP unless told otherwise), upgrades every
/// connection (Noise, yamux), negotiates a protocol on every stream and hands inbound streams to the
/// handler registered for their protocol. Ping and identify are built in.
public final class Libp2pHost: Sendable {
    public struct Configuration: Sendable {
        public var yamux = YamuxSession.Configuration()
        public var agentVersion = "nunet/libp2p-swift"
        /// How long a TCP connect may take.
        public var dialTimeout: TimeAmount = .seconds(10)
        /// How long the upgrade (security and muxer) of a new connection, or the protocol negotiation of an
        /// inbound stream, may take.
        public var upgradeTimeout: TimeAmount = .seconds(10)
        /// The connection manager: above `highWater` connections, the oldest ones past their grace period
        /// are closed until `lowWater` remain (the Go DMS uses 100, 400 and 20 s).
        public var lowWater = 100
        public var highWater = 400
        public var gracePeriod: Duration = .seconds(20)
        /// Ask every new peer who it is (go-libp2p does); off only to time the bare transport.
        public var identifyOnConnect = true
        /// Turns `/dns*` and `/dnsaddr` addresses into IP ones before dialling (the system's name servers
        /// unless told otherwise); bootstrap peers are often `/dnsaddr` addresses.
        public var resolver = MultiaddrResolver()
        /// The label streams are counted under in `traffic`, by protocol ID (identity by default).
        public var trafficLabel: @Sendable (String) -> String = { $0 }
        public init() {}
    }

    public typealias StreamHandler = @Sendable (Libp2pStream) async -> Void

    public let identity: PrivateKey
    public let peerID: PeerID
    let noiseIdentity: NoiseIdentity
    public let peerStore = PeerStore()
    /// Streams and bytes by protocol.
    public let traffic: Libp2pTraffic
    let configuration: Configuration
    let group: any EventLoopGroup
    /// Tried in order; the first that handles an address carries the connection.
    let transports: [any Transport]
    let logger: Logger
    private let state = NIOLockedValueBox(State())
    private let eventHub = HostEventHub()

    /// Connection events from now on.
    public var events: AsyncStream<HostEvent> { eventHub.subscribe() }

    /// A handler and where its streams run.
    struct Registration {
        let handler: StreamHandler
        let onEventLoop: Bool
    }

    struct State {
        var handlers: [String: Registration] = [:]
        var listeners: [TransportListener] = []
        var listenAddresses: [Multiaddr] = []
        var connections: [PeerID: [Libp2pConnection]] = [:]
        var closed = false

        /// Connections to close so that at most `lowWater` remain, oldest first, sparing young ones.
        func trimmed(_ configuration: Configuration, now: ContinuousClock.Instant) -> [Libp2pConnection] {
            let all = connections.values.flatMap { $0 }.filter(\.isOpen)
            guard all.count > configuration.highWater else { return [] }
            let candidates = all.filter { now - $0.opened >= configuration.gracePeriod }.sorted {
                $0.opened < $1.opened
            }
            return Array(candidates.prefix(all.count - configuration.lowWater))
        }
    }

    /// `transports` defaults to TCP alone.
    public init(
        identity: PrivateKey, configuration: Configuration = Configuration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, transports: [any Transport]? = nil,
        logger: Logger = Logger(label: "libp2p")
    ) {
        self.identity = identity
        noiseIdentity = NoiseIdentity(identity)
        peerID = PeerID(publicKey: identity.publicKey)
        self.configuration = configuration
        traffic = Libp2pTraffic(label: configuration.trafficLabel)
        self.group = group
        self.transports = transports ?? [TCPTransport(group: group, connectTimeout: configuration.dialTimeout)]
        self.logger = logger
        handle(Ping.protocolID, onEventLoop: true) { stream in await Ping.serve(stream) }
        handle(Identify.protocolID, onEventLoop: true) { [weak self] stream in
            guard let self else { return }
            await Identify.serve(stream, host: self)
        }
        handle(Identify.pushProtocolID, onEventLoop: true) { [weak self] stream in
            guard let self else { return }
            await Identify.receivePush(stream, host: self)
        }
    }

    /// Serves `protocolID` on inbound streams. Registering again replaces the handler.
    ///
    /// `onEventLoop` runs each stream's handler on its connection's event loop, where its reads and writes
    /// wake no other thread (from Swift Concurrency's pool each await is a thread switch). It suits handlers
    /// that move bytes and do light work (ping, identify, the DHT); one that verifies signature chains or waits
    /// on actors stays on the pool, so that it never holds up the I/O of the loop's other connections.
    public func handle(_ protocolID: String, onEventLoop: Bool = false, _ handler: @escaping StreamHandler) {
        state.withLockedValue { $0.handlers[protocolID] = Registration(handler: handler, onEventLoop: onEventLoop) }
    }

    /// Runs `body` on one of the host's event loops. A short exchange (connect, open a stream, write a request,
    /// read the answer) then runs on the loop that carries its connection and wakes no other thread, where from
    /// Swift Concurrency's pool every await would (a connection's setup and first round trip made 26 thread
    /// switches from the pool, under 5 this way: Benchmarks/RESULTS.md). Connections dialled inside `body` are made
    /// on that loop. Keep `body` to I/O and light work: it holds the loop's thread while it computes.
    public func onEventLoop<T, Failure: Error>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(group.next()), isolation: isolation, operation: body)
    }

    public func removeHandler(_ protocolID: String) {
        state.withLockedValue { _ = $0.handlers.removeValue(forKey: protocolID) }
    }

    public var protocols: [String] { state.withLockedValue { $0.handlers.keys.sorted() } }
    public var listenAddresses: [Multiaddr] { state.withLockedValue { $0.listenAddresses } }

    public func connections(to peer: PeerID) -> [Libp2pConnection] {
        state.withLockedValue { $0.connections[peer] ?? [] }.filter(\.isOpen)
    }

    /// Open connections, for the node's metrics.
    public var openConnectionCount: Int {
        state.withLockedValue { state in state.connections.values.reduce(0) { $0 + $1.filter(\.isOpen).count } }
    }

    public var connectedPeers: [PeerID] {
        state.withLockedValue { state in state.connections.filter { $0.value.contains(where: \.isOpen) }.map(\.key) }
    }

    // MARK: Listening

    /// Listens on `address` (port 0 picks one) with the first transport that can; returns the bound address.
    @discardableResult
    public func listen(_ address: Multiaddr) async throws -> Multiaddr {
        guard let transport = transports.first(where: { $0.canListen(address) }) else {
            throw Libp2pError.invalidAddress("no transport can listen on \(address)")
        }
        let listener = try await transport.listen(address) { [weak self] channel in
            guard let self else { return channel.close() }
            // The upgrade completes later, over the active channel.
            _ = self.upgrade(channel, initiator: false, expectedPeer: nil)
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        let open = state.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            state.listeners.append(listener)
            state.listenAddresses.append(listener.address)
            return true
        }
        guard open else {
            await listener.close()
            throw Libp2pError.invalidAddress("the host is closed")
        }
        return listener.address
    }

    // MARK: Dialing

    /// Connects to `address`, which ends in `/p2p/<peer>` (checked during the handshake) or not. A DNS address
    /// is resolved first and its addresses are tried in order.
    @discardableResult
    public func connect(_ address: Multiaddr) async throws -> Libp2pConnection {
        if MultiaddrResolver.needsResolution(address) { return try await connect(resolving: address) }
        let (transportAddress, peerBytes) = address.splittingPeer
        let expected = try peerBytes.map { bytes throws in
            guard let multihash = try? Multihash(decoding: bytes) else {
                throw Libp2pError.invalidAddress("bad /p2p in \(address)")
            }
            return PeerID(multihash: multihash)
        }
        guard let transport = transports.first(where: { $0.canDial(transportAddress) }) else {
            throw Libp2pError.invalidAddress("no transport can dial \(address)")
        }
        // The upgrade is chained onto the connect on the channel's event loop, so the caller's task wakes
        // once, for the upgraded connection (each wake is a thread switch).
        let upgrade = NIOLockedValueBox<EventLoopFuture<Libp2pConnection>?>(nil)
        do {
            let connected = try transport.dial(transportAddress) { [weak self] channel in
                guard let self else { return channel.close() }
                let upgrading = self.upgrade(channel, initiator: true, expectedPeer: expected)
                upgrade.withLockedValue { $0 = upgrading }
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            let connection = try await connected.flatMap { channel in
                // A connected channel has run the initializer.
                upgrade.withLockedValue { $0 } ?? channel.eventLoop.makeFailedFuture(Libp2pError.connectionClosed)
            }.get()
            if let expected { peerStore.addAddresses([transportAddress], for: expected) }
            return connection
        } catch let error as Libp2pError {
            throw error
        } catch {
            throw Libp2pError.dialFailed(address.description, "\(error)")
        }
    }

    /// A connection to `peer`: an open one, or a new one to an address in the peer store.
    public func connection(to peer: PeerID) async throws -> Libp2pConnection {
        if let open = connections(to: peer).first { return open }
        let addresses = peerStore.record(peer)?.addresses ?? []
        guard !addresses.isEmpty else { throw Libp2pError.noAddresses(peer.description) }
        var lastError: any Error = Libp2pError.noAddresses(peer.description)
        for address in addresses {
            do {
                return try await connect(address.appending(.p2p(peer.bytes)))
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Opens a stream to `peer` speaking the first of `protocols` the peer supports (see
    /// `newStream(on:protocols:)` for when a refusal surfaces).
    public func newStream(to peer: PeerID, protocols: [String]) async throws -> Libp2pStream {
        let connection = try await connection(to: peer)
        return try await newStream(on: connection, protocols: protocols)
    }

    /// With one protocol the negotiation is optimistic (as go-libp2p's): the stream returns before the peer
    /// has answered, and a refusal surfaces as `Libp2pError.protocolNotSupported` from a later read or
    /// write. With several, the peer's choice is awaited, since the stream's protocol depends on it.
    public func newStream(on connection: Libp2pConnection, protocols: [String]) async throws -> Libp2pStream {
        if protocols.count == 1 {
            return try await connection.openStream(proposing: protocols[0]).counted(in: traffic, inbound: false)
        }
        let stream = try await connection.openRawStream()
        do {
            return try await ProtocolNegotiation.outbound(stream, protocols: protocols).counted(
                in: traffic, inbound: false)
        } catch {
            stream.reset()
            throw error
        }
    }

    /// Stops listening and closes every connection.
    public func close() async {
        let (listeners, connections) = state.withLockedValue { state in
            state.closed = true
            defer {
                state.listeners = []
                state.connections = [:]
            }
            return (state.listeners, state.connections.values.flatMap { $0 })
        }
        for listener in listeners { await listener.close() }
        for connection in connections { await connection.close() }
        eventHub.finish()
    }

    // MARK: Upgrade

    private func upgrade(_ channel: any Channel, initiator: Bool, expectedPeer: PeerID?) -> EventLoopFuture<
        Libp2pConnection
    > {
        let established = channel.eventLoop.makePromise(of: ConnectionHandler.Established.self)
        let loop = EventLoopTaskExecutor(channel.eventLoop)
        let handler = ConnectionHandler(
            initiator: initiator, identity: noiseIdentity, expectedPeer: expectedPeer, established: established,
            yamux: configuration.yamux, upgradeTimeout: configuration.upgradeTimeout, logger: logger,
            supported: { [weak self] id in self?.state.withLockedValue { $0.handlers[id] != nil } ?? false },
            listed: { [weak self] in self?.protocols ?? [] },
            onInboundStream: { [weak self] stream in
                guard let self else { return stream.reset() }
                self.accept(stream, loop: loop)
            })
        do {
            try channel.pipeline.syncOperations.addHandler(handler)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return established.futureResult.map { [weak self] established in
            let connection = Libp2pConnection(established: established, channel: channel, initiator: initiator)
            self?.register(connection)
            return connection
        }
    }

    private func register(_ connection: Libp2pConnection) {
        let (accepted, excess) = state.withLockedValue { state -> (Bool, [Libp2pConnection]) in
            guard !state.closed else { return (false, []) }
            state.connections[connection.remotePeer, default: []].append(connection)
            return (true, state.trimmed(configuration, now: .now))
        }
        guard accepted else { return connection.channel.close(promise: nil) }
        eventHub.emit(.connected(connection.remotePeer))
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            let gone = self.state.withLockedValue { state -> Bool in
                state.connections[connection.remotePeer]?.removeAll { $0 === connection }
                guard state.connections[connection.remotePeer]?.isEmpty == true else { return false }
                state.connections.removeValue(forKey: connection.remotePeer)
                return true
            }
            if gone { self.eventHub.emit(.disconnected(connection.remotePeer)) }
        }
        for old in excess {
            logger.debug("connection manager closes a connection", metadata: ["peer": "\(old.remotePeer)"])
            old.channel.close(promise: nil)
        }
        guard configuration.identifyOnConnect else { return }
        Task { [weak self] in
            guard let self else { return }
            if await Identify.request(on: connection, host: self) {
                self.eventHub.emit(.identified(connection.remotePeer))
            }
        }
    }

    /// Starts the handler of an inbound stream's agreed protocol (the connection negotiated it), on the
    /// connection's event loop if it asked to run there.
    private func accept(_ stream: Libp2pStream, loop: EventLoopTaskExecutor) {
        // The handler may have been removed since the agreement.
        guard let registration = state.withLockedValue({ $0.handlers[stream.protocolID] }) else {
            return stream.reset()
        }
        let counted = stream.counted(in: traffic, inbound: true)
        if registration.onEventLoop {
            Task(executorPreference: loop) { await registration.handler(counted) }
        } else {
            Task { await registration.handler(counted) }
        }
    }
}
