import Libp2pCrypto
import Logging
import Multiformats
import Synchronization

/// The Kademlia DHT on a libp2p host (go-libp2p-kad-dht's wire protocol): it keeps a routing table of
/// peers that serve the DHT, answers their requests when in server mode, and finds peers, values and
/// providers with iterative lookups. The Go DMS speaks it on `/nunet/kad/1.0.0` and, for older nodes,
/// `/kad/1.0.0`; one table and one store serve both here.
public final class KademliaDHT: Sendable {
    public enum Mode: String, Sendable {
        /// Server when the host listens (peers can reach it), client otherwise. Go decides the same
        /// through AutoNAT, which this stack does not have.
        case auto
        case server
        case client
    }

    public struct Configuration: Sendable {
        public var protocolIDs = ["/nunet/kad/1.0.0", "/kad/1.0.0"]
        public var mode = Mode.auto
        public var validator = NamespacedValidator()
        public var bucketSize = 20
        /// Queries in flight per lookup (go-libp2p-kad-dht uses 10).
        public var alpha = 10
        /// How long one peer has to answer, dial included.
        public var queryTimeout: Duration = .seconds(10)
        /// How long an inbound stream may sit idle between requests.
        public var idleTimeout: Duration = .seconds(60)
        /// Self lookup and bucket refresh.
        public var refreshInterval: Duration = .seconds(600)
        public var providerTTL: Duration = .seconds(48 * 3600)
        public var providerRepublishInterval: Duration = .seconds(22 * 3600)
        /// GET_VALUE stops once this many peers have given a valid value.
        public var quorum = 3
        public var maxMessageSize = 4 << 20
        public init() {}
    }

    public let host: Libp2pHost
    public let configuration: Configuration
    /// Requests answered (`served_<kind>`) and lookups made (`lookup_<kind>`), by message kind.
    public let counters = ProtocolCounters()
    let logger: Logger
    private let state: Mutex<State>

    struct State {
        var core: KademliaCore
        /// Provider keys this node announced, republished periodically.
        var provided: Set<[UInt8]> = []
        var tasks: [Task<Void, Never>] = []
        var serving = false
    }

    public init(host: Libp2pHost, configuration: Configuration = Configuration(), logger: Logger? = nil) {
        self.host = host
        self.configuration = configuration
        self.logger = logger ?? host.logger
        state = Mutex(
            State(
                core: KademliaCore(
                    local: host.peerID, bucketSize: configuration.bucketSize, validator: configuration.validator,
                    providerTTL: configuration.providerTTL)))
    }

    /// Whether this node answers DHT requests (and so is listed in others' routing tables).
    public var isServer: Bool { state.withLock { $0.serving } }

    /// Serves the DHT (in server mode), follows the host's connections to fill the routing table, and
    /// refreshes and republishes periodically. Call `bootstrap()` once the first peers are connected.
    public func start() {
        let serve =
            switch configuration.mode {
            case .server: true
            case .client: false
            case .auto: !host.listenAddresses.isEmpty
            }
        if serve {
            for id in configuration.protocolIDs {
                host.handle(id, onEventLoop: true) { [weak self] stream in await self?.serve(stream) }
            }
        }
        let events = host.events
        let watcher = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                if case .identified(let peer) = event { self.consider(peer) }
            }
        }
        let refresher = periodically(configuration.refreshInterval) { dht in
            await dht.bootstrap()
            dht.state.withLock { $0.core.expire() }
        }
        let republisher = periodically(configuration.providerRepublishInterval) { dht in
            for key in dht.state.withLock({ Array($0.provided) }) { _ = await dht.announce(key) }
        }
        state.withLock { state in
            state.serving = serve
            state.tasks = [watcher, refresher, republisher]
        }
        // Peers identified before the DHT started.
        for peer in host.connectedPeers { consider(peer) }
    }

    public func stop() {
        let tasks = state.withLock { state in
            defer { state.tasks = [] }
            return state.tasks
        }
        for task in tasks { task.cancel() }
        for id in configuration.protocolIDs { host.removeHandler(id) }
    }

    private func periodically(_ interval: Duration, _ work: @escaping @Sendable (KademliaDHT) async -> Void)
        -> Task<Void, Never>
    {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                await work(self)
            }
        }
    }

    // MARK: Routing table

    /// A snapshot of the routing table.
    public var routingTable: RoutingTable { state.withLock { $0.core.routingTable } }

    /// Adds a peer that serves the DHT (identify lists one of our protocols); drops one that stopped.
    func consider(_ peer: PeerID) {
        let protocols = host.peerStore.record(peer)?.protocols ?? []
        let serves = configuration.protocolIDs.contains { protocols.contains($0) }
        state.withLock { state in
            if serves {
                _ = state.core.routingTable.add(peer, useful: false)
            } else {
                _ = state.core.routingTable.remove(peer)
            }
        }
    }

    private func addressed(_ peer: PeerID) -> KademliaMessage.Peer {
        KademliaMessage.Peer(id: peer, addresses: addresses(of: peer))
    }

    private func addresses(of peer: PeerID) -> [Multiaddr] {
        peer == host.peerID ? host.advertisedAddresses : host.peerStore.record(peer)?.addresses ?? []
    }

    // MARK: Serving

    private func serve(_ stream: Libp2pStream) async {
        let limit = configuration.maxMessageSize
        let idle = configuration.idleTimeout
        do {
            while true {
                let bytes = try await withDeadline(.now + idle, timeout: Libp2pError.timedOut("DHT stream")) {
                    try await stream.readDelimited(limit: limit)
                }
                guard let bytes else { break }
                let request = try KademliaMessage(bytes: bytes)
                counters.add("served_\(request.kind)")
                let reply = try state.withLock { state throws(KademliaError) in
                    try state.core.respond(to: request, from: stream.remotePeer) { [self] in addresses(of: $0) }
                }
                if let reply { try await stream.writeDelimited(reply.bytes) }
            }
            stream.closeWrite()
        } catch {
            logger.debug("DHT request refused", metadata: ["peer": "\(stream.remotePeer)", "error": "\(error)"])
            stream.reset()
        }
    }

    // MARK: Asking

    /// Sends `request` to `peer` and reads its answer (none for ADD_PROVIDER).
    func send(_ request: KademliaMessage, to peer: KademliaMessage.Peer) async throws -> KademliaMessage? {
        if !peer.addresses.isEmpty { host.peerStore.addAddresses(peer.addresses, for: peer.id) }
        let host = self.host
        let protocols = configuration.protocolIDs
        let limit = configuration.maxMessageSize
        // On an event loop: the dial, the request and the answer then wake no other thread.
        return try await host.onEventLoop {
            try await withDeadline(
                .now + configuration.queryTimeout, timeout: Libp2pError.timedOut("DHT query to \(peer.id)")
            ) {
                let stream = try await host.newStream(to: peer.id, protocols: protocols)
                do {
                    try await stream.writeDelimited(request.bytes)
                    guard request.kind != .addProvider else {
                        stream.closeWrite()
                        return nil
                    }
                    guard let bytes = try await stream.readDelimited(limit: limit) else {
                        throw Libp2pError.connectionClosed
                    }
                    stream.closeWrite()
                    let reply = try KademliaMessage(bytes: bytes)
                    guard reply.kind == request.kind else {
                        throw KademliaError.malformed("asked \(request.kind), answered \(reply.kind)")
                    }
                    return reply
                } catch {
                    stream.reset()
                    throw error
                }
            }
        }
    }

    /// An iterative lookup for `key` with `kind` requests; answering peers become useful routing-table
    /// entries, failing ones leave it.
    private func lookup(
        _ kind: KademliaMessage.Kind, key: [UInt8], onAnswer: (PeerID, KademliaMessage) -> Bool = { _, _ in false }
    ) async -> KademliaLookup.Outcome {
        counters.add("lookup_\(kind)")
        let target = KademliaKey(hashing: key)
        let seeds = state.withLock { $0.core.routingTable.nearest(to: target, count: configuration.bucketSize) }
            .map(addressed)
        let request = KademliaMessage(kind: kind, key: key)
        let outcome = await KademliaLookup(k: configuration.bucketSize, alpha: configuration.alpha).run(
            target: target, seeds: seeds, local: host.peerID,
            query: { [self] peer in
                guard let reply = try await send(request, to: peer) else { throw KademliaError.malformed("no answer") }
                return reply
            },
            onAnswer: onAnswer)
        state.withLock { $0.core.learn(from: outcome) }
        return outcome
    }

    /// Joins the network through the peers in the routing table: looks ourselves up (which introduces us to
    /// our neighbours) and a random key in every occupied bucket.
    public func bootstrap() async {
        let own = await lookup(.findNode, key: host.peerID.bytes)
        logger.debug("DHT self lookup", metadata: ["answered": "\(own.answered.count)", "hops": "\(own.hops)"])
        let (local, buckets) = state.withLock { ($0.core.routingTable.local, $0.core.routingTable.occupiedBuckets) }
        await withTaskGroup(of: Void.self) { group in
            // Deeper buckets take ever longer to aim at, and past 16 bits hold few peers.
            for bucket in buckets where bucket < 16 {
                guard let key = local.randomPeerKey(withCommonPrefix: bucket) else { continue }
                group.addTask { [self] in _ = await lookup(.findNode, key: key) }
            }
        }
    }

    /// The k peers closest to `key` that answered (go-libp2p-kad-dht `GetClosestPeers`).
    public func closestPeers(to key: [UInt8]) async -> [KademliaMessage.Peer] {
        await lookup(.findNode, key: key).closest
    }

    /// Where `peer` can be dialled: the addresses known if connected, else a lookup.
    public func findPeer(_ peer: PeerID) async throws(KademliaError) -> [Multiaddr] {
        if !host.connections(to: peer).isEmpty, let known = host.peerStore.record(peer)?.addresses, !known.isEmpty {
            return known
        }
        var found: [Multiaddr] = []
        _ = await lookup(.findNode, key: peer.bytes) { answerer, reply in
            if answerer == peer { found = self.addresses(of: peer) }
            if let entry = reply.closerPeers.first(where: { $0.id == peer }), !entry.addresses.isEmpty {
                found = entry.addresses
            }
            return !found.isEmpty
        }
        guard !found.isEmpty else { throw .notFound("peer \(peer)") }
        host.peerStore.addAddresses(found, for: peer)
        return found
    }

    /// A connection to `peer`: an open one, or one to the addresses known or, when none are, found by
    /// `findPeer` (how the Go DMS reaches a peer it has never dialled).
    public func connection(to peer: PeerID) async throws -> Libp2pConnection {
        if host.connections(to: peer).isEmpty, host.peerStore.record(peer)?.addresses.isEmpty ?? true {
            _ = try await findPeer(peer)
        }
        return try await host.connection(to: peer)
    }

    /// Stores `value` under `key` here and on the k closest peers; returns how many peers accepted it.
    @discardableResult
    public func putValue(key: String, value: [UInt8]) async throws(KademliaError) -> Int {
        let record = KademliaMessage.Record(key: Array(key.utf8), value: value)
        try state.withLock { state throws(KademliaError) in try state.core.storeLocally(record) }
        let closest = await closestPeers(to: record.key)
        return await tell(KademliaMessage(kind: .putValue, key: record.key, record: record), to: closest)
    }

    /// The current value under `key`: ours and up to `quorum` peers' valid answers, chosen by the validator.
    public func getValue(key: String) async throws(KademliaError) -> [UInt8] {
        let keyBytes = Array(key.utf8)
        let validator = configuration.validator
        var values: [[UInt8]] = []
        if let local = state.withLock({ $0.core.localRecord(keyBytes) }) { values.append(local.value) }
        let quorum = configuration.quorum
        _ = await lookup(.getValue, key: keyBytes) { _, reply in
            if let record = reply.record, record.key == keyBytes,
                (try? validator.validate(key: key, value: record.value)) != nil
            {
                values.append(record.value)
            }
            return values.count >= quorum
        }
        guard !values.isEmpty else { throw .notFound("value \(key)") }
        return values[validator.select(key: key, values: values)]
    }

    /// Announces this node as a provider of `key` (a multihash) to the k closest peers, and again every
    /// republish interval; returns how many peers were told.
    @discardableResult
    public func provide(_ key: [UInt8]) async -> Int {
        _ = state.withLock { $0.provided.insert(key) }
        return await announce(key)
    }

    private func announce(_ key: [UInt8]) async -> Int {
        let own = addressed(host.peerID)
        state.withLock { $0.core.addLocalProvider(own.id, addresses: own.addresses, for: key) }
        let closest = await closestPeers(to: key)
        return await tell(KademliaMessage(kind: .addProvider, key: key, providerPeers: [own]), to: closest)
    }

    /// Sends `request` to every one of `peers` at once; how many took it.
    private func tell(_ request: KademliaMessage, to peers: [KademliaMessage.Peer]) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for peer in peers {
                group.addTask { [self] in
                    do {
                        _ = try await send(request, to: peer)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    /// Up to `limit` providers of `key`, this node included when it provides it.
    public func findProviders(_ key: [UInt8], limit: Int) async -> [KademliaMessage.Peer] {
        var found: [KademliaMessage.Peer] = state.withLock { $0.core.localProviders(key) }.map {
            KademliaMessage.Peer(id: $0.peer, addresses: $0.addresses)
        }
        if found.count < limit {
            _ = await lookup(.getProviders, key: key) { _, reply in
                for provider in reply.providerPeers where !found.contains(where: { $0.id == provider.id }) {
                    found.append(provider)
                }
                return found.count >= limit
            }
        }
        // Whoever asks next (discovery, a message) can dial them.
        for provider in found where !provider.addresses.isEmpty && provider.id != host.peerID {
            host.peerStore.addAddresses(provider.addresses, for: provider.id)
        }
        return Array(found.prefix(limit))
    }
}
