import Foundation
import Libp2pCrypto
import Multiformats

/// One DHT node's state and its answers to requests, apart from any transport: the routing table, the
/// values and provider records held for others, and the validator they must pass. The libp2p service
/// (`KademliaDHT`) and the in-memory benchmark network both drive it.
public struct KademliaCore: Sendable {
    public let local: PeerID
    public var routingTable: RoutingTable
    var records: RecordStore
    var providers: ProviderStore
    let validator: any RecordValidator

    public init(local: PeerID, bucketSize: Int = 20, validator: any RecordValidator, providerTTL: Duration) {
        self.local = local
        routingTable = RoutingTable(local: local, bucketSize: bucketSize)
        records = RecordStore()
        providers = ProviderStore(ttl: providerTTL)
        self.validator = validator
    }

    /// The answer to `request` from `sender`, or nil when the request gets none (ADD_PROVIDER). Throws
    /// when the request is refused (bad record); the stream is then reset. `addresses` says where a peer
    /// can be dialled; peers without addresses are not passed on unless `addresses` is nil (in-memory).
    public mutating func respond(
        to request: KademliaMessage, from sender: PeerID, addresses: ((PeerID) -> [Multiaddr])?,
        now: ContinuousClock.Instant = .now
    ) throws(KademliaError) -> KademliaMessage? {
        var reply = KademliaMessage(kind: request.kind, key: request.key)
        switch request.kind {
        case .ping:
            return reply
        case .findNode:
            reply.closerPeers = closerPeers(to: request.key, excluding: sender, addresses: addresses)
            if let target = try? PeerID(multihash: Multihash(decoding: request.key)), target == local {
                reply.closerPeers.insert(KademliaMessage.Peer(id: local, addresses: addresses?(local) ?? []), at: 0)
            }
        case .getValue:
            reply.record = records.get(request.key, now: now)
            reply.closerPeers = closerPeers(to: request.key, excluding: sender, addresses: addresses)
        case .putValue:
            guard let record = request.record, record.key == request.key else {
                throw .malformed("PUT_VALUE must carry a record under the message's key")
            }
            let key = String(decoding: record.key, as: UTF8.self)
            try validator.validate(key: key, value: record.value)
            if let existing = records.get(record.key, now: now), existing.value != record.value,
                validator.select(key: key, values: [existing.value, record.value]) == 0
            {
                return request  // the record held is the better one; Go answers the same way
            }
            var stored = record
            stored.timeReceived = Date().ISO8601Format(.iso8601.time(includingFractionalSeconds: true))
            records.put(stored, now: now)
            return request
        case .getProviders:
            // A sample when there are many, so askers that go round several peers collect different ones.
            reply.providerPeers = providers.providers(of: request.key, now: now).shuffled()
                .prefix(KademliaMessage.maxProviders).map { KademliaMessage.Peer(id: $0.peer, addresses: $0.addresses) }
            reply.closerPeers = closerPeers(to: request.key, excluding: sender, addresses: addresses)
        case .addProvider:
            // A peer may only announce itself.
            for provider in request.providerPeers where provider.id == sender {
                providers.add(sender, addresses: provider.addresses, for: request.key, now: now)
            }
            return nil
        }
        return reply
    }

    /// The k closest peers to `key` this node knows, without the asker.
    func closerPeers(to key: [UInt8], excluding sender: PeerID, addresses: ((PeerID) -> [Multiaddr])?)
        -> [KademliaMessage.Peer]
    {
        let target = KademliaKey(hashing: key)
        let nearest = routingTable.nearest(to: target, count: routingTable.bucketSize + 1).filter { $0 != sender }
        let peers = nearest.compactMap { peer -> KademliaMessage.Peer? in
            guard let addresses else { return KademliaMessage.Peer(id: peer, addresses: []) }
            let known = addresses(peer)
            return known.isEmpty ? nil : KademliaMessage.Peer(id: peer, addresses: known)
        }
        return Array(peers.prefix(routingTable.bucketSize))
    }

    /// What a lookup taught: peers that answered are useful table entries, peers that could not be reached
    /// or answered badly leave the table.
    mutating func learn(from outcome: KademliaLookup.Outcome) {
        for peer in outcome.answered { routingTable.add(peer, useful: true) }
        for peer in outcome.failed { routingTable.remove(peer) }
    }

    /// Keeps a value put by this node itself (validated like anyone's).
    mutating func storeLocally(_ record: KademliaMessage.Record) throws(KademliaError) {
        try validator.validate(key: String(decoding: record.key, as: UTF8.self), value: record.value)
        records.put(record)
    }

    func localRecord(_ key: [UInt8]) -> KademliaMessage.Record? { records.get(key) }

    func localProviders(_ key: [UInt8]) -> [ProviderStore.Provider] { providers.providers(of: key) }

    mutating func addLocalProvider(_ peer: PeerID, addresses: [Multiaddr], for key: [UInt8]) {
        providers.add(peer, addresses: addresses, for: key)
    }

    mutating func expire() {
        records.expire()
        providers.expire()
    }
}
